import { describe, expect, it } from 'vitest'
import { parseCookies } from '../../src/binding/cookies.js'

describe('parseCookies', () => {
  // spec/alb.md §4.5: in multi-value mode every cookie header arrives.
  it('collects every cookie header in order, splitting on ; and the first =', () => {
    const cookies = parseCookies(['s=1; theme=dark', 's=2;token=a=b=c'])
    expect({ ...cookies }).toEqual({ s: ['1', '2'], theme: ['dark'], token: ['a=b=c'] })
  })

  it('keeps values as sent: no URL decoding, quotes kept', () => {
    expect({ ...parseCookies(['a=x%20y; b="quoted"']) }).toEqual({ a: ['x%20y'], b: ['"quoted"'] })
  })

  it('skips pairs without = and empty names, and tolerates stray separators', () => {
    expect({ ...parseCookies([';; flag; =v; a=1 ;']) }).toEqual({ a: ['1'] })
  })

  it('has no prototype, so __proto__ is just a cookie name', () => {
    const cookies = parseCookies(['__proto__=x; constructor=y'])
    expect(Object.getPrototypeOf(cookies)).toBeNull()
    expect(cookies['__proto__']).toEqual(['x'])
    expect(cookies['constructor']).toEqual(['y'])
  })

  it('gives an empty map without a cookie header', () => {
    expect(Object.keys(parseCookies(undefined))).toEqual([])
  })
})
