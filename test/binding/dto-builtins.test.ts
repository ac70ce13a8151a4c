import 'reflect-metadata'
import {
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  IsNumberString,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  getMetadataStorage,
} from 'class-validator'
import type { ValidationArguments } from 'class-validator'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { builtinCheck, isNumeric } from '../../src/binding/dto-builtins.js'
import type { FastCheck } from '../../src/binding/dto-builtins.js'

// dto-builtins.ts answers for class-validator's own common constraints without calling them.
// Each copy is held here to the constraint the real decorator registers, on random values.

type Decorator = PropertyDecorator

/** The registered constraint of one decorator on a fresh class, and the check built for it. */
function constraintOf(decorator: Decorator): {
  validate: (value: unknown) => unknown
  fast: FastCheck | undefined
} {
  class Target {
    value?: unknown
  }
  decorator(Target.prototype, 'value')
  const storage = getMetadataStorage()
  const [metadata] = storage.getTargetValidationMetadatas(Target, '', false, false)
  if (metadata === undefined) throw new Error('no metadata')
  const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls)
  const constraint = constraints[0]
  if (constraint === undefined || constraints.length !== 1) throw new Error('expected one constraint')
  const validate = (value: unknown): unknown => {
    const args: ValidationArguments = {
      targetName: 'Target',
      property: 'value',
      object: {},
      value,
      constraints: metadata.constraints,
    }
    return constraint.instance.validate(value, args)
  }
  return { validate, fast: builtinCheck(metadata.name, metadata.each, metadata.constraints, constraint.instance) }
}

// prettier-ignore
const DECORATORS: ReadonlyArray<readonly [string, Decorator]> = [
  ['IsString()', IsString()],
  ['IsString({ each: true })', IsString({ each: true })],
  ['IsBoolean()', IsBoolean()],
  ['IsInt()', IsInt()],
  ['IsArray()', IsArray()],
  ['IsNumber()', IsNumber()],
  ['IsNumber({ allowNaN, allowInfinity })', IsNumber({ allowNaN: true, allowInfinity: true })],
  ['IsNumber({ maxDecimalPlaces: 2 })', IsNumber({ maxDecimalPlaces: 2 })],
  ['IsNumber({ maxDecimalPlaces: 0 })', IsNumber({ maxDecimalPlaces: 0 })],
  ['Min(0)', Min(0)],
  ['Min(-2.5)', Min(-2.5)],
  ['Max(10)', Max(10)],
  ['IsNumberString()', IsNumberString()],
  ['IsNumberString({ no_symbols: true })', IsNumberString({ no_symbols: true })],
  ['IsNumberString({ no_symbols: false })', IsNumberString({ no_symbols: false })],
  ['IsNumberString({ locale: "de-DE" })', IsNumberString({ locale: 'de-DE' })],
  ['IsNumberString({ locale: "ar" })', IsNumberString({ locale: 'ar' })],
  ['Length(1, 5)', Length(1, 5)],
  ['Length(0)', Length(0)],
  ['Length(2, 200)', Length(2, 200)],
  ['MaxLength(3)', MaxLength(3)],
  ['MaxLength(0)', MaxLength(0)],
  ['MinLength(2)', MinLength(2)],
  // Constraints that are not numbers, as a JavaScript caller may pass them: each copy compares
  // (or coerces) them exactly as the library's function does.
  ['Min("5")', Min('5' as unknown as number)],
  ['Max(null)', Max(null as unknown as number)],
  ['Min(NaN)', Min(Number.NaN)],
  ['MaxLength(null)', MaxLength(null as unknown as number)],
  ['MaxLength(undefined)', MaxLength(undefined as unknown as number)],
  ['MinLength("2")', MinLength('2' as unknown as number)],
  ['Length("2", "4")', Length('2' as unknown as number, '4' as unknown as number)],
  ['Length(2, null)', Length(2, null as unknown as number)],
  ['Length(NaN, 3)', Length(Number.NaN, 3)],
  ['IsNumber({ maxDecimalPlaces: -1 })', IsNumber({ maxDecimalPlaces: -1 })],
  ['IsNumber({ allowNaN: 1 })', IsNumber({ allowNaN: 1 as unknown as boolean })],
  ['IsNumberString({ no_symbols: 1 })', IsNumberString({ no_symbols: 1 as unknown as boolean })],
  ['IsInt({ each: true })', IsInt({ each: true })],
  ['MaxLength(2, { each: true })', MaxLength(2, { each: true })],
]

// Strings in the shapes the constraints look at: digits, signs, separators, surrogate pairs,
// lone surrogates and variation selectors (which validator.js's isLength counts specially).
const pieces = fc.constantFrom(
  '0', '1', '9', '12', '.', ',', '٫', '+', '-', 'e', ' ', 'a', '\n', '\u00e9',
  '\ud83d\ude00', '\ud83d', '\ude00', '\ufe0f', '\ufe0e', 'x\ufe0f', '\u2764\ufe0f',
)
const text = fc.oneof(
  fc.array(pieces, { maxLength: 8 }).map((parts) => parts.join('')),
  fc.string({ maxLength: 8 }),
  fc.string({ maxLength: 8, unit: 'binary' }),
  fc.double().map(String),
  fc.integer().map(String),
)
const value: fc.Arbitrary<unknown> = fc.oneof(
  text,
  fc.double(),
  fc.integer({ min: -20, max: 20 }),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 0.1, 1.25, 1.005, 2 ** 53, 1e21, 5e-7),
  fc.boolean(),
  fc.constantFrom(null, undefined, {}, [], ['a'], new Date(0)),
  // eslint-disable-next-line no-new-wrappers
  fc.constantFrom(new String('1'), new Boolean(false), new Number(3)),
  fc.array(text, { maxLength: 3 }),
)

/** A call's answer, or what it threw (isNumber with maxDecimalPlaces throws for `5e-7`, as the library does). */
function outcome(call: () => unknown): unknown {
  try {
    return call()
  } catch (error) {
    return { threw: String(error) }
  }
}

describe("class-validator's common constraints answered by dto-builtins.ts", () => {
  for (const [label, decorator] of DECORATORS) {
    it(`${label}: the same answer as the constraint itself, or none`, () => {
      const { validate, fast } = constraintOf(decorator)
      expect(fast, 'recognised as the built-in').toBeDefined()
      const check = fast as FastCheck
      let decided = 0
      fc.assert(
        fc.property(value, (item) => {
          const answer = outcome(() => check(item))
          if (answer === undefined) return
          decided++
          expect(answer).toEqual(outcome(() => validate(item)))
        }),
        { numRuns: 2000 },
      )
      expect(decided).toBeGreaterThan(0)
    })
  }

  it('decides every string without surrogates or variation selectors for the length constraints', () => {
    const { fast } = constraintOf(Length(1, 5))
    expect(fast?.('abcd')).toBe(true)
    expect(fast?.('')).toBe(false)
    expect(fast?.('\ud83d\ude00')).toBeUndefined()
    expect(fast?.('a\ufe0f')).toBeUndefined()
  })

  it('leaves a locale of IsNumberString to validator.js, and decides the default pattern', () => {
    expect(isNumeric('1,5', { locale: 'de-DE' })).toBeUndefined()
    expect(isNumeric('-1.5', undefined)).toBe(true)
    expect(isNumeric('.5', {})).toBe(true)
    expect(isNumeric('1.', undefined)).toBe(false)
    expect(isNumeric('+12', { no_symbols: true })).toBe(false)
  })

  it("keeps an app's own constraint registered under a built-in's name", () => {
    const shout = ValidateBy({
      name: 'isString',
      validator: {
        validate: (item: unknown) => typeof item === 'string' && item === item.toUpperCase(),
        defaultMessage: () => '$property must be upper case',
      },
    })
    expect(constraintOf(shout).fast).toBeUndefined()
    // Length without a minimum: its message depends on the value, so it is not fingerprinted.
    const lengthWithoutMinimum = Length(undefined as unknown as number, 4)
    expect(constraintOf(lengthWithoutMinimum).fast).toBeUndefined()
  })

  it("keeps an app's own constraint that copies a built-in's name and message but validates otherwise", () => {
    // Caught by the probes builtinCheck runs against the constraint once, as its DTO is planned.
    const impostors: Array<[string, string, (item: unknown) => boolean]> = [
      ['isString', '$property must be a string', (item) => typeof item === 'string' && item.length > 0],
      ['isInt', '$property must be an integer number', (item) => typeof item === 'number' && Number.isInteger(item) && item >= 0],
      ['isNumberString', '$property must be a number string', (item) => typeof item === 'string' && /^[0-9]+$/.test(item)],
      ['isBoolean', '$property must be a boolean value', (item) => item === true],
    ]
    for (const [name, message, validate] of impostors) {
      const decorator = ValidateBy({ name, validator: { validate, defaultMessage: () => message } })
      expect(constraintOf(decorator).fast, name).toBeUndefined()
    }
    // The same name, message and behaviour as the library's: the copy is used.
    const twin = ValidateBy({ name: 'isString', validator: { validate: (item) => typeof item === 'string' || item instanceof String, defaultMessage: () => '$property must be a string' } })
    expect(constraintOf(twin).fast).toBeDefined()
  })

  it('leaves decorators it does not copy to the library', () => {
    const unknown = ValidateBy({
      name: 'isHexColor',
      validator: { validate: () => true, defaultMessage: () => '$property must be a hexadecimal color' },
    })
    expect(constraintOf(unknown).fast).toBeUndefined()
  })
})
