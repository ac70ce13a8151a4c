// DTO support (class-transformer, class-validator, reflect-metadata), as an app with DTOs imports it.
import '../../src/dto.js'
import { Type } from 'class-transformer'
import {
  ArrayMinSize,
  IsArray,
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Min,
  Validate,
  ValidateNested,
  ValidatorConstraint,
} from 'class-validator'
import type { ValidatorConstraintInterface } from 'class-validator'
import { describe, expect, it } from 'vitest'
import { createBinder } from '../../src/binding/binder.js'
import { bind, bindOne, issuesOf, param, requestFrom } from './helpers.js'

enum Size {
  S = 's',
  M = 'm',
}

class Line {
  @IsString() sku!: string
  @IsInt() @Min(1) qty!: number
  @IsOptional() @IsEnum(Size) size?: Size
}

class Order {
  @IsString() customer!: string
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => Line) items!: Line[]
  @IsOptional() @IsDate() @Type(() => Date) deliverOn?: Date
  @IsOptional() @IsDate({ each: true }) @Type(() => Date) windows?: Date[]
}

const post = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

describe('transformAndValidate (JSON bodies)', () => {
  it('builds nested DTO instances with ISO dates converted', async () => {
    const order = (await bindOne(
      param('body', undefined, {}, Order),
      post({ customer: 'c', items: [{ sku: 'a', qty: 2, size: 'm' }], deliverOn: '2024-05-01', windows: ['2024-05-01T08:00:00Z'] }),
    )) as Order
    expect(order).toBeInstanceOf(Order)
    expect(order.items[0]).toBeInstanceOf(Line)
    expect(order.items[0]).toEqual(Object.assign(new Line(), { sku: 'a', qty: 2, size: 'm' }))
    expect(order.deliverOn).toEqual(new Date('2024-05-01T00:00:00Z'))
    expect(order.windows).toEqual([new Date('2024-05-01T08:00:00Z')])
  })

  it('locates nested failures as body.items[2].qty and reports each once', async () => {
    const issues = await issuesOf(
      [param('body', undefined, {}, Order)],
      post({
        customer: 'c',
        items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 1 }, { sku: 'c', qty: 0, size: 'xl' }],
        deliverOn: '2024-02-30',
        windows: ['2024-01-01T00:00:00Z', 'tomorrow'],
      }),
    )
    expect(issues).toEqual([
      {
        location: 'body.deliverOn',
        message: 'body.deliverOn must be an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)',
        constraint: 'isIso8601',
        value: '2024-02-30',
      },
      expect.objectContaining({ location: 'body.windows[1]', constraint: 'isIso8601', value: 'tomorrow' }),
      { location: 'body.items[2].qty', message: 'qty must not be less than 1', constraint: 'min', value: '0' },
      { location: 'body.items[2].size', message: expect.stringContaining('size must be one of'), constraint: 'isEnum', value: 'xl' },
    ])
  })

  it('does not convert JSON strings to numbers: a typed JSON field must have its JSON type', async () => {
    const issues = await issuesOf([param('body', undefined, {}, Line)], post({ sku: 'a', qty: '2' }))
    expect(issues.map((issue) => [issue.location, issue.constraint, issue.value])).toEqual([
      ['body.qty', 'min', '2'],
      ['body.qty', 'isInt', '2'],
    ])
  })

  it('reports a missing nested array and a non-object body', async () => {
    const missing = await issuesOf([param('body', undefined, {}, Order)], post({ customer: 'c' }))
    expect(missing.map((issue) => [issue.location, issue.constraint]).sort()).toEqual([
      ['body.items', 'arrayMinSize'],
      ['body.items', 'isArray'],
    ])
    expect(await issuesOf([param('body', undefined, {}, Order)], post([1, 2]))).toEqual([
      { location: 'body', message: 'body must be a JSON object', constraint: 'isObject', value: '[1,2]' },
    ])
    expect(await issuesOf([param('body', undefined, {}, Order)], post(null))).toHaveLength(1)
  })

  it('binds a JSON array to [DTO], validating each element under body[i]', async () => {
    const lines = await bindOne(param('body', undefined, { type: [Line] }, Array), post([{ sku: 'a', qty: 1 }]))
    expect(lines).toEqual([Object.assign(new Line(), { sku: 'a', qty: 1 })])
    const issues = await issuesOf([param('body', undefined, { type: [Line] })], post([{ sku: 'a', qty: 1 }, null, { sku: 1, qty: 1 }]))
    expect(issues).toEqual([
      { location: 'body[1]', message: 'body[1] must be a JSON object', constraint: 'isObject', value: 'null' },
      { location: 'body[2].sku', message: 'sku must be a string', constraint: 'isString', value: '1' },
    ])
    expect(await issuesOf([param('body', undefined, { type: [Line] })], post({ sku: 'a' }))).toEqual([
      { location: 'body', message: 'body must be a JSON array', constraint: 'isArray', value: '{"sku":"a"}' },
    ])
  })

  it('strips unknown properties by default, nested too, and rejects them with forbidNonWhitelisted', async () => {
    const body = post({ sku: 'a', qty: 1, admin: true })
    expect(await bindOne(param('body', undefined, {}, Line), body)).not.toHaveProperty('admin')
    const nested = post({ customer: 'c', items: [{ sku: 'a', qty: 1, price: 0 }] })
    const order = (await bindOne(param('body', undefined, {}, Order), nested)) as Order
    expect(order.items[0]).not.toHaveProperty('price')
    const issues = await issuesOf([param('body', undefined, {}, Order)], nested, { validation: { forbidNonWhitelisted: true } })
    expect(issues).toEqual([
      { location: 'body.items[0].price', message: 'property price should not exist', constraint: 'whitelistValidation', value: '0' },
    ])
  })

  it('keeps whitelisting off when the app turns it off', async () => {
    const line = await bindOne(param('body', undefined, {}, Line), post({ sku: 'a', qty: 1, note: 'n' }), {
      validation: { whitelist: false },
    })
    expect(line).toHaveProperty('note', 'n')
  })

  it('truncates echoed values to 100 characters', async () => {
    const issues = await issuesOf([param('body', undefined, {}, Line)], post({ sku: 7, qty: 'x'.repeat(500) }))
    const value = issues.find((issue) => issue.location === 'body.qty')?.value
    expect(value).toHaveLength(100)
    expect(value?.endsWith('…')).toBe(true)
  })

  it('awaits async validators, and only then fails or calls', async () => {
    @ValidatorConstraint({ name: 'isFreeSku', async: true })
    class IsFreeSku implements ValidatorConstraintInterface {
      async validate(sku: unknown) {
        await new Promise((resolve) => setTimeout(resolve, 1))
        return sku !== 'taken'
      }
      defaultMessage() {
        return 'sku is taken'
      }
    }
    class NewLine {
      @Validate(IsFreeSku) sku!: string
    }
    const params = [param('body', undefined, {}, NewLine, 0), param('query', 'n', {}, Number, 1)]
    const binder = createBinder({ source: 'T.m', params })
    const pending = binder(requestFrom({ ...post({ sku: 'free' }), path: '/?n=1' }), {}, undefined)
    expect(pending).toBeInstanceOf(Promise)
    expect(await pending).toEqual([Object.assign(new NewLine(), { sku: 'free' }), 1])
    const failed = await bind(params, { ...post({ sku: 'taken' }), path: '/?n=x' })
    expect((failed.error?.details as { errors: unknown[] }).errors).toEqual([
      { location: 'query.n', message: 'query.n must be a number', constraint: 'isNumber', value: 'x' },
      { location: 'body.sku', message: 'sku is taken', constraint: 'isFreeSku', value: 'taken' },
    ])
  })
})
