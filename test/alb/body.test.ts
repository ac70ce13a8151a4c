import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bodyText, decodeBody, REQUEST_BODY_MAX_BYTES } from '../../src/alb/body.js'
import { parseEvent } from '../../src/alb/parse-event.js'
import type { AlbRequest } from '../../src/alb/types.js'
import { fixture, fixtureSuite, HAVE_FIXTURES } from './fixtures.js'

const base64 = (body: string) => ({ body, isBase64Encoded: true })
const text = (body: string) => ({ body, isBase64Encoded: false })

describe('decodeBody', () => {
  it('decodes canonical base64 to bytes', () => {
    const result = decodeBody(base64(Buffer.from([0, 1, 254, 255, 10]).toString('base64')))
    expect(result).toEqual({ bytes: Buffer.from([0, 1, 254, 255, 10]) })
  })

  it('encodes a text body as UTF-8 bytes', () => {
    expect(decodeBody(text('é€'))).toEqual({ bytes: Buffer.from('é€', 'utf8') })
  })

  it('gives empty bytes for an empty base64 body', () => {
    expect(decodeBody(base64(''))).toEqual({ bytes: Buffer.alloc(0) })
  })

  // Buffer.from(…, 'base64') accepts all of these silently; RFC 4648 does not.
  it.each([
    ['a character outside the alphabet', 'aGk*'],
    ['whitespace', 'aGVs bG8='],
    ['a MIME line break', 'aGVs\nbG8='],
    ['missing padding', 'aGk'],
    ['too much padding', 'aG==='],
    ['padding in the middle', 'aG==aGk='],
    ['a length that is not a multiple of 4', 'aGVsbG8'],
    ['URL-safe characters', 'a-_b'],
    ['three padding characters', 'a==='],
    ['plain text', 'not really base64'],
  ])('rejects %s', (_what, body) => {
    const result = decodeBody(base64(body))
    expect(result).toMatchObject({ error: 'invalid-base64' })
    expect((result as { message: string }).message).toMatch(/RFC 4648/)
  })

  // spec/alb.md §4.3, §6 #15: ALB answers 413 above 1 MB, read as 1,000,000 bytes.
  it('accepts exactly REQUEST_BODY_MAX_BYTES and rejects one byte more', () => {
    expect(REQUEST_BODY_MAX_BYTES).toBe(1_000_000)
    const limit = Buffer.alloc(REQUEST_BODY_MAX_BYTES, 7)
    const atLimit = decodeBody(base64(limit.toString('base64')))
    expect('bytes' in atLimit && atLimit.bytes.length).toBe(REQUEST_BODY_MAX_BYTES)
    const over = decodeBody(base64(Buffer.alloc(REQUEST_BODY_MAX_BYTES + 1).toString('base64')))
    expect(over).toMatchObject({ error: 'too-large' })
    expect((over as { message: string }).message).toContain('1000001 bytes')
  })

  it('measures a text body in UTF-8 bytes, not characters', () => {
    // 3 characters, 6 bytes.
    expect(decodeBody(text('€€'), { maxBytes: 6 })).toHaveProperty('bytes')
    expect(decodeBody(text('€€€'), { maxBytes: 6 })).toMatchObject({ error: 'too-large' })
  })

  it('counts base64 padding when measuring', () => {
    expect(decodeBody(base64('aGk='), { maxBytes: 2 })).toEqual({ bytes: Buffer.from('hi') })
    expect(decodeBody(base64('aGVs'), { maxBytes: 2 })).toMatchObject({ error: 'too-large' })
  })
})

describe('bodyText', () => {
  it('returns a text body as delivered', () => {
    expect(bodyText(text('{"a":1}'))).toEqual({ text: '{"a":1}' })
  })

  it('decodes a base64 body as UTF-8', () => {
    const encoded = Buffer.from('grüße', 'utf8').toString('base64')
    expect(bodyText(base64(encoded))).toEqual({ text: 'grüße' })
  })

  it('keeps a byte order mark', () => {
    const withBom = Buffer.from('\uFEFF{}', 'utf8').toString('base64')
    expect(bodyText(base64(withBom))).toEqual({ text: '\uFEFF{}' })
  })

  it.each([
    ['a lone continuation byte', [0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
  ])('rejects %s as invalid-utf8', (_what, bytes) => {
    expect(bodyText(base64(Buffer.from(bytes).toString('base64')))).toMatchObject({
      error: 'invalid-utf8',
    })
  })

  it('passes base64 and size errors through', () => {
    expect(bodyText(base64('!!!!'))).toMatchObject({ error: 'invalid-base64' })
    expect(bodyText(text('abc'), { maxBytes: 2 })).toMatchObject({ error: 'too-large' })
  })
})

describe.skipIf(!HAVE_FIXTURES)(fixtureSuite('decodeBody on real ALB events'), () => {
  function request(file: string): AlbRequest {
    const parsed = parseEvent(fixture(file))
    if ('error' in parsed) throw new Error(parsed.error)
    return parsed
  }

  it('decodes the base64 bodies ALB sent', () => {
    expect(bodyText(request('aws-lambda-dotnet__alb-request-put-base64-body-bom.json'))).toEqual({
      text: 'Greetings, programs!',
    })
    const form = request('elastic-apm-nodejs__alb-request-post-base64-form-body.json')
    expect(bodyText(form)).toEqual({ text: 'ham=eggs&myToken=sekrit' })
  })

  it('rejects bodies whose isBase64Encoded flag contradicts them', () => {
    const fake = request('aws-lambda-dotnet__alb-request-multivalue-duplicates-fake-base64.json')
    expect(decodeBody(fake)).toMatchObject({ error: 'invalid-base64' })
    // A plain JSON body flagged as base64 (powertools-java fixture).
    const plain = request('powertools-java__alb-request-post-base64-flag-plain-json-body.json')
    expect(decodeBody(plain)).toMatchObject({ error: 'invalid-base64' })
  })

  it('reads an empty base64 body as no bytes', () => {
    const empty = request('lambda-api__alb-request-single-value-base64-empty-body.json')
    expect(decodeBody(empty)).toEqual({ bytes: Buffer.alloc(0) })
  })
})

describe('bodyText: the limit in UTF-8 bytes', () => {
  // A text body is measured only when it might be over the limit (3 bytes at most per UTF-16
  // unit, a lone surrogate included); the answer must be the one measuring every body gives.
  const unit = fc.constantFrom('a', '\u00e9', '\u20ac', '\u{1F985}', '\uD800', '\uDC00', '\u0000')
  it('refuses exactly the text bodies whose UTF-8 bytes exceed it, around the limit (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 12 }), fc.integer({ min: -3, max: 3 }), fc.boolean(), (units, offset, base64) => {
        const text = units.join('')
        const bytes = Buffer.byteLength(text, 'utf8')
        const maxBytes = Math.max(0, bytes + offset)
        const body = base64 ? Buffer.from(text, 'utf8').toString('base64') : text
        const got = bodyText({ body, isBase64Encoded: base64 }, { maxBytes })
        if (bytes > maxBytes) expect(got).toMatchObject({ error: 'too-large' })
        // A base64 body holds UTF-8 bytes, in which a lone surrogate was written as U+FFFD.
        else expect(got).toEqual({ text: base64 ? Buffer.from(text, 'utf8').toString('utf8') : text })
      }),
      { numRuns: 2_000 },
    )
  })
})
