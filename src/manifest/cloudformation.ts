import { Document } from 'yaml'
import type { ApiAction, ApiCondition } from './api-shapes.js'
import { apiAction, apiActions } from './api-shapes.js'
import type { LambdaTargetGroup, ManifestModel, ModelTarget } from './model.js'
import { inputTargetsNeedingMultiValue, MULTI_VALUE_ATTRIBUTE, MULTI_VALUE_REQUIREMENT, secretOf } from './model.js'
import { NameRegistry, pascalName } from './names.js'

/** A string, or an intrinsic function standing where CloudFormation expects one. */
export type CfnString =
  | string
  | { Ref: string }
  | { 'Fn::GetAtt': [string, string] }
  | { 'Fn::ImportValue': string }
  | { 'Fn::Join': [string, unknown[]] }
  | { 'Fn::Sub': [string, Record<string, unknown>] }

export interface CfnParameter {
  Type: 'String'
  Description: string
  /** Client secrets: CloudFormation masks the value in every output and event. */
  NoEcho?: true
}

export interface CfnListenerRule {
  Type: 'AWS::ElasticLoadBalancingV2::ListenerRule'
  Metadata: Record<string, string>
  Properties: {
    ListenerArn: CfnString
    Priority: number
    Conditions: ApiCondition[]
    Actions: ApiAction<CfnString>[]
  }
}

export interface CfnTargetGroup {
  Type: 'AWS::ElasticLoadBalancingV2::TargetGroup'
  /** The invoke permission must exist before the target group registers the function (§4.1). */
  DependsOn: string
  Properties: {
    /** Known before the group exists, so the permission can name its ARN without a cycle. */
    Name: CfnString
    TargetType: 'lambda'
    Targets: { Id: CfnString }[]
    HealthCheckEnabled: boolean
    HealthCheckPath: string
    Matcher: { HttpCode: string }
    TargetGroupAttributes: { Key: string; Value: string }[]
  }
}

export interface CfnLambdaPermission {
  Type: 'AWS::Lambda::Permission'
  Properties: {
    FunctionName: CfnString
    Action: 'lambda:InvokeFunction'
    Principal: 'elasticloadbalancing.amazonaws.com'
    /** The target group's ARN pattern: only that group may invoke the function (spec/alb.md §4.1). */
    SourceArn: CfnString
  }
}

export type CfnResource = CfnListenerRule | CfnTargetGroup | CfnLambdaPermission

export interface CloudFormationTemplate {
  AWSTemplateFormatVersion: '2010-09-09'
  Description: string
  /**
   * Per-route mode with a default action: the listener's `DefaultActions`. A default rule is not a
   * ListenerRule resource (spec/alb.md §1.1), and the listener itself belongs to the user's stack.
   */
  Metadata?: {
    'albatross:listener': { Description: string; DefaultActions: ApiAction<CfnString>[] }
  }
  Parameters?: Record<string, CfnParameter>
  Resources: Record<string, CfnResource>
  Outputs?: Record<string, { Description: string; Value: CfnString }>
}

const ROUTE_KEY = 'albatross:route'
const PART_KEY = 'albatross:part'

/**
 * A reference given on the command line: an ARN or `{{resolve:…}}` stays a string; `!Ref X`,
 * `!GetAtt A.b`, `!ImportValue X` and a bare logical ID become the intrinsic function.
 */
export function cfnReference(text: string): CfnString {
  const t = text.trim()
  if (t.startsWith('arn:') || t.startsWith('{{resolve:')) return t
  const ref = /^!Ref\s+([A-Za-z0-9:]+)$/.exec(t) ?? /^([A-Za-z0-9]+)$/.exec(t)
  if (ref !== null) return { Ref: ref[1] as string }
  const att = /^!GetAtt\s+([A-Za-z0-9]+)\.(\S+)$/.exec(t)
  if (att !== null) return { 'Fn::GetAtt': [att[1] as string, att[2] as string] }
  const imported = /^!ImportValue\s+(\S+)$/.exec(t)
  if (imported !== null) return { 'Fn::ImportValue': imported[1] as string }
  return t
}

export function cloudFormationTemplate(model: ManifestModel): CloudFormationTemplate {
  const ids = new NameRegistry('')
  const parameters: Record<string, CfnParameter> = {}
  const resources: Record<string, CfnResource> = {}
  const parameter = (base: string, description: string): CfnString => {
    const id = ids.take(base)
    parameters[id] = { Type: 'String', Description: description }
    return { Ref: id }
  }

  const listener =
    model.listener === undefined
      ? parameter('ListenerArn', 'ARN of the ALB listener the rules attach to')
      : cfnReference(model.listener)

  const outputs: NonNullable<CloudFormationTemplate['Outputs']> = {}
  const arns = new Map<string, CfnString>()
  // Target groups given as inputs cannot have their attribute set here: their parameter says
  // what it must be, and an Output repeats it where `aws cloudformation describe-stacks` and the
  // console show it (issue #11 item 2).
  const needMultiValue = inputTargetsNeedingMultiValue(model).map((t) => t.name)
  for (const target of model.targets) {
    arns.set(target.name, targetArn(target, model, parameter, needMultiValue.includes(target.name)))
  }
  const lambda = model.lambdaTargetGroup
  if (lambda !== undefined) {
    const fn = parameter('FunctionArn', 'ARN of the Lambda function (or alias) that serves the app')
    const { group, resources: created } = lambdaTargetResources(lambda, fn, ids)
    Object.assign(resources, created)
    arns.set(lambda.target, { Ref: group })
    outputs['TargetGroupArn'] = { Description: 'ARN of the Lambda target group', Value: { Ref: group } }
  }
  if (needMultiValue.length > 0) {
    const names = needMultiValue.map((n) => `"${n}"`).join(', ')
    outputs['TargetGroupAttributes'] = {
      Description: `Every target group these rules forward to (target${needMultiValue.length === 1 ? '' : 's'} ${names}) ${MULTI_VALUE_REQUIREMENT}`,
      Value: 'lambda.multi_value_headers.enabled=true',
    }
  }
  const arnOf = (target: string): CfnString => arns.get(target) ?? target
  // Never the secret itself: a NoEcho parameter, or the dynamic reference the app declared.
  const secrets = new Map<object, CfnString>()
  for (const secret of model.secrets) {
    if (secret.dynamicReference !== undefined) {
      secrets.set(secret, secret.dynamicReference)
      continue
    }
    const id = ids.take('OidcClientSecret')
    parameters[id] = {
      Type: 'String',
      Description: `Client secret of OIDC client "${secret.clientId}" at ${secret.issuer} (authenticate-oidc)`,
      NoEcho: true,
    }
    secrets.set(secret, { Ref: id })
  }

  for (const rule of model.rules) {
    const id = ids.take(`${pascalName(rule.source)}Rule${rule.part > 1 ? rule.part : ''}`)
    const metadata: Record<string, string> = { [ROUTE_KEY]: rule.source }
    if (rule.parts > 1) metadata[PART_KEY] = `${rule.part}/${rule.parts}`
    resources[id] = {
      Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      Metadata: metadata,
      Properties: {
        ListenerArn: listener,
        Priority: rule.priority,
        Conditions: [...rule.conditions],
        Actions: apiActions(rule, arnOf, (auth) => secrets.get(secretOf(model, auth)) as CfnString),
      },
    }
  }

  const count = `${model.rules.length} rule${model.rules.length === 1 ? '' : 's'}`
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `ALB listener rules generated by albatross (${model.mode}, ${count})`,
    ...(model.defaultAction !== undefined && {
      Metadata: {
        'albatross:listener': {
          Description:
            "The app's default action: set these as the DefaultActions of the listener " +
            '(AWS::ElasticLoadBalancingV2::Listener)',
          DefaultActions: [apiAction(model.defaultAction, arnOf)],
        },
      },
    }),
    ...(Object.keys(parameters).length > 0 && { Parameters: parameters }),
    Resources: resources,
    ...(Object.keys(outputs).length > 0 && { Outputs: outputs }),
  }
}

/** A Lambda target group and the permission it needs, with their logical IDs. */
export interface LambdaTargetResources {
  /** Logical ID of the `AWS::ElasticLoadBalancingV2::TargetGroup`. */
  readonly group: string
  /** Logical ID of the `AWS::Lambda::Permission`. */
  readonly permission: string
  readonly resources: Record<string, CfnResource>
}

/**
 * The target group that registers function `fn` for `lambda.target`, with the header mode the app
 * needs (spec/alb.md §4.9), and the permission that lets ELB invoke it (§4.1). The catch-all
 * template creates these for its target; `albatross/cdk` creates them for every function target,
 * so both deploy the same resources.
 */
export function lambdaTargetResources(
  lambda: LambdaTargetGroup,
  fn: CfnString,
  ids: NameRegistry,
  tag?: string,
): LambdaTargetResources {
  const base = pascalName(lambda.target, 'App')
  const permission = ids.take(`${base}InvokePermission`)
  const group = ids.take(`${base}TargetGroup`)
  // The target group must depend on the permission to register the function (spec/alb.md §4.1),
  // so the permission cannot `Ref` the group: a cycle (AWS knowledge center,
  // "cloudformation-lambda-dependency"). Naming the group from the stack's own id breaks it: the
  // permission names the ARN pattern `targetgroup/<name>/*` (Lambda matches aws:SourceArn with
  // ArnLike), so only this group may invoke the function, as AWS recommends
  // (lambda-functions.html) and the Terraform output does with source_arn.
  const name = targetGroupName(lambda.target, tag)
  const resources: Record<string, CfnResource> = {
    [permission]: {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        FunctionName: fn,
        Action: 'lambda:InvokeFunction',
        Principal: 'elasticloadbalancing.amazonaws.com',
        SourceArn: {
          'Fn::Sub': [
            'arn:${AWS::Partition}:elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:targetgroup/${Name}/*',
            { Name: name },
          ],
        },
      },
    },
    [group]: {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      DependsOn: permission,
      Properties: {
        Name: name,
        TargetType: 'lambda',
        Targets: [{ Id: fn }],
        // Off by default for Lambda (spec/alb.md §4.6). On, ALB sends `GET /` with user-agent
        // ELB-HealthChecker/2.0 every 35 s, which the app answers 200 without running a route
        // (`healthCheck: 'ok'`, the default), so a function that cannot start shows as unhealthy.
        HealthCheckEnabled: true,
        HealthCheckPath: '/',
        Matcher: { HttpCode: '200' },
        TargetGroupAttributes: [
          { Key: MULTI_VALUE_ATTRIBUTE, Value: String(lambda.multiValueHeaders) },
        ],
      },
    },
  }
  return { group, permission, resources }
}

function targetArn(
  target: ModelTarget,
  model: ManifestModel,
  parameter: (base: string, description: string) => CfnString,
  multiValue: boolean,
): CfnString {
  if (target.ref !== undefined) return cfnReference(target.ref)
  // The catch-all target group is a resource of this template; its Ref replaces this later.
  if (model.lambdaTargetGroup?.target === target.name) return target.name
  return parameter(
    `${pascalName(target.name, 'Default')}TargetGroupArn`,
    `ARN of the target group for routes with target "${target.name}"` +
      (multiValue ? `; the group ${MULTI_VALUE_REQUIREMENT}` : ''),
  )
}

/**
 * YAML by default, quoted for YAML 1.1 so `on`, `yes`, `0755` stay strings for CloudFormation's
 * parser.
 */
export function renderCloudFormation(template: CloudFormationTemplate, json: boolean): string {
  if (json) return JSON.stringify(template, null, 2) + '\n'
  // No anchors: the shared `{ Ref: ListenerArn }` would otherwise become `&a1` / `*a1` aliases.
  const doc = new Document(template, { version: '1.1', aliasDuplicateObjects: false })
  doc.commentBefore = ' Generated by albatross from the route table; regenerate instead of editing.'
  return doc.toString({ lineWidth: 0 })
}

/**
 * A target group name unique per stack and target, within ELB's rules (1–32 letters, digits and
 * hyphens, no hyphen at either end): up to 20 characters of the target, then the first 8 hex digits
 * of the stack id's UUID (`arn:…:stack/<name>/<uuid>`).
 */
/**
 * `<target>[-<tag>]-<stack uuid's first 8 hex>`: at most 29 characters (ELBv2 allows 32, letters,
 * digits and hyphens). The stack's id sets two stacks' groups apart; `tag` ([a-z0-9], at most 8)
 * sets apart groups that one stack holds for the same target, such as two `AlbatrossRules`.
 */
function targetGroupName(target: string, tag?: string): CfnString {
  const room = 20 - (tag === undefined ? 0 : tag.length + 1)
  const prefix = target.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, room).replace(/-+$/, '') || 'app'
  const stackUuid = { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }
  return { 'Fn::Join': ['-', [prefix, ...(tag === undefined ? [] : [tag]), { 'Fn::Select': [0, { 'Fn::Split': ['-', stackUuid] }] }]] }
}
