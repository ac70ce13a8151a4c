import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ManifestError } from '../../src/manifest/errors.js'
import type { AlbRuleSplit } from '../../src/manifest/split.js'
import { splitRule, splitTable } from '../../src/manifest/split.js'
import type { AlbCondition, QueryStringPair } from '../../src/rules/types.js'
import { header, manifestErrorOf, host, makeRule, makeTable, method, pathIs, pathMixed, pathRegex, query, sourceIp } from './factories.js'

/** The test's own request model and glob evaluator, independent of src/rules. */
interface TestRequest {
  path: string
  method: string
  host: string | undefined
  headers: Record<string, string[]>
  query: { key: string; value: string }[]
  sourceIp: string
}

function glob(pattern: string, caseInsensitive: boolean, escapes = false): RegExp {
  let out = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string
    if (escapes && c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '?')) out += '\\' + pattern[++i]
    else if (c === '*') out += '.*'
    else if (c === '?') out += '.'
    else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  }
  return new RegExp(`^${out}$`, caseInsensitive ? 'is' : 's')
}

function conditionHolds(c: AlbCondition, r: TestRequest): boolean {
  const any = (values: readonly string[], regexes: readonly string[], s: string | undefined, ci: boolean) =>
    s !== undefined && (values.some((v) => glob(v, ci).test(s)) || regexes.some((x) => new RegExp(x).test(s)))
  switch (c.type) {
    case 'path-pattern':
      return any(c.values, c.regexValues, r.path, false)
    case 'host-header':
      return any(c.values, c.regexValues, r.host, true)
    case 'http-header':
      return (r.headers[c.name.toLowerCase()] ?? []).some((v) => any(c.values, c.regexValues, v, true))
    case 'http-request-method':
      return c.values.includes(r.method)
    case 'query-string':
      return c.values.some((p) =>
        r.query.some(
          (q) => (p.key === undefined || glob(p.key, true, true).test(q.key)) && glob(p.value, true, true).test(q.value),
        ),
      )
    case 'source-ip':
      return c.values.includes(`${r.sourceIp}/32`)
  }
}

const ruleHolds = (conditions: readonly AlbCondition[], r: TestRequest) => conditions.every((c) => conditionHolds(c, r))

/** ALB's limits checked by the test itself (spec/alb.md §1.3, §1.4). */
function limitProblems(part: AlbRuleSplit): string[] {
  const problems: string[] = []
  let strings = 0
  let wildcards = 0
  const count = (s: string, escapes: boolean) => s.replace(escapes ? /\\[*?]/g : /$^/g, '').replace(/[^*?]/g, '').length
  for (const c of part.conditions) {
    const n = 'regexValues' in c ? c.values.length + c.regexValues.length : c.values.length
    if ('regexValues' in c && c.values.length > 0 && c.regexValues.length > 0) problems.push(`${c.type} mixes values and regexes`)
    if (n === 0) problems.push(`${c.type} is empty`)
    if (n > 3) problems.push(`${c.type} has ${n} values`)
    strings += n
    if (c.type === 'query-string') wildcards += c.values.reduce((w, p) => w + count(p.key ?? '', true) + count(p.value, true), 0)
    else if (c.type === 'path-pattern' || c.type === 'host-header' || c.type === 'http-header') {
      wildcards += c.values.reduce((w, v) => w + count(v, false), 0)
    }
  }
  if (strings > 5) problems.push(`${strings} comparison strings`)
  if (wildcards > 5) problems.push(`${wildcards} wildcards`)
  return problems
}

function request(overrides: Partial<TestRequest> = {}): TestRequest {
  return { path: '/', method: 'GET', host: 'a.example.com', headers: {}, query: [], sourceIp: '10.0.0.1', ...overrides }
}

function expectSameMatches(conditions: AlbCondition[], requests: readonly TestRequest[]) {
  const parts = splitRule(makeRule({ conditions }))
  for (const r of requests) {
    const whole = ruleHolds(conditions, r)
    const union = parts.some((p) => ruleHolds(p.conditions, r))
    if (whole !== union) expect.fail(`request ${JSON.stringify(r)}: table rule ${whole}, split union ${union}`)
  }
  return parts
}


describe('splitRule', () => {
  it('keeps an ALB-valid rule as a single part with its own priority', () => {
    const rule = makeRule({ priority: 1200, conditions: [pathIs('/a', '/b'), method('GET', 'HEAD')] })
    const parts = splitRule(rule)
    expect(parts).toEqual([{ rule, part: 1, parts: 1, priority: 1200, conditions: rule.conditions }])
  })

  it('puts values and regexValues in separate rules, since one config holds only one kind (spec/alb.md §2.0)', () => {
    const parts = splitRule(makeRule({ conditions: [pathMixed(['/a'], ['^/b$'])] }))
    expect(parts.map((p) => p.conditions)).toEqual([[pathIs('/a')], [pathRegex('^/b$')]])
  })

  it('holds at most 3 comparison strings per condition (spec/alb.md §1.4)', () => {
    const parts = splitRule(makeRule({ conditions: [host('a.x.com', 'b.x.com', 'c.x.com', 'd.x.com')] }))
    expect(parts.map((p) => p.conditions)).toEqual([[host('a.x.com', 'b.x.com', 'c.x.com')], [host('d.x.com')]])
  })

  it('holds at most 5 comparison strings per rule, method values and query pairs included (spec/alb.md §1.4)', () => {
    const conditions = [pathIs('/a', '/b', '/c'), method('GET', 'HEAD', 'POST')]
    const parts = splitRule(makeRule({ conditions }))
    expect(parts).toHaveLength(2)
    for (const p of parts) expect(limitProblems(p)).toEqual([])
    const q = splitRule(makeRule({ conditions: [query({ key: 'a', value: '1' }, { key: 'b', value: '2' }, { value: '3' }), sourceIp('10.0.0.0/8', '10.1.0.0/16', '10.2.0.0/16')] }))
    expect(q).toHaveLength(2)
    for (const p of q) expect(limitProblems(p)).toEqual([])
  })

  it('holds at most 5 wildcards per rule (spec/alb.md §1.4, §6 #6)', () => {
    const parts = splitRule(makeRule({ conditions: [pathIs('/a/*/*/*', '/b/*/*/*')] }))
    expect(parts.map((p) => p.conditions)).toEqual([[pathIs('/a/*/*/*')], [pathIs('/b/*/*/*')]])
  })

  it('does not count escaped \\* and \\? in query strings as wildcards (spec/alb.md §2.5)', () => {
    const conditions = [query({ key: 'q', value: 'a\\*b\\*c\\*d\\*e\\?f\\?' }, { key: 'k*', value: '*' })]
    expect(splitRule(makeRule({ conditions }))).toHaveLength(1)
  })

  it('does not count a regex value toward the wildcard budget (spec/alb.md §2.7)', () => {
    expect(splitRule(makeRule({ conditions: [pathRegex('^/a.*b.*c.*d.*e.*f.*$')] }))).toHaveLength(1)
  })

  it('picks chunk sizes that give the fewest rules', () => {
    // Paths in 3 chunks of 2 with all 3 methods together: 3 rules, not 2 × 2 = 4.
    const conditions = [pathIs('/a', '/b', '/c', '/d', '/e', '/f'), method('GET', 'POST', 'PUT')]
    const parts = splitRule(makeRule({ conditions }))
    expect(parts).toHaveLength(3)
    for (const p of parts) expect(p.conditions[1]).toEqual(method('GET', 'POST', 'PUT'))
  })

  it('numbers parts from the rule priority in steps of 1, or of the given step', () => {
    const rule = makeRule({ priority: 500, conditions: [pathIs('/a', '/b', '/c', '/d', '/e', '/f', '/g')] })
    expect(splitRule(rule).map((p) => [p.part, p.parts, p.priority])).toEqual([
      [1, 3, 500],
      [2, 3, 501],
      [3, 3, 502],
    ])
    expect(splitRule(rule, 5).map((p) => p.priority)).toEqual([500, 505, 510])
  })

  it('gives a rule without conditions the path pattern /* that matches every path (spec/alb.md §1.1, §2.8)', () => {
    expect(splitRule(makeRule({ conditions: [] }))[0]?.conditions).toEqual([pathIs('/*')])
  })

  it('drops duplicate values', () => {
    expect(splitRule(makeRule({ conditions: [pathIs('/a', '/a', '/b')] }))[0]?.conditions).toEqual([pathIs('/a', '/b')])
  })

  it('rejects 6 AND-ed conditions of one value each, naming the route and the limit', () => {
    const conditions = [pathIs('/a'), host('a.x.com'), method('GET'), sourceIp('10.0.0.0/8'), header('x-a', ['1']), header('x-b', ['2'])]
    const error = manifestErrorOf(() => splitRule(makeRule({ source: 'Users.get', conditions })))
    expect(error.code).toBe('ERR_MANIFEST_RULE_LIMIT')
    expect(error.source).toBe('Users.get')
    expect(error.message).toMatch(/^Users\.get: has 6 conditions.*5 per rule/)
  })

  it('rejects one value with 6 wildcards', () => {
    const error = manifestErrorOf(() => splitRule(makeRule({ source: 'A.b', conditions: [pathIs('/*/*/*/*/*/*')] })))
    expect(error.code).toBe('ERR_MANIFEST_RULE_LIMIT')
    expect(error.message).toMatch(/A\.b: path-pattern value "\/\*\/\*\/\*\/\*\/\*\/\*" has 6 wildcards; ALB allows 5/)
  })

  it('rejects AND-ed values whose wildcards add up to more than 5', () => {
    const error = manifestErrorOf(() => splitRule(makeRule({ source: 'A.b', conditions: [pathIs('/*/*/*', '/x'), header('x-a', ['*a*b*'])] })))
    expect(error.message).toMatch(/needs 6 wildcards.*"\/\*\/\*\/\*", "\*a\*b\*"/)
  })

  it('rejects a second path-pattern condition: only http-header and query-string repeat (spec/alb.md §1.3)', () => {
    const error = manifestErrorOf(() => splitRule(makeRule({ conditions: [pathIs('/a'), pathIs('/b')] })))
    expect(error.message).toMatch(/more than one path-pattern condition/)
  })

  it('rejects an empty condition (spec/alb.md §1.1)', () => {
    expect(manifestErrorOf(() => splitRule(makeRule({ conditions: [method()] }))).code).toBe('ERR_MANIFEST_INPUT')
  })

  it('matches exactly the requests the table rule matches (brute force over a request grid)', () => {
    const conditions = [
      pathMixed(['/users/*', '/u/?', '/people', '/p/*/x', '/q*'], ['^/id/[0-9]+$']),
      method('GET', 'HEAD', 'POST'),
      header('X-Tenant', ['acme*', 'beta', '*gamma'], ['^d[0-9]$']),
      query({ key: 'v', value: '1' }, { value: '*z*' }, { key: 'k*', value: '?' }, { key: 'e', value: 'a\\*b' }),
    ]
    const paths = ['/users/1', '/users/', '/u/1', '/u/12', '/people', '/people/', '/p/a/x', '/p/x', '/q', '/qq', '/id/42', '/id/x', '/nope']
    const methods = ['GET', 'HEAD', 'POST', 'PUT']
    const tenants = [[], ['acme-1'], ['ACME'], ['beta'], ['xgamma'], ['d1'], ['zz', 'beta'], ['zz']]
    const queries = [[], [{ key: 'v', value: '1' }], [{ key: 'x', value: 'aZb' }], [{ key: 'kk', value: 'q' }], [{ key: 'e', value: 'a*b' }], [{ key: 'e', value: 'axb' }]]
    const requests: TestRequest[] = []
    for (const p of paths) {
      for (const m of methods) {
        for (const t of tenants) {
          for (const q of queries) requests.push(request({ path: p, method: m, headers: { 'x-tenant': t }, query: q }))
        }
      }
    }
    const parts = expectSameMatches(conditions, requests)
    expect(parts.length).toBeGreaterThan(1)
    for (const p of parts) expect(limitProblems(p)).toEqual([])
  })

  it('keeps the match set and every limit for generated rules (property)', () => {
    const pick = <T>(pool: readonly T[]) => fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 7 })
    const pathValues = ['/a', '/a/*', '/b/?', '/*/c', '/x*y*z', '/**', '/s/*?', '/?/?/?']
    const regexes = ['^/r/[0-9]+$', '^/s/(a|b)$']
    const queries: QueryStringPair[] = [{ key: 'k', value: '1' }, { value: '*z*' }, { key: 'a*', value: '?' }, { key: 'e', value: 'a\\*b' }]
    const conditionArb = fc.record({
      path: fc.option(fc.tuple(pick(pathValues), fc.subarray(regexes)), { nil: undefined }),
      method: fc.option(pick(['GET', 'HEAD', 'POST', 'PUT', 'DELETE']), { nil: undefined }),
      host: fc.option(pick(['a.example.com', '*.example.com', 'b.*.io', '?.example.com']), { nil: undefined }),
      header: fc.option(pick(['v1', 'v*', '*x*', '??']), { nil: undefined }),
      query: fc.option(pick(queries), { nil: undefined }),
    })
    const requestArb: fc.Arbitrary<TestRequest> = fc.record({
      path: fc.constantFrom('/a', '/a/', '/a/x/y', '/b/1', '/b/12', '/q/c', '/c', '/xyz', '/xAyBz', '/r/1', '/s/a', '/s/ab', '/x/y/z', '/none'),
      method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'),
      host: fc.constantFrom<string | undefined>('a.example.com', 'A.EXAMPLE.COM', 'x.example.com', 'example.com', 'b.eu.io', undefined),
      headers: fc.constantFrom<Record<string, string[]>>({}, { 'x-h': ['v1'] }, { 'x-h': ['V1'] }, { 'x-h': ['axb'] }, { 'x-h': ['zz', 'v9'] }, { 'x-h': ['ab'] }),
      query: fc.constantFrom<{ key: string; value: string }[]>([], [{ key: 'k', value: '1' }], [{ key: 'q', value: 'azb' }], [{ key: 'ab', value: 'c' }], [{ key: 'e', value: 'a*b' }], [{ key: 'e', value: 'axb' }]),
      sourceIp: fc.constant('10.0.0.1'),
    })
    fc.assert(
      fc.property(conditionArb, fc.array(requestArb, { minLength: 150, maxLength: 150 }), (c, requests) => {
        const conditions: AlbCondition[] = []
        if (c.path !== undefined) conditions.push(pathMixed(c.path[0], c.path[1]))
        if (c.method !== undefined) conditions.push(method(...c.method))
        if (c.host !== undefined) conditions.push(host(...c.host))
        if (c.header !== undefined) conditions.push(header('X-H', c.header))
        if (c.query !== undefined) conditions.push(query(...c.query))
        let parts: AlbRuleSplit[]
        try {
          parts = expectSameMatches(conditions, requests)
        } catch (e) {
          // A combination over the wildcard budget cannot be split; anything else is a bug.
          if (e instanceof ManifestError && /wildcards/.test(e.message)) return
          throw e
        }
        for (const p of parts) expect(limitProblems(p)).toEqual([])
      }),
      { numRuns: 150 },
    )
  })
})

describe('splitTable', () => {
  it('keeps table order and numbers split parts after their rule', () => {
    const table = makeTable(
      { source: 'A.one', conditions: [pathIs('/a', '/b', '/c', '/d')] },
      { source: 'B.two', conditions: [pathIs('/e')] },
    )
    expect(splitTable(table).map((p) => [p.rule.source, p.priority])).toEqual([
      ['A.one', 1000],
      ['A.one', 1001],
      ['B.two', 1010],
    ])
  })

  it('rejects parts that would reach the next rule, telling to raise the priority step', () => {
    const table = makeTable(
      { source: 'A.one', priority: 100, conditions: [pathIs('/a', '/b', '/c', '/d')] },
      { source: 'B.two', priority: 101, conditions: [pathIs('/e')] },
    )
    const error = manifestErrorOf(() => splitTable(table))
    expect(error.code).toBe('ERR_MANIFEST_PRIORITY')
    expect(error.message).toMatch(/^A\.one: needs 2 ALB rules \(priorities 100–101\) but B\.two has priority 101; raise the priority step/)
  })

  it('rejects parts past priority 50000 (spec/alb.md §1.1)', () => {
    const table = makeTable({ priority: 50_000, conditions: [pathIs('/a', '/b', '/c', '/d')] })
    expect(manifestErrorOf(() => splitTable(table)).message).toMatch(/past ALB's highest priority 50000/)
  })

  it('rejects a table that is not in ascending priority order', () => {
    const table = makeTable({ priority: 20 }, { priority: 10 })
    expect(manifestErrorOf(() => splitTable(table)).message).toMatch(/strictly ascending/)
  })
})
