import type { ALBResult } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { Controller, Get, HttpError, Query, Redirect, albEvent, createApp, reply } from '../../src/index.js'
import { RESPONSE_MAX_BYTES, assertAlbResult, headerOf, jsonBody } from './alb-result.js'

type Mode = 'single' | 'multi'
const MODES: Mode[] = ['single', 'multi']

@Controller()
class Out {
  @Get('/ascii') ascii() { return 'x'.repeat(RESPONSE_MAX_BYTES) }
  @Get('/just-under') justUnder() { return 'x'.repeat(RESPONSE_MAX_BYTES - 1_000) }
  // 200,000 characters, but 6 bytes each once JSON-escaped as \u0001: 1.2 MB on the wire.
  @Get('/escaped') escaped() { return '\u0001'.repeat(200_000) }
  // 400,000 characters, 3 UTF-8 bytes each: 1.2 MB.
  @Get('/euros') euros() { return '€'.repeat(400_000) }
  // 760,000 bytes become 1,013,336 characters of base64 (spec/alb.md §4.7: the overhead counts).
  @Get('/bytes') bytes() { return Buffer.alloc(760_000, 1) }
  @Get('/big-header') bigHeader() { return reply('ok', { headers: { 'x-big': 'a'.repeat(33 * 1024) } }) }
  @Get('/many-headers') manyHeaders() {
    const headers: Record<string, string> = {}
    for (let i = 0; i < 2_000; i++) headers[`x-h-${i}`] = 'v'.repeat(12)
    return reply('ok', { headers })
  }
  @Get('/crlf') crlf() { return reply('x', { headers: { 'x-evil': 'a\r\nset-cookie: pwned=1' } }) }
  @Get('/lf') lf() { return reply('x', { headers: { 'x-evil': ['fine', 'a\nset-cookie: pwned=1'] } }) }
  @Get('/nul') nul() { return reply('x', { headers: { 'x-evil': 'a\u0000b' } }) }
  @Get('/crlf-cookie') crlfCookie() { return reply('x', { cookies: ['a=1\r\nset-cookie: pwned=1'] }) }
  @Get('/crlf-name') crlfName() { return reply('x', { headers: { 'x-a\r\nset-cookie': 'pwned=1' } }) }
  @Get('/echo-header') echoHeader(@Query('v') v: string) { return reply('x', { headers: { 'x-echo': v } }) }
  @Get('/status') status(@Query('s', { type: Number }) s: number) { return reply('x', { status: s }) }
  @Get('/numbers') numbers() { return reply('x', { headers: { 'x-n': 5 as unknown as string, 'x-b': true as unknown as string } }) }
  @Get('/bigint') bigint() { return { n: 1n } }
  @Get('/circular') circular() { const a: Record<string, unknown> = {}; a['a'] = a; return a }
  @Get('/function') fn() { return () => 1 }
  @Get('/fake-http-error') fake() { throw Object.assign(new Error('x'), { code: 'ERR_HTTP', status: 42 }) }
  @Get('/thrown-string') thrownString() { throw 'a string with a password=hunter2' }
  @Get('/bad-error') badError() { throw new HttpError(422, 'bad', { details: { type: 'evil', status: 200, extra: 1 } }) }
  @Get('/old/*') @Redirect({ path: '/new/#{path}', statusCode: 301 }) old() {}
}

const logged: string[] = []
const app = createApp({ controllers: [Out], onError: (error) => void logged.push(String(error)) })

async function get(path: string, mode: Mode, extra: Parameters<typeof albEvent>[0] = {}): Promise<ALBResult> {
  logged.length = 0
  const result = await app.handler(albEvent({ path, multiValue: mode === 'multi', ...extra }))
  assertAlbResult(result, mode)
  return result
}

describe.each(MODES)('responses within ALB\'s limits (%s-value mode)', (mode) => {
  // spec/alb.md §4.7, §4.8: over 1 MB ALB answers 502 LambdaResponseTooLarge.
  it.each(['/ascii', '/escaped', '/euros', '/bytes'])(
    'turns a response over 1 MB of JSON (%s) into a 500 with a logged reason instead of ALB\'s 502',
    async (path) => {
      const result = await get(path, mode)
      expect(result.statusCode).toBe(500)
      expect(logged.join('\n')).toMatch(/exceeds ALB's 1000000-byte limit for Lambda responses/)
      expect(logged.join('\n')).toMatch(/instead of ALB's 502/)
    },
  )

  it('sends a response just under 1 MB unchanged', async () => {
    const result = await get('/just-under', mode)
    expect(result.statusCode).toBe(200)
    expect(result.body).toHaveLength(RESPONSE_MAX_BYTES - 1_000)
    expect(logged).toEqual([])
  })

  // spec/alb.md §1.5, §4.7: "Whole response header > 32 K ⇒ 502".
  it.each(['/big-header', '/many-headers'])('turns response headers over 32 K (%s) into a logged 500', async (path) => {
    const result = await get(path, mode)
    expect(result.statusCode).toBe(500)
    expect(logged.join('\n')).toMatch(/response headers are \d+ bytes, over ALB's 32768-byte limit/)
  })

  it.each(['/crlf', '/lf', '/nul', '/crlf-cookie', '/crlf-name'])(
    'refuses a header set by the method with CR, LF or NUL (%s): a 500 and a logged reason, never a split header',
    async (path) => {
      const result = await get(path, mode)
      expect(result.statusCode).toBe(500)
      expect(JSON.stringify(result)).not.toMatch(/pwned/)
      expect(logged.join('\n')).toMatch(/CR, LF or NUL|not an HTTP token/)
    },
  )

  it('refuses a header value the client smuggled in through the query (%0D%0A)', async () => {
    const result = await get('/echo-header?v=a%0D%0ASet-Cookie:%20pwned%3D1', mode)
    expect(result.statusCode).toBe(500)
    expect(JSON.stringify(result)).not.toMatch(/pwned/)
  })

  it('refuses a redirect whose Location would carry the client\'s CR/LF', async () => {
    const result = await get('/old/x', mode, { host: 'shop.example.com\r\nset-cookie: pwned=1' })
    expect(result.statusCode).toBe(500)
    expect(JSON.stringify(result)).not.toMatch(/pwned/)
  })

  // spec/alb.md §4.7, §6 #13: always an integer 200-599, a final status (issue #11 item 11).
  it.each([42, 99, 101, 103, 600, 1000, 200.5, -1])('sends 500 for a method that answers status %s, and logs why', async (s) => {
    const result = await get(`/status?s=${s}`, mode)
    expect(result.statusCode).toBe(500)
    expect(logged.join('\n')).toMatch(/integer (from )?200(-| to )599/)
  })

  it('keeps a status from 200 to 599 with its reason phrase', async () => {
    for (const [s, description] of [[299, '299 Successful'], [418, '418 Client Error'], [599, '599 Server Error'], [201, '201 Created']] as const) {
      const result = await get(`/status?s=${s}`, mode)
      expect([result.statusCode, result.statusDescription]).toEqual([s, description])
    }
  })

  // jeremydaly/lambda-api#117 (spec/alb.md §4.7): a boolean header value is a 502.
  it('sends number and boolean header values as strings', async () => {
    const result = await get('/numbers', mode)
    expect([headerOf(result, 'x-n'), headerOf(result, 'x-b')]).toEqual(['5', 'true'])
  })

  it.each(['/bigint', '/circular', '/function', '/thrown-string'])(
    'answers a value with no JSON form or a thrown non-Error (%s) with a bare 500 and logs it',
    async (path) => {
      const result = await get(path, mode)
      expect(result.statusCode).toBe(500)
      expect(jsonBody(result)).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500 })
      expect(logged).toHaveLength(1)
    },
  )

  it('never lets an error-like object with an impossible status through', async () => {
    const result = await get('/fake-http-error', mode)
    expect(result.statusCode).toBe(500)
  })

  it('keeps type, title and status of a problem+json from being overridden by details', async () => {
    const result = await get('/bad-error', mode)
    expect(result.statusCode).toBe(422)
    expect(jsonBody(result)).toMatchObject({ type: 'about:blank', status: 422, title: 'Unprocessable Content', extra: 1 })
  })

  it('answers HEAD with headers and an empty body', async () => {
    const result = await get('/just-under', mode, { method: 'HEAD' })
    expect(result.statusCode).toBe(200)
    expect(result.body).toBe('')
  })
})
