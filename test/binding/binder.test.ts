// DTO support (class-transformer, class-validator, reflect-metadata), as an app with DTOs imports it.
import '../../src/dto.js'
import { Type } from 'class-transformer'
import { IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator'
import { describe, expect, it } from 'vitest'
import { createBinder } from '../../src/binding/binder.js'
import { AlbatrossError } from '../../src/http-error.js'
import { MODES, bind, bindOne, issuesOf, param, requestFrom } from './helpers.js'

describe.each(MODES)('createBinder in %s mode', (_mode, multiValue) => {
  it('converts a query value with opts.type and no decorator metadata', async () => {
    const page = param('query', 'page', { type: Number }, undefined)
    expect(await bindOne(page, { path: '/?page=2', multiValue })).toBe(2)
  })

  // spec/alb.md §4.2: single-value mode keeps the last value of a repeated key.
  it('gives every value to an array and the last one to a scalar', async () => {
    const request = { path: '/?id=1&id=2&id=3', multiValue }
    const all = await bindOne(param('query', 'id', { type: [Number] }), request)
    expect(all).toEqual(multiValue ? [1, 2, 3] : [3])
    expect(await bindOne(param('query', 'id', { type: Number }), request)).toBe(3)
  })

  it('reads an array from design:paramtypes (Array) as every value, as strings', async () => {
    expect(await bindOne(param('query', 'tag', {}, Array), { path: '/?tag=a&tag=b', multiValue })).toEqual(
      multiValue ? ['a', 'b'] : ['b'],
    )
  })

  // spec/alb.md §4.2: ALB passes query keys and values still encoded, `+` not yet a space.
  it.each([
    ['first%20name=J%C3%A9r%C3%B4me', 'first name', 'Jérôme'],
    ['q=a+b', 'q', 'a b'],
    ['sum=1%2B1', 'sum', '1+1'],
    ['pct=100%25', 'pct', '100%'],
    ['%71=x', 'q', 'x'],
  ])('decodes %s exactly once', async (query, key, value) => {
    expect(await bindOne(param('query', key, {}, String), { path: `/?${query}`, multiValue })).toBe(value)
  })

  it.each([
    ['q=%zz', 'query.q', '%zz'],
    ['q=%C3', 'query.q', '%C3'],
    ['q%zz=1', 'query.q%zz', '1'],
  ])('answers malformed percent-encoding (%s) with a 400, not a crash', async (query, location, value) => {
    const issues = await issuesOf([param('query', 'q', { optional: true })], { path: `/?${query}`, multiValue })
    expect(issues).toEqual([{ location, message: `${location} is not valid URL encoding`, constraint: 'isUrlEncoded', value }])
  })

  it('reports a malformed value of a required key once, not also as missing', async () => {
    const issues = await issuesOf([param('query', 'q', { type: Number })], { path: '/?q=%zz', multiValue })
    expect(issues.map((issue) => issue.constraint)).toEqual(['isUrlEncoded'])
  })

  it('reads headers case-insensitively: declared X-Ids, sent X-IDS', async () => {
    const request = { headers: [['X-IDS', '1'], ['x-ids', '2']] as Array<[string, string]>, multiValue }
    expect(await bindOne(param('header', 'X-Ids', { type: [Number] }), request)).toEqual(multiValue ? [1, 2] : [2])
    expect(await bindOne(param('header', 'X-Ids', { type: Number }), request)).toBe(2)
  })

  it('locates a bad header element as header.x-ids[1] and never echoes header values', async () => {
    const request = { headers: [['x-ids', '1'], ['x-ids', 'secret-token']] as Array<[string, string]>, multiValue }
    const issues = await issuesOf([param('header', 'X-Ids', { type: [Number] })], request)
    const location = multiValue ? 'header.x-ids[1]' : 'header.x-ids[0]'
    expect(issues).toEqual([{ location, message: `${location} must be a number`, constraint: 'isNumber' }])
  })

  // spec/alb.md §4.4/§4.5: two cookie headers; single-value mode keeps the last header. A scalar
  // gets the first value (RFC 6265 §5.4: the longest path's cookie comes first).
  it('reads cookies from every cookie header, the first value for a scalar', async () => {
    const request = { headers: [['cookie', 's=1; theme=dark'], ['cookie', 's=2']] as Array<[string, string]>, multiValue }
    expect(await bindOne(param('cookie', 's', {}, String), request)).toBe(multiValue ? '1' : '2')
    expect(await bindOne(param('cookie', 's', { type: [String] }), request)).toEqual(multiValue ? ['1', '2'] : ['2'])
    const theme = await bind([param('cookie', 'theme', { optional: true }, String)], request)
    expect(theme.args?.[0]).toBe(multiValue ? 'dark' : undefined)
  })

  it('never echoes a cookie value', async () => {
    const issues = await issuesOf([param('cookie', 'n', { type: Number })], { headers: { cookie: 'n=hunter2' }, multiValue })
    expect(issues).toEqual([{ location: 'cookie.n', message: 'cookie.n must be a number', constraint: 'isNumber' }])
  })

  it('percent-decodes path captures once and keeps + as a plus', async () => {
    const request = { path: '/files/x', multiValue }
    const id = param('path', 'id', {}, String)
    expect(await bindOne(id, request, { params: { id: 'caf%C3%A9%20a+b' } })).toBe('café a+b')
    expect(await bindOne(param('path', 'id', {}, Number), request, { params: { id: '42' } })).toBe(42)
  })

  it('answers a malformed path capture with a 400 that echoes it', async () => {
    const issues = await issuesOf([param('path', 'id', {}, String)], { path: '/x', multiValue }, { params: { id: '%E0%A4%A' } })
    expect(issues).toEqual([
      { location: 'path.id', message: 'path.id is not valid URL encoding', constraint: 'isUrlEncoded', value: '%E0%A4%A' },
    ])
  })

  it('converts booleans and ISO 8601 dates', async () => {
    const request = { path: '/?on=TRUE&off=0&at=2024-02-29T12:00:00Z', multiValue }
    const result = await bind(
      [param('query', 'on', {}, Boolean), param('query', 'off', { type: Boolean }), param('query', 'at', {}, Date)],
      request,
    )
    expect(result.args).toEqual([true, false, new Date('2024-02-29T12:00:00Z')])
  })

  it('reports a missing required value as isDefined and gives undefined when optional', async () => {
    expect(await issuesOf([param('query', 'page', { type: Number })], { multiValue })).toEqual([
      { location: 'query.page', message: 'query.page is required', constraint: 'isDefined' },
    ])
    expect(await bindOne(param('query', 'page', { type: Number, optional: true }), { multiValue })).toBeUndefined()
    expect(await issuesOf([param('query', 'ids', { type: [Number] })], { multiValue })).toHaveLength(1)
  })

  it('treats an empty value as present: a string gets "", a number fails', async () => {
    expect(await bindOne(param('query', 'q', {}, String), { path: '/?q=', multiValue })).toBe('')
    const issues = await issuesOf([param('query', 'n', {}, Number)], { path: '/?n=', multiValue })
    expect(issues).toEqual([{ location: 'query.n', message: 'query.n must be a number', constraint: 'isNumber', value: '' }])
  })

  it('hands over the request, the raw event and the Lambda context', async () => {
    const event = { path: '/raw', multiValue }
    const context = { awsRequestId: 'abc' }
    const result = await bind([param('request'), param('event'), param('context')], event, { context })
    const [request, rawEvent, ctx] = result.args as [{ path: string; mode: string }, { path: string }, unknown]
    expect(request.path).toBe('/raw')
    expect(request.mode).toBe(multiValue ? 'multi' : 'single')
    expect(rawEvent.path).toBe('/raw')
    expect(ctx).toBe(context)
  })
})

describe('createBinder errors', () => {
  class Item {
    @IsInt() @Min(1) qty!: number
  }
  class Order {
    @IsString() name!: string
    @ValidateNested({ each: true }) @Type(() => Item) items!: Item[]
  }

  it('reports every failing field of every parameter at once, and the method never runs', async () => {
    const defs = [
      param('path', 'id', {}, Number),
      param('query', 'page', { type: Number }),
      param('header', 'X-Ids', { type: [Number] }),
      param('cookie', 'session'),
      param('body', undefined, {}, Order),
    ]
    const request = {
      method: 'POST',
      path: '/orders/x?page=two',
      headers: [['x-ids', '7'], ['x-ids', 'eight']] as Array<[string, string]>,
      body: { name: 5, items: [{ qty: 1 }, { qty: 2 }, { qty: 0 }] },
      multiValue: true,
    }
    let ran = false
    const binder = createBinder({ source: 'Orders.create', params: defs.map((d, index) => ({ ...d, index })) })
    const run = async () => {
      await binder(requestFrom(request), { id: 'x' }, undefined)
      ran = true
    }
    const error = await run().catch((e: unknown) => e)
    expect(ran).toBe(false)
    expect(error).toMatchObject({ status: 400, message: 'Request validation failed' })
    const issues = (error as { details: { errors: Array<Record<string, string>> } }).details.errors
    expect(issues).toEqual([
      { location: 'path.id', message: 'path.id must be a number', constraint: 'isNumber', value: 'x' },
      { location: 'query.page', message: 'query.page must be a number', constraint: 'isNumber', value: 'two' },
      { location: 'header.x-ids[1]', message: 'header.x-ids[1] must be a number', constraint: 'isNumber' },
      { location: 'cookie.session', message: 'cookie.session is required', constraint: 'isDefined' },
      { location: 'body.name', message: 'name must be a string', constraint: 'isString', value: '5' },
      { location: 'body.items[2].qty', message: 'qty must not be less than 1', constraint: 'min', value: '0' },
    ])
  })

  it('rejects at creation a keyed parameter whose type cannot come from a string, naming the route', () => {
    class Filter {
      @IsOptional() q?: string
    }
    const make = () =>
      createBinder({
        source: 'Users.search',
        params: [param('query', 'filter', {}, Filter, 0), param('body', undefined, {}, Number, 1)],
      })
    expect(make).toThrow(AlbatrossError)
    expect(make).toThrow(/Users\.search: parameter 0 \(@Query\('filter'\)\) has type Filter.*parameter 1 \(@Body\(\)\) has type Number/)
    try {
      make()
    } catch (error) {
      expect((error as AlbatrossError).code).toBe('ERR_PARAM_TYPE')
    }
  })

  it('lets opts.type win over design:paramtypes', async () => {
    expect(await bindOne(param('query', 'n', { type: Number }, String), { path: '/?n=7' })).toBe(7)
    expect(await bindOne(param('query', 'n', { type: [String] }, Number), { path: '/?n=7' })).toEqual(['7'])
  })

  it('falls back to strings for untyped parameters (design type Object or none)', async () => {
    expect(await bindOne(param('query', 'n', {}, Object), { path: '/?n=7' })).toBe('7')
    expect(await bindOne(param('query', 'n'), { path: '/?n=7' })).toBe('7')
  })

  it('leaves undecorated parameter positions undefined', async () => {
    const binder = createBinder({ source: 'T.m', params: [param('query', 'q', {}, String, 2)] })
    expect(await binder(requestFrom({ path: '/?q=x' }), {}, undefined)).toEqual([
      undefined,
      undefined,
      'x',
    ])
  })

  // A plain request is bound from its parts, without the object that holds them (binder.ts): a
  // custom parameter asking for that object gets the same parts, and one it was given as is.
  it('gives a custom parameter the request, params and context it was bound with, or the input given', () => {
    const read = (input: unknown) => input
    const custom = { ...param('custom'), custom: { name: 'Whole', read, args: [] } }
    const binder = createBinder({ source: 'T.m', params: [custom] })
    const request = requestFrom({ path: '/a' })
    expect(binder(request, { id: 'x' }, 7)).toEqual([{ request, params: { id: 'x' }, context: 7 }])
    const given = { request, params: { id: 'y' }, context: 8, state: {} }
    expect((binder(request, given.params, given.context, given) as unknown[])[0]).toBe(given)
  })

  it('returns synchronously when no DTO needs async validation', () => {
    const binder = createBinder({ source: 'T.m', params: [param('query', 'q', {}, String), param('body', undefined, {}, Order, 1)] })
    const args = binder(requestFrom({ method: 'POST', path: '/?q=x', body: { name: 'n', items: [] } }), {}, 1)
    expect(Array.isArray(args)).toBe(true)
  })
})

describe('createBinder against prototype pollution', () => {
  class Dto {
    @IsOptional() @IsString() name?: string
    @IsOptional() @ValidateNested({ each: true }) @Type(() => Dto) children?: Dto[]
  }

  const polluted = () => (({}) as Record<string, unknown>)['polluted']

  it.each(MODES)('keeps __proto__, constructor and prototype query keys as data (%s)', async (_mode, multiValue) => {
    const path = '/?__proto__=x&__proto__%5Bpolluted%5D=1&constructor=y&constructor.prototype.polluted=1&prototype=z&name=n'
    const [raw, dto, one] = (await bind(
      [param('query-object'), param('query-object', undefined, {}, Dto), param('query', '__proto__', {}, String)],
      { path, multiValue },
    )).args as [Record<string, unknown>, Dto, string]
    expect(polluted()).toBeUndefined()
    expect(Object.getPrototypeOf(raw)).toBeNull()
    expect(raw['__proto__']).toBe('x')
    expect(raw['constructor']).toBe('y')
    expect(Object.getPrototypeOf(dto)).toBe(Dto.prototype)
    expect(dto).toEqual(Object.assign(new Dto(), { name: 'n' }))
    expect(one).toBe('x')
  })

  it.each(MODES)('keeps __proto__ and constructor header names as data (%s)', async (_mode, multiValue) => {
    const headers = [['__proto__', 'x'], ['constructor', 'y'], ['prototype', 'z']] as Array<[string, string]>
    const [all, proto] = (await bind([param('header-object'), param('header', '__proto__', {}, String)], {
      headers,
      multiValue,
    })).args as [Record<string, unknown>, string]
    expect(polluted()).toBeUndefined()
    expect(Object.getPrototypeOf(all)).toBeNull()
    expect(all['__proto__']).toBe('x')
    expect(all['constructor']).toBe('y')
    expect(proto).toBe('x')
  })

  it('keeps JSON __proto__ / constructor.prototype keys from reaching any prototype', async () => {
    const body =
      '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"prototype":{"polluted":1},' +
      '"name":"a","children":[{"__proto__":{"polluted":1},"name":"b"}]}'
    const request = { method: 'POST', headers: { 'content-type': 'application/json' }, body }
    const [dto, raw] = (await bind([param('body', undefined, {}, Dto), param('body', undefined, {}, Object)], request))
      .args as [Dto, Record<string, unknown>]
    expect(polluted()).toBeUndefined()
    expect(Object.getPrototypeOf(dto)).toBe(Dto.prototype)
    expect(Object.getPrototypeOf(dto.children?.[0])).toBe(Dto.prototype)
    expect((dto as unknown as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(dto.children?.[0]?.name).toBe('b')
    expect(Object.getPrototypeOf(raw)).toBe(Object.prototype)
    expect(Object.hasOwn(raw, '__proto__')).toBe(true)
  })

  it('rejects polluting keys with forbidNonWhitelisted instead of applying them', async () => {
    const request = { method: 'POST', body: '{"name":"a","prototype":{"polluted":1}}', headers: { 'content-type': 'application/json' } }
    const issues = await issuesOf([param('body', undefined, {}, Dto)], request, { validation: { forbidNonWhitelisted: true } })
    expect(issues.map((issue) => issue.location)).toEqual(['body.prototype'])
    expect(polluted()).toBeUndefined()
  })
})

describe('createBinder with undecorated DTOs', () => {
  class Bare {
    name?: string
  }

  it('rejects at creation a DTO class-validator knows nothing about, unless forbidUnknownValues is off', async () => {
    const make = (validation?: { forbidUnknownValues: boolean }) =>
      createBinder({ source: 'T.m', params: [param('body', undefined, {}, Bare)] }, { validation })
    expect(() => make()).toThrow(/Bare has no class-validator decorators/)
    expect(make({ forbidUnknownValues: false })).toBeTypeOf('function')
    const request = { method: 'POST', body: { name: 'n' } }
    const bare = await bindOne(param('body', undefined, {}, Bare), request, {
      validation: { forbidUnknownValues: false, whitelist: false },
    })
    expect(bare).toEqual(Object.assign(new Bare(), { name: 'n' }))
  })
})
