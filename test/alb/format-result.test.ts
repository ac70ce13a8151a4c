import type { ALBResult } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  formatJsonResult,
  formatResult,
  JSON_CONTENT_TYPE,
  RESPONSE_MAX_BYTES,
  responseSize,
} from '../../src/alb/format-result.js'
import type { AlbResponse, HeaderMode } from '../../src/alb/types.js'
import { fixtureSuite, HAVE_FIXTURES, responseFixtures } from './fixtures.js'

// spec/alb.md §4.7, §6 #17: the six documented keys, and nothing else.
const DOCUMENTED_KEYS = [
  'statusCode',
  'statusDescription',
  'headers',
  'multiValueHeaders',
  'body',
  'isBase64Encoded',
]

function format(response: AlbResponse, mode: HeaderMode) {
  const warnings: string[] = []
  const result = formatResult(response, mode, { onWarning: (m) => warnings.push(m) })
  return { result, warnings }
}

/** Every value in the result, recursively, to prove no null or undefined slipped in. */
function leaves(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(leaves)
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(leaves)
  return [value]
}

describe('formatResult', () => {
  it('emits headers in single-value mode', () => {
    const headers = { 'Content-Type': 'application/json', Vary: ['Accept', 'Origin'] }
    const { result, warnings } = format({ status: 201, headers, body: '{}' }, 'single')
    expect(result).toEqual({
      statusCode: 201,
      statusDescription: '201 Created',
      headers: { 'Content-Type': 'application/json', Vary: 'Accept, Origin' },
      body: '{}',
      isBase64Encoded: false,
    })
    expect(Object.keys(result)).toEqual(DOCUMENTED_KEYS.filter((k) => k !== 'multiValueHeaders'))
    expect(warnings).toEqual([])
  })

  // spec/alb.md §4.7: ALB reads only the field of the target group's mode.
  it('emits only multiValueHeaders in multi-value mode', () => {
    const headers = { 'Content-Type': 'text/plain', Vary: ['Accept', 'Origin'] }
    const { result } = format({ status: 200, headers, body: 'hi' }, 'multi')
    expect(result).toEqual({
      statusCode: 200,
      statusDescription: '200 OK',
      multiValueHeaders: { 'Content-Type': ['text/plain'], Vary: ['Accept', 'Origin'] },
      body: 'hi',
      isBase64Encoded: false,
    })
    expect(result).not.toHaveProperty('headers')
  })

  // spec/alb.md §4.7: an explicit null body, headers or statusDescription is a 502.
  it('never emits null, and sends an empty body when there is none', () => {
    for (const mode of ['single', 'multi'] as const) {
      const { result } = format({ status: 204 }, mode)
      expect(result.body).toBe('')
      expect(result.isBase64Encoded).toBe(false)
      expect(leaves(result).filter((v) => v === null || v === undefined)).toEqual([])
      for (const key of Object.keys(result)) expect(DOCUMENTED_KEYS).toContain(key)
    }
    const loose = { status: 200, headers: { 'x-a': null, 'x-b': undefined }, body: null }
    const { result } = format(loose as unknown as AlbResponse, 'single')
    expect(result).toEqual({
      statusCode: 200,
      statusDescription: '200 OK',
      headers: {},
      body: '',
      isBase64Encoded: false,
    })
  })

  it('keeps a header spelled two ways under its first spelling', () => {
    const headers = { 'X-Tag': 'a', 'x-tag': ['b', 'c'] }
    const { result } = format({ status: 200, headers }, 'multi')
    expect(result.multiValueHeaders).toEqual({ 'X-Tag': ['a', 'b', 'c'] })
  })

  // spec/alb.md §4.7: base64 with MIME line breaks is a 502; plain RFC 4648 is required.
  it('sends binary bodies as one-line base64', () => {
    const bytes = new Uint8Array(3000).map((_, i) => (i * 7) % 256)
    const { result } = format({ status: 200, body: bytes }, 'single')
    expect(result.isBase64Encoded).toBe(true)
    expect(result.body).not.toMatch(/[\r\n]/)
    expect(result.body).toMatch(/^[A-Za-z0-9+/]*={0,2}$/)
    expect(Buffer.from(result.body as string, 'base64')).toEqual(Buffer.from(bytes))
  })

  it('encodes only the viewed part of a Uint8Array', () => {
    const backing = new Uint8Array([1, 2, 3, 4, 5])
    const { result } = format({ status: 200, body: backing.subarray(1, 3) }, 'multi')
    expect(result.body).toBe(Buffer.from([2, 3]).toString('base64'))
  })

  it.each([
    [200, '200 OK'],
    [404, '404 Not Found'],
    [503, '503 Service Unavailable'],
  ])('describes status %i as %j', (status, description) => {
    expect(format({ status }, 'single').result.statusDescription).toBe(description)
  })

  // spec/alb.md §6 #13: always an integer from 200 to 599 (issue #11 item 11: 1xx is not final).
  it.each([[99], [600], [200.5], [Number.NaN], ['200' as unknown as number]])(
    'sends 500 with a warning for status %s',
    (status) => {
      const { result, warnings } = format({ status }, 'single')
      expect(result.statusCode).toBe(500)
      expect(result.statusDescription).toBe('500 Internal Server Error')
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toMatch(/not an integer from 200 to 599/)
    },
  )

  it('drops header values containing CR, LF or NUL with a warning', () => {
    const { result, warnings } = format(
      {
        status: 200,
        headers: {
          'x-split': 'a\r\nset-cookie: evil=1',
          'x-nul': 'a\0b',
          'x-ok': ['fine', 'bad\nline'],
        },
      },
      'multi',
    )
    expect(result.multiValueHeaders).toEqual({ 'x-ok': ['fine'] })
    expect(warnings).toHaveLength(3)
    for (const warning of warnings) expect(warning).toMatch(/CR, LF or NUL; value dropped/)
  })

  it('drops header names that are not RFC 7230 tokens with a warning', () => {
    const { result, warnings } = format(
      { status: 200, headers: { 'bad name': 'x', 'bad:name': 'x', '': 'x', 'x-good': 'y' } },
      'single',
    )
    expect(result.headers).toEqual({ 'x-good': 'y' })
    expect(warnings).toHaveLength(3)
    expect(warnings[0]).toMatch(/"bad name" is not an RFC 7230 token/)
  })

  // jeremydaly/lambda-api#117: a boolean header value makes ALB answer 502.
  it('sends number and boolean header values as strings', () => {
    const headers = { 'access-control-allow-credentials': true, 'x-n': [1, 2] }
    const loose = { status: 200, headers }
    const { result, warnings } = format(loose as unknown as AlbResponse, 'single')
    expect(result.headers).toEqual({ 'access-control-allow-credentials': 'true', 'x-n': '1, 2' })
    expect(warnings).toEqual([])
    for (const value of leaves(result.headers)) expect(typeof value).toBe('string')
  })

  it('drops object header values and non-text bodies with a warning', () => {
    const loose = { status: 200, headers: { 'x-o': { a: 1 } }, body: 42 }
    const { result, warnings } = format(loose as unknown as AlbResponse, 'multi')
    expect(result.multiValueHeaders).toEqual({})
    expect(result.body).toBe('')
    expect(warnings).toHaveLength(2)
  })

  it('keeps a __proto__ header as an ordinary header', () => {
    const headers = JSON.parse('{"__proto__":"x"}') as Record<string, string>
    const { result } = format({ status: 200, headers }, 'single')
    expect(Object.keys(result.headers ?? {})).toEqual(['__proto__'])
    expect(JSON.parse(JSON.stringify(result)).headers).toEqual(JSON.parse('{"__proto__":"x"}'))
  })
})

describe('formatResult cookies', () => {
  const cookies = ['a=1; Path=/', 'b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT', 'c=3']

  it('sends every cookie as its own set-cookie value in multi-value mode', () => {
    const { result, warnings } = format({ status: 200, cookies }, 'multi')
    expect(result.multiValueHeaders).toEqual({ 'set-cookie': cookies })
    expect(warnings).toEqual([])
  })

  // spec/alb.md §4.2, §4.7: single-value mode has one value per header; cookies cannot be joined.
  it('keeps only the last cookie in single-value mode and says how to send them all', () => {
    const { result, warnings } = format({ status: 200, cookies }, 'single')
    expect(result.headers).toEqual({ 'set-cookie': 'c=3' })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/kept the last of 3 cookies and dropped 2/)
    expect(warnings[0]).toContain('lambda.multi_value_headers.enabled')
  })

  it('sends a single cookie in single-value mode without a warning', () => {
    const { result, warnings } = format({ status: 200, cookies: ['only=1'] }, 'single')
    expect(result.headers).toEqual({ 'set-cookie': 'only=1' })
    expect(warnings).toEqual([])
  })

  it('merges Set-Cookie headers with cookies, headers first, under the header spelling', () => {
    const response = { status: 200, headers: { 'Set-Cookie': ['h=1'] }, cookies: ['c=2'] }
    const multi = format(response, 'multi')
    expect(multi.result.multiValueHeaders).toEqual({ 'Set-Cookie': ['h=1', 'c=2'] })
    const single = format(response, 'single')
    expect(single.result.headers).toEqual({ 'Set-Cookie': 'c=2' })
    expect(single.warnings[0]).toMatch(/dropped 1/)
  })

  it('drops a cookie containing a line break', () => {
    const { result, warnings } = format({ status: 200, cookies: ['a=1', 'b=2\r\nx: y'] }, 'multi')
    expect(result.multiValueHeaders).toEqual({ 'set-cookie': ['a=1'] })
    expect(warnings).toHaveLength(1)
  })
})

describe('responseSize', () => {
  it('is the UTF-8 byte length of the JSON ALB receives', () => {
    const result: ALBResult = { statusCode: 200, body: 'é' }
    expect(responseSize(result)).toBe(Buffer.byteLength('{"statusCode":200,"body":"é"}'))
    expect(responseSize(result)).toBe(JSON.stringify(result).length + 1)
  })

  // spec/alb.md §4.7: the 1 MB limit counts the base64 overhead and the headers.
  it('counts the base64 expansion of a binary body', () => {
    const { result } = format({ status: 200, body: new Uint8Array(750_000) }, 'single')
    expect(responseSize(result)).toBeGreaterThan(RESPONSE_MAX_BYTES)
    expect(RESPONSE_MAX_BYTES).toBe(1_000_000)
  })
})

describe.skipIf(!HAVE_FIXTURES)(fixtureSuite('formatResult against real ALB responses'), () => {
  it('reproduces the multi-value Set-cookie response of aws-lambda-go', () => {
    const fixture = responseFixtures().find((f) => f.file.startsWith('aws-lambda-go__'))?.json
    expect(fixture).toBeDefined()
    const multi = (fixture as { multiValueHeaders: Record<string, string[]> }).multiValueHeaders
    const { result } = format(
      {
        status: 200,
        headers: {
          'Set-cookie': multi['Set-cookie'] as string[],
          'Content-Type': 'application/json',
        },
        body: 'Hello from Lambda',
      },
      'multi',
    )
    expect({ ...result.multiValueHeaders }).toEqual(multi)
    for (const key of ['statusCode', 'statusDescription', 'body', 'isBase64Encoded'] as const) {
      expect(result[key]).toEqual((fixture as Record<string, unknown>)[key])
    }
  })

  it('emits only documented keys, as the real responses do', () => {
    for (const { json } of responseFixtures()) {
      for (const key of Object.keys(json)) expect(DOCUMENTED_KEYS).toContain(key)
    }
    const response = { status: 200, headers: { a: 'b' }, cookies: ['x=1'], body: 'z' }
    const { result } = format(response, 'multi')
    for (const key of Object.keys(result)) expect(DOCUMENTED_KEYS).toContain(key)
  })
})

describe('formatJsonResult (the plain-JSON fast path)', () => {
  const statuses = fc.integer({ min: 200, max: 599 })
  const methods = fc.constantFrom('GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS')
  const modes = fc.constantFrom<HeaderMode>('single', 'multi')

  it('builds exactly what formatResult builds for a JSON body with only its content-type', () => {
    fc.assert(
      fc.property(statuses, methods, modes, fc.json(), (status, method, mode, json) => {
        const fast = formatJsonResult(status, json, method, mode)
        // HEAD, 204 and 304 answers carry no body (RFC 9110 §9.3.2, §15.3.5, §15.4.5).
        const bodiless = method === 'HEAD' || status === 204 || status === 304
        const response: AlbResponse = {
          status,
          headers: { 'content-type': JSON_CONTENT_TYPE },
          ...(bodiless ? {} : { body: json }),
        }
        expect(fast).toEqual(formatResult(response, mode))
      }),
      { numRuns: 500 },
    )
  })

  it('leaves bodies that might exceed ALB 1 MB limit once escaped to the measured path', () => {
    // spec/alb.md §4.7: a response over 1 MB is a 502; `\u0001` is 6 bytes of JSON per unit.
    const json = JSON.stringify('\u0001'.repeat(Math.ceil(RESPONSE_MAX_BYTES / 6)))
    expect(formatJsonResult(200, json, 'GET', 'single')).toBeUndefined()
    expect(formatJsonResult(200, '{"a":1}', 'GET', 'single')?.body).toBe('{"a":1}')
  })
})
