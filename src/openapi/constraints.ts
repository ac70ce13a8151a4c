import type { JsonSchema } from './types.js'

// class-validator constraint (its metadata `name`) → JSON Schema 2020-12 keywords. A constraint
// missing here, or one whose arguments a schema cannot say, is still listed by name in
// `x-albatross-constraints`, so the document never claims a value passes that the validator refuses.

type Args = readonly unknown[] | undefined
type Mapper = (args: Args) => JsonSchema | undefined

const first = (args: Args): unknown => args?.[0]
const number = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)

/** Type constraints: they decide `type` over the type read from metadata. */
export const TYPE_CONSTRAINTS: Readonly<Record<string, JsonSchema>> = {
  isString: { type: 'string' },
  isNumber: { type: 'number' },
  isInt: { type: 'integer' },
  isBoolean: { type: 'boolean' },
  isDate: { type: 'string', format: 'date-time' },
  isObject: { type: 'object' },
}

/** Constraints on the value itself (for `each: true`, on every item). */
export const VALUE_CONSTRAINTS: Readonly<Record<string, Mapper>> = {
  isEnum: (args) => enumOf(args?.[1] ?? enumValues(first(args))),
  isIn: (args) => enumOf(first(args)),
  isNotIn: (args) => (Array.isArray(first(args)) ? { not: { enum: first(args) } } : undefined),
  equals: (args) => ({ const: first(args) }),
  notEquals: (args) => ({ not: { const: first(args) } }),
  isNotEmpty: () => ({ not: { enum: ['', null] } }),
  min: (args) => (number(first(args)) ? { minimum: first(args) } : undefined),
  max: (args) => (number(first(args)) ? { maximum: first(args) } : undefined),
  isPositive: () => ({ exclusiveMinimum: 0 }),
  isNegative: () => ({ exclusiveMaximum: 0 }),
  isDivisibleBy: (args) => (number(first(args)) ? { multipleOf: first(args) } : undefined),
  minLength: (args) => (number(first(args)) ? { minLength: first(args) } : undefined),
  maxLength: (args) => (number(first(args)) ? { maxLength: first(args) } : undefined),
  isLength: (args) => {
    const [min, max] = args ?? []
    if (!number(min)) return undefined
    return number(max) ? { minLength: min, maxLength: max } : { minLength: min }
  },
  matches: (args) => patternOf(first(args), args?.[1]),
  isEmail: () => ({ format: 'email' }),
  isUrl: () => ({ format: 'uri' }),
  isUuid: () => ({ format: 'uuid' }),
  isFqdn: () => ({ format: 'hostname' }),
  isIp: (args) => {
    const version = String(first(args) ?? '')
    if (version === '4') return { format: 'ipv4' }
    if (version === '6') return { format: 'ipv6' }
    return { anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] }
  },
  // The default locale (en-US) only; another locale's letters are a constraint listed by name.
  isAlpha: (args) => (args?.[0] === undefined ? { pattern: '^[A-Za-z]+$' } : undefined),
  isAlphanumeric: (args) => (args?.[0] === undefined ? { pattern: '^[A-Za-z0-9]+$' } : undefined),
}

/** Constraints on an array as a whole. */
export const ARRAY_CONSTRAINTS: Readonly<Record<string, Mapper>> = {
  isArray: () => ({}),
  arrayMinSize: (args) => (number(first(args)) ? { minItems: first(args) } : undefined),
  arrayMaxSize: (args) => (number(first(args)) ? { maxItems: first(args) } : undefined),
  arrayNotEmpty: () => ({ minItems: 1 }),
  // With an identifier function, uniqueness is by a derived key: not what uniqueItems says.
  arrayUnique: (args) => (first(args) === undefined ? { uniqueItems: true } : undefined),
}

/** Names that change presence or nesting, not the value's schema. */
export const STRUCTURAL = new Set(['isOptional', 'isDefined', 'isArray'])

/** `enum`, with `type` when every value has the same JSON type (a string enum reads as strings). */
function enumOf(values: unknown): JsonSchema | undefined {
  if (!Array.isArray(values) || values.length === 0) return undefined
  const types = new Set(values.map((v) => (v === null ? 'null' : typeof v)))
  const [only] = types
  return types.size === 1 && (only === 'string' || only === 'number' || only === 'boolean')
    ? { type: only, enum: [...values] }
    : { enum: [...values] }
}

/** A TypeScript enum's values: numeric enums without the reverse-mapping names. */
function enumValues(entity: unknown): unknown[] | undefined {
  if (typeof entity !== 'object' || entity === null) return undefined
  const record = entity as Record<string, unknown>
  return Object.keys(record)
    .filter((key) => typeof record[record[key] as string] !== 'number')
    .map((key) => record[key])
}

/**
 * `@Matches(pattern, modifiers?)`. JSON Schema patterns are ECMA-262 regexes without flags, so a
 * pattern with flags (`/x/i`) is not written as `pattern`, which would be stricter than the check.
 */
function patternOf(pattern: unknown, modifiers: unknown): JsonSchema | undefined {
  const source = pattern instanceof RegExp ? pattern.source : typeof pattern === 'string' ? pattern : undefined
  const flags = pattern instanceof RegExp ? pattern.flags : typeof modifiers === 'string' ? modifiers : ''
  if (source === undefined || flags.replace(/[gu]/g, '') !== '') return undefined
  return { pattern: source }
}
