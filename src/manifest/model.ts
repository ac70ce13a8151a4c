import { FIXED_RESPONSE_BODY_MAX, PRIORITY_MAX, RULES_PER_LOAD_BALANCER } from '../rules/limits.js'
import type { AuthAction, AuthenticateOidcAction, RuleAction, RuleTable } from '../rules/types.js'
import type { ApiCondition } from './api-shapes.js'
import { apiCondition } from './api-shapes.js'
import { ManifestError } from './errors.js'
import { splitTable } from './split.js'
import { multiValueNeed } from '../rules/header-mode.js'

export type ManifestFormat = 'cloudformation' | 'terraform' | 'aws-cli'
export type ManifestMode = 'catch-all' | 'per-route'

export interface ManifestOptions {
  readonly format: ManifestFormat
  readonly mode: ManifestMode
  /** CloudFormation JSON instead of YAML; Terraform `.tf.json` instead of HCL. */
  readonly json?: boolean
  /** Logical target → target group ARN or a reference in the format's own syntax. */
  readonly targets?: Readonly<Record<string, string>>
  /** Listener ARN or reference; default: a template parameter / variable / placeholder. */
  readonly listener?: string
  /**
   * Added to every table priority (per-route). The catch-all manifest has no table priorities: an
   * offset there is refused (ERR_MANIFEST_INPUT); move its rule with `catchAllPriority`.
   */
  readonly priorityOffset?: number
  /** The catch-all rule's priority (default 50000, the last, so the listener's own rules go first). */
  readonly catchAllPriority?: number
  /** Gap between the parts of a split rule (default 1). */
  readonly priorityStep?: number
  /**
   * True when the app needs `lambda.multi_value_headers.enabled` for reasons the table cannot show
   * (parameters binding every value: `app.needsMultiValueHeaders` covers both). The table's own
   * http-header and query-string conditions turn it on regardless (rules/header-mode.ts).
   */
  readonly multiValueHeaders?: boolean
  /** Rules the load balancer may hold (default 100, the adjustable quota, spec/alb.md §1.5). */
  readonly maxRules?: number
  /** The app's default action: the listener's default action in per-route mode. */
  readonly defaultAction?: RuleAction
}

export interface ModelRule {
  /** `Controller.method`, or `catch-all`. */
  readonly source: string
  readonly part: number
  readonly parts: number
  /** Final priority: table priority + offset + split step. */
  readonly priority: number
  readonly conditions: readonly ApiCondition[]
  readonly action: RuleAction
  /** `@Authenticate`: the action ALB runs first (`Order` 1, the routing action `Order` 2). */
  readonly auth?: AuthAction
}

/**
 * An OIDC client secret the manifest needs and never writes in clear: a NoEcho parameter, a
 * sensitive variable or a placeholder, in the order of first use.
 */
export interface ModelSecret {
  readonly issuer: string
  readonly clientId: string
  /** A CloudFormation dynamic reference given as the secret (`{{resolve:…}}`), kept as is there. */
  readonly dynamicReference: string | undefined
}

export interface ModelTarget {
  readonly name: string
  /** `options.targets[name]`: undefined means the format supplies a parameter or variable. */
  readonly ref: string | undefined
}

export interface LambdaTargetGroup {
  readonly target: string
  readonly multiValueHeaders: boolean
}

export interface ManifestModel {
  readonly mode: ManifestMode
  readonly listener: string | undefined
  readonly rules: readonly ModelRule[]
  /** Distinct forward targets, in first-use order. */
  readonly targets: readonly ModelTarget[]
  /** Per-route: what the listener's own default action must be. */
  readonly defaultAction: RuleAction | undefined
  /** Catch-all: the Lambda target group to create (absent when `targets` maps it). */
  readonly lambdaTargetGroup: LambdaTargetGroup | undefined
  /** Client secrets of the rules' authenticate-oidc actions. */
  readonly secrets: readonly ModelSecret[]
  /**
   * The header mode every target group the rules forward to must have, created here or not
   * (rules/header-mode.ts): per-route target groups are inputs, so the formats state it.
   */
  readonly multiValueHeaders: boolean
}

/**
 * Target groups the rules forward to that the manifest does not create (per-route targets, or a
 * catch-all target given with `--target`) while the app needs multi-value headers: nothing in the
 * manifest can turn their attribute on, so every format states it where a deployer reads (issue
 * #11 item 2). Empty when the app needs single-value mode, or every group is created here.
 */
export function inputTargetsNeedingMultiValue(model: ManifestModel): readonly ModelTarget[] {
  if (!model.multiValueHeaders) return []
  return model.targets.filter((t) => t.name !== model.lambdaTargetGroup?.target)
}

/** The target group attribute that turns multi-value headers on (spec/alb.md §4.9). */
export const MULTI_VALUE_ATTRIBUTE = 'lambda.multi_value_headers.enabled'

/** The one sentence every format uses to say so (CloudFormation, Terraform, the CLI's notice). */
export const MULTI_VALUE_REQUIREMENT =
  `must have ${MULTI_VALUE_ATTRIBUTE} = true: ALB matches http-header and query-string ` +
  'conditions on any occurrence of a repeated header or key, and a single-value event holds only the ' +
  'last one (and array parameters get one value)'

/** The secret an authenticate-oidc action uses, among `model.secrets`. */
export function secretOf(model: ManifestModel, action: AuthenticateOidcAction): ModelSecret {
  return model.secrets.find((s) => s.issuer === action.issuer && s.clientId === action.clientId) as ModelSecret
}

function secretsOf(rules: readonly ModelRule[]): ModelSecret[] {
  const secrets: ModelSecret[] = []
  for (const { auth } of rules) {
    if (auth?.type !== 'authenticate-oidc') continue
    if (secrets.some((s) => s.issuer === auth.issuer && s.clientId === auth.clientId)) continue
    const given = auth.clientSecret
    secrets.push({
      issuer: auth.issuer,
      clientId: auth.clientId,
      dynamicReference: given !== undefined && /^\{\{resolve:[^}]+\}\}$/.test(given) ? given : undefined,
    })
  }
  return secrets
}

export const CATCH_ALL_SOURCE = 'catch-all'
/** Last possible priority, so hand-written rules on the same listener are tried first. */
const CATCH_ALL_PRIORITY = PRIORITY_MAX
/** Not adjustable (spec/alb.md §1.5). */
const TARGET_GROUPS_PER_LOAD_BALANCER = 100

export function buildModel(table: RuleTable, options: ManifestOptions): ManifestModel {
  checkOptions(options)
  const multiValueHeaders = options.multiValueHeaders === true || multiValueNeed(table).needed
  const model =
    options.mode === 'catch-all'
      ? catchAll(table, options, multiValueHeaders)
      : perRoute(table, options, multiValueHeaders)
  const maxRules = options.maxRules ?? RULES_PER_LOAD_BALANCER
  const n = model.rules.length
  if (n > maxRules) {
    throw new ManifestError(
      'ERR_MANIFEST_QUOTA',
      `the table needs ${n} listener rules, ${n - maxRules} over the quota of ${maxRules} rules ` +
        'per load balancer (summed over its listeners, https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html); request an increase ' +
        `(Service Quotas: "Rules per Application Load Balancer") and pass --max-rules ${n}, ` +
        'or use --mode catch-all',
    )
  }
  if (model.targets.length > TARGET_GROUPS_PER_LOAD_BALANCER) {
    throw new ManifestError(
      'ERR_MANIFEST_QUOTA',
      `the table forwards to ${model.targets.length} target groups; a load balancer serves at ` +
        `most ${TARGET_GROUPS_PER_LOAD_BALANCER} (not adjustable, https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html)`,
    )
  }
  return model
}

function perRoute(table: RuleTable, options: ManifestOptions, multiValueHeaders: boolean): ManifestModel {
  if (table.rules.length === 0) {
    throw new ManifestError(
      'ERR_MANIFEST_INPUT',
      'the route table is empty: there are no listener rules to emit ' +
        '(use --mode catch-all to forward everything to the Lambda)',
    )
  }
  const rules = routeRules(table, options, undefined)
  if (options.defaultAction !== undefined) checkAction(options.defaultAction, 'default action')
  const actions = rules.map((r) => r.action)
  if (options.defaultAction !== undefined) actions.push(options.defaultAction)
  checkTargetNames(options, [...new Set(actions.flatMap((a) => (a.type === 'forward' ? [a.target] : [])))], 'per-route')
  return {
    mode: 'per-route',
    listener: options.listener,
    rules,
    targets: targetsOf(actions, options),
    defaultAction: options.defaultAction,
    lambdaTargetGroup: undefined,
    secrets: secretsOf(rules),
    multiValueHeaders,
  }
}

/**
 * The table's rules as listener rules, each split within ALB's limits. `forwardTo` (catch-all
 * mode) sends every forward to the one Lambda target group instead of the route's own target.
 */
function routeRules(table: RuleTable, options: ManifestOptions, forwardTo: string | undefined): ModelRule[] {
  const offset = options.priorityOffset ?? 0
  return splitTable(table, options.priorityStep ?? 1).map((split): ModelRule => {
    const priority = split.priority + offset
    if (priority > PRIORITY_MAX) {
      throw new ManifestError(
        'ERR_MANIFEST_PRIORITY',
        `priority ${split.priority} + offset ${offset} = ${priority} is past ALB's highest ` +
          `priority ${PRIORITY_MAX} (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html); lower the offset`,
        split.rule.source,
      )
    }
    checkAction(split.rule.action, split.rule.source)
    const action: RuleAction =
      forwardTo !== undefined && split.rule.action.type === 'forward' ? { type: 'forward', target: forwardTo } : split.rule.action
    return {
      source: split.rule.source,
      part: split.part,
      parts: split.parts,
      priority,
      conditions: split.conditions.map(apiCondition),
      action,
      ...(split.rule.auth === undefined ? {} : { auth: split.rule.auth }),
    }
  })
}

/**
 * One rule forwarding every path to the app's Lambda (spec/alb.md §4.1); the in-Lambda router
 * then makes the decision the per-route rules would have made. Its target is the table's only
 * forward target, or `default` when routes name several (they all run in this one Lambda).
 */
function catchAll(table: RuleTable, options: ManifestOptions, multiValueHeaders: boolean): ManifestModel {
  const named = targetsOf(
    table.rules.map((r) => r.action),
    options,
  )
  const target = named.length === 1 ? (named[0] as ModelTarget).name : 'default'
  checkTargetNames(options, [target], 'catch-all')
  const ref = options.targets?.[target]
  if ((options.priorityOffset ?? 0) !== 0) {
    // The help text says the offset is added to every priority; 50000 + n is past ALB's range, and
    // replacing the priority instead (as 0.1.0 did) could put `/*` in front of the listener's own
    // rules. So the combination is refused (issue #11 item 8).
    throw new ManifestError(
      'ERR_MANIFEST_INPUT',
      `--priority-offset applies to per-route rules; the catch-all manifest has one rule at priority ` +
        `${CATCH_ALL_PRIORITY}, the last, so the listener's existing rules are tried first. ` +
        'Adding an offset would leave ALB\'s range; to move the catch-all rule, use --catch-all-priority n',
    )
  }
  const catchAllPriority = options.catchAllPriority ?? CATCH_ALL_PRIORITY
  // An authenticated route must not be reached through the catch-all, which has no auth action:
  // it gets its own rule (auth, then forward to the same Lambda) ahead of the catch-all. Every
  // rule before the last authenticated one is emitted too, so a request takes the rule it takes
  // in per-route mode (an unauthenticated route listed first is not swallowed by a broader
  // authenticated one); the rules after it are left to the catch-all and the in-Lambda router.
  let lastAuth = -1
  table.rules.forEach((r, i) => {
    if (r.auth !== undefined) lastAuth = i
  })
  const guarded = lastAuth < 0 ? [] : routeRules({ rules: table.rules.slice(0, lastAuth + 1) }, options, target)
  const highest = guarded[guarded.length - 1]?.priority ?? 0
  if (highest >= catchAllPriority) {
    throw new ManifestError(
      'ERR_MANIFEST_PRIORITY',
      `the catch-all rule's priority ${catchAllPriority} would come before the rules of authenticated routes ` +
        `(up to priority ${highest}), letting their requests through unauthenticated; ` +
        'raise --catch-all-priority (default 50000) or use --mode per-route',
    )
  }
  return {
    mode: 'catch-all',
    listener: options.listener,
    rules: [
      ...guarded,
      {
        source: CATCH_ALL_SOURCE,
        part: 1,
        parts: 1,
        priority: catchAllPriority,
        conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
        action: { type: 'forward', target },
      },
    ],
    targets: [{ name: target, ref }],
    defaultAction: undefined,
    lambdaTargetGroup: ref === undefined ? { target, multiValueHeaders } : undefined,
    secrets: secretsOf(guarded),
    multiValueHeaders,
  }
}

/**
 * A `targets` name the manifest does not forward to is a mistake (a misspelt `--target
 * catalogue=…` used to be dropped silently, leaving a parameter to fill in): refuse it, naming
 * the names there are (issue #11 item 7).
 */
function checkTargetNames(options: ManifestOptions, known: readonly string[], mode: ManifestMode): void {
  const unknown = Object.keys(options.targets ?? {}).filter((name) => !known.includes(name))
  if (unknown.length === 0) return
  const list = (names: readonly string[]) => names.map((n) => JSON.stringify(n)).join(', ')
  throw new ManifestError(
    'ERR_MANIFEST_INPUT',
    `unknown target ${list(unknown)}: the ${mode} manifest forwards to ${list(known) || 'no target'}` +
      (mode === 'catch-all' ? ' (every route runs in the one Lambda behind it)' : '') +
      '; check the name given to --target name=arn',
  )
}

function targetsOf(actions: readonly RuleAction[], options: ManifestOptions): ModelTarget[] {
  const names = new Set<string>()
  for (const a of actions) if (a.type === 'forward') names.add(a.target)
  return [...names].map((name) => ({ name, ref: options.targets?.[name] }))
}

/** Action facts ALB checks at deploy time (spec/alb.md §1.6), checked here instead. */
function checkAction(action: RuleAction, source: string): void {
  const fail = (message: string) => {
    throw new ManifestError('ERR_MANIFEST_INPUT', message, source)
  }
  if (action.type === 'fixed-response') {
    if (!/^[245]\d\d$/.test(String(action.statusCode))) {
      fail(`fixed-response status ${action.statusCode} is not 2XX, 4XX or 5XX (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-action-types.html)`)
    }
    if ((action.messageBody?.length ?? 0) > FIXED_RESPONSE_BODY_MAX) {
      fail(`fixed-response body is over ${FIXED_RESPONSE_BODY_MAX} characters (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-action-types.html)`)
    }
  } else if (action.type === 'redirect') {
    const { protocol, host, port, path } = action
    if (protocol === undefined && host === undefined && port === undefined && path === undefined) {
      fail('a redirect must change its protocol, host, port or path, or it loops (§1.6)')
    }
  }
}

function checkOptions(options: ManifestOptions): void {
  const fail = (message: string) => {
    throw new ManifestError('ERR_MANIFEST_INPUT', message)
  }
  if (!['cloudformation', 'terraform', 'aws-cli'].includes(options.format)) {
    const format = String(options.format)
    fail(`unknown manifest format "${format}": use cloudformation, terraform or aws-cli`)
  }
  if (!['catch-all', 'per-route'].includes(options.mode)) {
    fail(`unknown manifest mode "${String(options.mode)}": use catch-all or per-route`)
  }
  const integer = (name: string, value: number | undefined, min: number) => {
    if (value !== undefined && (!Number.isInteger(value) || value < min)) {
      fail(`${name} must be an integer ≥ ${min}, got ${String(value)}`)
    }
  }
  integer('priorityOffset', options.priorityOffset, 0)
  integer('priorityStep', options.priorityStep, 1)
  integer('maxRules', options.maxRules, 1)
  integer('catchAllPriority', options.catchAllPriority, 1)
  if ((options.catchAllPriority ?? 0) > PRIORITY_MAX) {
    fail(`catchAllPriority ${String(options.catchAllPriority)} is past ALB's highest priority ${PRIORITY_MAX}`)
  }
  if ((options.priorityOffset ?? 0) > PRIORITY_MAX) {
    const offset = String(options.priorityOffset)
    fail(`priorityOffset ${offset} is past ALB's highest priority ${PRIORITY_MAX}`)
  }
}
