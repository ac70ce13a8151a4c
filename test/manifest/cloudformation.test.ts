import type { ValidateFunction } from 'ajv'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import type { CfnListenerRule, CloudFormationTemplate } from '../../src/manifest/cloudformation.js'
import { cfnReference } from '../../src/manifest/cloudformation.js'
import { buildManifest, renderManifest } from '../../src/manifest/index.js'
import type { ManifestOptions } from '../../src/manifest/model.js'
import type { RuleTable } from '../../src/rules/types.js'
import { forward, hasSchemas, header, makeTable, notFound, options, pathIs, query, sampleTable, pathOnlyTable } from './factories.js'
import { elbv2Validators, withoutIntrinsics } from './schemas.js'

function template(table: RuleTable, overrides: Partial<ManifestOptions> = {}): CloudFormationTemplate {
  const built = buildManifest(table, options(overrides))
  if (built.format !== 'cloudformation') throw new Error(`got ${built.format}`)
  return built.document
}

const modes = [
  ['per-route', { defaultAction: notFound }],
  ['catch-all', {}],
  ['per-route with mapped targets and listener', { listener: 'arn:aws:elasticloadbalancing:us-east-1:1:listener/app/a/b/c', targets: { users: '!GetAtt UsersTg.TargetGroupArn', 'orders-api': 'OrdersTg' } }],
] as const

describe.skipIf(!hasSchemas)('cloudFormationTemplate against ../shared/schemas (skipped when absent)', () => {
  // The body of a skipped describe still runs: elbv2Validators reads the schemas only when they are there.
  const validators = elbv2Validators('ListenerRule', 'TargetGroup')
  const listener = elbv2Validators('Listener')['AWS::ElasticLoadBalancingV2::Listener'] as ValidateFunction

  it.each(modes)('emits ListenerRule and TargetGroup properties the schemas accept (%s)', (_, extra) => {
    const t = template(sampleTable(), extra)
    let checked = 0
    for (const [id, resource] of Object.entries(t.Resources)) {
      const validate = validators[resource.Type as keyof typeof validators]
      if (validate === undefined) continue
      const ok = validate(withoutIntrinsics(resource.Properties))
      expect(validate.errors ?? [], `${id} (${resource.Type})`).toEqual([])
      expect(ok).toBe(true)
      checked++
    }
    expect(checked).toBeGreaterThan(0)
  })

  it('emits default actions the Listener schema accepts as DefaultActions', () => {
    const t = template(sampleTable(), { defaultAction: notFound })
    const properties = { LoadBalancerArn: 'arn:lb', DefaultActions: t.Metadata?.['albatross:listener'].DefaultActions }
    expect(listener(withoutIntrinsics(properties)), JSON.stringify(listener.errors)).toBe(true)
  })

  it('fails validation for a property CloudFormation would reject (the check is live)', () => {
    const rule = validators['AWS::ElasticLoadBalancingV2::ListenerRule'] as ValidateFunction
    expect(rule({ Priority: '10', Conditions: [], Actions: [] })).toBe(false)
    expect(rule({ Priority: 10, Conditions: [{ Field: 'path-pattern', Bogus: 1 }], Actions: [{ Type: 'forward' }] })).toBe(false)
  })
})

describe('cloudFormationTemplate', () => {
  it('names each rule after its route, parts numbered, with the route in Metadata (DESIGN.md)', () => {
    const t = template(sampleTable())
    const rules = Object.entries(t.Resources).filter(
      (e): e is [string, CfnListenerRule] => e[1].Type === 'AWS::ElasticLoadBalancingV2::ListenerRule',
    )
    expect(rules.map(([id, r]) => [id, r.Metadata])).toEqual([
      ['UsersGetRule', { 'albatross:route': 'Users.get', 'albatross:part': '1/3' }],
      ['UsersGetRule2', { 'albatross:route': 'Users.get', 'albatross:part': '2/3' }],
      ['UsersGetRule3', { 'albatross:route': 'Users.get', 'albatross:part': '3/3' }],
      ['OrdersCreateRule', { 'albatross:route': 'Orders.create' }],
      ['LegacyRedirectRule', { 'albatross:route': 'Legacy.redirect' }],
      ['HealthCheckRule', { 'albatross:route': 'Health.check' }],
    ])
  })

  it('takes the listener and target group ARNs from parameters unless given', () => {
    const t = template(sampleTable())
    expect(Object.keys(t.Parameters ?? {})).toEqual(['ListenerArn', 'UsersTargetGroupArn', 'OrdersApiTargetGroupArn'])
    const rule = t.Resources['UsersGetRule']
    expect(rule?.Properties).toMatchObject({ ListenerArn: { Ref: 'ListenerArn' }, Actions: [{ Type: 'forward', TargetGroupArn: { Ref: 'UsersTargetGroupArn' } }] })

    const mapped = template(sampleTable(), { listener: '!Ref HttpsListener', targets: { users: 'arn:aws:tg/users', 'orders-api': '!ImportValue orders-tg' } })
    expect(mapped.Parameters).toBeUndefined()
    expect(mapped.Resources['UsersGetRule']?.Properties).toMatchObject({ ListenerArn: { Ref: 'HttpsListener' }, Actions: [{ TargetGroupArn: 'arn:aws:tg/users' }] })
    expect(mapped.Resources['OrdersCreateRule']?.Properties).toMatchObject({ Actions: [{ TargetGroupArn: { 'Fn::ImportValue': 'orders-tg' } }] })
  })

  it('writes StatusCode and Port as strings and Priority as an integer (spec/alb.md §5a)', () => {
    const t = template(sampleTable())
    expect(t.Resources['LegacyRedirectRule']?.Properties).toMatchObject({
      Priority: 1020,
      Actions: [{ Type: 'redirect', RedirectConfig: { StatusCode: 'HTTP_301', Port: '443', Protocol: 'HTTPS', Path: '/#{path}' } }],
    })
    expect(t.Resources['HealthCheckRule']?.Properties).toMatchObject({
      Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', ContentType: 'text/plain', MessageBody: 'ok' } }],
    })
  })

  it('puts the default action in template Metadata as the listener DefaultActions', () => {
    const t = template(sampleTable(), { defaultAction: notFound })
    expect(t.Metadata?.['albatross:listener'].DefaultActions).toEqual([
      { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'application/json', MessageBody: '{"message":"Not Found"}' } },
    ])
  })

  it('creates the Lambda target group, its multi-value attribute and the invoke permission in catch-all mode (spec/alb.md §4.1, §4.9)', () => {
    const t = template(sampleTable(), { mode: 'catch-all', multiValueHeaders: true })
    expect(t.Parameters).toEqual({
      ListenerArn: expect.objectContaining({ Type: 'String' }),
      FunctionArn: expect.objectContaining({ Type: 'String' }),
    })
    expect(t.Resources['DefaultTargetGroup']).toEqual({
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      DependsOn: 'DefaultInvokePermission',
      Properties: {
        Name: expect.objectContaining({ 'Fn::Join': expect.any(Array) }),
        TargetType: 'lambda',
        Targets: [{ Id: { Ref: 'FunctionArn' } }],
        // spec/alb.md §4.6: off by default for Lambda; the app answers `GET /` from ELB-HealthChecker with 200.
        HealthCheckEnabled: true,
        HealthCheckPath: '/',
        Matcher: { HttpCode: '200' },
        TargetGroupAttributes: [{ Key: 'lambda.multi_value_headers.enabled', Value: 'true' }],
      },
    })
    expect(t.Resources['DefaultInvokePermission']?.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'elasticloadbalancing.amazonaws.com',
    })
    expect(t.Resources['CatchAllRule']?.Properties).toMatchObject({
      Priority: 50000,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
      Actions: [{ Type: 'forward', TargetGroupArn: { Ref: 'DefaultTargetGroup' } }],
    })
    const off = template(pathOnlyTable(), { mode: 'catch-all', multiValueHeaders: false })
    expect(off.Resources['DefaultTargetGroup']?.Properties).toMatchObject({
      TargetGroupAttributes: [{ Key: 'lambda.multi_value_headers.enabled', Value: 'false' }],
    })
  })

  // Issue #11 item 6: AWS recommends scoping the invoke permission to the target group
  // (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html,
  // spec/alb.md §4.1); the group depends on the permission, so it names the group's ARN pattern.
  it('scopes the invoke permission to the target group by its name, without a dependency cycle (spec/alb.md §4.1)', () => {
    const t = template(sampleTable(), { mode: 'catch-all' })
    const group = t.Resources['DefaultTargetGroup'] as { DependsOn: string; Properties: { Name: unknown } }
    const permission = t.Resources['DefaultInvokePermission'] as { Properties: { SourceArn: unknown } }
    expect(permission.Properties.SourceArn).toEqual({
      'Fn::Sub': [
        'arn:${AWS::Partition}:elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:targetgroup/${Name}/*',
        { Name: group.Properties.Name },
      ],
    })
    expect(group.DependsOn).toBe('DefaultInvokePermission')
    // No cycle: the permission refers to no resource of the template, only to the stack id.
    expect(JSON.stringify(permission)).not.toMatch(/"Ref":"Default|Fn::GetAtt/)
    expect(JSON.stringify(group.Properties.Name)).toMatch(/"Ref":"AWS::StackId"/)
    // ELB's name rule: letters, digits and hyphens; the target part stays short enough for 32.
    const long = template(makeTable({ action: forward('a-very-long-target-name-for-the-users-api') }), { mode: 'catch-all' })
    const prefix = (long.Resources['AVeryLongTargetNameForTheUsersApiTargetGroup'] as unknown as { Properties: { Name: { 'Fn::Join': [string, [string]] } } })
      .Properties.Name['Fn::Join'][1][0]
    expect(prefix).toMatch(/^[a-z0-9][a-z0-9-]{0,19}$/)
    expect(prefix.length + 1 + 8).toBeLessThanOrEqual(32)
  })

  it('uses an existing target group for catch-all when targets maps it, creating none', () => {
    const t = template(sampleTable(), { mode: 'catch-all', targets: { default: 'arn:aws:tg/app' } })
    expect(Object.keys(t.Parameters ?? {})).toEqual(['ListenerArn'])
    expect(Object.keys(t.Resources)).toEqual(['CatchAllRule'])
    expect(t.Resources['CatchAllRule']?.Properties).toMatchObject({
      Actions: [{ Type: 'forward', TargetGroupArn: 'arn:aws:tg/app' }],
    })
  })

  it('keeps logical IDs unique when routes sanitise alike', () => {
    const t = template(makeTable({ source: 'A.b', conditions: [pathIs('/1')] }, { source: 'A_b', conditions: [pathIs('/2')] }))
    expect(Object.keys(t.Resources)).toEqual(['ABRule', 'ABRule2'])
  })
})

describe('renderCloudFormation', () => {
  const tricky = makeTable(
    {
      source: 'Tricky.values',
      conditions: [pathIs('/on', '/#x'), header('X-Flag', ['yes', 'off', '0755']), query({ key: 'n', value: '1:20' })],
      action: forward('default'),
    },
    { source: 'Other.one', conditions: [pathIs('/a')], action: notFound },
  )

  it.each([
    ['per-route', {}],
    ['catch-all', { mode: 'catch-all' }],
  ] as const)('writes YAML that parses back to the JSON form (%s)', (_, extra) => {
    for (const table of [sampleTable(), tricky]) {
      const yaml = renderManifest(table, options(extra))
      const json = renderManifest(table, options({ ...extra, json: true }))
      expect(parse(yaml)).toEqual(JSON.parse(json))
      // CloudFormation reads YAML 1.1, where yes/off/on are booleans and 1:20 is a number.
      expect(parse(yaml, { version: '1.1' })).toEqual(JSON.parse(json))
      expect(JSON.parse(json)).toEqual(template(table, extra))
    }
  })

  it('writes no YAML aliases for the repeated listener reference', () => {
    const yaml = renderManifest(sampleTable(), options())
    expect(yaml).not.toMatch(/[&*]a\d/)
    expect(yaml.match(/Ref: ListenerArn/g)).toHaveLength(6)
  })

  it('opens with a generated-file comment', () => {
    expect(renderManifest(sampleTable(), options())).toMatch(/^# Generated by albatross/)
  })
})

describe('cfnReference', () => {
  it.each([
    ['arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/a/b', 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/a/b'],
    ['UsersTg', { Ref: 'UsersTg' }],
    ['!Ref HttpsListener', { Ref: 'HttpsListener' }],
    ['!GetAtt UsersTg.TargetGroupArn', { 'Fn::GetAtt': ['UsersTg', 'TargetGroupArn'] }],
    ['!ImportValue shared-listener', { 'Fn::ImportValue': 'shared-listener' }],
    ['{{resolve:ssm:/alb/listener}}', '{{resolve:ssm:/alb/listener}}'],
  ])('reads %s', (text, expected) => {
    expect(cfnReference(text)).toEqual(expected)
  })
})
