import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileRouter } from '../../src/router/compile.js'
import { buildRuleTable } from '../../src/rules/build-table.js'
import { createNaiveMatcher } from '../../src/rules/evaluate.js'
import type { AlbCondition, AlbRule, PathPatternCondition, RouteSpec, RuleTable } from '../../src/rules/types.js'
import { ruleRequest } from '../rules/rule-request.js'

// DESIGN.md § One source of truth: the compiled router must pick exactly the rule that a naive
// in-priority-order evaluation of the table picks (spec/alb.md §1.1: ascending priority, first
// rule whose conditions all hold wins).

const SEGMENTS = ['a', 'b', 'users', 'u', 'x.css', '']
const segment = fc.constantFrom(...SEGMENTS)
const literalPath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => '/' + s.join('/'))
const patternPath = fc
  .array(fc.oneof(segment, fc.constantFrom('*', '?', 'u*', '*.css', 'a?')), { minLength: 1, maxLength: 4 })
  .map((s) => '/' + s.join('/'))
const anyPath = fc.oneof(literalPath, patternPath, fc.constant('*'), fc.constant('/*'))

const pathCondition: fc.Arbitrary<AlbCondition> = fc.oneof(
  fc.array(anyPath, { minLength: 1, maxLength: 3 }).map((values) => ({ type: 'path-pattern' as const, values, regexValues: [] })),
  fc.constantFrom('^/users/[0-9]+$', '^/a', 'css$').map((r) => ({ type: 'path-pattern' as const, values: [], regexValues: [r] })),
)
const methodCondition: fc.Arbitrary<AlbCondition> = fc
  .subarray(['GET', 'HEAD', 'POST', 'DELETE'], { minLength: 1 })
  .map((values) => ({ type: 'http-request-method' as const, values }))
const hostCondition: fc.Arbitrary<AlbCondition> = fc
  .subarray(['example.com', '*.example.com', 'api.*'], { minLength: 1 })
  .map((values) => ({ type: 'host-header' as const, values, regexValues: [] }))
const headerCondition: fc.Arbitrary<AlbCondition> = fc
  .subarray(['on', 'v*', '*'], { minLength: 1 })
  .map((values) => ({ type: 'http-header' as const, name: 'X-Beta', values, regexValues: [] }))
const queryCondition: fc.Arbitrary<AlbCondition> = fc
  .subarray([{ key: 'v', value: '1' }, { value: 'x*' }, { key: 'q', value: '*' }], { minLength: 1 })
  .map((values) => ({ type: 'query-string' as const, values }))

const conditions = fc
  .record(
    {
      path: pathCondition,
      method: methodCondition,
      host: hostCondition,
      header: headerCondition,
      query: queryCondition,
    },
    { requiredKeys: [] },
  )
  .map((r) => Object.values(r) as AlbCondition[])

const table: fc.Arbitrary<RuleTable> = fc
  .array(fc.record({ conditions, gap: fc.integer({ min: 1, max: 5 }), named: fc.boolean() }), { maxLength: 12 })
  .map((specs) => {
    let priority = 0
    const rules: AlbRule[] = specs.map((spec, id) => {
      priority += spec.gap
      const path = spec.conditions.find((c) => c.type === 'path-pattern')
      const stars = (path?.values[0]?.match(/\*/g) ?? []).length
      const captures = Array.from({ length: stars }, (_, i) => (spec.named ? `p${i}` : null))
      return { id, priority, conditions: spec.conditions, action: { type: 'forward', target: 'default' }, source: `R.r${id}`, captures }
    })
    return { rules }
  })

const request = fc.record({
  method: fc.constantFrom('GET', 'HEAD', 'POST', 'DELETE', 'PUT'),
  path: fc.oneof(literalPath, fc.constantFrom('/users/42', '/a/b/x.css', '/', '/u')),
  host: fc.option(fc.constantFrom('example.com', 'API.example.com', 'api.other.org', 'example.com:8443'), { nil: undefined }),
  beta: fc.option(fc.constantFrom('on', 'V2', 'off'), { nil: undefined }),
  query: fc.constantFrom('', 'v=1', 'V=1&q=', 'a=xyz', 'q=2&v=2'),
})

// REST-shaped tables: many rules whose values share and nest literal prefixes, as a real API's
// do (`/users`, `/users/*`, `/users/*/orders/*`, `/users-archive/*`), mixed with what the index
// cannot place (regex values, no path condition) and with several values per condition.
const REST_VALUES = [
  '/users', '/users/', '/users/*', '/users/*/orders', '/users/*/orders/*', '/users/me',
  '/users-archive/*', '/u*', '/us?rs/*', '/users/*/*', '*.css', '*', '/*', '/Users/*',
  '/users/*.css', '/v?/users', '/users/*/orders*',
]
// Anchored regexes are filed under their literal prefix (router/regex-prefix.ts); the others
// are tried for every path. Both kinds, with quantified and alternated prefixes.
const REST_REGEXES = [
  '^/users/(?<id>[0-9]+)$', '^/u', 'css$', '^/users/(?<id>[^/]+)$', '^\\/users\\/me$', '^/users?/(?<id>.*)',
  '^/users/[^/]+/orders$', '^/u|orders', '^/users-archive/(?<id>[^/]+)', '^/Users/', '^/users/(?<id>[^/]+)/orders/',
  // A literal suffix before `$` the router checks before running the regex (router/regex-prefix.ts).
  '^/users/(?<id>[^/]+)/orders$', '^\\/users\\/(?<id>[^\\/]+)\\/me$', '^/u.*s$', '^/users/me$', '^/users/(?<id>.*)/$',
  // One-segment regexes the router tests without the RegExp (router/regex-segments.ts).
  '^/users/(?<id>[^/]+)/orders/(?<order>[^/]+)$', '^/users/([^/]+)$', '^/users/(?<order>[^/]+)/(?<id>[^/]+)$',
  '^/users-archive/(?<id>[^/]+)$', '^/users/(?<id>[^\\/]+)/orders/([^/]+)$',
]
const pathPattern = (values: string[], regexValues: string[]): PathPatternCondition => ({
  type: 'path-pattern',
  values,
  regexValues,
})
const restPath: fc.Arbitrary<PathPatternCondition> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .array(fc.constantFrom(...REST_VALUES), { minLength: 1, maxLength: 3 })
      .map((values) => pathPattern(values, [])),
  },
  { weight: 1, arbitrary: fc.constantFrom(...REST_REGEXES).map((r) => pathPattern(['/users/*'], [r])) },
  { weight: 2, arbitrary: fc.constantFrom(...REST_REGEXES).map((r) => pathPattern([], [r])) },
  {
    weight: 1,
    arbitrary: fc.array(fc.constantFrom(...REST_REGEXES), { minLength: 2, maxLength: 3 }).map((r) => pathPattern([], r)),
  },
)

/** One capture per `*` of the first value (named or not), or the first regex's named groups. */
function capturesOf(path: PathPatternCondition | undefined, named: boolean): (string | null)[] {
  const first = path?.values[0]
  if (first !== undefined) return [...first].filter((c) => c === '*').map((_, i) => (named ? `p${i}` : null))
  return [...(path?.regexValues[0] ?? '').matchAll(/\?<(\w+)>/g)].map((m) => m[1] as string)
}

const restTable: fc.Arbitrary<RuleTable> = fc
  .array(
    fc.record({
      path: fc.option(restPath, { freq: 8, nil: undefined }),
      method: fc.option(methodCondition, { nil: undefined }),
      header: fc.option(headerCondition, { freq: 4, nil: undefined }),
      named: fc.boolean(),
    }),
    { maxLength: 60 },
  )
  .map((specs) => ({
    rules: specs.map((spec, id): AlbRule => {
      const conditions = [spec.path, spec.method, spec.header].filter((c) => c !== undefined)
      const action = { type: 'forward', target: 'default' } as const
      const captures = capturesOf(spec.path, spec.named)
      return { id, priority: id + 1, conditions, action, source: `R.r${id}`, captures }
    }),
  }))
const restRequest = fc.record({
  method: fc.constantFrom('GET', 'HEAD', 'POST', 'DELETE', 'PATCH'),
  path: fc.oneof(
    fc
      .array(fc.constantFrom('users', 'users-archive', 'Users', 'me', '42', 'orders', 'x.css', '', 'v1', 'u', '4\t2'), {
        minLength: 1,
        maxLength: 5,
      })
      .map((s) => '/' + s.join('/')),
    // spec/alb.md §6 #8: control characters, which no wildcard takes; and paths no value starts.
    fc.constantFrom('/users/4\t2', '/users/\x00', '/us\x7fers/1', '/users\n', '', 'users'),
    // Empty segments, which no `[^/]+` takes.
    fc.constantFrom('/users/', '/users//orders', '/users/42/orders/', '/users-archive/'),
  ),
  beta: fc.option(fc.constantFrom('on', 'off'), { nil: undefined }),
})

/** The compiled router and the evaluator pick the same rule and params for each GET path. */
function expectSameAsEvaluator(table: RuleTable, paths: readonly string[]): void {
  const fast = compileRouter(table)
  const naive = createNaiveMatcher(table)
  for (const p of paths) {
    const req = ruleRequest({ path: p })
    const a = fast.match(req)
    const b = naive.match(req)
    expect(a?.rule.id, p).toBe(b?.rule.id)
    expect({ ...a?.params }, p).toEqual({ ...b?.params })
  }
}

describe('compileRouter', () => {
  it('chooses the same rule and params as the naive evaluator (10,000 generated tables)', () => {
    fc.assert(
      fc.property(table, fc.array(request, { minLength: 1, maxLength: 8 }), (t, requests) => {
        const fast = compileRouter(t)
        const naive = createNaiveMatcher(t)
        for (const r of requests) {
          const req = ruleRequest({
            method: r.method,
            path: r.path,
            ...(r.host === undefined ? {} : { host: r.host }),
            headers: r.beta === undefined ? {} : { 'x-beta': r.beta },
            query: r.query,
          })
          const a = fast.match(req)
          const b = naive.match(req)
          expect(a?.rule.id).toBe(b?.rule.id)
          expect({ ...a?.params }).toEqual({ ...b?.params })
        }
      }),
      { numRuns: 10_000 },
    )
  })

  it('chooses the same rule and params on REST-shaped tables of up to 60 rules (2,000 generated tables)', () => {
    fc.assert(
      fc.property(restTable, fc.array(restRequest, { minLength: 1, maxLength: 20 }), (t, requests) => {
        const fast = compileRouter(t)
        const naive = createNaiveMatcher(t)
        for (const r of requests) {
          const headers: Record<string, string> = r.beta === undefined ? {} : { 'x-beta': r.beta }
          const req = ruleRequest({ method: r.method, path: r.path, headers })
          const a = fast.match(req)
          const b = naive.match(req)
          expect(a?.rule.id).toBe(b?.rule.id)
          expect({ ...a?.params }).toEqual({ ...b?.params })
        }
      }),
      { numRuns: 2_000 },
    )
  })

  // The scaling benchmark's shape at full size (bench/workload.mjs makeRoutes): collections whose
  // names extend each other (`/notes`, `/notes-items`), with nested ones, ordered by build-table.
  it('chooses the same rule and params on a 1,052-route REST table built by buildRuleTable', () => {
    const words = ['notes', 'nodes', 'nets', 'apps', 'apples', 'a', 'users', 'u', 'orgs', 'orders']
    const suffixes = ['', '-items', '-items-1', '-groups', '-1', '-10', '.v2']
    const specs: RouteSpec[] = []
    const route = (method: string, path: string): void => {
      const action = { type: 'forward', target: 'default' } as const
      const source = `R.r${specs.length}`
      specs.push({ source, path, methods: [method], conditions: [], priority: undefined, action })
    }
    for (const word of words) {
      for (const suffix of suffixes) {
        const base = `/${word}${suffix}`
        for (const collection of [base, `${base}/{parent}/children`, `${base}/{parent}/children/{child}/leaves`]) {
          route('GET', collection)
          route('POST', collection)
          for (const method of ['GET', 'PUT', 'DELETE']) route(method, `${collection}/{id}`)
        }
      }
    }
    route('GET', '/')
    route('GET', '/static/*.css')
    const table = buildRuleTable(specs)
    expect(table.rules.length).toBeGreaterThan(1_000)
    const fast = compileRouter(table)
    const naive = createNaiveMatcher(table)
    const names = words.flatMap((w) => suffixes.map((x) => w + x))
    const segment = fc.constantFrom(...names, 'children', 'leaves', '42', 'x.css', '', 'NOTES', 'notes-item', 'static')
    const method = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE')
    const path = fc.array(segment, { minLength: 1, maxLength: 6 }).map((segments) => '/' + segments.join('/'))
    fc.assert(
      fc.property(method, path, (m, p) => {
        const req = ruleRequest({ method: m, path: p })
        const a = fast.match(req)
        const b = naive.match(req)
        expect(a?.rule.id).toBe(b?.rule.id)
        expect({ ...a?.params }).toEqual({ ...b?.params })
      }),
      { numRuns: 5_000 },
    )
  })

  const rule = (id: number, priority: number, conditions: AlbCondition[], captures: (string | null)[] = []): AlbRule => ({
    id, priority, conditions, captures, source: `T.r${id}`, action: { type: 'forward', target: 'default' },
  })
  const path = (...values: string[]): AlbCondition => ({ type: 'path-pattern', values, regexValues: [] })
  const method = (...values: string[]): AlbCondition => ({ type: 'http-request-method', values })

  // Rules whose path values differ in their prefix alone share one compiled tail (Tail in
  // router/candidate.ts): each must still match only under its own prefix and name its own params.
  it('answers each rule of a table that repeats tails under many prefixes as the evaluator does', () => {
    const prefixes = ['/a', '/ab', '/a/b', '/b', '/abc/d', '']
    const tails = [
      { glob: '/*/items/*', regex: '/(?<id>[^/]+)/items/(?<item>[^/]+)' },
      { glob: '/*/items', regex: '/(?<id>[^/]+)/items' },
      { glob: '/*/*', regex: '/([^/]+)/(?<item>[^/]+)' },
    ]
    const specs = fc.array(
      fc.record({ prefix: fc.constantFrom(...prefixes), tail: fc.constantFrom(...tails), regex: fc.boolean(), names: fc.constantFrom(['id', 'item'], ['org', null], [null, 'x']) }),
      { minLength: 1, maxLength: 10 },
    )
    const part = fc.constantFrom('a', 'ab', 'b', 'items', 'd', '42', '', 'abc')
    const path = fc.array(part, { minLength: 1, maxLength: 5 }).map((parts) => '/' + parts.join('/'))
    fc.assert(
      fc.property(specs, fc.array(path, { minLength: 1, maxLength: 10 }), (rules, paths) => {
        const table: RuleTable = {
          rules: rules.map((r, id): AlbRule => {
            const condition: PathPatternCondition = r.regex
              ? { type: 'path-pattern', values: [], regexValues: [`^${r.prefix}${r.tail.regex}$`] }
              : { type: 'path-pattern', values: [r.prefix + r.tail.glob], regexValues: [] }
            const captures = r.regex ? [...condition.regexValues[0]!.matchAll(/\?<(\w+)>/g)].map((m) => m[1]!) : r.names.slice(0, (r.tail.glob.match(/\*/g) ?? []).length)
            return { id, priority: id + 1, conditions: [condition], action: { type: 'forward', target: 'default' }, source: `R.r${id}`, captures }
          }),
        }
        expectSameAsEvaluator(table, paths)
      }),
      { numRuns: 3_000 },
    )
  })

  // Shared tails attacked from every side: random glob values (`*`, `?`, case, `//`, trailing
  // `/`, prefixes that are prefixes of each other), several values per rule (params from the
  // first only), one-segment regexes differing in prefix, group names and literals, on paths
  // built from the table's own values so most of them match something.
  it('chooses the same rule and params on random glob and segment-regex tables that share tails (1,000 generated tables)', () => {
    const char = fc.constantFrom('a', 'b', 'A', '/', '*', '?', '-', '.')
    const prefix = fc.constantFrom('', '/', '/a', '/ab', '/a/', '/A', '/a/b', '//', '/a?', '/?')
    const value = fc
      .tuple(prefix, fc.constantFrom('*', '?', ''), fc.array(char, { maxLength: 7 }))
      .map(([p, w, t]) => p + w + t.join(''))
    const group = fc.tuple(
      fc.constantFrom('/', '/a', '/b/', '/items/', '//'),
      fc.constantFrom('id', 'item', null),
      fc.constantFrom('[^/]+', '[^\\/]+'),
    )
    const regex = fc
      .tuple(fc.constantFrom('', '/a', '/ab', '/A', '/a/b'), fc.array(group, { minLength: 1, maxLength: 3 }), fc.constantFrom('', '/', '/a', '/items'))
      .map(([p, groups, end]) => `^${p}${groups.map(([l, name, body], i) => `${l}(${name === null ? '' : `?<${name}${i}>`}${body})`).join('')}${end}$`)
    const spec = fc.record({
      values: fc.array(value, { maxLength: 3 }),
      regexes: fc.array(regex, { maxLength: 2 }),
      names: fc.array(fc.constantFrom('p0', 'p1', 'q', null), { maxLength: 4 }),
    })
    const tables = fc.array(spec, { minLength: 1, maxLength: 10 }).map((specs): RuleTable => ({
      rules: specs.map((s, id): AlbRule => {
        const values = s.values.length + s.regexes.length === 0 ? ['/a/*'] : s.values
        const captures =
          values[0] !== undefined
            ? Array.from({ length: (values[0].match(/\*/g) ?? []).length }, (_, i) => s.names[i] ?? null)
            : [...(s.regexes[0] as string).matchAll(/\?<(\w+)>/g)].map((m) => m[1] as string)
        return rule(id, id + 1, [{ type: 'path-pattern', values, regexValues: s.regexes }], captures)
      }),
    }))
    const randomPath = fc.array(fc.constantFrom('a', 'b', 'A', '/', '-', '.', 'items', 'ab'), { maxLength: 9 }).map((c) => '/' + c.join(''))
    const fill = fc.array(fc.constantFrom('a', 'b', '/', 'A', 'ab', ''), { maxLength: 3 }).map((x) => x.join(''))
    /** A path one of the table's values may match: each `*` or group filled, each `?` one character. */
    const pathFrom = (t: RuleTable): fc.Arbitrary<string> => {
      const conditions = t.rules.map((r) => r.conditions[0] as PathPatternCondition)
      const values = conditions.flatMap((c) => c.values)
      // A regex as text: its groups become `*`, its anchors and escapes go.
      const regexes = conditions.flatMap((c) => c.regexValues).map((r) => r.slice(1, -1).replace(/\([^)]*\)/g, '*').replace(/\\/g, ''))
      const all = [...values, ...regexes]
      if (all.length === 0) return randomPath
      return fc
        .tuple(fc.constantFrom(...all), fc.array(fill, { minLength: 8, maxLength: 8 }), fc.constantFrom('a', 'b', '/'))
        .map(([v, fills, one]) => {
          let i = 0
          return v.replace(/[*?]/g, (w) => (w === '*' ? (fills[i++ % 8] as string) : one))
        })
    }
    const cases = tables.chain((t) => fc.tuple(fc.constant(t), fc.array(fc.oneof(randomPath, pathFrom(t)), { minLength: 1, maxLength: 15 })))
    fc.assert(
      fc.property(cases, ([t, paths]) => {
        expectSameAsEvaluator(t, paths)
      }),
      { numRuns: 1_000 },
    )
  })

  it('returns undefined for an empty table', () => {
    expect(compileRouter({ rules: [] }).match(ruleRequest({ path: '/' }))).toBeUndefined()
  })

  it('lets a lower-priority wildcard win over a later literal rule (first match wins, spec/alb.md §1.1)', () => {
    const router = compileRouter({ rules: [rule(0, 1, [path('/users/*')]), rule(1, 2, [path('/users/me')])] })
    expect(router.match(ruleRequest({ path: '/users/me' }))?.rule.id).toBe(0)
  })

  it('captures {name} wildcards across "/" as ALB\'s * does (spec/alb.md §2.0)', () => {
    const router = compileRouter({ rules: [rule(0, 1, [path('/files/*')], ['rest'])] })
    expect(router.match(ruleRequest({ path: '/files/a/b.txt' }))?.params).toEqual({ rest: 'a/b.txt' })
  })

  it('routes an unknown method only to rules without a method condition', () => {
    const router = compileRouter({ rules: [rule(0, 1, [path('/x'), method('GET')]), rule(1, 2, [path('/x')])] })
    expect(router.match(ruleRequest({ method: 'PURGE', path: '/x' }))?.rule.id).toBe(1)
    expect(router.match(ruleRequest({ method: 'GET', path: '/x' }))?.rule.id).toBe(0)
  })

  // Rules compile with the first bucket that reaches them, so a rule shared by several methods may
  // compile before an earlier (higher-priority) rule; its candidates must still come after it.
  it('keeps priority order whichever method compiles a shared rule first (first match wins, spec/alb.md §1.1)', () => {
    const table = {
      rules: [
        rule(0, 1, [path('/a/*', '/b/*'), method('GET')], ['p0']),
        rule(1, 2, [{ type: 'path-pattern', values: [], regexValues: ['^/a/(?<id>[^/]+)$'] }], ['id']),
        rule(2, 3, [path('/a/x')]),
      ],
    }
    const router = compileRouter(table)
    expect(router.match(ruleRequest({ method: 'POST', path: '/a/x' }))?.rule.id).toBe(1)
    expect(router.match(ruleRequest({ method: 'GET', path: '/a/x' }))).toMatchObject({ rule: { id: 0 }, params: { p0: 'x' } })
    expect(router.match(ruleRequest({ method: 'GET', path: '/b/x' }))?.rule.id).toBe(0)
    expect(router.match(ruleRequest({ method: 'DELETE', path: '/a/x/y' }))).toBeUndefined()
    expect(router.match(ruleRequest({ method: 'DELETE', path: '/a/x' }))?.params).toEqual({ id: 'x' })
  })

  it('matches methods case-sensitively (spec/alb.md §2.3)', () => {
    const router = compileRouter({ rules: [rule(0, 1, [path('/x'), method('GET')])] })
    expect(router.match(ruleRequest({ method: 'get', path: '/x' }))).toBeUndefined()
  })

  it('names regex path captures from the regex\'s named groups', () => {
    const regex: AlbCondition = { type: 'path-pattern', values: [], regexValues: ['^/v(?<version>[0-9]+)/'] }
    const router = compileRouter({ rules: [rule(0, 1, [regex], ['version'])] })
    expect(router.match(ruleRequest({ path: '/v2/users' }))?.params).toEqual({ version: '2' })
  })

  // The compiled router used to set such a param to '' while the evaluator left it out.
  it('leaves out a named group that took no part in the match, as the evaluator does', () => {
    const regex: AlbCondition = { type: 'path-pattern', values: [], regexValues: ['^/v(?<version>[0-9]+)?/'] }
    const table = { rules: [rule(0, 1, [regex], ['version'])] }
    const request = ruleRequest({ path: '/v/users' })
    expect(compileRouter(table).match(request)?.params).toEqual({})
    expect(Object.hasOwn(compileRouter(table).match(request)?.params ?? {}, 'version')).toBe(false)
    expect(createNaiveMatcher(table).match(request)?.params).toEqual({})
  })

  it('returns params with no inherited keys: constructor and __proto__ read undefined', () => {
    const router = compileRouter({ rules: [rule(0, 1, [path('/a/*')], ['id'])] })
    const params = router.match(ruleRequest({ path: '/a/1' }))?.params ?? {}
    expect(params).toEqual({ id: '1' })
    expect((params as Record<string, unknown>)['constructor']).toBeUndefined()
    expect((params as Record<string, unknown>)['__proto__']).toBeUndefined()
  })
})
