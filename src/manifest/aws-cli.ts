import type { ApiAction, ApiCondition } from './api-shapes.js'
import { apiActions } from './api-shapes.js'
import type { ManifestModel } from './model.js'
import { inputTargetsNeedingMultiValue, MULTI_VALUE_ATTRIBUTE, secretOf } from './model.js'
import { NameRegistry, tagValue, upperSnakeName } from './names.js'

/**
 * One `aws elbv2 create-rule --cli-input-json` document; the same keys as the SDK's
 * `CreateRuleCommandInput` (spec/alb.md §5c).
 */
export interface CreateRuleInput {
  ListenerArn: string
  Priority: number
  Conditions: ApiCondition[]
  Actions: ApiAction<string>[]
  Tags: { Key: string; Value: string }[]
}

/** `aws elbv2 create-target-group`: the catch-all's Lambda target group (SDK `CreateTargetGroupCommandInput`). */
export interface CreateTargetGroupInput {
  Name: string
  TargetType: 'lambda'
  HealthCheckEnabled: boolean
  HealthCheckPath: string
  Matcher: { HttpCode: string }
  Tags: { Key: string; Value: string }[]
}

/** `aws elbv2 modify-target-group-attributes` (SDK `ModifyTargetGroupAttributesCommandInput`). */
export interface ModifyTargetGroupAttributesInput {
  TargetGroupArn: string
  Attributes: { Key: string; Value: string }[]
}

/** `aws lambda add-permission` (SDK `AddPermissionCommandInput`): ELB may invoke the function. */
export interface AddPermissionInput {
  FunctionName: string
  StatementId: string
  Action: 'lambda:InvokeFunction'
  Principal: 'elasticloadbalancing.amazonaws.com'
  SourceArn: string
}

/** `aws elbv2 register-targets` (SDK `RegisterTargetsCommandInput`). */
export interface RegisterTargetsInput {
  TargetGroupArn: string
  Targets: { Id: string }[]
}

/**
 * One AWS CLI call: `aws <command> --cli-input-json '<input>'`. The manifest is the ordered list
 * of them; it creates what the CloudFormation template creates (issue #11 item 3).
 */
export type AwsCliStep =
  | { command: 'elbv2 create-target-group'; input: CreateTargetGroupInput }
  | { command: 'elbv2 modify-target-group-attributes'; input: ModifyTargetGroupAttributesInput }
  | { command: 'lambda add-permission'; input: AddPermissionInput }
  | { command: 'elbv2 register-targets'; input: RegisterTargetsInput }
  | { command: 'elbv2 create-rule'; input: CreateRuleInput }

/** Unmapped ARNs become `${NAME}` placeholders, so `envsubst` can fill them in. */
export const LISTENER_PLACEHOLDER = '${LISTENER_ARN}'
/** The catch-all's Lambda function (or alias) ARN. */
export const FUNCTION_PLACEHOLDER = '${FUNCTION_ARN}'
/** Name of the target group the catch-all creates: unique in the account and region, so yours. */
export const TARGET_GROUP_NAME_PLACEHOLDER = '${TARGET_GROUP_NAME}'
/**
 * ARN of the target group the catch-all creates: known once `create-target-group` has run; the
 * README pipeline sets it from that call's output.
 */
export const TARGET_GROUP_ARN_PLACEHOLDER = '${TARGET_GROUP_ARN}'

export function targetPlaceholder(target: string): string {
  return '${' + upperSnakeName(target) + '_TARGET_GROUP_ARN}'
}

/**
 * The steps in the order they must run: the catch-all's target group, its attributes, the invoke
 * permission (before registration, spec/alb.md §4.1), the registration, then the rules in priority
 * order. In per-route mode, where target groups are inputs, a `modify-target-group-attributes`
 * step per target turns multi-value headers on when the app needs them (issue #11 item 2). The
 * listener's default action is not a rule: it is set with `aws elbv2 modify-listener
 * --default-actions` and is not part of this list.
 */
export function awsCliSteps(model: ManifestModel): AwsCliStep[] {
  const refs = new Map(model.targets.map((t) => [t.name, t.ref]))
  const lambda = model.lambdaTargetGroup
  const arnOf = (target: string) =>
    refs.get(target) ?? (lambda?.target === target ? TARGET_GROUP_ARN_PLACEHOLDER : targetPlaceholder(target))
  const steps: AwsCliStep[] = []
  if (lambda !== undefined) {
    const group = TARGET_GROUP_ARN_PLACEHOLDER
    steps.push(
      {
        command: 'elbv2 create-target-group',
        input: {
          Name: TARGET_GROUP_NAME_PLACEHOLDER,
          TargetType: 'lambda',
          // As the CloudFormation template: the app answers ALB's health check (spec/alb.md §4.6).
          HealthCheckEnabled: true,
          HealthCheckPath: '/',
          Matcher: { HttpCode: '200' },
          Tags: [{ Key: 'albatross:target', Value: tagValue(lambda.target) }],
        },
      },
      {
        command: 'elbv2 modify-target-group-attributes',
        input: { TargetGroupArn: group, Attributes: [{ Key: MULTI_VALUE_ATTRIBUTE, Value: String(lambda.multiValueHeaders) }] },
      },
      {
        command: 'lambda add-permission',
        input: {
          FunctionName: FUNCTION_PLACEHOLDER,
          StatementId: `albatross-${TARGET_GROUP_NAME_PLACEHOLDER}`,
          Action: 'lambda:InvokeFunction',
          Principal: 'elasticloadbalancing.amazonaws.com',
          // Only this target group may invoke the function, as AWS recommends (lambda-functions.html).
          SourceArn: group,
        },
      },
      { command: 'elbv2 register-targets', input: { TargetGroupArn: group, Targets: [{ Id: FUNCTION_PLACEHOLDER }] } },
    )
  }
  for (const target of inputTargetsNeedingMultiValue(model)) {
    steps.push({
      command: 'elbv2 modify-target-group-attributes',
      input: { TargetGroupArn: arnOf(target.name), Attributes: [{ Key: MULTI_VALUE_ATTRIBUTE, Value: 'true' }] },
    })
  }
  for (const input of ruleInputs(model, arnOf)) steps.push({ command: 'elbv2 create-rule', input })
  return steps
}

function ruleInputs(model: ManifestModel, arnOf: (target: string) => string): CreateRuleInput[] {
  // A client secret is never written: `${OIDC_CLIENT_SECRET}` for envsubst to fill in.
  const names = new NameRegistry('_')
  const secrets = new Map<object, string>(model.secrets.map((s) => [s, '${' + names.take('OIDC_CLIENT_SECRET') + '}']))
  return model.rules.map((rule) => {
    const tags = [{ Key: 'albatross:route', Value: tagValue(rule.source) }]
    if (rule.parts > 1) tags.push({ Key: 'albatross:part', Value: `${rule.part}/${rule.parts}` })
    return {
      ListenerArn: model.listener ?? LISTENER_PLACEHOLDER,
      Priority: rule.priority,
      Conditions: [...rule.conditions],
      Actions: apiActions(rule, arnOf, (auth) => secrets.get(secretOf(model, auth)) as string),
      Tags: tags,
    }
  })
}

/**
 * The placeholder names the steps use, as `envsubst`'s SHELL-FORMAT argument
 * (`'$LISTENER_ARN $FUNCTION_ARN …'`): given it, envsubst replaces those and leaves every other
 * `$` alone, so a path pattern `/price$list` or a fixed-response body with `$` survives (issue #11
 * item 4). Without an argument envsubst replaces every `$NAME`.
 */
export function awsCliPlaceholders(steps: readonly AwsCliStep[]): string[] {
  // Only placeholders albatross wrote: `${` + upper-snake name + `}` in the positions it fills.
  const names = new Set<string>()
  const visit = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      if (!PLACEHOLDER_FIELDS.has(key)) return
      for (const m of value.matchAll(/\$\{([A-Z_][A-Z0-9_]*)\}/g)) names.add(m[1] as string)
    } else if (Array.isArray(value)) value.forEach((v) => visit(v, key))
    else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) visit(v, k)
    }
  }
  visit(steps, '')
  return [...names]
}

/** The fields albatross may fill with a placeholder; a path or body with `${X}` is the user's text. */
const PLACEHOLDER_FIELDS = new Set([
  'ListenerArn',
  'TargetGroupArn',
  'Name',
  'FunctionName',
  'StatementId',
  'SourceArn',
  'Id',
  'ClientSecret',
])

export function renderAwsCli(steps: readonly AwsCliStep[]): string {
  return JSON.stringify(steps, null, 2) + '\n'
}
