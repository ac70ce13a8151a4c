import type { RuleTable } from '../rules/types.js'
import { ManifestError } from './errors.js'
import type { ApiCondition } from './api-shapes.js'
import { apiAction, apiActions } from './api-shapes.js'
import type { ManifestOptions } from './model.js'
import { buildModel } from './model.js'

/** What differs between the rules a manifest would create and the rules a listener has. */
export interface DeployedDiff {
  /** Rules the manifest has and the listener lacks (by priority). */
  readonly missing: { readonly priority: number; readonly source: string }[]
  /** Non-default rules on the listener at priorities the manifest does not use. */
  readonly extra: { readonly priority: number; readonly ruleArn: string | undefined }[]
  /**
   * Targets given no ARN (no `--target name=arn`): their rules were only checked to forward to one
   * target group per target, not to a known one.
   */
  readonly uncompared: readonly string[]
  /** Same priority, other content; `field`: `Actions`, `DefaultActions` or `Conditions[<type>]`. */
  readonly changed: {
    readonly priority: number | 'default'
    readonly source: string
    readonly field: string
    readonly expected: unknown
    readonly actual: unknown
  }[]
}

type Json = Record<string, unknown>

interface NormalRule {
  readonly conditions: Map<string, Json[]>
  readonly actions: Json[]
}

/** AWS fills unset redirect components with these placeholders when it stores the rule (§1.6). */
const REDIRECT_DEFAULTS: Readonly<Record<string, string>> = {
  Protocol: '#{protocol}',
  Host: '#{host}',
  Port: '#{port}',
  Path: '/#{path}',
  Query: '#{query}',
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s) => typeof s === 'string') : []
const sortedJson = (items: Json[]) => items.map((i) => JSON.stringify(i)).sort()

/**
 * Compares the manifest's rules with `aws elbv2 describe-rules` output (or the SDK's
 * `DescribeRulesOutput`). Conditions compare order-insensitively, legacy top-level `Values` count
 * as the `XxxConfig` values (spec/alb.md §5), and a target with no ARN in `options.targets`
 * matches any single target group.
 */
export function diffDeployed(
  table: RuleTable,
  options: ManifestOptions,
  describeRulesOutput: unknown,
): DeployedDiff {
  const model = buildModel(table, options)
  const arnOf = (target: string) => {
    const ref = model.targets.find((t) => t.name === target)?.ref
    return ref?.startsWith('arn:') ? ref : undefined
  }
  const deployed = readDeployed(describeRulesOutput)
  const uncompared = model.targets.filter((t) => arnOf(t.name) === undefined).map((t) => t.name)
  const diff: DeployedDiff = { missing: [], extra: [], changed: [], uncompared }
  // Without ARNs, the deployed rules of one target must still share one target group, and two
  // targets must not share one: a rule forwarding to the wrong group is a difference (#11 item 7).
  const seen = new Map<string, { arn: string; priority: number }>()
  const expectedPriorities = new Set<number>()
  for (const rule of model.rules) {
    expectedPriorities.add(rule.priority)
    const actual = deployed.rules.get(rule.priority)
    if (actual === undefined) {
      diff.missing.push({ priority: rule.priority, source: rule.source })
      continue
    }
    const expected = normalRule(rule.conditions, apiActions(rule, arnOf, () => undefined))
    compare(expected, actual.rule, rule.priority, rule.source, diff)
    const deployedArn = actual.rule.actions[0]?.['TargetGroupArn']
    if (rule.action.type === 'forward' && arnOf(rule.action.target) === undefined && typeof deployedArn === 'string') {
      const target = rule.action.target
      const first = seen.get(target)
      const other = [...seen].find(([name, s]) => name !== target && s.arn === deployedArn)
      if (first !== undefined && first.arn !== deployedArn) {
        diff.changed.push({
          priority: rule.priority,
          source: rule.source,
          field: 'TargetGroup',
          expected: `the target group of the other "${target}" rules (${first.arn}, priority ${first.priority})`,
          actual: deployedArn,
        })
      } else if (first === undefined && other !== undefined) {
        diff.changed.push({
          priority: rule.priority,
          source: rule.source,
          field: 'TargetGroup',
          expected: `a target group of its own for target "${target}"`,
          actual: `${deployedArn}, which target "${other[0]}" uses (priority ${other[1].priority})`,
        })
      } else if (first === undefined) seen.set(target, { arn: deployedArn, priority: rule.priority })
    }
  }
  for (const [priority, actual] of deployed.rules) {
    if (!expectedPriorities.has(priority)) diff.extra.push({ priority, ruleArn: actual.ruleArn })
  }
  if (model.defaultAction !== undefined) {
    const expected = normalActions([apiAction(model.defaultAction, arnOf)])
    const actual = deployed.defaultActions
    if (actual === undefined || !sameActions(expected, actual)) {
      const field = 'DefaultActions'
      diff.changed.push({ priority: 'default', source: 'default action', field, expected, actual })
    }
  }
  diff.extra.sort((a, b) => a.priority - b.priority)
  return diff
}

function compare(
  expected: NormalRule,
  actual: NormalRule,
  priority: number,
  source: string,
  diff: DeployedDiff,
): void {
  const keys = new Set([...expected.conditions.keys(), ...actual.conditions.keys()])
  for (const key of [...keys].sort()) {
    const e = expected.conditions.get(key) ?? []
    const a = actual.conditions.get(key) ?? []
    if (sortedJson(e).join('\n') !== sortedJson(a).join('\n')) {
      diff.changed.push({ priority, source, field: `Conditions[${key}]`, expected: e, actual: a })
    }
  }
  if (!sameActions(expected.actions, actual.actions)) {
    diff.changed.push({
      priority,
      source,
      field: 'Actions',
      expected: expected.actions,
      actual: actual.actions,
    })
  }
}

function sameActions(expected: Json[], actual: Json[]): boolean {
  if (expected.length !== actual.length) return false
  return expected.every((e, i) => {
    const a = actual[i] as Json
    if (e['Type'] === 'forward' && e['TargetGroupArn'] === undefined) {
      return a['Type'] === 'forward' && typeof a['TargetGroupArn'] === 'string'
    }
    return JSON.stringify(e) === JSON.stringify(a)
  })
}

const invalid = (message: string) => new ManifestError('ERR_MANIFEST_INPUT', message)

function readDeployed(output: unknown): {
  rules: Map<number, { rule: NormalRule; ruleArn: string | undefined }>
  defaultActions: Json[] | undefined
} {
  const list = Array.isArray(output) ? output : isObject(output) ? output['Rules'] : undefined
  if (!Array.isArray(list)) {
    throw invalid('expected the JSON output of `aws elbv2 describe-rules` ({ "Rules": [...] })')
  }
  const rules = new Map<number, { rule: NormalRule; ruleArn: string | undefined }>()
  let defaultActions: Json[] | undefined
  list.forEach((raw, i) => {
    if (!isObject(raw)) throw invalid(`describe-rules: Rules[${i}] is not an object`)
    const conditions = Array.isArray(raw['Conditions']) ? raw['Conditions'] : []
    const actions = Array.isArray(raw['Actions']) ? raw['Actions'] : []
    if (raw['IsDefault'] === true || raw['Priority'] === 'default') {
      defaultActions = normalActions(actions)
      return
    }
    const priority = Number(raw['Priority'])
    if (!Number.isInteger(priority)) {
      throw invalid(`describe-rules: Rules[${i}] has priority ${JSON.stringify(raw['Priority'])}`)
    }
    const ruleArn = typeof raw['RuleArn'] === 'string' ? raw['RuleArn'] : undefined
    if (!rules.has(priority)) {
      rules.set(priority, { rule: normalRule(conditions, actions), ruleArn })
    }
  })
  return { rules, defaultActions }
}

function normalRule(conditions: readonly unknown[], actions: readonly unknown[]): NormalRule {
  const groups = new Map<string, Json[]>()
  for (const raw of conditions) {
    if (!isObject(raw)) continue
    const { key, condition } = normalCondition(raw as Partial<ApiCondition> & Json)
    const group = groups.get(key) ?? []
    group.push(condition)
    groups.set(key, group)
  }
  return { conditions: groups, actions: normalActions(actions) }
}

function normalCondition(raw: Json): { key: string; condition: Json } {
  const field = String(raw['Field'])
  const config = (name: string): Json => (isObject(raw[name]) ? raw[name] : {})
  // DescribeRules repeats host and path values in the legacy top-level `Values` (spec/alb.md §5).
  const valuesOf = (c: Json) => {
    const regex = strings(c['RegexValues'] ?? raw['RegexValues']).sort()
    const values = strings(c['Values'] ?? raw['Values']).sort()
    return regex.length > 0 ? { RegexValues: regex } : { Values: values }
  }
  switch (field) {
    case 'path-pattern':
      return { key: field, condition: { Field: field, ...valuesOf(config('PathPatternConfig')) } }
    case 'host-header': {
      const v = valuesOf(config('HostHeaderConfig'))
      const lower = (l: string[] | undefined) => l?.map((s) => s.toLowerCase()).sort()
      // Host names compare case-insensitively (spec/alb.md §2.1); AWS may store either case.
      const condition = { Field: field, Values: lower(v.Values), RegexValues: v.RegexValues }
      return { key: field, condition }
    }
    case 'http-header': {
      const c = config('HttpHeaderConfig')
      const name = String(c['HttpHeaderName'] ?? '').toLowerCase()
      const condition = { Field: field, HttpHeaderName: name, ...valuesOf(c) }
      return { key: `${field} ${name}`, condition }
    }
    case 'http-request-method':
    case 'source-ip': {
      const c = config(field === 'source-ip' ? 'SourceIpConfig' : 'HttpRequestMethodConfig')
      const values = strings(c['Values'] ?? raw['Values']).sort()
      return { key: field, condition: { Field: field, Values: values } }
    }
    case 'query-string': {
      const pairs = config('QueryStringConfig')['Values']
      const values = (Array.isArray(pairs) ? pairs : [])
        .filter(isObject)
        .map(({ Key, Value }) => (Key == null ? { Value } : { Key, Value }))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
      return { key: field, condition: { Field: field, Values: values } }
    }
    default:
      return { key: field, condition: raw }
  }
}

function normalActions(actions: readonly unknown[]): Json[] {
  return actions
    .filter(isObject)
    .map((a, i) => ({ a, order: typeof a['Order'] === 'number' ? a['Order'] : i }))
    .sort((x, y) => x.order - y.order)
    .map(({ a }) => normalAction(a))
}

function normalAction(a: Json): Json {
  const type = a['Type']
  if (type === 'forward') {
    const groups = isObject(a['ForwardConfig']) && Array.isArray(a['ForwardConfig']['TargetGroups'])
      ? a['ForwardConfig']['TargetGroups'].filter(isObject)
      : []
    const single = typeof a['TargetGroupArn'] === 'string' ? a['TargetGroupArn'] : undefined
    if (single !== undefined || groups.length <= 1) {
      return { Type: type, TargetGroupArn: single ?? groups[0]?.['TargetGroupArn'] }
    }
    const weighted = groups.map(({ TargetGroupArn, Weight }) => ({ TargetGroupArn, Weight }))
    return { Type: type, TargetGroups: weighted }
  }
  if (type === 'fixed-response' && isObject(a['FixedResponseConfig'])) {
    const c = a['FixedResponseConfig']
    const { ContentType, MessageBody } = c
    return { Type: type, StatusCode: String(c['StatusCode']), ContentType, MessageBody }
  }
  if (type === 'redirect' && isObject(a['RedirectConfig'])) {
    const out: Json = { Type: type }
    const c = a['RedirectConfig']
    for (const k of ['Protocol', 'Host', 'Port', 'Path', 'Query']) {
      if (c[k] !== undefined && c[k] !== REDIRECT_DEFAULTS[k]) out[k] = c[k]
    }
    out['StatusCode'] = c['StatusCode']
    return out
  }
  const config = AUTH_CONFIG[String(type)]
  if (config !== undefined && isObject(a[config])) return { Type: type, [config]: normalAuthConfig(a[config]) }
  const { Order: _order, ...rest } = a
  return rest
}

const AUTH_CONFIG: Readonly<Record<string, string>> = {
  'authenticate-oidc': 'AuthenticateOidcConfig',
  'authenticate-cognito': 'AuthenticateCognitoConfig',
  'jwt-validation': 'JwtValidationConfig',
}

/** What AWS stores for an unset login field (API_AuthenticateOidcActionConfig: the defaults). */
const LOGIN_DEFAULTS: Readonly<Record<string, unknown>> = {
  Scope: 'openid',
  SessionCookieName: 'AWSELBAuthSessionCookie',
  SessionTimeout: 604800,
  OnUnauthenticatedRequest: 'authenticate',
}

/**
 * An auth action's config as compared: keys sorted, defaults and empty extras dropped, and the
 * client secret left out on both sides (describe-rules never returns it; the manifest holds a
 * parameter in its place).
 */
function normalAuthConfig(config: Json): Json {
  const out: Json = {}
  for (const key of Object.keys(config).sort()) {
    const value = config[key]
    if (value === undefined || key === 'ClientSecret' || key === 'UseExistingClientSecret') continue
    if (key in LOGIN_DEFAULTS && String(value) === String(LOGIN_DEFAULTS[key])) continue
    if (key === 'AuthenticationRequestExtraParams' && isObject(value) && Object.keys(value).length === 0) continue
    if (key === 'AdditionalClaims' && Array.isArray(value) && value.length === 0) continue
    out[key] = key === 'SessionTimeout' ? Number(value) : value
  }
  return out
}
