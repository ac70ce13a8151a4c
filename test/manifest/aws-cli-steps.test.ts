import { describe, expect, it } from 'vitest'
import { app as shop } from '../../examples/shop/app.js'
import type { AwsCliStep } from '../../src/manifest/aws-cli.js'
import type { CfnLambdaPermission, CfnListenerRule, CfnTargetGroup, CloudFormationTemplate } from '../../src/manifest/cloudformation.js'
import { buildManifest, manifestPlaceholders, type ManifestOptions } from '../../src/manifest/index.js'
import type { RuleTable } from '../../src/rules/types.js'
import { makeTable, method, options, pathIs, sampleTable } from './factories.js'

/*
 * Issue #11 item 3: the AWS CLI catch-all manifest is a complete, ordered set of inputs for the
 * resources the CloudFormation template creates: the Lambda target group with its attribute, the
 * invoke permission scoped to that group (spec/alb.md §4.1: principal
 * elasticloadbalancing.amazonaws.com, recommended aws:SourceArn = the target group's ARN, and the
 * permission must exist before the group registers the function), the registration, and the rules
 * (authenticated rules before `/*`). 0.1.0 wrote only the create-rule inputs.
 */

const build = (table: RuleTable, extra: Partial<ManifestOptions>) => {
  const cli = buildManifest(table, options({ format: 'aws-cli', mode: 'catch-all', ...extra }))
  const cfn = buildManifest(table, options({ format: 'cloudformation', mode: 'catch-all', ...extra }))
  if (cli.format !== 'aws-cli' || cfn.format !== 'cloudformation') throw new Error('format')
  return { steps: cli.document, template: cfn.document }
}
const resources = <T>(template: CloudFormationTemplate, type: string): T[] =>
  Object.values(template.Resources).filter((r) => r.Type === type) as T[]
const step = <C extends AwsCliStep['command']>(steps: AwsCliStep[], command: C): Extract<AwsCliStep, { command: C }>['input'][] =>
  steps.filter((s) => s.command === command).map((s) => s.input as never)

describe('AWS CLI catch-all manifest', () => {
  for (const multiValueHeaders of [true, false]) {
    it(`creates what CloudFormation creates, in a runnable order (multi-value ${String(multiValueHeaders)})`, () => {
      const table = makeTable({ source: 'Files.get', conditions: [pathIs('/files/*'), method('GET')] })
      const { steps, template } = build(table, { multiValueHeaders })
      expect(steps.map((s) => s.command)).toEqual([
        'elbv2 create-target-group',
        'elbv2 modify-target-group-attributes',
        'lambda add-permission',
        'elbv2 register-targets',
        'elbv2 create-rule',
      ])
      const [group] = resources<CfnTargetGroup>(template, 'AWS::ElasticLoadBalancingV2::TargetGroup')
      const [permission] = resources<CfnLambdaPermission>(template, 'AWS::Lambda::Permission')
      const [rule] = resources<CfnListenerRule>(template, 'AWS::ElasticLoadBalancingV2::ListenerRule')
      const [create] = step(steps, 'elbv2 create-target-group')
      expect(create).toMatchObject({
        Name: '${TARGET_GROUP_NAME}',
        TargetType: group?.Properties.TargetType,
        HealthCheckEnabled: group?.Properties.HealthCheckEnabled,
        HealthCheckPath: group?.Properties.HealthCheckPath,
        Matcher: group?.Properties.Matcher,
      })
      expect(step(steps, 'elbv2 modify-target-group-attributes')).toEqual([
        { TargetGroupArn: '${TARGET_GROUP_ARN}', Attributes: group?.Properties.TargetGroupAttributes },
      ])
      expect(group?.Properties.TargetGroupAttributes).toEqual([{ Key: 'lambda.multi_value_headers.enabled', Value: String(multiValueHeaders) }])
      expect(step(steps, 'lambda add-permission')).toEqual([
        {
          FunctionName: '${FUNCTION_ARN}',
          StatementId: 'albatross-${TARGET_GROUP_NAME}',
          Action: permission?.Properties.Action,
          Principal: permission?.Properties.Principal,
          SourceArn: '${TARGET_GROUP_ARN}',
        },
      ])
      expect(step(steps, 'elbv2 register-targets')).toEqual([{ TargetGroupArn: '${TARGET_GROUP_ARN}', Targets: [{ Id: '${FUNCTION_ARN}' }] }])
      const [created] = step(steps, 'elbv2 create-rule')
      expect(created).toMatchObject({
        ListenerArn: '${LISTENER_ARN}',
        Priority: rule?.Properties.Priority,
        Conditions: rule?.Properties.Conditions,
        Actions: [{ Type: 'forward', TargetGroupArn: '${TARGET_GROUP_ARN}' }],
      })
    })
  }

  it('keeps authenticated rules ahead of the catch-all rule, with the same priorities as CloudFormation (the shop)', () => {
    const { steps, template } = build(shop.table, { multiValueHeaders: shop.needsMultiValueHeaders, defaultAction: shop.defaultAction })
    const rules = step(steps, 'elbv2 create-rule')
    const cfnRules = resources<CfnListenerRule>(template, 'AWS::ElasticLoadBalancingV2::ListenerRule')
    expect(rules.map((r) => r.Priority)).toEqual(cfnRules.map((r) => r.Properties.Priority))
    expect(rules.map((r) => r.Actions.map((a) => a.Type))).toEqual(cfnRules.map((r) => r.Properties.Actions.map((a) => a.Type)))
    expect(rules.at(-1)?.Priority).toBe(50000)
    expect(rules.some((r) => r.Actions[0]?.Type === 'authenticate-cognito')).toBe(true)
    // Every rule before any of them runs is in place: the group, its attribute, the permission.
    expect(steps.findIndex((s) => s.command === 'elbv2 create-rule')).toBe(4)
  })

  it('creates no target group when --target maps the catch-all target to an existing one', () => {
    const tg = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app/1'
    const { steps } = build(sampleTable(), { targets: { default: tg } })
    expect(steps.map((s) => s.command)).toEqual(['elbv2 modify-target-group-attributes', 'elbv2 create-rule'])
    expect(step(steps, 'elbv2 create-rule')[0]?.Actions).toEqual([{ Type: 'forward', TargetGroupArn: tg }])
  })

  it('lists its placeholders for envsubst, in first-use order (issue #11 item 4)', () => {
    expect(manifestPlaceholders(sampleTable(), options({ format: 'aws-cli', mode: 'catch-all' }))).toEqual([
      'TARGET_GROUP_NAME',
      'TARGET_GROUP_ARN',
      'FUNCTION_ARN',
      'LISTENER_ARN',
    ])
    expect(manifestPlaceholders(sampleTable(), options({ format: 'aws-cli', mode: 'per-route' }))).toEqual([
      'USERS_TARGET_GROUP_ARN',
      'ORDERS_API_TARGET_GROUP_ARN',
      'LISTENER_ARN',
    ])
    // An OIDC client secret is never written: its placeholder is on the list too.
    const oidc = makeTable({
      source: 'Account.get',
      conditions: [pathIs('/account')],
      auth: { type: 'authenticate-oidc', issuer: 'https://idp.example.com', authorizationEndpoint: 'https://idp.example.com/a', tokenEndpoint: 'https://idp.example.com/t', userInfoEndpoint: 'https://idp.example.com/u', clientId: 'web' },
    })
    expect(manifestPlaceholders(oidc, options({ format: 'aws-cli', mode: 'catch-all' }))).toContain('OIDC_CLIENT_SECRET')
  })
})
