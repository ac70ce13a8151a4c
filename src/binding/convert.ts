import { COERCE_FAILURE, INVALID, coerce } from './coerce.js'
import type { ScalarKind } from './coerce.js'
import type { DecodedPairs } from './decode.js'
import type { DtoPlan, SubtypePlans } from './dto-plan.js'
import { reportIssue } from './validation-details.js'
import type { IssueSink } from './validation-details.js'

/**
 * The values of a repeated key for one target: every value for an array, else the last one
 * (what ALB keeps in single-value mode, spec/alb.md §4.2), each converted to `kind`.
 * `INVALID` after reporting every value that failed.
 */
export function convertValues(
  values: readonly string[],
  array: boolean,
  kind: ScalarKind | undefined,
  location: string,
  echo: boolean,
  sink: IssueSink,
): unknown {
  if (!array) return convertValue(values[values.length - 1] as string, kind, location, echo, sink)
  if (kind === undefined || kind === 'string') return values.slice()
  const out = new Array<unknown>(values.length)
  let failed = false
  for (let i = 0; i < values.length && !(failed && sink.full === true); i++) {
    const raw = values[i] as string
    const value = coerce(kind, raw)
    if (value === INVALID) {
      fail(kind, `${location}[${i}]`, raw, echo, sink)
      failed = true
    }
    out[i] = value
  }
  if (!failed) return out
  sink.suppress(location)
  return INVALID
}

/** One value converted to `kind`; `INVALID` once the failure is reported. */
export function convertValue(
  raw: string,
  kind: ScalarKind | undefined,
  location: string,
  echo: boolean,
  sink: IssueSink,
): unknown {
  if (kind === undefined || kind === 'string') return raw
  const value = coerce(kind, raw)
  if (value !== INVALID) return value
  fail(kind, location, raw, echo, sink)
  sink.suppress(location)
  return INVALID
}

function fail(
  kind: Exclude<ScalarKind, 'string'>,
  location: string,
  raw: unknown,
  echo: boolean,
  sink: IssueSink,
): void {
  const { constraint, message } = COERCE_FAILURE[kind]
  reportIssue(sink, location, `${location} ${message}`, constraint, echo, raw)
}

/** Without a DTO the types are unknown: a key sent once gives a string, a repeated key an array. */
export function lastOrAll(
  values: Readonly<Record<string, readonly string[]>>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null)
  for (const key in values) {
    const list = values[key] as readonly string[]
    out[key] = list.length === 1 ? (list[0] as string) : list.slice()
  }
  return out
}

/** Pairs up to this many are converted by scanning them (a few scans each of a short list). */
const SCANNED_PAIRS_MAX = 32

/**
 * Query or form pairs as the plain object handed to class-transformer: declared properties
 * converted, unknown keys as their last value (for `whitelist` to strip or
 * `forbidNonWhitelisted` to report). Null-prototype, so a `__proto__` key stays data.
 */
export function plainFromPairs(
  plan: DtoPlan,
  pairs: DecodedPairs,
  base: string,
  sink: IssueSink,
): Record<string, unknown> {
  const plain: Record<string, unknown> = Object.create(null)
  // A usual query is read by scanning its pairs; a long one through the key → values map, so
  // the work stays linear in the pairs.
  const keys = orderedPairKeys(pairs)
  if (keys !== undefined) {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string
      const value = pairValue(plan, pairs, key, base, sink)
      if (value !== INVALID) plain[key] = value
    }
  } else {
    const values = pairs.values
    for (const key in values) {
      const list = values[key] as string[]
      const property = plan.byKey[key]
      if (property === undefined) {
        plain[key] = list[list.length - 1]
        continue
      }
      const value = convertValues(list, property.array, property.kind, `${base}.${key}`, true, sink)
      if (value !== INVALID) plain[key] = value
    }
  }
  suppressMalformed(pairs, base, sink)
  return plain
}

/**
 * The distinct keys of a usual query in the order they came, or undefined (a long query, or
 * keys that may be array indexes): plainFromPairs then reads the pairs' key → values map.
 */
export function orderedPairKeys(pairs: DecodedPairs): string[] | undefined {
  return pairs.orderedKeys(SCANNED_PAIRS_MAX)
}

/**
 * Whether orderedPairKeys would list the pairs' keys (at most SCANNED_PAIRS_MAX pairs, no key
 * that may be an array index), without building the list: the pairs can then be visited in
 * order, each key at its first pair (isFirstPair). In DTO code only, like its callers.
 */
export function orderablePairs(pairs: DecodedPairs): boolean {
  const count = pairs.count
  if (count > SCANNED_PAIRS_MAX) return false
  for (let pair = 0; pair < count; pair++) {
    const key = pairs.keyAt(pair)
    if (key === undefined) continue
    const first = key.charCodeAt(0)
    if (first >= 0x30 && first <= 0x39) return false
  }
  return true
}

/** Whether no pair before `pair` has its key: the pairs whose keys orderedPairKeys lists. */
export function isFirstPair(pairs: DecodedPairs, pair: number): boolean {
  const key = pairs.keyAt(pair)
  for (let earlier = 0; earlier < pair; earlier++) if (pairs.keyAt(earlier) === key) return false
  return true
}

/**
 * What plainFromPairs puts under `key` (one of `pairs.orderedKeys`): the last value of a key the
 * DTO does not declare, the converted value(s) of one it does, or INVALID once reported.
 */
export function pairValue(
  plan: DtoPlan,
  pairs: DecodedPairs,
  key: string,
  base: string,
  sink: IssueSink,
): unknown {
  const property = plan.byKey[key]
  // Unknown, or a string property, taken as it is: no location to name (built per request otherwise).
  if (property === undefined || (!property.array && (property.kind === undefined || property.kind === 'string'))) {
    return pairs.last(key)
  }
  const location = `${base}.${key}`
  return property.array
    ? convertValues(pairs.all(key) as string[], true, property.kind, location, true, sink)
    : convertValue(pairs.last(key) as string, property.kind, location, true, sink)
}

/** What plainFromPairs does last: the malformed pairs' failures are the only ones they get. */
export function suppressMalformed(pairs: DecodedPairs, base: string, sink: IssueSink): void {
  for (const pair of pairs.malformed) sink.suppress(`${base}.${pair.key}`)
}

/**
 * Headers as a DTO's plain object: only declared properties are read (ALB adds headers of its
 * own, spec/alb.md §4.2, which `forbidNonWhitelisted` must not reject). `headerNames[i]` is the
 * lower-case header of `plan.properties[i]`. Values are never echoed.
 */
export function plainFromHeaders(
  plan: DtoPlan,
  headerNames: readonly string[],
  headerValues: (name: string) => readonly string[] | undefined,
  sink: IssueSink,
): Record<string, unknown> {
  const plain: Record<string, unknown> = Object.create(null)
  const properties = plan.properties
  for (let i = 0; i < properties.length; i++) {
    const property = properties[i] as DtoPlan['properties'][number]
    const header = headerNames[i] as string
    const values = headerValues(header)
    if (values === undefined || values.length === 0) continue
    const location = `header.${header}`
    const value = convertValues(values, property.array, property.kind, location, false, sink)
    if (value !== INVALID) plain[property.key] = value
  }
  return plain
}

/**
 * One conversion rule for every location: a JSON body's DTO properties with a `jsonKind` (a
 * scalar `@Type`, or a Date) are converted here, before class-transformer's lenient `Boolean()`,
 * `Number()` and `new Date()` could see them (`{"admin":"false"}` would be `true`, `"0x10"` 16):
 *
 * - a JSON value of the kind itself (a number, a boolean, a string) passes as it is;
 * - a string is converted exactly as the same string in a query, header or form field
 *   (coerce.ts: decimal numbers; `true`/`false`/`1`/`0`; ISO 8601 dates);
 * - `null` is left for `@IsOptional` and the validators;
 * - anything else (a number for a Boolean, `true` for a Number, an object) is a 400;
 * - an array is converted item by item, as class-transformer maps arrays.
 *
 * A polymorphic property's objects must name a known subtype (an unknown name is a 400, where
 * class-transformer would build @Type's own class, which the answer could not serialize), and
 * nested DTOs are walked the same way. Mutates `value` (a freshly parsed body, or a copy of the
 * claims); reads only declared own properties. `echo`: whether failing values are shown.
 */
export function convertJson(plan: DtoPlan, value: unknown, location: string, sink: IssueSink, echo = true): void {
  if (!plan.convertsJson || typeof value !== 'object' || value === null || Array.isArray(value)) return
  const record = value as Record<string, unknown>
  for (const property of plan.properties) {
    if (sink.full === true) return
    if (!Object.hasOwn(record, property.key)) continue
    const item = record[property.key]
    const at = `${location}.${property.key}`
    if (property.jsonKind !== undefined) {
      const converted = jsonValue(property.jsonKind, item, at, sink, echo, 0)
      if (converted !== INVALID) record[property.key] = converted
      // class-validator would report the same value again (`each` failures on the array itself).
      else sink.suppress(at)
    } else if (property.subtypes !== undefined) {
      eachItem(item, at, (one, where) => subtype(property.subtypes as SubtypePlans, one, where, sink, echo), sink)
    } else if (property.nested?.convertsJson === true) {
      const nested = property.nested
      eachItem(item, at, (one, where) => convertJson(nested, one, where, sink, echo), sink)
    }
  }
}

/** `visit` on the value, or on each item of an array (holes skipped) until the sink is full. */
function eachItem(
  item: unknown,
  at: string,
  visit: (one: unknown, where: string) => void,
  sink: IssueSink,
): void {
  if (!Array.isArray(item)) return visit(item, at)
  for (let i = 0; i < item.length && sink.full !== true; i++) visit(item[i], `${at}[${i}]`)
}

// Arrays of arrays are converted as class-transformer maps them, to JSON's own nesting limit.
const JSON_ARRAY_DEPTH_MAX = 64

/** The converted value, or INVALID once every failing item is reported. */
function jsonValue(kind: ScalarKind, item: unknown, at: string, sink: IssueSink, echo: boolean, depth: number): unknown {
  if (item === null || item === undefined) return item
  if (typeof item === 'string') {
    const value = coerce(kind, item)
    if (value !== INVALID) return value
  } else if (Array.isArray(item) && depth < JSON_ARRAY_DEPTH_MAX) {
    let failed = false
    for (let i = 0; i < item.length && !(failed && sink.full === true); i++) {
      const value = jsonValue(kind, item[i], `${at}[${i}]`, sink, echo, depth + 1)
      if (value === INVALID) failed = true
      else item[i] = value
    }
    return failed ? INVALID : item
  } else if (typeof item === KIND_TYPEOF[kind]) {
    return item
  }
  if (kind === 'string') {
    reportIssue(sink, at, `${at} must be a string`, 'isString', echo, item)
  } else {
    fail(kind, at, item, echo, sink)
  }
  return INVALID
}

const KIND_TYPEOF: Readonly<Record<ScalarKind, string>> = {
  string: 'string',
  number: 'number',
  boolean: 'boolean',
  // JSON has no dates: only a string can be one.
  date: 'no JSON value',
}

/** An object of a polymorphic property: its discriminator names a subtype, then it is walked. */
function subtype(subtypes: SubtypePlans, item: unknown, at: string, sink: IssueSink, echo: boolean): void {
  // Not an object: class-transformer builds nothing, and the validators answer for it.
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return
  const record = item as Record<string, unknown>
  const name = Object.hasOwn(record, subtypes.property) ? record[subtypes.property] : undefined
  const found = subtypes.resolve(name)
  if (found !== undefined) {
    if (found.plan !== undefined) convertJson(found.plan, item, at, sink, echo)
    return
  }
  const where = `${at}.${subtypes.property}`
  const known = subtypes.names === undefined ? 'a known subtype' : `one of: ${subtypes.names.join(', ')}`
  const message = name === undefined ? `${where} is required: it names the subtype (${known})` : `${where} must name a subtype (${known})`
  reportIssue(sink, where, message, 'isSubtype', echo, name)
  sink.suppress(at)
}
