import type { ValidationArguments, ValidatorConstraintInterface } from 'class-validator'

/**
 * A class-validator constraint's own `validate`, for one decorator's constraints: true or false
 * exactly as the constraint answers, or undefined where this copy does not decide (the caller
 * then asks the constraint itself).
 */
export type FastCheck = (value: unknown) => boolean | undefined

interface Builtin {
  /** The decorator's default message (before `$` tokens are replaced), for its constraints. */
  readonly message: (constraints: readonly unknown[]) => string | undefined
  readonly check: (constraints: readonly unknown[]) => FastCheck
}

/**
 * The check of a class-validator decorator whose constraint is one of the library's own common
 * ones (0.14/0.15: IsString, IsNumberString, IsNumber, IsInt, IsBoolean, IsArray, Min, Max,
 * Length, MinLength, MaxLength), or undefined. The library calls each through its generic
 * constraint wrapper with a fresh arguments object, and validator.js's `isNumeric` compiles a
 * RegExp on every call and `isLength` runs two global matches (the benchmark's DTO route went
 * from 0.52× to 0.62× of its scalar twin's throughput without them, bench/compare.mjs). These
 * copies answer as the library's functions do (held to the constraints the real decorators
 * register by test/binding/dto-builtins.test.ts).
 *
 * A constraint is taken for the library's when it is registered under the built-in's name and
 * its default message is the built-in's, for these constraints: a decorator of the app's own
 * that reuses a built-in's name (class-validator keys errors by it, so that would be confusing
 * anyway) keeps its own validate unless it also copies the message word for word.
 */
export function builtinCheck(
  name: string | undefined,
  each: boolean | undefined,
  constraints: readonly unknown[] | undefined,
  validator: ValidatorConstraintInterface,
): FastCheck | undefined {
  if (name === undefined || !Object.hasOwn(BUILTINS, name)) return undefined
  const builtin = BUILTINS[name] as Builtin
  const list = constraints ?? NO_CONSTRAINTS
  const expected = builtin.message(list)
  if (expected === undefined || typeof validator.defaultMessage !== 'function') return undefined
  const args: ValidationArguments = { value: undefined, constraints: list as unknown[], targetName: '', object: {}, property: '' }
  let message: unknown
  try {
    message = validator.defaultMessage(args)
  } catch {
    return undefined
  }
  if (message !== (each ? 'each value in ' : '') + expected) return undefined
  const check = builtin.check(list)
  return agreesOnProbes(check, validator, args) ? check : undefined
}

/**
 * Whether the copy gives the constraint's own answer for every probe it decides: a decorator of
 * the app's own that took a built-in's name and message word for word but validates otherwise is
 * then almost surely caught and keeps its validate. Runs once per decorator as its DTO is planned.
 */
function agreesOnProbes(check: FastCheck, validator: ValidatorConstraintInterface, args: ValidationArguments): boolean {
  for (const probe of PROBES) {
    let answer: unknown
    let own: boolean | undefined
    try {
      own = check(probe)
      if (own === undefined) continue
      answer = validator.validate(probe, { ...args, value: probe })
    } catch {
      return false
    }
    if (answer !== own) return false
  }
  return true
}

// Values each copy answers both ways for, at least once (no exponent-form fractions: isNumber's
// maxDecimalPlaces throws on them in the library as in the copy).
const PROBES: readonly unknown[] = [
  '', 'a', '0', '12', '-1.5', '+.5', '1.', ' 1', '1e3', '0x1F', 'abc def', 'xxxxxxxx', 'x'.repeat(300), '\u0661\u0662',
  0, 1, -1, 1.5, 2.25, 7, 100, -1000, 1e6, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY,
  true, false, null, undefined, [], ['a', 1], {}, Object('a'), Object(true), Object(1),
]

const NO_CONSTRAINTS: readonly unknown[] = Object.freeze([])

const always = (text: string) => (): string => text

// Each check reads its constraints on every call, as the library's `args.constraints[i]` does.
const BUILTINS: Readonly<Record<string, Builtin>> = {
  isString: {
    message: always('$property must be a string'),
    check: () => (value) => value instanceof String || typeof value === 'string',
  },
  isBoolean: {
    message: always('$property must be a boolean value'),
    check: () => (value) => value instanceof Boolean || typeof value === 'boolean',
  },
  isInt: {
    message: always('$property must be an integer number'),
    check: () => (value) => typeof value === 'number' && Number.isInteger(value),
  },
  isArray: {
    message: always('$property must be an array'),
    check: () => (value) => Array.isArray(value),
  },
  isNumber: {
    message: always('$property must be a number conforming to the specified constraints'),
    check: (constraints) => (value) => isNumber(value, constraints[0] as NumberOptions | undefined),
  },
  min: {
    message: always('$property must not be less than $constraint1'),
    check: (constraints) => (value) => {
      const min = constraints[0]
      return typeof value === 'number' && typeof min === 'number' && value >= min
    },
  },
  max: {
    message: always('$property must not be greater than $constraint1'),
    check: (constraints) => (value) => {
      const max = constraints[0]
      return typeof value === 'number' && typeof max === 'number' && value <= max
    },
  },
  isNumberString: {
    message: always('$property must be a number string'),
    check: (constraints) => (value) => (typeof value === 'string' ? isNumeric(value, constraints[0] as NumericOptions | undefined) : false),
  },
  maxLength: {
    message: always('$property must be shorter than or equal to $constraint1 characters'),
    check: (constraints) => (value) => (typeof value === 'string' ? isLength(value, 0, constraints[0]) : false),
  },
  minLength: {
    message: always('$property must be longer than or equal to $constraint1 characters'),
    check: (constraints) => (value) => (typeof value === 'string' ? isLength(value, constraints[0], undefined) : false),
  },
  isLength: {
    // Its message depends on the value; with a minimum and no value it is this one.
    message: (constraints) =>
      constraints[0] === null || constraints[0] === undefined ? undefined : '$property must be longer than or equal to $constraint1 characters',
    check: (constraints) => (value) => (typeof value === 'string' ? isLength(value, constraints[0], constraints[1]) : false),
  },
}

interface NumberOptions {
  readonly allowNaN?: boolean
  readonly allowInfinity?: boolean
  readonly maxDecimalPlaces?: number
}

/** class-validator's isNumber (0.15.1), verbatim. */
function isNumber(value: unknown, options: NumberOptions = {}): boolean {
  if (typeof value !== 'number') return false
  if (value === Infinity || value === -Infinity) return !!options.allowInfinity
  if (Number.isNaN(value)) return !!options.allowNaN
  if (options.maxDecimalPlaces !== undefined) {
    let decimalPlaces = 0
    if (value % 1 !== 0) decimalPlaces = (value.toString().split('.')[1] as string).length
    if (decimalPlaces > options.maxDecimalPlaces) return false
  }
  return Number.isFinite(value)
}

interface NumericOptions {
  readonly no_symbols?: boolean
  readonly locale?: string
}

const NUMERIC_NO_SYMBOLS = /^[0-9]+$/
/** validator.js's pattern without a locale: the separator is `.`. */
const NUMERIC = new RegExp('^[+-]?([0-9]*[.])?[0-9]+$')

/**
 * validator.js's isNumeric (13.x) for a string, with its RegExp compiled once instead of on
 * every call, or undefined for a locale (its separator comes from validator.js's own table,
 * which albatross does not import: class-validator's dependency, not albatross's). (Its
 * assertString cannot fail for a primitive string.)
 */
export function isNumeric(text: string, options: NumericOptions | undefined): boolean | undefined {
  if (options && options.no_symbols) return NUMERIC_NO_SYMBOLS.test(text)
  if ((options || {}).locale) return undefined
  return NUMERIC.test(text)
}

/** Characters validator.js's isLength counts specially (surrogates, variation selectors). */
const SPECIAL_LENGTH = /[\uD800-\uDFFF\uFE0E\uFE0F]/

/**
 * validator.js's isLength(text, { min, max }) as class-validator calls it. A string without
 * surrogates or variation selectors has its UTF-16 length; any other is left to the library
 * (undefined).
 */
function isLength(text: string, minimum: unknown, maximum: unknown): boolean | undefined {
  if (SPECIAL_LENGTH.test(text)) return undefined
  const min = (minimum as number) || 0
  const max = maximum as number | undefined
  const length = text.length
  return length >= min && (typeof max === 'undefined' || length <= max)
}
