import { parse } from 'cookie'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cookieValue, parseCookies } from '../../src/binding/cookies.js'

const RUNS = Number(process.env['COOKIE_RUNS'] ?? 300)

describe('parseCookies', () => {
  // spec/alb.md §4.5: in multi-value mode every cookie header arrives.
  it('collects every cookie header in order, splitting on ; and the first =', () => {
    const cookies = parseCookies(['s=1; theme=dark', 's=2;token=a=b=c'])
    expect({ ...cookies }).toEqual({ s: ['1', '2'], theme: ['dark'], token: ['a=b=c'] })
  })

  // RFC 6265 §4.1.1: cookie-value = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE ).
  it('unquotes a quoted value, and percent-decodes a valid one (after unquoting)', () => {
    expect({ ...parseCookies(['a=x%20y; b="quoted"; c="%C3%A9"; d=""; e="; f=x"']) }).toEqual({
      a: ['x y'],
      b: ['quoted'],
      c: ['é'],
      d: [''],
      e: ['"'],
      f: ['x"'],
    })
  })

  it('keeps a value as sent when its percent-encoding is malformed, as `cookie` does', () => {
    expect({ ...parseCookies(['a=100%; b=%ZZ; c=%E0%A4%A; d=%C0%80']) }).toEqual({ a: ['100%'], b: ['%ZZ'], c: ['%E0%A4%A'], d: ['%C0%80'] })
  })

  it('skips pairs without = and empty names, tolerates stray separators, trims spaces and tabs only', () => {
    expect({ ...parseCookies([';; flag; =v; a=1 ;\tb =\t2']) }).toEqual({ a: ['1'], b: ['2'] })
    expect({ ...parseCookies(['a=\u00a0x\u00a0']) }).toEqual({ a: ['\u00a0x\u00a0'] })
  })

  it('has no prototype, so __proto__ is just a cookie name', () => {
    const cookies = parseCookies(['__proto__=x; constructor=y; toString=%7B%7D'])
    expect(Object.getPrototypeOf(cookies)).toBeNull()
    expect(cookies['__proto__']).toEqual(['x'])
    expect(cookies['constructor']).toEqual(['y'])
    expect(cookies['toString']).toEqual(['{}'])
    expect(({} as Record<string, unknown>)['x']).toBeUndefined()
  })

  it('gives an empty map without a cookie header', () => {
    expect(Object.keys(parseCookies(undefined))).toEqual([])
  })

  it('handles a hostile header (64 KB of one cookie, 20,000 pairs of one name) in one pass', () => {
    const long = parseCookies([`a=${'%'.repeat(65_536)}`])
    expect(long['a']?.[0]).toHaveLength(65_536)
    const many = parseCookies([Array.from({ length: 20_000 }, (_, i) => `n=${i}`).join('; ')])
    expect(many['n']).toHaveLength(20_000)
    expect(many['n']?.[0]).toBe('0')
  })

  // The reference: the `cookie` package (1.x) — first value of a name, its trimming, splitting and
  // decoding — plus RFC 6265's quoted form, which it does not strip. Generated headers mix the
  // separators, quotes, blanks and percent signs that the rules are about.
  it('agrees with the `cookie` package on the first value of every name, quotes apart (fast-check)', () => {
    const piece = fc.constantFrom('a', 'b', 'ab', '=', ';', ' ', '\t', '"', '%', '%20', '%C3%A9', '%E0%A4', '%ZZ', 'é', '__proto__', 'x y')
    const header = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(''))
    fc.assert(
      fc.property(fc.array(header, { minLength: 1, maxLength: 3 }), (headers) => {
        const ours = parseCookies(headers)
        const reference = parse(headers.join('; '), { decode: (raw) => cookieValue(raw) })
        const firsts: Record<string, string> = {}
        for (const name of Object.keys(ours)) firsts[name] = (ours[name] as string[])[0] as string
        const expected: Record<string, string> = {}
        for (const name of Object.keys(reference)) if (name !== '') expected[name] = reference[name] as string
        expect(firsts).toEqual(expected)
      }),
      { numRuns: RUNS },
    )
  })
})
