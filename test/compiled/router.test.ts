import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseEvent } from '../../src/alb/parse-event.js'
import type { AlbRequest } from '../../src/alb/types.js'
import type { CompiledRule } from '../../src/compiled/format.js'
import { compileTableRouter } from '../../src/compiled/router.js'
import { createNaiveMatcher } from '../../src/rules/evaluate.js'
import type { AlbCondition, AlbRule, RuleRequest, RuleTable } from '../../src/rules/types.js'
import { compileHostMatcher } from '../../src/rules/host-header.js'
import { compileHeaderMatcher } from '../../src/rules/http-header.js'
import { installConditionMatcher } from '../../src/rules/installed-matchers.js'
import { compileQueryMatcher } from '../../src/rules/query-string.js'
import { compileSourceIpMatcher } from '../../src/rules/source-ip.js'
import { albEvent } from '../../src/testing.js'
import { ruleRequest } from '../rules/rule-request.js'

/*
 * albatross/compiled's router (src/compiled/router.ts) over the compiled table's rules: it must
 * pick exactly the rule, and the `{name}` params, that the reference evaluator
 * (src/rules/evaluate.ts) picks on the same rules as a RuleTable. spec/alb.md §1.1: ascending
 * priority, the first rule whose conditions all hold wins; §1.2: conditions AND, a condition's
 * values OR; §2.4: a path value is case-sensitive and matches the whole path; §6 #8: a path with a
 * control character matches no path value (a rule without one may still match); §2.1, §2.2, §2.5,
 * §2.6: host, header, query and source-ip conditions, which it tests with the matchers the
 * decorators install (installed here as they do).
 */

// What @Host, @Header, @Query and @SourceIp install as they declare their conditions.
installConditionMatcher('host-header', compileHostMatcher)
installConditionMatcher('http-header', compileHeaderMatcher)
installConditionMatcher('query-string', compileQueryMatcher)
installConditionMatcher('source-ip', compileSourceIpMatcher)

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

/**
 * The other conditions, with values the requests below hit and miss: globs and regexes, case
 * (header, host and query compare case-insensitively, §2.1, §2.2, §2.5), a header's "present"
 * (`*`), x-forwarded-for (whose last element ALB appended, §6 #7b), a host with a port (§6 #7),
 * query keys and the key-less form, IPv4 and IPv6 blocks and a mapped address (§2.6).
 */
const condition: fc.Arbitrary<AlbCondition> = fc.oneof(
  fc.record({
    type: fc.constant('http-header' as const),
    name: fc.constantFrom('x-beta', 'X-Beta', 'accept', 'x-forwarded-for'),
    values: fc.subarray(['on', 'O*', '*', 'a?c', 'text/*', '10.*'], { maxLength: 2 }),
    regexValues: fc.subarray(['^off$', '^b.*'], { maxLength: 1 }),
  }).filter((c) => c.values.length + c.regexValues.length > 0),
  fc.record({
    type: fc.constant('host-header' as const),
    values: fc.subarray(['api.example.com', '*.example.com', 'API.EXAMPLE.COM', 'a?i.example.com'], { maxLength: 2 }),
    regexValues: fc.subarray(['^api\\.example\\.com:8443$'], { maxLength: 1 }),
  }).filter((c) => c.values.length + c.regexValues.length > 0),
  fc.record({
    type: fc.constant('query-string' as const),
    values: fc.array(fc.constantFrom({ key: 'v', value: '1' }, { key: 'v', value: '*' }, { key: 'V?', value: 'x*' }, { value: 'one' }, { key: 'q', value: 'a\\*b' }), { minLength: 1, maxLength: 2 }),
  }),
  fc.record({
    type: fc.constant('source-ip' as const),
    values: fc.subarray(['10.0.0.0/8', '192.168.1.0/24', '2001:db8::/32', '0.0.0.0/0'], { minLength: 1, maxLength: 2 }),
  }),
)

/** A compiled rule spec: no path (any path), no methods (any method), or either; other conditions sometimes. */
const ruleSpec = fc.record({
  glob: fc.option(glob, { freq: 6, nil: null }),
  methods: fc.option(fc.subarray(['GET', 'HEAD', 'POST', 'DELETE'], { minLength: 1 }), { freq: 2, nil: null }),
  named: fc.boolean(),
  gap: fc.integer({ min: 1, max: 5 }),
  conditions: fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.uniqueArray(condition, { minLength: 1, maxLength: 2, selector: (c) => c.type }) }),
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
    // As compiled/format.ts writes a rule: its other conditions only when it has some.
    compiled.push(spec.conditions.length === 0 ? [id, priority, spec.glob, captures, spec.methods, 0, `r${id}`] : [id, priority, spec.glob, captures, spec.methods, 0, `r${id}`, spec.conditions])
    const conditions: AlbCondition[] = []
    if (spec.glob !== null) conditions.push({ type: 'path-pattern', values: [spec.glob], regexValues: [] })
    if (spec.methods !== null) conditions.push({ type: 'http-request-method', values: spec.methods })
    conditions.push(...spec.conditions)
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

/**
 * What the other conditions look at, hitting and missing them: repeated headers and query keys
 * (any occurrence matches, §2.2, §2.5, which a single-value event keeps only the last of),
 * case, a Host with a port, client and peer addresses.
 */
const extras = fc.record({
  headers: fc.record(
    {
      'x-beta': fc.oneof(fc.constantFrom('on', 'ON', 'off', 'obscure', 'abc', 'b', ''), fc.constantFrom(['off', 'on'], ['on', 'off'], ['x', 'abc'])),
      accept: fc.constantFrom('text/html', 'application/json', 'TEXT/plain'),
      'x-forwarded-for': fc.constantFrom('10.1.2.3', '192.0.2.1, 10.9.9.9'),
    },
    { requiredKeys: [] },
  ),
  host: fc.constantFrom('api.example.com', 'API.example.com', 'api.example.com:8443', 'www.example.com', 'aXi.example.com', 'example.org'),
  query: fc.constantFrom('', 'v=1', 'v=2&v=1', 'v=1&v=2', 'V=1', 'Vx=X1', 'a=one', 'a=ONE&b=2', 'q=a*b', 'q=ab', 'v'),
  sourceIp: fc.constantFrom('10.1.2.3', '192.168.1.77', '2001:db8::1', '2001:db9::1', '203.0.113.10'),
  multiValue: fc.boolean(),
})

/**
 * The request as the app's router sees it: an ALB event in either header mode, read by the event
 * parser (alb/parse-event.ts), its path then set as given (albEvent wants a leading `/`, which a
 * malformed event may lack).
 */
function requestOf(method: string, path: string, extra: typeof extras extends fc.Arbitrary<infer T> ? T : never): RuleRequest {
  const event = albEvent({ method, path: '/', headers: extra.headers as Record<string, string | string[]>, host: extra.host, query: extra.query, sourceIp: extra.sourceIp, multiValue: extra.multiValue })
  event.path = path
  const request = parseEvent(event)
  if (!('mode' in request && 'headerValues' in request)) throw new Error(`not a request: ${JSON.stringify(request)}`)
  return request as AlbRequest
}

describe('compileTableRouter', () => {
  it('picks the reference evaluator’s rule and params: paths, methods and the other conditions, both header modes (500 generated tables)', () => {
    fc.assert(
      fc.property(tables, fc.array(fc.tuple(requests, extras), { minLength: 1, maxLength: 16 }), ({ compiled, table }, reqs) => {
        const router = compileTableRouter(compiled)
        const naive = createNaiveMatcher(table)
        for (const [{ method, path }, extra] of reqs) {
          const request = requestOf(method, path, extra)
          const got = router(request)
          const want = naive.match(request)
          const label = `${method} ${JSON.stringify(path)} ${JSON.stringify(extra)}`
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
  // The path as given: ruleRequest would split a `?` off as the query, which an event's path never holds.
  const req = (method: string, path: string, init: Parameters<typeof ruleRequest>[0] = {}): RuleRequest => ({ ...ruleRequest({ ...init, method }), path })

  it('tries a wildcard-first rule for every path, in table order with the literal-first ones (§1.1)', () => {
    const router = compileTableRouter([rule(0, '/users/me'), rule(1, '/*', null, ['rest']), rule(2, '/users/*', null, ['id'])])
    expect(router(req('GET', '/users/me'))).toEqual({ index: 0, params: {} })
    // The earlier wildcard-first rule wins over the later bucketed one.
    expect(router(req('GET', '/users/42'))).toEqual({ index: 1, params: { rest: 'users/42' } })
    expect(router(req('GET', '/other'))).toEqual({ index: 1, params: { rest: 'other' } })
  })

  it('keys by the whole first segment, case-sensitively: /users/* never takes /users-archive/1 or /Users/1 (§2.4)', () => {
    const router = compileTableRouter([rule(0, '/users/*', null, ['id']), rule(1, '/users', ['GET'])])
    expect(router(req('GET', '/users-archive/1'))).toBeUndefined()
    expect(router(req('GET', '/Users/1'))).toBeUndefined()
    expect(router(req('GET', '/users/1'))).toEqual({ index: 0, params: { id: '1' } })
    expect(router(req('GET', '/users'))).toEqual({ index: 1, params: {} })
    // HEAD is its own method: a GET-only rule does not take it.
    expect(router(req('HEAD', '/users'))).toBeUndefined()
  })

  it('matches no path value on a path with a control character, but a rule with no path still matches (§6 #8)', () => {
    const router = compileTableRouter([rule(0, '/*'), rule(1, null, ['GET'])])
    expect(router(req('GET', '/a\tb'))).toEqual({ index: 1, params: {} })
    expect(router(req('POST', '/a\tb'))).toBeUndefined()
    expect(router(req('POST', '/ab'))).toEqual({ index: 0, params: {} })
  })

  it('files nothing under a path that does not start with `/`: only unkeyed rules are tried', () => {
    const router = compileTableRouter([rule(0, '/users'), rule(1, '*users')])
    expect(router(req('GET', 'users'))).toEqual({ index: 1, params: {} })
    expect(router(req('GET', ''))).toBeUndefined()
  })

  it('tries a rule whose other condition fails, then the next one in its bucket (§1.1, §1.2)', () => {
    const beta: AlbCondition = { type: 'http-header', name: 'X-Beta', values: ['on'], regexValues: [] }
    const router = compileTableRouter([[0, 1, '/users/*', ['id'], ['GET'], 0, 'beta', [beta]], rule(1, '/users/*', ['GET'], ['id'])])
    expect(router(req('GET', '/users/7', { headers: { 'x-beta': 'ON' } }))).toEqual({ index: 0, params: { id: '7' } })
    expect(router(req('GET', '/users/7', { headers: { 'x-beta': 'off' } }))).toEqual({ index: 1, params: { id: '7' } })
    expect(router(req('GET', '/users/7'))).toEqual({ index: 1, params: { id: '7' } })
  })

  it('matches a header or query condition on any occurrence, which only a multi-value event holds (§2.2, §2.5, §6 #9)', () => {
    const router = compileTableRouter([[0, 1, null, [], null, 0, 'v1', [{ type: 'query-string', values: [{ key: 'v', value: '1' }] }]], rule(1, null)])
    const requestIn = (multiValue: boolean) => parseEvent(albEvent({ path: '/x', query: 'v=1&v=2', multiValue })) as AlbRequest
    expect(router(requestIn(true))?.index).toBe(0)
    // The single-value event kept the last `v`: the rule ALB would pick is out of reach.
    expect(router(requestIn(false))?.index).toBe(1)
  })

  it('tests a source-ip condition on the address ALB appended, not the client’s list (§2.6)', () => {
    const router = compileTableRouter([[0, 1, null, [], null, 0, 'inside', [{ type: 'source-ip', values: ['10.0.0.0/8'] }]]])
    const from = (sourceIp: string, forwarded?: string) => parseEvent(albEvent({ sourceIp, headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } })) as AlbRequest
    expect(router(from('10.1.2.3'))?.index).toBe(0)
    expect(router(from('192.0.2.1', '10.1.2.3'))).toBeUndefined()
  })
})
