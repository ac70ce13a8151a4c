import type { ApiAction, ApiCondition } from './api-shapes.js'
import { apiActions } from './api-shapes.js'
import type { ManifestModel } from './model.js'
import { secretOf } from './model.js'
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

/** Unmapped ARNs become `${NAME}` placeholders, so `envsubst` can fill them in. */
export const LISTENER_PLACEHOLDER = '${LISTENER_ARN}'

export function targetPlaceholder(target: string): string {
  return '${' + upperSnakeName(target) + '_TARGET_GROUP_ARN}'
}

/**
 * The create-rule inputs, in priority order. The listener's default action is not a rule: it is
 * set with `aws elbv2 modify-listener --default-actions` and is not part of this array.
 */
export function createRuleInputs(model: ManifestModel): CreateRuleInput[] {
  const refs = new Map(model.targets.map((t) => [t.name, t.ref]))
  const arnOf = (target: string) => refs.get(target) ?? targetPlaceholder(target)
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

export function renderAwsCli(inputs: readonly CreateRuleInput[]): string {
  return JSON.stringify(inputs, null, 2) + '\n'
}
