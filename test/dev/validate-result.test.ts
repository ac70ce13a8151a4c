import { describe, expect, it } from 'vitest'
import { checkAlbResult } from '../../src/dev/validate-result.js'

function reason(result: unknown, mode: 'single' | 'multi' = 'single'): string {
  const checked = checkAlbResult(result, mode)
  if (checked.ok) throw new Error(`expected a refusal, got ${checked.status}`)
  expect(checked.status).toBe(502)
  return `${checked.errorReason}: ${checked.reason}`
}

describe('checkAlbResult', () => {
  // spec/alb.md §4.7: statusCode is the only required field.
  it('accepts a result with only a statusCode', () => {
    const checked = checkAlbResult({ statusCode: 200 }, 'single')
    expect(checked).toMatchObject({ ok: true, status: 200, headers: [], notes: [] })
    expect(checked.ok && checked.body.length).toBe(0)
  })

  it('refuses a missing or non-integer statusCode with 502 LambdaInvalidResponse', () => {
    expect(reason({ body: 'x' })).toBe('LambdaInvalidResponse: statusCode is missing')
    expect(reason({ statusCode: '200' })).toMatch(/^LambdaInvalidResponse: statusCode is the string "200", not an integer/)
    expect(reason({ statusCode: 200.5 })).toMatch(/not an integer/)
    expect(reason({ statusCode: null })).toMatch(/statusCode is null/)
    expect(reason({ statusCode: 700 })).toMatch(/not a final HTTP status/)
  })

  // spec/alb.md §4.7: aws-lambda-go#408/#438, aws-lambda-go-api-proxy#79, aws-lambda-dotnet#507.
  it('refuses null body, headers and statusDescription', () => {
    expect(reason({ statusCode: 200, body: null })).toMatch(/^LambdaInvalidResponse: body is null/)
    expect(reason({ statusCode: 200, headers: null })).toMatch(/^LambdaInvalidResponse: headers is null/)
    expect(reason({ statusCode: 200, multiValueHeaders: null }, 'multi')).toMatch(/multiValueHeaders is null/)
    expect(reason({ statusCode: 200, statusDescription: null })).toMatch(/statusDescription is null/)
  })

  // spec/alb.md §4.7, jeremydaly/lambda-api#117.
  it('refuses non-string header values', () => {
    expect(reason({ statusCode: 200, headers: { 'access-control-allow-credentials': true } })).toMatch(
      /header access-control-allow-credentials has the boolean true as a value/,
    )
    expect(reason({ statusCode: 200, headers: { 'x-n': 1 } })).toMatch(/the number 1/)
    expect(reason({ statusCode: 200, headers: { 'set-cookie': ['a=1'] } })).toMatch(/an array/)
    expect(reason({ statusCode: 200, multiValueHeaders: { 'x-a': 'one' } }, 'multi')).toMatch(/not an array of strings/)
    expect(reason({ statusCode: 200, multiValueHeaders: { 'x-a': ['one', 2] } }, 'multi')).toMatch(/the number 2/)
  })

  // spec/alb.md §4.7: serverless-java-container#339, quarkus#18356.
  it('refuses base64 bodies with line breaks', () => {
    const mime = 'QUJD\r\nREVG'
    expect(reason({ statusCode: 200, body: mime, isBase64Encoded: true })).toMatch(/base64 with line breaks/)
    expect(reason({ statusCode: 200, body: 'not base64!', isBase64Encoded: true })).toMatch(/not padded RFC 4648/)
  })

  it('decodes a base64 body to its bytes', () => {
    const bytes = Buffer.from([0, 255, 1, 128, 10, 13])
    const checked = checkAlbResult({ statusCode: 200, body: bytes.toString('base64'), isBase64Encoded: true }, 'single')
    expect(checked.ok && checked.body).toEqual(bytes)
  })

  // spec/alb.md §4.7: the limit is on the whole JSON, base64 overhead included.
  it('refuses a result whose JSON exceeds 1,000,000 bytes with LambdaResponseTooLarge', () => {
    const envelope = JSON.stringify({ statusCode: 200, body: '' }).length
    const fits = { statusCode: 200, body: 'x'.repeat(1_000_000 - envelope) }
    expect(checkAlbResult(fits, 'single').ok).toBe(true)
    const over = { statusCode: 200, body: 'x'.repeat(1_000_000 - envelope + 1) }
    expect(reason(over)).toMatch(/^LambdaResponseTooLarge: the result JSON is 1000001 bytes/)
  })

  // spec/alb.md §4.7: the other mode's field is ignored, not an error.
  it('ignores the header field of the other mode and says so', () => {
    const single = checkAlbResult({ statusCode: 200, multiValueHeaders: { 'x-a': ['1'] }, headers: { 'x-b': '2' } }, 'single')
    expect(single).toMatchObject({ ok: true, headers: [['x-b', '2']] })
    expect(single.ok && single.notes.join()).toMatch(/multiValueHeaders ignored/)
    const multi = checkAlbResult({ statusCode: 200, headers: { 'x-a': '1' } }, 'multi')
    expect(multi).toMatchObject({ ok: true, headers: [] })
    expect(multi.ok && multi.notes.join()).toMatch(/headers ignored: the target group uses multi-value headers/)
  })

  it('sends every value of a multi-value header, in order', () => {
    const checked = checkAlbResult(
      { statusCode: 200, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2', 'c=3'], 'x-one': ['1'] } },
      'multi',
    )
    expect(checked.ok && checked.headers).toEqual([
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
      ['Set-Cookie', 'c=3'],
      ['x-one', '1'],
    ])
  })

  // spec/alb.md §4.7: hop-by-hop headers are ignored and Content-Length is ALB's.
  it('drops hop-by-hop headers and Content-Length', () => {
    const checked = checkAlbResult(
      { statusCode: 200, headers: { Connection: 'close', 'Transfer-Encoding': 'chunked', 'Content-Length': '99', 'x-kept': 'y' } },
      'single',
    )
    expect(checked.ok && checked.headers).toEqual([['x-kept', 'y']])
  })

  // spec/alb.md §1.5: whole response header 32 K.
  it('refuses response headers over 32 K', () => {
    expect(reason({ statusCode: 200, headers: { 'x-big': 'v'.repeat(33 * 1024) } })).toMatch(/headers are \d+ bytes; ALB allows 32768/)
  })

  it('refuses header values that would split the response', () => {
    expect(reason({ statusCode: 200, headers: { 'x-a': 'a\r\nx-b: b' } })).toMatch(/CR, LF/)
    expect(reason({ statusCode: 200, headers: { 'bad name': 'v' } })).toMatch(/not an HTTP token/)
  })

  it('serialises the result the way the Lambda runtime does', () => {
    expect(reason(undefined)).toBe('LambdaInvalidResponse: the result is null, not an object with a statusCode')
    expect(reason('200')).toMatch(/the result is the string "200"/)
    // undefined fields vanish in JSON, so they are simply absent, not null.
    expect(checkAlbResult({ statusCode: 204, body: undefined, headers: { 'x-a': undefined } }, 'single')).toMatchObject({ ok: true })
    const cyclic: Record<string, unknown> = { statusCode: 200 }
    cyclic['self'] = cyclic
    expect(reason(cyclic)).toMatch(/^LambdaUnhandled: the result cannot be serialised as JSON/)
  })

  it('takes the reason phrase from a well-formed statusDescription', () => {
    expect(checkAlbResult({ statusCode: 418, statusDescription: '418 Teapot' }, 'single')).toMatchObject({
      ok: true,
      statusMessage: 'Teapot',
    })
    const mismatched = checkAlbResult({ statusCode: 200, statusDescription: '404 Not Found' }, 'single')
    expect(mismatched).toMatchObject({ ok: true, statusMessage: undefined })
    expect(mismatched.ok && mismatched.notes.join()).toMatch(/is not "200 <reason>"/)
  })

  // spec/alb.md §6 #17: unverified, so reported, not refused.
  it('notes unknown top-level keys without refusing them', () => {
    const checked = checkAlbResult({ statusCode: 200, cookies: ['a=1'] }, 'single')
    expect(checked.ok && checked.notes).toEqual([`unknown result key "cookies" (ALB's reaction is unverified)`])
  })
})
