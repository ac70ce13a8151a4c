import { checkAction } from './action.js'
import { checkCondition, wildcardsPerValue } from './condition.js'
import { RouteDeclarationError, type RouteProblem } from './errors.js'
import { PRIORITY_MAX, PRIORITY_MIN, VALUES_PER_RULE, WILDCARDS_PER_RULE } from './limits.js'
import { orderBySpecificity, orderKeyOf, type OrderKey } from './order.js'
import { parsePathTemplate, regexCaptures } from './path-template.js'
import type { AlbCondition, AlbRule, PriorityOptions, RouteSpec, RuleTable } from './types.js'

// ALB allows at most one condition of these types per rule (spec/alb.md §1.3).
const SINGLE = ['path-pattern', 'host-header', 'http-request-method', 'source-ip'] as const

interface Pending {
  readonly id: number
  readonly spec: RouteSpec
  readonly conditions: readonly AlbCondition[]
  readonly captures: readonly (string | null)[]
  readonly key: OrderKey
}

/**
 * Validates every route against ALB's rules, all at once, and numbers them: explicit priorities
 * are kept; the rest get `start`, `start + step`, … in specificity order, skipping numbers taken
 * by explicit ones. Throws one RouteDeclarationError listing every problem.
 */
export function buildRuleTable(specs: readonly RouteSpec[], options: PriorityOptions = {}): RuleTable {
  const start = options.start ?? 1000
  const step = options.step ?? 10
  const problems: RouteProblem[] = []
  const pending: Pending[] = []
  if (!Number.isInteger(start) || start < PRIORITY_MIN || !Number.isInteger(step) || step < 1) {
    problems.push({ source: 'createApp', message: `priorities.start and .step must be positive integers (got ${start}, ${step})` })
  }
  specs.forEach((spec, id) => {
    const routeProblems: string[] = []
    const { conditions, captures } = ruleConditions(spec, routeProblems)
    for (const type of SINGLE) {
      const count = conditions.filter((c) => c.type === type).length
      if (count > 1) {
        routeProblems.push(
          `has ${count} ${type} conditions; an ALB rule allows one (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html) — merge them into one decorator (values are OR-ed)`,
        )
      }
    }
    if (conditions.length === 0) routeProblems.push('has no condition; an ALB rule needs at least one (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html)')
    for (const condition of conditions) routeProblems.push(...checkCondition(condition))
    routeProblems.push(...checkRuleBudget(conditions))
    routeProblems.push(...checkAction(spec.action))
    if (spec.priority !== undefined && !(Number.isInteger(spec.priority) && spec.priority >= PRIORITY_MIN && spec.priority <= PRIORITY_MAX)) {
      routeProblems.push(`@Priority(${spec.priority}) is outside ALB's ${PRIORITY_MIN}-${PRIORITY_MAX} (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html)`)
    }
    for (const message of routeProblems) problems.push({ source: spec.source, message })
    pending.push({ id, spec, conditions, captures, key: orderKeyOf(conditions, id) })
  })

  const taken = new Map<number, string>()
  for (const { spec } of pending) {
    if (spec.priority === undefined) continue
    const holder = taken.get(spec.priority)
    if (holder !== undefined) {
      problems.push({ source: spec.source, message: `@Priority(${spec.priority}) is already used by ${holder}; ALB priorities are unique per listener (PriorityInUse, https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html)` })
    } else taken.set(spec.priority, spec.source)
  }

  const priorities = new Map<number, number>()
  let next = start
  for (const item of orderBySpecificity(pending.filter((p) => p.spec.priority === undefined))) {
    while (taken.has(next)) next += step
    priorities.set(item.id, next)
    if (next > PRIORITY_MAX) {
      problems.push({ source: item.spec.source, message: `automatic priority ${next} exceeds ALB's ${PRIORITY_MAX}: lower priorities.start or priorities.step` })
    }
    next += step
  }
  if (problems.length > 0) throw new RouteDeclarationError(problems)

  const rules: AlbRule[] = pending.map(({ id, spec, conditions, captures }) =>
    ruleOf(id, spec, spec.priority ?? (priorities.get(id) as number), conditions, captures),
  )
  rules.sort(byPriority)
  return { rules }
}

/**
 * The table of routes checked before (`albatross check`), numbered as they were then: the same
 * rules buildRuleTable builds from the same routes, without its checks. createApp uses it only
 * once the routes' fingerprints matched the checked table's (verified-table/).
 */
export function checkedRuleTable(specs: readonly RouteSpec[], priorities: readonly number[]): RuleTable {
  const rules: AlbRule[] = []
  const problems: string[] = []
  for (let id = 0; id < specs.length; id++) {
    const spec = specs[id] as RouteSpec
    const { conditions, captures } = ruleConditions(spec, problems)
    // Unreachable for a table the checks passed: its paths parsed when it was checked.
    if (problems.length > 0) throw new RouteDeclarationError(problems.map((message) => ({ source: spec.source, message })))
    rules.push(ruleOf(id, spec, priorities[id] as number, conditions, captures))
  }
  rules.sort(byPriority)
  // The table keeps it for good: a copy exactly as long (push left room for more).
  return { rules: rules.slice() }
}

/** A route's conditions as ALB sees them: its path, its methods, then its other conditions. */
function ruleConditions(spec: RouteSpec, problems: string[]): { conditions: readonly AlbCondition[]; captures: readonly (string | null)[] } {
  let path: AlbCondition | undefined
  let captures: readonly (string | null)[] = NO_CAPTURES
  if (typeof spec.path === 'string') {
    const template = parsePathTemplate(spec.path)
    if ('problem' in template) problems.push(template.problem)
    else {
      // A copy exactly as long: the table keeps it for good.
      if (template.captures.length > 0) captures = template.captures.slice()
      path = { type: 'path-pattern', values: [template.pattern], regexValues: NO_VALUES }
    }
  } else if (spec.path instanceof RegExp) {
    if (spec.path.flags !== '') {
      problems.push(`path /${spec.path.source}/${spec.path.flags} has flags; ALB regex values have none (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html)`)
    }
    captures = regexCaptures(spec.path.source)
    path = { type: 'path-pattern', values: NO_VALUES, regexValues: [spec.path.source] }
  }
  // The route's own list of methods: rules, like routes, never change their conditions.
  const method: AlbCondition | undefined = spec.methods === undefined ? undefined : { type: 'http-request-method', values: spec.methods }
  // Array literals and concat: lists exactly as long as the conditions, where push left room
  // for 16 more in a list the table keeps for good.
  const own: AlbCondition[] = path === undefined ? (method === undefined ? [] : [method]) : method === undefined ? [path] : [path, method]
  return { conditions: spec.conditions.length === 0 ? own : own.concat(spec.conditions), captures }
}

const NO_VALUES: readonly string[] = Object.freeze([])

function byPriority(a: AlbRule, b: AlbRule): number {
  return a.priority - b.priority
}
const NO_CAPTURES: readonly (string | null)[] = Object.freeze([])

function ruleOf(id: number, spec: RouteSpec, priority: number, conditions: readonly AlbCondition[], captures: readonly (string | null)[]): AlbRule {
  const { action, auth, source } = spec
  return auth === undefined
    ? { id, priority, conditions, action, source, captures }
    : { id, priority, conditions, action, auth, source, captures }
}

/**
 * The per-rule limits no split can meet (spec/alb.md §1.4). The manifest may cut a condition's
 * OR-ed values over several rules, but each rule still holds one comparison string of every
 * condition, and some rule holds the most-wildcarded value of each.
 */
function checkRuleBudget(conditions: readonly AlbCondition[]): string[] {
  const problems: string[] = []
  if (conditions.length > VALUES_PER_RULE) {
    problems.push(
      `has ${conditions.length} conditions, each needing at least one comparison string; ALB allows ${VALUES_PER_RULE} per rule (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html)`,
    )
  }
  let least = 0
  for (const condition of conditions) {
    let most = 0
    for (const { label, count } of wildcardsPerValue(condition)) {
      if (count > WILDCARDS_PER_RULE) {
        problems.push(
          `${condition.type} value "${label}" has ${count} wildcards; ALB allows ${WILDCARDS_PER_RULE} per rule (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html)`,
        )
      }
      most = Math.max(most, count)
    }
    least += most
  }
  if (problems.length === 0 && least > WILDCARDS_PER_RULE) {
    problems.push(
      `needs ${least} wildcards in one ALB rule (its conditions are AND-ed, so one value of each shares a rule); ALB allows ${WILDCARDS_PER_RULE} per rule (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html)`,
    )
  }
  return problems
}
