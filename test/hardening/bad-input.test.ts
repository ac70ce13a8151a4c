// DTO support (class-transformer, class-validator, reflect-metadata), as an app with DTOs imports it.
import '../../src/dto.js'
import type { ALBEvent, ALBResult } from 'aws-lambda'
import { Type } from 'class-transformer'
import { IsInt, IsOptional, IsString } from 'class-validator'
import { describe, expect, it } from 'vitest'
import {
  Body,
  Controller,
  Cookie,
  Get,
  Header,
  Param,
  Post,
  Put,
  Query,
  Req,
  albEvent,
  createApp,
  type AlbEventInput,
  type AlbRequest,
} from '../../src/index.js'
import { requestSizeProblem as sizeOfFields } from '../../src/alb/limits.js'
import { readFields } from '../../src/alb/parse-event.js'
import { assertAlbResult, jsonBody } from './alb-result.js'

type Mode = 'single' | 'multi'
const MODES: Mode[] = ['single', 'multi']

class Dto {
  @Type(() => Number) @IsInt() page!: number
  @IsOptional() @IsString() name?: string
}

@Controller('/b')
class In {
  @Get('/q') q(@Query('x') x: string) { return { x } }
  @Get('/n') n(@Query('n', { type: Number }) n: number) { return { n } }
  @Get('/p/{id}') p(@Param('id') id: string) { return { id } }
  @Post('/dto') dto(@Body({ type: Dto }) dto: Dto) {
    return { dtoPrototype: Object.getPrototypeOf(dto) === Dto.prototype, page: dto.page, keys: Object.keys(dto) }
  }
  @Post('/any') any(@Body() body: unknown) {
    return { plainPrototype: Object.getPrototypeOf(body) === Object.prototype, keys: Object.keys(body as object) }
  }
  @Put('/text') text(@Body({ type: String }) text: string) { return { length: text.length } }
  @Get('/auth') auth(@Header('authorization', { type: Number }) a: number) { return { a } }
  @Get('/cookie') cookie(@Cookie('session', { type: Number }) s: number) { return { s } }
  @Get('/query') query(@Query() q: Record<string, unknown>, @Header() h: Record<string, unknown>) {
    return { queryPrototype: Object.getPrototypeOf(q), query: Object.keys(q), headers: Object.keys(h).length }
  }
  @Get('/req') req(@Req() req: AlbRequest) { return { headers: Object.keys(req.headers).length, query: req.queryPairs.length } }
}

const app = createApp({ controllers: [In], onError: () => {} })

async function send(mode: Mode, input: AlbEventInput): Promise<ALBResult> {
  const result = await app.handler(albEvent({ ...input, multiValue: mode === 'multi' }))
  assertAlbResult(result, mode)
  return result
}

interface Problem {
  status: number
  detail: string
  errors?: Array<{ location: string; message: string; constraint: string; value?: string }>
}
const problem = (result: ALBResult) => jsonBody(result) as unknown as Problem

/** An error body names the problem and nothing else: no stack frames, no source paths, no error class names. */
function expectNoInternals(result: ALBResult): void {
  expect(result.body).not.toMatch(/\n\s+at |\/src\/|node_modules|\.ts:\d+|TypeError|SyntaxError|RangeError|URIError/)
}

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype]
const pristine = PROTOTYPES.map((p) => Object.getOwnPropertyNames(p).sort().join())
function expectCleanPrototypes(): void {
  PROTOTYPES.forEach((p, i) => expect(Object.getOwnPropertyNames(p).sort().join()).toBe(pristine[i]))
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
}

const base64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64')

describe.each(MODES)('bad input is a clear 4xx (%s-value mode)', (mode) => {
  it.each(['%zz', '%', '%4', '%C3', '%FF', '%ED%A0%80'])(
    'answers a query value with malformed percent-encoding (%s) with 400 naming query.x',
    async (raw) => {
      const result = await send(mode, { path: `/b/q?x=${raw}` })
      expect(result.statusCode).toBe(400)
      expect(problem(result).errors).toEqual([
        { location: 'query.x', message: 'query.x is not valid URL encoding', constraint: 'isUrlEncoded', value: raw },
      ])
      expectNoInternals(result)
    },
  )

  it('answers a malformed query key with 400 naming it', async () => {
    const result = await send(mode, { path: '/b/q?x=1&%zz=2' })
    expect(result.statusCode).toBe(400)
    expect(problem(result).errors?.[0]).toMatchObject({ location: 'query.%zz', constraint: 'isUrlEncoded' })
  })

  it('answers a path capture with malformed percent-encoding with 400 naming path.id', async () => {
    const result = await send(mode, { path: '/b/p/a%zzb' })
    expect(result.statusCode).toBe(400)
    expect(problem(result).errors?.[0]).toMatchObject({ location: 'path.id', constraint: 'isUrlEncoded' })
  })

  it('answers a form field with malformed percent-encoding with 400 naming body.name', async () => {
    const result = await send(mode, {
      method: 'POST', path: '/b/dto', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'page=1&name=%E2%82',
    })
    expect(result.statusCode).toBe(400)
    expect(problem(result).errors?.[0]).toMatchObject({ location: 'body.name', constraint: 'isUrlEncoded' })
  })

  // class-transformer reads `value.constructor.prototype` of nested plain objects, so a client's
  // `"constructor": 1` made it throw a TypeError, and the route answered 500.
  it.each(['1', '"x"', '[]'])('answers a nested "constructor": %s key with 400, not 500', async (value) => {
    const result = await send(mode, {
      method: 'POST', path: '/b/dto', headers: { 'content-type': 'application/json' },
      body: `{"page":1,"meta":{"constructor":${value}}}`,
    })
    expect(result.statusCode).toBe(400)
    expect(problem(result).errors).toEqual([
      { location: 'body', message: 'body could not be converted to Dto', constraint: 'isConvertible' },
    ])
    expectNoInternals(result)
    expectCleanPrototypes()
  })

  it('still accepts a nested "constructor": null key, which class-transformer converts', async () => {
    const result = await send(mode, {
      method: 'POST', path: '/b/dto', headers: { 'content-type': 'application/json' },
      body: '{"page":1,"meta":{"constructor":null}}',
    })
    expect(result.statusCode).toBe(200)
    expect(jsonBody(result)).toMatchObject({ dtoPrototype: true, page: 1 })
  })

  it('answers invalid JSON with 400 "body is not valid JSON" without echoing the body', async () => {
    const result = await send(mode, {
      method: 'POST', path: '/b/dto', headers: { 'content-type': 'application/json' }, body: '{"password":"hunter2", oops}',
    })
    expect(result.statusCode).toBe(400)
    expect(problem(result).errors?.[0]).toMatchObject({ location: 'body', constraint: 'isJson' })
    expect(problem(result).errors?.[0]?.message).toMatch(/^body is not valid JSON/)
    expect(result.body).not.toMatch(/hunter2|oops/)
    expectNoInternals(result)
  })

  it('answers a body marked isBase64Encoded that is not base64 with 400 naming the alphabet', async () => {
    const event = albEvent({ method: 'POST', path: '/b/any', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from('x'), multiValue: mode === 'multi' })
    for (const body of ['not base64!', 'YWJj\nZGVm', 'YWJjZA', 'YW=J']) {
      const result = await app.handler({ ...event, body, isBase64Encoded: true } as ALBEvent)
      assertAlbResult(result, mode)
      expect(result.statusCode).toBe(400)
      expect(problem(result).errors?.[0]).toMatchObject({ location: 'body', constraint: 'isBase64' })
    }
  })

  // spec/alb.md §4.3, §4.8: ALB itself answers 413 above 1 MB (LambdaRequestTooLarge).
  it.each([
    ['a text body of 1,000,001 bytes', { body: 'x'.repeat(1_000_001) }],
    ['a text body of 333,334 three-byte characters', { body: '€'.repeat(333_334) }],
  ])('answers %s with 413 naming the 1 MB limit', async (_what, input) => {
    const result = await send(mode, { method: 'PUT', path: '/b/text', headers: { 'content-type': 'text/plain' }, ...input })
    expect(result.statusCode).toBe(413)
    expect(problem(result).detail).toMatch(/request body is \d+ bytes; the limit is 1000000 bytes/)
  })

  it('answers a base64 body that decodes to over 1 MB with 413, without decoding it', async () => {
    const result = await send(mode, { method: 'POST', path: '/b/any', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(1_000_001) })
    expect(result.statusCode).toBe(413)
  })

  it('answers JSON nested deeper than 64 levels with 400, and accepts 64', async () => {
    const nest = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)
    const deep = await send(mode, { method: 'POST', path: '/b/any', headers: { 'content-type': 'application/json' }, body: nest(65) })
    expect(deep.statusCode).toBe(400)
    expect(problem(deep).errors?.[0]?.message).toMatch(/nested deeper than 64 levels/)
    const ok = await send(mode, { method: 'POST', path: '/b/any', headers: { 'content-type': 'application/json' }, body: nest(64) })
    expect(ok.statusCode).toBe(200)
  })

  it('refuses 150,000 levels of JSON nesting with 400, before parsing (no stack overflow)', async () => {
    const result = await send(mode, { method: 'POST', path: '/b/any', headers: { 'content-type': 'application/json' }, body: '{"a":'.repeat(150_000) })
    expect(result.statusCode).toBe(400)
    expect(problem(result).errors?.[0]?.message).toMatch(/nested deeper than 64 levels/)
  })

  it('answers a base64 body that is not UTF-8 where text is needed with 400 isUtf8', async () => {
    const event = albEvent({ method: 'POST', path: '/b/dto', multiValue: mode === 'multi' })
    const headers = mode === 'multi' ? { multiValueHeaders: { 'content-type': ['application/json'] } } : { headers: { 'content-type': 'application/json' } }
    const result = await app.handler({ ...event, ...headers, body: base64(new Uint8Array([0x7b, 0xff, 0x7d])), isBase64Encoded: true } as ALBEvent)
    assertAlbResult(result, mode)
    expect(result.statusCode).toBe(400)
    expect(problem(result).errors?.[0]).toMatchObject({ location: 'body', constraint: 'isUtf8' })
  })

  // spec/alb.md §1.5: ALB refuses a request line over 16 K itself.
  it('answers a request line over 16 K (a long path) with 414', async () => {
    const result = await send(mode, { path: `/b/p/${'a'.repeat(16 * 1024)}` })
    expect(result.statusCode).toBe(414)
    expect(problem(result).detail).toMatch(/request line is \d+ bytes; ALB refuses request lines over 16384 bytes/)
  })

  it('answers over-many query keys (a request line over 16 K) with 414, without reading them', async () => {
    const query: Record<string, string> = {}
    for (let i = 0; i < 3_000; i++) query[`k${i}`] = 'v'
    const result = await send(mode, { path: '/b/req', query })
    expect(result.statusCode).toBe(414)
  })

  it('counts a request line in UTF-8 bytes, not characters', async () => {
    const result = await send(mode, { path: `/b/q?x=${'€'.repeat(6_000)}` })
    expect(result.statusCode).toBe(414)
  })

  // spec/alb.md §1.5: one header field over 16 K, or all headers over 64 K, never reach a Lambda.
  it('answers one header over 16 K with 431 naming the header', async () => {
    const result = await send(mode, { path: '/b/req', headers: { 'x-huge': 'v'.repeat(16 * 1024) } })
    expect(result.statusCode).toBe(431)
    expect(problem(result).detail).toMatch(/request header "x-huge" is over 16384 bytes/)
    expect(result.body).not.toMatch(/vvvv/)
  })

  it('answers headers over 64 K in total with 431', async () => {
    const headers: Record<string, string> = {}
    for (let i = 0; i < 5; i++) headers[`x-h${i}`] = 'v'.repeat(15_000)
    const result = await send(mode, { path: '/b/req', headers })
    expect(result.statusCode).toBe(431)
    expect(problem(result).detail).toMatch(/request headers are \d+ bytes; ALB refuses request headers over 65536 bytes/)
  })

  it('answers over-many headers (20,000 empty ones) with 431', async () => {
    const headers: Record<string, string> = {}
    for (let i = 0; i < 20_000; i++) headers[`h${i}`] = ''
    const result = await send(mode, { path: '/b/req', headers })
    expect(result.statusCode).toBe(431)
  })

  it('still reads a request just inside the limits', async () => {
    const headers: Record<string, string> = {}
    for (let i = 0; i < 4; i++) headers[`x-h${i}`] = 'v'.repeat(15_000)
    const query = Array.from({ length: 1_500 }, (_, i) => `k${i}=1`).join('&')
    const result = await send(mode, { path: `/b/req?${query}`, headers })
    expect(result.statusCode).toBe(200)
    expect(jsonBody(result)).toEqual({ headers: 4 + 5, query: 1_500 }) // + host and ALB's four x-forwarded-*/trace headers
  })

  it('never echoes a header value in a validation error', async () => {
    const result = await send(mode, { path: '/b/auth', headers: { authorization: 'Bearer secret-token-123' } })
    expect(result.statusCode).toBe(400)
    expect(problem(result).errors?.[0]).toEqual({ location: 'header.authorization', message: expect.any(String), constraint: expect.any(String) })
    expect(result.body).not.toMatch(/secret-token/)
  })

  it('never echoes a cookie value in a validation error', async () => {
    const result = await send(mode, { path: '/b/cookie', headers: { cookie: 'session=secret-session-456' } })
    expect(result.statusCode).toBe(400)
    expect(problem(result).errors?.[0]?.location).toBe('cookie.session')
    expect(result.body).not.toMatch(/secret-session/)
  })

  it('truncates an echoed query value to 100 characters', async () => {
    const result = await send(mode, { path: `/b/n?n=${'9'.repeat(500)}x` })
    expect(result.statusCode).toBe(400)
    expect(problem(result).errors?.[0]?.value?.length).toBeLessThanOrEqual(100)
  })
})

describe.each(MODES)('nothing the client sends changes a prototype (%s-value mode)', (mode) => {
  const json = { 'content-type': 'application/json' }
  it.each([
    '{"__proto__":{"polluted":true},"page":1}',
    '{"constructor":{"prototype":{"polluted":true}},"page":1}',
    '{"page":1,"name":"x","__proto__":{"page":"not a number"}}',
  ])('keeps a DTO body an instance of its class and Object.prototype clean: %s', async (body) => {
    const result = await send(mode, { method: 'POST', path: '/b/dto', headers: json, body })
    expect(result.statusCode).toBe(200)
    expect(jsonBody(result)).toMatchObject({ dtoPrototype: true, page: 1 })
    expect(jsonBody(result)['keys']).not.toContain('__proto__')
    expectCleanPrototypes()
  })

  it('keeps an untyped JSON body a plain object whose __proto__ key is only data', async () => {
    const result = await send(mode, { method: 'POST', path: '/b/any', headers: json, body: '{"__proto__":{"polluted":true}}' })
    expect(jsonBody(result)).toEqual({ plainPrototype: true, keys: ['__proto__'] })
    expectCleanPrototypes()
  })

  it('keeps form fields named __proto__ and constructor as data', async () => {
    const result = await send(mode, {
      method: 'POST', path: '/b/dto', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '__proto__[polluted]=1&__proto__=x&constructor[prototype][polluted]=1&page=2',
    })
    expect(jsonBody(result)).toMatchObject({ dtoPrototype: true, page: 2 })
    expectCleanPrototypes()
  })

  it('keeps query keys and header names such as __proto__ as plain keys of null-prototype maps', async () => {
    const event = albEvent({
      path: '/b/query?__proto__=1&constructor=2&__proto__%5Bpolluted%5D=3&toString=4',
      headers: { cookie: '__proto__=1; constructor=2' },
      multiValue: mode === 'multi',
    })
    const field = mode === 'multi' ? 'multiValueHeaders' : 'headers'
    const headers = (event as unknown as Record<string, Record<string, unknown>>)[field] as Record<string, unknown>
    Object.defineProperty(headers, '__proto__', { value: mode === 'multi' ? ['x'] : 'x', enumerable: true })
    const result = await app.handler(event)
    assertAlbResult(result, mode)
    expect(result.statusCode).toBe(200)
    const body = jsonBody(result)
    expect(body['queryPrototype']).toBeNull()
    expect(body['query']).toEqual(['__proto__', 'constructor', '__proto__[polluted]', 'toString'])
    expectCleanPrototypes()
  })
})

// spec/alb.md §1.5, counted as ALB would see the request: `GET /path?query HTTP/1.1`, and
// `name: value` CRLF per header line, in UTF-8 bytes.
/** The check on header and query maps, read as parseEvent reads them. */
const requestSizeProblem = (method: string, path: string, headers: Record<string, unknown> | undefined, query: Record<string, unknown> | undefined) =>
  sizeOfFields(method, path, readFields(headers), readFields(query))

describe('requestSizeProblem at the exact limits', () => {
  const line = (bytes: number) => '/' + 'a'.repeat(bytes - 'GET '.length - ' HTTP/1.1'.length - 1)
  it('accepts a request line of exactly 16,384 bytes and refuses 16,385', () => {
    expect(requestSizeProblem('GET', line(16_384), undefined, undefined)).toBeUndefined()
    expect(requestSizeProblem('GET', line(16_385), undefined, undefined)?.status).toBe(414)
  })

  it('counts the query as `?key=value&…` in both header modes', () => {
    const path = line(16_384 - 8) // room for `?k=v&k=w` is 8 bytes
    expect(requestSizeProblem('GET', path, undefined, { k: ['v', 'w'] })).toBeUndefined()
    expect(requestSizeProblem('GET', path, undefined, { k: ['v', 'wx'] })?.status).toBe(414)
    expect(requestSizeProblem('GET', path, undefined, { k: 'vwxyz' })).toBeUndefined()
    expect(requestSizeProblem('GET', path, undefined, { k: 'vwxyz1' })?.status).toBe(414)
    // `?a&b` is what the client sent for {a: '', b: ''}: 4 bytes, not 6.
    expect(requestSizeProblem('GET', line(16_384 - 4), undefined, { a: '', b: '' })).toBeUndefined()
  })

  it('counts UTF-8 bytes: a path of 5,457 euro signs makes a 16,385-byte line', () => {
    expect(requestSizeProblem('GET', `/${'€'.repeat(5_456)}`, undefined, undefined)).toBeUndefined()
    expect(requestSizeProblem('GET', `/${'€'.repeat(5_457)}`, undefined, undefined)?.status).toBe(414)
  })

  it('accepts a header line of exactly 16,384 bytes and refuses 16,385', () => {
    const value = (n: number) => 'v'.repeat(n - 'x-a: '.length - 2)
    expect(requestSizeProblem('GET', '/', { 'x-a': value(16_384) }, undefined)).toBeUndefined()
    expect(requestSizeProblem('GET', '/', { 'x-a': value(16_385) }, undefined)?.status).toBe(431)
    expect(requestSizeProblem('GET', '/', { 'x-a': ['v', value(16_385)] }, undefined)?.status).toBe(431)
  })

  it('accepts headers of exactly 65,536 bytes and refuses 65,537', () => {
    const headers = (total: number) => {
      const map: Record<string, string> = {}
      for (let i = 0; i < 4; i++) map[`x-${i}`] = 'v'.repeat(16_000 - 'x-0: '.length - 2)
      map['x-4'] = 'v'.repeat(total - 4 * 16_000 - 'x-4: '.length - 2)
      return map
    }
    expect(requestSizeProblem('GET', '/', headers(65_536), undefined)).toBeUndefined()
    expect(requestSizeProblem('GET', '/', headers(65_537), undefined)?.status).toBe(431)
  })

  it('skips values that are not strings, as the parser does', () => {
    expect(requestSizeProblem('GET', '/', { a: 42, b: null, c: [{}, 'x'] }, { q: { v: 'x'.repeat(20_000) } })).toBeUndefined()
  })
})

/**
 * Work per request is bounded by the request size limits above. These pin regular expressions
 * that used to backtrack on hostile input, at sizes near ALB's own limits, where a catastrophic
 * pattern takes minutes. Nothing here measures speed (that is `npm run bench`'s job): each test
 * checks the answer, and the test timeout only stops a hang.
 */
describe('bounded work per request', () => {
  @Controller('/w')
  class Work {
    @Get('/*/*/*/*/x') deep() { return 'deep' }
    @Get('/ua') @Header('user-agent', '*a*a*a*a*b') ua() { return 'ua' }
    @Get('/n') n(@Query('n', { type: Number }) n: number) { return { n } }
    @Post('/form') form(@Body({ type: Dto }) dto: Dto) { return { page: dto.page } }
  }
  const work = createApp({ controllers: [Work], onError: () => {} })
  const answer = async (event: ALBEvent) => {
    const result = await work.handler(event)
    assertAlbResult(result, 'single')
    return result.statusCode
  }
  const HANG_GUARD = { timeout: 10_000 }

  // Found while building this suite: rules/glob.ts compiled a value pattern with several `*`
  // into one RegExp, which backtracks polynomially (O(n^k) for k wildcards) on a comparand
  // that almost matches: 400 characters took 120 s for a header pattern with 4 `*`.
  it('answers a path pattern with four wildcards against 16 K of slashes', HANG_GUARD, async () => {
    expect(await answer(albEvent({ path: `/w${'/'.repeat(16_000)}` }))).toBe(404)
    expect(await answer(albEvent({ path: '/w/a/b/c/d/x' }))).toBe(200)
  })

  it('answers a header pattern with several wildcards against 16 K of "a"', HANG_GUARD, async () => {
    expect(await answer(albEvent({ path: '/w/ua', headers: { 'user-agent': 'a'.repeat(16_000) } }))).toBe(404)
    expect(await answer(albEvent({ path: '/w/ua', headers: { 'user-agent': 'xaxaxaxab' } }))).toBe(200)
  })

  // Found while building this suite: binding/coerce.ts's DECIMAL pattern `\d+\.?\d*` split a
  // run of digits in quadratically many ways before failing on a trailing non-digit.
  it('rejects a 16 K non-number in a query value with 400', HANG_GUARD, async () => {
    expect(await answer(albEvent({ path: `/w/n?n=${'1'.repeat(16_000)}x` }))).toBe(400)
  })

  it('rejects a 900 KB non-number form field with 400', HANG_GUARD, async () => {
    const body = `page=${'1'.repeat(900_000)}x`
    const event = albEvent({ method: 'POST', path: '/w/form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })
    expect(await answer(event)).toBe(400)
  })
})
