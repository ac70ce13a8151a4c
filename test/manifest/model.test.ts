import { describe, expect, it } from 'vitest'
import { buildModel } from '../../src/manifest/model.js'
import { forward, makeTable, manifestErrorOf, method, notFound, options, pathIs, sampleTable, pathOnlyTable } from './factories.js'


describe('buildModel', () => {
  it('emits one rule per split part with the table priorities plus the offset', () => {
    const model = buildModel(sampleTable(), options({ priorityOffset: 20000 }))
    expect(model.rules.map((r) => [r.source, r.priority])).toEqual([
      ['Users.get', 21000],
      ['Users.get', 21001],
      ['Users.get', 21002],
      ['Orders.create', 21010],
      ['Legacy.redirect', 21020],
      ['Health.check', 21030],
    ])
  })

  it('spaces split parts by priorityStep', () => {
    const model = buildModel(sampleTable(), options({ priorityStep: 3 }))
    expect(model.rules.slice(0, 3).map((r) => r.priority)).toEqual([1000, 1003, 1006])
  })

  it('writes every condition in the XxxConfig form with Field set, one kind of values each (spec/alb.md §5)', () => {
    const model = buildModel(sampleTable(), options())
    for (const rule of model.rules) {
      for (const c of rule.conditions) {
        expect(Object.keys(c)).toHaveLength(2)
        expect(c.Field).toBeTypeOf('string')
        expect(c).not.toHaveProperty('Values')
      }
    }
    expect(model.rules[2]?.conditions[0]).toEqual({ Field: 'path-pattern', PathPatternConfig: { RegexValues: ['^/id/[0-9]+(\\?.*)?$'] } })
    expect(model.rules[3]?.conditions[2]).toEqual({
      Field: 'query-string',
      QueryStringConfig: { Values: [{ Key: 'version', Value: 'v1' }, { Value: '*beta*' }] },
    })
  })

  it('lists each distinct target once, mapped ones with their reference', () => {
    const model = buildModel(sampleTable(), options({ targets: { users: 'arn:aws:elasticloadbalancing:tg/users' }, defaultAction: forward('fallback') }))
    expect(model.targets).toEqual([
      { name: 'users', ref: 'arn:aws:elasticloadbalancing:tg/users' },
      { name: 'orders-api', ref: undefined },
      { name: 'fallback', ref: undefined },
    ])
  })

  it('makes catch-all one /* rule at priority 50000 forwarding to a Lambda target group (spec/alb.md §4.1)', () => {
    const model = buildModel(pathOnlyTable(), options({ mode: 'catch-all', multiValueHeaders: false, defaultAction: notFound }))
    expect(model.rules).toEqual([
      {
        source: 'catch-all',
        part: 1,
        parts: 1,
        priority: 50000,
        conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
        action: { type: 'forward', target: 'default' },
      },
    ])
    expect(model.lambdaTargetGroup).toEqual({ target: 'default', multiValueHeaders: false })
    // The Lambda answers unmatched requests itself: nothing for the listener's default action.
    expect(model.defaultAction).toBeUndefined()
  })

  it("names the catch-all target after the table's only target; --catch-all-priority moves its rule", () => {
    const table = makeTable({ conditions: [pathIs('/a')], action: forward('api') })
    const model = buildModel(table, options({ mode: 'catch-all', catchAllPriority: 40000 }))
    expect(model.rules[0]?.priority).toBe(40000)
    expect(model.targets).toEqual([{ name: 'api', ref: undefined }])
  })

  // Issue #11 item 8: the help says the offset is added to every priority; 50000 + n leaves ALB's
  // range (spec/alb.md §1.1), and replacing the priority could put `/*` before the listener's rules.
  it('refuses a priority offset in catch-all mode, saying why and what to use instead', () => {
    const error = manifestErrorOf(() => buildModel(sampleTable(), options({ mode: 'catch-all', priorityOffset: 100 })))
    expect(error.code).toBe('ERR_MANIFEST_INPUT')
    expect(error.message).toMatch(/--priority-offset applies to per-route rules; the catch-all manifest has one rule at priority 50000, the last.*--catch-all-priority/)
  })

  // Issue #11 item 7: a misspelt --target used to be dropped, leaving a parameter to fill in.
  it('refuses a target name the manifest does not forward to, naming the known ones', () => {
    const perRoute = manifestErrorOf(() => buildModel(sampleTable(), options({ targets: { catalogue: 'arn:tg' } })))
    expect(perRoute.code).toBe('ERR_MANIFEST_INPUT')
    expect(perRoute.message).toBe('unknown target "catalogue": the per-route manifest forwards to "users", "orders-api"; check the name given to --target name=arn')
    const catchAll = manifestErrorOf(() => buildModel(sampleTable(), options({ mode: 'catch-all', targets: { users: 'arn:tg' } })))
    expect(catchAll.message).toMatch(/^unknown target "users": the catch-all manifest forwards to "default" \(every route runs in the one Lambda behind it\)/)
  })

  it('creates no target group in catch-all mode when targets maps the target', () => {
    const model = buildModel(sampleTable(), options({ mode: 'catch-all', targets: { default: 'arn:tg' } }))
    expect(model.lambdaTargetGroup).toBeUndefined()
  })

  it('carries the header mode every Lambda target group needs, in both modes (spec/alb.md §4.9)', () => {
    for (const mode of ['catch-all', 'per-route'] as const) {
      expect(buildModel(pathOnlyTable(), options({ mode, multiValueHeaders: true })).multiValueHeaders).toBe(true)
      expect(buildModel(pathOnlyTable(), options({ mode, multiValueHeaders: false })).multiValueHeaders).toBe(false)
      // Issue #11 item 1: a header or query condition needs it whatever the caller says (§2.2, §2.5, §6 #9).
      expect(buildModel(sampleTable(), options({ mode, multiValueHeaders: false })).multiValueHeaders).toBe(true)
    }
  })

  it('rejects a table over the 100-rule quota, saying how to raise it (spec/alb.md §1.5)', () => {
    const rules = Array.from({ length: 101 }, (_, i) => ({ conditions: [pathIs(`/r${i}`)] }))
    const error = manifestErrorOf(() => buildModel(makeTable(...rules), options()))
    expect(error.code).toBe('ERR_MANIFEST_QUOTA')
    expect(error.message).toMatch(/needs 101 listener rules, 1 over the quota of 100 rules per load balancer/)
    expect(error.message).toMatch(/Service Quotas: "Rules per Application Load Balancer".*--max-rules 101/)
    expect(buildModel(makeTable(...rules), options({ maxRules: 101 })).rules).toHaveLength(101)
    // Split parts count: 34 rules of 4 values each need 68 ALB rules.
    const split = Array.from({ length: 34 }, (_, i) => ({ conditions: [pathIs(`/a${i}`, `/b${i}`, `/c${i}`, `/d${i}`)] }))
    expect(manifestErrorOf(() => buildModel(makeTable(...split), options({ maxRules: 60 }))).message).toMatch(/needs 68 listener rules/)
  })

  it('rejects a priority offset that pushes a rule past 50000', () => {
    const error = manifestErrorOf(() => buildModel(sampleTable(), options({ priorityOffset: 49500 })))
    expect(error.code).toBe('ERR_MANIFEST_PRIORITY')
    expect(error.source).toBe('Users.get')
  })

  it('rejects actions ALB would refuse (spec/alb.md §1.6)', () => {
    const fixed = makeTable({ action: { type: 'fixed-response', statusCode: 302 } })
    expect(manifestErrorOf(() => buildModel(fixed, options())).message).toMatch(/not 2XX, 4XX or 5XX/)
    const loop = makeTable({ action: { type: 'redirect', statusCode: 301, query: 'a=1' } })
    expect(manifestErrorOf(() => buildModel(loop, options())).message).toMatch(/must change its protocol, host, port or path/)
  })

  it('rejects unknown formats, modes and bad numbers instead of emitting something', () => {
    const table = makeTable({ conditions: [method('GET')] })
    expect(manifestErrorOf(() => buildModel(table, options({ format: 'pulumi' as never }))).message).toMatch(/unknown manifest format "pulumi"/)
    expect(manifestErrorOf(() => buildModel(table, options({ mode: 'all' as never }))).code).toBe('ERR_MANIFEST_INPUT')
    expect(manifestErrorOf(() => buildModel(table, options({ priorityStep: 0 }))).message).toMatch(/priorityStep must be an integer ≥ 1/)
    expect(manifestErrorOf(() => buildModel(table, options({ maxRules: 1.5 }))).message).toMatch(/maxRules/)
  })

  it('rejects an empty table in per-route mode', () => {
    expect(manifestErrorOf(() => buildModel({ rules: [] }, options())).message).toMatch(/route table is empty/)
    expect(buildModel({ rules: [] }, options({ mode: 'catch-all' })).rules).toHaveLength(1)
  })
})

import { queryTolerant } from '../../src/manifest/api-shapes.js'

describe('queryTolerant', () => {
  // spec/alb.md §6 #3: make emitted path regexes agree whether or not ALB's comparand includes ?query.
  it('lets an optional query follow a $ anchor', () => {
    expect(queryTolerant('^/a/[0-9]+$')).toBe('^/a/[0-9]+(\\?.*)?$')
    expect(new RegExp(queryTolerant('^/a/[0-9]+$')).test('/a/12?x=1')).toBe(true)
    expect(new RegExp(queryTolerant('^/a/[0-9]+$')).test('/a/12')).toBe(true)
  })
  it('leaves unanchored and escaped-dollar regexes alone', () => {
    expect(queryTolerant('^/a')).toBe('^/a')
    expect(queryTolerant('^/price\\$')).toBe('^/price\\$')
  })
  it('keeps the regex when the suffix would pass 128 characters', () => {
    const long = '^/' + 'a'.repeat(122) + '$'
    expect(queryTolerant(long)).toBe(long)
  })
})
