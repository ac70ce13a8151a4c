import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CompiledRule } from '../../src/compiled/format.js'
import { compileTableRouter } from '../../src/compiled/router.js'
import { createNaiveMatcher } from '../../src/rules/evaluate.js'
import type { AlbCondition, AlbRule, RuleTable } from '../../src/rules/types.js'
import { ruleRequest } from '../rules/rule-request.js'

/*
 * albatross/compiled's router (src/compiled/router.ts) over the compiled table's rules, which hold
 * path and method conditions only: it must pick exactly the rule, and the `{name}` params, that
 * the reference evaluator (src/rules/evaluate.ts) picks on the same rules as a RuleTable.
 * spec/alb.md §1.1: ascending priority, the first rule whose conditions all hold wins; §1.2:
 * conditions AND; §2.4: a path value is case-sensitive and matches the whole path; §6 #8: a path
 * with a control character matches no path value (a rule without one may still match).
 */

// First segments that share a prefix (`users`, `users-archive`, `u`), differ in case (`Users`),
// or are empty (`//x`): the router's buckets must never file a rule under the wrong key.
const FIRSTS = ['users', 'users-archive', 'Users', 'u', 'a', '']
const REST = ['42', 'me', 'orders', 'x.css', '', 'a']
const WILD = ['*', '?', 'u*', '*.css', 'a?', 'us?rs', '*s']

/** A path value: a literal or wildcard first segment, then up to three more. */
const glob = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(fc.oneof(fc.constantFrom(...FIRSTS), fc.constantFrom(...WILD)), fc.array(fc.oneof(fc.constantFrom(...REST), fc.constantFrom(...WILD)), { maxLength: 3 }))
      .map(([first, rest]) => '/' + [first, ...rest].join('/')),
  },
  // Values that start with a wildcard rather than `/`, which no bucket may hold.
  { weight: 1, arbitrary: fc.constantFrom('*', '/*', '*.css', '?users', '*/orders', '/users*', '/users?') },
)

/** A compiled rule spec: no path (any path), no methods (any method), or either. */
const ruleSpec = fc.record({
  glob: fc.option(glob, { freq: 6, nil: null }),
  methods: fc.option(fc.subarray(['GET', 'HEAD', 'POST', 'DELETE'], { minLength: 1 }), { freq: 2, nil: null }),
  named: fc.boolean(),
  gap: fc.integer({ min: 1, max: 5 }),
})

/** The same rules twice: as albatross check writes them (compiled/format.ts) and as the RuleTable they stand for. */
const tables = fc.array(ruleSpec, { maxLength: 24 }).map((specs) => {
  let priority = 0
  const compiled: CompiledRule[] = []
  const rules: AlbRule[] = []
  specs.forEach((spec, id) => {
    priority += spec.gap
    // One capture per `*` of the value, by position: a `{name}` or a plain `*` (null).
    const captures = [...(spec.glob ?? '')].filter((c) => c === '*').map((_, i) => (spec.named ? `p${i}` : null))
    compiled.push([id, priority, spec.glob, captures, spec.methods, 0, `r${id}`])
    const conditions: AlbCondition[] = []
    if (spec.glob !== null) conditions.push({ type: 'path-pattern', values: [spec.glob], regexValues: [] })
    if (spec.methods !== null) conditions.push({ type: 'http-request-method', values: spec.methods })
    rules.push({ id, priority, conditions, action: { type: 'forward', target: 'default' }, source: `C.r${id}`, captures })
  })
  return { compiled, table: { rules } satisfies RuleTable }
})

const requests = fc.record({
  // ALB forwards HEAD as HEAD (spec/alb.md §2.3): a GET-only rule does not take it.
  // Methods no rule names too (PATCH, a lowercase one, made-up ones), which share the index of the
  // rules that take any method (compiled/router.ts).
  method: fc.constantFrom('GET', 'HEAD', 'POST', 'DELETE', 'PATCH', 'get', 'OPTIONS', 'constructor', ''),
  path: fc.oneof(
    { weight: 6, arbitrary: fc.array(fc.constantFrom(...FIRSTS, ...REST, 'usrs', 'USERS'), { minLength: 1, maxLength: 5 }).map((s) => '/' + s.join('/')) },
    // §6 #8: control characters, in the first segment and later ones.
    { weight: 2, arbitrary: fc.constantFrom('/users/4\t2', '/users/\x00', '/us\x7fers/1', '/users\n', '/\x01', '/u/x.css\x1f') },
    // Paths not starting with `/`, the empty path, an empty first segment, a trailing slash (§2.4).
    { weight: 2, arbitrary: fc.constantFrom('', 'users', 'users/42', '*', '//users', '/', '/users/', '//', '/users//orders') },
    // Anything at all, as a malformed event could carry.
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  ),
})

describe('compileTableRouter', () => {
  it('picks the reference evaluator’s rule and params for path/method rules (500 generated tables)', () => {
    fc.assert(
      fc.property(tables, fc.array(requests, { minLength: 1, maxLength: 16 }), ({ compiled, table }, reqs) => {
        const router = compileTableRouter(compiled)
        const naive = createNaiveMatcher(table)
        for (const { method, path } of reqs) {
          const got = router(method, path)
          // The path as given: ruleRequest would split a `?` off as the query, which an event's path never holds.
          const want = naive.match({ ...ruleRequest({ method }), path })
          const label = `${method} ${JSON.stringify(path)}`
          // `index` is the rule's place in the compiled rules; its id is what the evaluator names.
          expect(got === undefined ? undefined : compiled[got.index]?.[0], label).toBe(want?.rule.id)
          expect({ ...got?.params }, label).toEqual({ ...want?.params })
        }
      }),
      { numRuns: 500 },
    )
  })

  // The cases the property covers, spelled out: each is a fact the buckets could get wrong.
  const rule = (id: number, glob: string | null, methods: string[] | null = null, captures: (string | null)[] = []): CompiledRule => [id, id + 1, glob, captures, methods, 0, `r${id}`]

  it('tries a wildcard-first rule for every path, in table order with the literal-first ones (§1.1)', () => {
    const router = compileTableRouter([rule(0, '/users/me'), rule(1, '/*', null, ['rest']), rule(2, '/users/*', null, ['id'])])
    expect(router('GET', '/users/me')).toEqual({ index: 0, params: {} })
    // The earlier wildcard-first rule wins over the later bucketed one.
    expect(router('GET', '/users/42')).toEqual({ index: 1, params: { rest: 'users/42' } })
    expect(router('GET', '/other')).toEqual({ index: 1, params: { rest: 'other' } })
  })

  it('keys by the whole first segment, case-sensitively: /users/* never takes /users-archive/1 or /Users/1 (§2.4)', () => {
    const router = compileTableRouter([rule(0, '/users/*', null, ['id']), rule(1, '/users', ['GET'])])
    expect(router('GET', '/users-archive/1')).toBeUndefined()
    expect(router('GET', '/Users/1')).toBeUndefined()
    expect(router('GET', '/users/1')).toEqual({ index: 0, params: { id: '1' } })
    expect(router('GET', '/users')).toEqual({ index: 1, params: {} })
    // HEAD is its own method: a GET-only rule does not take it.
    expect(router('HEAD', '/users')).toBeUndefined()
  })

  it('matches no path value on a path with a control character, but a rule with no path still matches (§6 #8)', () => {
    const router = compileTableRouter([rule(0, '/*'), rule(1, null, ['GET'])])
    expect(router('GET', '/a\tb')).toEqual({ index: 1, params: {} })
    expect(router('POST', '/a\tb')).toBeUndefined()
    expect(router('POST', '/ab')).toEqual({ index: 0, params: {} })
  })

  it('files nothing under a path that does not start with `/`: only unkeyed rules are tried', () => {
    const router = compileTableRouter([rule(0, '/users'), rule(1, '*users')])
    expect(router('GET', 'users')).toEqual({ index: 1, params: {} })
    expect(router('GET', '')).toBeUndefined()
  })
})
