import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { globToRegExp } from '../../src/rules/glob.js'
import { covers, findShadowedRules, globCovers } from '../../src/rules/shadow.js'
import type { AlbCondition, AlbRule } from '../../src/rules/types.js'

const rule = (id: number, conditions: AlbCondition[]): AlbRule => ({
  id, priority: id + 1, conditions, captures: [], source: `R.r${id}`, action: { type: 'forward', target: 'default' },
})
const path = (...values: string[]): AlbCondition => ({ type: 'path-pattern', values, regexValues: [] })
const method = (...values: string[]): AlbCondition => ({ type: 'http-request-method', values })

describe('findShadowedRules', () => {
  it('finds a literal route behind an earlier wildcard that spans "/" (spec/alb.md §2.0)', () => {
    const table = { rules: [rule(0, [path('/users/*')]), rule(1, [path('/users/me/posts'), method('GET')])] }
    expect(findShadowedRules(table).map((s) => [s.shadowed.source, s.by.source])).toEqual([['R.r1', 'R.r0']])
  })

  it('does not report a rule that an earlier rule only partly covers', () => {
    const table = { rules: [rule(0, [path('/users/*'), method('POST')]), rule(1, [path('/users/me'), method('GET', 'POST')])] }
    expect(findShadowedRules(table)).toEqual([])
  })

  it('treats "/*" as covering every path', () => {
    expect(covers(rule(0, [path('/*')]), rule(1, [path('/a'), method('GET')]))).toBe(true)
  })

  it('needs the later rule to carry every condition of the earlier one', () => {
    const header: AlbCondition = { type: 'http-header', name: 'X-Beta', values: ['on'], regexValues: [] }
    expect(covers(rule(0, [path('/a'), header]), rule(1, [path('/a')]))).toBe(false)
    expect(covers(rule(0, [path('/a')]), rule(1, [path('/a'), { ...header, name: 'x-beta' }]))).toBe(true)
  })

  it('compares source-ip blocks by containment', () => {
    const ip = (...values: string[]): AlbCondition => ({ type: 'source-ip', values })
    expect(covers(rule(0, [ip('10.0.0.0/8')]), rule(1, [ip('10.1.0.0/16')]))).toBe(true)
    expect(covers(rule(0, [ip('10.1.0.0/16')]), rule(1, [ip('10.0.0.0/8')]))).toBe(false)
    expect(covers(rule(0, [ip('2001:db8::/32')]), rule(1, [ip('2001:db8:1::/48')]))).toBe(true)
  })
})

describe('globCovers', () => {
  it('is sound: whenever it says a covers b, every string b matches also matches a', () => {
    const glob = fc.array(fc.constantFrom('a', 'b', '/', '*', '?'), { maxLength: 5 }).map((s) => s.join(''))
    const text = fc.array(fc.constantFrom('a', 'b', '/'), { maxLength: 6 }).map((s) => s.join(''))
    fc.assert(
      fc.property(glob, glob, fc.array(text, { maxLength: 20 }), (a, b, samples) => {
        if (!globCovers(a, b, false)) return
        const ra = globToRegExp(a)
        const rb = globToRegExp(b)
        for (const s of samples) if (rb.test(s)) expect(ra.test(s)).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })
})
