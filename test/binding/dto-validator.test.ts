import 'reflect-metadata'
import { Type } from 'class-transformer'
import {
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Min,
  ValidateIf,
  ValidateNested,
  ValidatePromise,
  validateSync,
} from 'class-validator'
import type { ValidationError, ValidatorOptions } from 'class-validator'
import { describe, expect, it } from 'vitest'
import { compileValidator } from '../../src/binding/dto-validator.js'
import type { ValidateInstance } from '../../src/binding/dto-validator.js'
import { UNSUPPORTED } from '../../src/binding/plain-to-instance.js'

// Behaviours of class-validator 0.15.1's ValidationExecutor that the compiled validator
// reproduces, each checked against validateSync itself. test/binding/compiled-dto.test.ts holds
// the two equal on random input.

const DEFAULTS: ValidatorOptions = { whitelist: true, forbidUnknownValues: true }

function compiled(type: new () => object, options: ValidatorOptions = DEFAULTS): ValidateInstance {
  const result = compileValidator(type, options)
  if (typeof result === 'string') throw new Error(result)
  return result.validate
}

/** Runs both on separate, equal instances; returns the compiled errors after comparing. */
function bothOn<T extends object>(
  type: new () => T,
  fields: Partial<Record<keyof T | string, unknown>>,
  options: ValidatorOptions = DEFAULTS,
): { errors: readonly ValidationError[]; instance: T } {
  const expected = Object.assign(new type(), fields)
  const instance = Object.assign(new type(), fields)
  const errors = compiled(type, options)(instance)
  expect(errors).toEqual(validateSync(expected, options))
  expect(instance).toEqual(expected)
  return { errors: errors as readonly ValidationError[], instance }
}

const summary = (errors: readonly ValidationError[]) =>
  errors.map((error) => [error.property, error.constraints])

class Task {
  @IsString() @Length(2, 5) name!: string
  @IsOptional() @IsInt() @Min(1) page?: number
  @IsInt({ each: true }) ids!: unknown
}

describe('compileValidator', () => {
  it('returns no errors for a valid instance, and validateSync’s errors with class-validator’s messages otherwise', () => {
    expect(bothOn(Task, { name: 'abc', ids: [1, 2] }).errors).toEqual([])
    const { errors } = bothOn(Task, { name: 'a', page: 0, ids: 'x' })
    expect(summary(errors)).toEqual([
      ['name', { isLength: 'name must be longer than or equal to 2 characters' }],
      ['page', { min: 'page must not be less than 1' }],
      // An each: true constraint on a non-array checks the value itself, with the each message.
      ['ids', { isInt: 'each value in ids must be an integer number' }],
    ])
    expect(errors[0]).toMatchObject({ value: 'a', children: [] })
  })

  it('validates each element for each: true, reporting the array once', () => {
    const { errors } = bothOn(Task, { name: 'abc', ids: [1, 'x', 2.5] })
    expect(summary(errors)).toEqual([['ids', { isInt: 'each value in ids must be an integer number' }]])
    expect(errors[0]?.value).toEqual([1, 'x', 2.5])
  })

  // class-validator validates each value of a Set or Map for `each` (convertToArray): the copies
  // of its built-ins (dto-builtins.ts) answer arrays only, and leave the others to the constraint.
  it('validates each value of a Set or a Map for each: true, as of an array', () => {
    for (const ids of [new Set([1, 2]), new Set([1, 'x']), new Map([['a', 1]]), new Map<string, unknown>([['a', 1], ['b', 2.5]]), new Set(), [1, , 3]]) {
      const { errors } = bothOn(Task, { name: 'abc', ids })
      const valid = [...(ids instanceof Map ? ids.values() : ids)].every((id) => id === undefined || Number.isInteger(id))
      expect(summary(errors), String(ids)).toEqual(valid ? [] : [['ids', { isInt: 'each value in ids must be an integer number' }]])
    }
  })

  it('strips unknown properties, or reports them first, without children, with forbidNonWhitelisted', () => {
    expect(bothOn(Task, { name: 'abc', ids: [], admin: true }).instance).not.toHaveProperty('admin')
    const { errors } = bothOn(Task, { name: 'a', ids: [], admin: true }, { ...DEFAULTS, forbidNonWhitelisted: true })
    expect(summary(errors)).toEqual([
      ['admin', { whitelistValidation: 'property admin should not exist' }],
      ['name', { isLength: 'name must be longer than or equal to 2 characters' }],
    ])
    expect(errors[0]?.children).toBeUndefined()
  })

  it('skips a property whose condition fails (@IsOptional, @ValidateIf), while @IsDefined still applies when it holds', () => {
    class Payment {
      @IsString() kind!: string
      @ValidateIf((payment: Payment) => payment.kind === 'card') @IsDefined() @IsString() pin?: string
    }
    expect(bothOn(Payment, { kind: 'cash' }).errors).toEqual([])
    expect(summary(bothOn(Payment, { kind: 'card' }).errors)).toEqual([
      ['pin', { isDefined: 'pin should not be null or undefined', isString: 'pin must be a string' }],
    ])
    expect(bothOn(Task, { name: 'abc', ids: [], page: null }).errors).toEqual([])
  })

  it('stops at the first failed constraint of a property with stopAtFirstError', () => {
    // Decorators register bottom-up, so @Length runs before @IsString.
    const all = bothOn(Task, { name: 7, ids: [] }).errors
    expect(Object.keys(all[0]?.constraints ?? {})).toEqual(['isLength', 'isString'])
    const { errors } = bothOn(Task, { name: 7, ids: [] }, { ...DEFAULTS, stopAtFirstError: true })
    expect(summary(errors)).toEqual([
      ['name', { isLength: 'name must be longer than or equal to 2 and shorter than or equal to 5 characters' }],
    ])
  })

  it('skips missing properties with skipMissingProperties, and leaves out target and value on request', () => {
    expect(bothOn(Task, {}, { ...DEFAULTS, skipMissingProperties: true }).errors).toEqual([])
    const options = { ...DEFAULTS, validationError: { target: false, value: false } }
    const [error] = bothOn(Task, { name: 'abc' }, options).errors
    expect(error).not.toHaveProperty('target')
    expect(error).not.toHaveProperty('value')
  })

  it('answers UNSUPPORTED for an instance of another class, whose metadata it did not read', () => {
    class Other {}
    expect(compiled(Task)(new Other())).toBe(UNSUPPORTED)
    class Sub extends Task {}
    expect(compiled(Task)(new Sub())).toBe(UNSUPPORTED)
  })

  it('leaves nested and promise validation, contexts and unknown options to class-validator', () => {
    class Line {
      @IsString() sku!: string
    }
    class Order {
      @ValidateNested() @Type(() => Line) line!: Line
    }
    class Later {
      @ValidatePromise() @IsString() name!: Promise<string>
    }
    class Tagged {
      @IsString({ context: { code: 7 } }) name!: string
    }
    class Bare {}
    expect(compileValidator(Order, DEFAULTS)).toBe('Order.line: nestedValidation is not mirrored')
    expect(compileValidator(Later, DEFAULTS)).toBe('Later.name: promiseValidation is not mirrored')
    expect(compileValidator(Tagged, DEFAULTS)).toBe('Tagged.name: validation contexts are not mirrored')
    expect(compileValidator(Bare, DEFAULTS)).toBe('Bare has no validation metadata')
    expect(compileValidator(Task, { ...DEFAULTS, unheardOf: 1 } as ValidatorOptions)).toBe(
      'validation option unheardOf is not mirrored',
    )
  })

  it('offers its whitelist to the transform only when it strips rather than forbids', () => {
    const strip = compileValidator(Task, DEFAULTS)
    const forbid = compileValidator(Task, { ...DEFAULTS, forbidNonWhitelisted: true })
    const off = compileValidator(Task, { forbidUnknownValues: true })
    if (typeof strip === 'string' || typeof forbid === 'string' || typeof off === 'string') throw new Error()
    expect([strip.strips?.('admin'), strip.strips?.('name')]).toEqual([true, false])
    expect(forbid.strips).toBeUndefined()
    expect(off.strips).toBeUndefined()
  })
})
