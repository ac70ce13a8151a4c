import { describe, expect, it } from 'vitest'
import { diffDeployed } from '../../src/manifest/describe-rules.js'
import { ManifestError } from '../../src/manifest/errors.js'
import type { ManifestOptions } from '../../src/manifest/model.js'
import { notFound, options, sampleTable } from './factories.js'

const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/my-alb/50dc6c495c0c9188/f2f7dc8efc522ab2'
const USERS_TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/users/73e2d6bc24d8a067'
const ORDERS_TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders/8a3f1c2b4d5e6f70'
const ruleArn = (n: number) => `${LISTENER.replace(':listener/', ':listener-rule/')}/${n.toString(16).padStart(16, '0')}`

/** As `aws elbv2 describe-rules` prints a forward action: both the short and the ForwardConfig form. */
const forwardTo = (arn: string) => ({
  Type: 'forward',
  Order: 1,
  TargetGroupArn: arn,
  ForwardConfig: { TargetGroups: [{ TargetGroupArn: arn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } },
})

const usersConditions = (paths: object) => [
  // Conditions in another order than the manifest's; host/path repeat the legacy top-level Values.
  { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['HEAD', 'GET'] } },
  { Field: 'path-pattern', ...paths },
]

/**
 * describe-rules for the sample app: Users.get deployed exactly, Orders.create with a changed query
 * value, Health.check missing, a hand-made rule at 2000, and the default rule.
 */
function deployed(): unknown {
  return {
    Rules: [
      {
        RuleArn: ruleArn(1),
        Priority: '1000',
        Conditions: usersConditions({ Values: ['/users/*', '/u/*', '/people/*'], PathPatternConfig: { Values: ['/users/*', '/u/*', '/people/*'] } }),
        Actions: [forwardTo(USERS_TG)],
        IsDefault: false,
      },
      {
        RuleArn: ruleArn(2),
        Priority: '1001',
        // Created with the legacy form: only top-level Values.
        Conditions: usersConditions({ Values: ['/p/*'] }),
        Actions: [forwardTo(USERS_TG)],
        IsDefault: false,
      },
      {
        RuleArn: ruleArn(3),
        Priority: '1002',
        Conditions: usersConditions({ PathPatternConfig: { RegexValues: ['^/id/[0-9]+(\\?.*)?$'] } }),
        Actions: [forwardTo(USERS_TG)],
        IsDefault: false,
      },
      {
        RuleArn: ruleArn(4),
        Priority: '1010',
        Conditions: [
          { Field: 'path-pattern', Values: ['/orders'], PathPatternConfig: { Values: ['/orders'] } },
          { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['POST'] } },
          { Field: 'query-string', QueryStringConfig: { Values: [{ Value: '*beta*' }, { Key: 'version', Value: 'v2' }] } },
          { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'content-type', Values: ['application/json*'] } },
        ],
        Actions: [forwardTo(ORDERS_TG)],
        IsDefault: false,
      },
      {
        RuleArn: ruleArn(5),
        Priority: '1020',
        Conditions: [{ Field: 'host-header', Values: ['OLD.example.com'], HostHeaderConfig: { Values: ['OLD.example.com'] } }],
        // AWS stores unset redirect components as their #{…} placeholders (spec/alb.md §1.6).
        Actions: [
          {
            Type: 'redirect',
            Order: 1,
            RedirectConfig: { Protocol: 'HTTPS', Port: '443', Host: '#{host}', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301' },
          },
        ],
        IsDefault: false,
      },
      {
        RuleArn: ruleArn(6),
        Priority: '2000',
        Conditions: [{ Field: 'path-pattern', Values: ['/admin/*'], PathPatternConfig: { Values: ['/admin/*'] } }],
        Actions: [{ Type: 'fixed-response', Order: 1, FixedResponseConfig: { StatusCode: '403', ContentType: 'text/plain', MessageBody: 'no' } }],
        IsDefault: false,
      },
      {
        RuleArn: ruleArn(7),
        Priority: 'default',
        Conditions: [],
        Actions: [
          { Type: 'fixed-response', Order: 1, FixedResponseConfig: { StatusCode: '404', ContentType: 'application/json', MessageBody: '{"message":"Not Found"}' } },
        ],
        IsDefault: true,
      },
    ],
  }
}

const opts = (extra: Partial<ManifestOptions> = {}) =>
  options({ format: 'aws-cli', targets: { users: USERS_TG, 'orders-api': ORDERS_TG }, defaultAction: notFound, ...extra })

describe('diffDeployed', () => {
  it('reports the missing, the extra and the changed rule, and nothing else', () => {
    const diff = diffDeployed(sampleTable(), opts(), deployed())
    expect(diff.missing).toEqual([{ priority: 1030, source: 'Health.check' }])
    expect(diff.extra).toEqual([{ priority: 2000, ruleArn: ruleArn(6) }])
    expect(diff.changed).toEqual([
      {
        priority: 1010,
        source: 'Orders.create',
        field: 'Conditions[query-string]',
        expected: [{ Field: 'query-string', Values: [{ Key: 'version', Value: 'v1' }, { Value: '*beta*' }] }],
        actual: [{ Field: 'query-string', Values: [{ Key: 'version', Value: 'v2' }, { Value: '*beta*' }] }],
      },
    ])
  })

  it('finds no difference when the listener holds exactly the manifest', () => {
    const output = deployed() as { Rules: Record<string, unknown>[] }
    output.Rules = output.Rules.filter((r) => r['Priority'] !== '2000')
    const orders = output.Rules.find((r) => r['Priority'] === '1010') as { Conditions: { Field: string; QueryStringConfig?: unknown }[] }
    orders.Conditions[2] = { Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'version', Value: 'v1' }, { Value: '*beta*' }] } }
    output.Rules.push({
      RuleArn: ruleArn(8),
      Priority: '1030',
      Conditions: [
        { Field: 'source-ip', SourceIpConfig: { Values: ['2001:db8::/32', '10.0.0.0/8'] } },
        { Field: 'path-pattern', Values: ['/health'], PathPatternConfig: { Values: ['/health'] } },
      ],
      Actions: [{ Type: 'fixed-response', Order: 1, FixedResponseConfig: { StatusCode: '200', ContentType: 'text/plain', MessageBody: 'ok' } }],
      IsDefault: false,
    })
    expect(diffDeployed(sampleTable(), opts(), output)).toEqual({ missing: [], extra: [], changed: [], uncompared: [] })
  })

  it('reports a wrong target group, and matches any target group for an unmapped target', () => {
    const swapped = diffDeployed(sampleTable(), opts({ targets: { users: ORDERS_TG, 'orders-api': ORDERS_TG } }), deployed())
    expect(swapped.changed.filter((c) => c.field === 'Actions').map((c) => c.priority)).toEqual([1000, 1001, 1002])
    expect(swapped.changed[0]).toMatchObject({ expected: [{ Type: 'forward', TargetGroupArn: ORDERS_TG }], actual: [{ Type: 'forward', TargetGroupArn: USERS_TG }] })
    const unmapped = diffDeployed(sampleTable(), opts({ targets: {} }), deployed())
    expect(unmapped.changed.map((c) => c.field)).toEqual(['Conditions[query-string]'])
  })

  it('compares the default rule with the default action', () => {
    const diff = diffDeployed(sampleTable(), opts({ defaultAction: { type: 'fixed-response', statusCode: 503 } }), deployed())
    expect(diff.changed).toContainEqual({
      priority: 'default',
      source: 'default action',
      field: 'DefaultActions',
      expected: [{ Type: 'fixed-response', StatusCode: '503' }],
      actual: [{ Type: 'fixed-response', StatusCode: '404', ContentType: 'application/json', MessageBody: '{"message":"Not Found"}' }],
    })
  })

  it('applies the priority offset before comparing', () => {
    const diff = diffDeployed(sampleTable(), opts({ priorityOffset: 10 }), deployed())
    expect(diff.missing.map((m) => m.priority)).toEqual([1011, 1012, 1030, 1040])
    expect(diff.extra.map((m) => m.priority)).toEqual([1000, 1001, 1002, 2000])
    // Users.get part 1 now sits at 1010, where Orders.create is deployed.
    expect(diff.changed.find((c) => c.priority === 1010)).toMatchObject({ source: 'Users.get', field: 'Conditions[http-header content-type]' })
  })

  it('accepts a bare Rules array and rejects anything that is not describe-rules output', () => {
    const rules = (deployed() as { Rules: unknown[] }).Rules
    expect(diffDeployed(sampleTable(), opts(), rules).missing).toHaveLength(1)
    for (const bad of [null, 'text', { Rules: 'x' }, { Rules: [42] }, { Rules: [{ Priority: 'soon' }] }]) {
      expect(() => diffDeployed(sampleTable(), opts(), bad)).toThrow(ManifestError)
    }
  })
})

// Issue #11 item 7: without --target, a rule forwarding to the wrong target group used to pass.
describe('diffDeployed target groups without ARNs', () => {
  const swap = (from: string, to: string, priority: string) => {
    const rules = structuredClone(deployed()) as { Rules: { Priority: string; Actions: { TargetGroupArn?: string }[] }[] }
    const rule = rules.Rules.find((r) => r.Priority === priority)
    if (rule?.Actions[0]?.TargetGroupArn !== from) throw new Error('fixture changed')
    rule.Actions[0] = { ...forwardTo(to) }
    return rules
  }

  it('reports a rule whose target group differs from the other rules of its target, and lists the uncompared targets', () => {
    const diff = diffDeployed(sampleTable(), opts({ targets: {} }), swap(USERS_TG, `${USERS_TG}-other`, '1001'))
    expect(diff.uncompared).toEqual(['users', 'orders-api'])
    expect(diff.changed.filter((c) => c.field === 'TargetGroup')).toEqual([
      {
        priority: 1001,
        source: 'Users.get',
        field: 'TargetGroup',
        expected: `the target group of the other "users" rules (${USERS_TG}, priority 1000)`,
        actual: `${USERS_TG}-other`,
      },
    ])
  })

  it('reports two targets deployed to one target group', () => {
    const diff = diffDeployed(sampleTable(), opts({ targets: {} }), swap(ORDERS_TG, USERS_TG, '1010'))
    expect(diff.changed.filter((c) => c.field === 'TargetGroup')).toMatchObject([
      { priority: 1010, source: 'Orders.create', expected: 'a target group of its own for target "orders-api"' },
    ])
  })

  it('compares nothing for consistency once every target has an ARN', () => {
    const diff = diffDeployed(sampleTable(), opts({ targets: { users: USERS_TG, 'orders-api': ORDERS_TG } }), deployed())
    expect(diff.uncompared).toEqual([])
    expect(diff.changed.filter((c) => c.field === 'TargetGroup')).toEqual([])
  })
})
