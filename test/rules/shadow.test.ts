import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { globToRegExp } from '../../src/rules/glob.js'
import { covers, findShadowedRules, globCovers, walkCovers } from '../../src/rules/shadow.js'
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

// Issue #12 § 9: the check no longer tries every pair (32 s at 10,000 routes; bench/routes-scale.mjs
// measures it). It must find exactly what trying every pair finds, `by` included.
describe('findShadowedRules against every pair', () => {
  /** The check as it was: each rule against every earlier one, the first that covers it. */
  const everyPair = (rules: AlbRule[]) =>
    rules.flatMap((r, i) => {
      const by = rules.slice(0, i).find((earlier) => covers(earlier, r))
      return by === undefined ? [] : [[r.id, by.id]]
    })
  const glob = (first: string[]) =>
    fc.tuple(fc.constantFrom(...first), fc.array(fc.constantFrom('a', 'b', '/', '*', '?', 'A'), { maxLength: 4 })).map(([head, rest]) => head + rest.join(''))
  const condition: fc.Arbitrary<AlbCondition> = fc.oneof(
    fc.record({
      type: fc.constant('path-pattern' as const),
      values: fc.oneof(fc.array(glob(['/', '/a', '/a/', '*', '/*']), { minLength: 1, maxLength: 2 }), fc.constant([] as string[])),
      regexValues: fc.array(fc.constantFrom('^/a', '^/b$'), { maxLength: 1 }),
    }).filter((c) => c.values.length + c.regexValues.length > 0),
    fc.record({ type: fc.constant('http-request-method' as const), values: fc.subarray(['GET', 'POST', 'PUT'], { minLength: 1 }) }),
    fc.record({ type: fc.constant('http-header' as const), name: fc.constantFrom('x-a', 'X-A', 'x-b'), values: fc.array(glob(['a', 'b', '*']), { minLength: 1, maxLength: 2 }), regexValues: fc.constant([] as string[]) }),
    fc.record({ type: fc.constant('host-header' as const), values: fc.array(fc.constantFrom('a.example', '*.example', 'A.EXAMPLE', '*'), { minLength: 1, maxLength: 2 }), regexValues: fc.constant([] as string[]) }),
    fc.record({ type: fc.constant('query-string' as const), values: fc.array(fc.record({ key: fc.constantFrom(undefined, 'k', 'K', '*'), value: glob(['v', '*', 'V']) }, { requiredKeys: ['value'] }), { minLength: 1, maxLength: 2 }) }),
    fc.record({ type: fc.constant('source-ip' as const), values: fc.array(fc.constantFrom('10.0.0.0/8', '10.1.0.0/16', '192.168.0.0/16'), { minLength: 1, maxLength: 2 }) }),
  )
  const conditions = fc.uniqueArray(condition, { maxLength: 3, selector: (c) => c.type })

  it('finds the same shadowed rules, each by the same first covering rule (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(conditions, { maxLength: 14 }), (lists) => {
        const rules = lists.map((conditions, id) => rule(id, conditions))
        expect(findShadowedRules({ rules }).map((s) => [s.shadowed.id, s.by.id])).toEqual(everyPair(rules))
      }),
      { numRuns: Number(process.env['SHADOW_RUNS'] ?? 1500) },
    )
  })

  it('still finds a rule behind a universal one, and a /* behind /**', () => {
    const rules = [rule(0, [path('/**'), method('GET')]), rule(1, [path('/*'), method('GET')]), rule(2, [path('*')]), rule(3, [method('POST')])]
    expect(findShadowedRules({ rules }).map((s) => [s.shadowed.id, s.by.id])).toEqual([[1, 0], [3, 2]])
  })
})

describe('globCovers shortcuts', () => {
  // The memoised walk alone is globCovers as it was before its literal and `prefix*` shortcuts.
  const walk = (a: string, b: string, fold: boolean) => (fold ? walkCovers(a.toLowerCase(), b.toLowerCase()) : walkCovers(a, b))

  it('answers as the memoised walk for any pair of globs (fast-check)', () => {
    const glob = fc.array(fc.constantFrom('a', 'b', 'A', '/', '*', '?'), { maxLength: 6 }).map((s) => s.join(''))
    fc.assert(fc.property(glob, glob, fc.boolean(), (a, b, fold) => {
      expect(globCovers(a, b, fold), `${a} covers ${b}`).toBe(walk(a, b, fold))
    }), { numRuns: 3000 })
  })
})
