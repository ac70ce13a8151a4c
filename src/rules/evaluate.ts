import { compileCondition } from './condition.js'
import type { ConditionTest } from './condition.js'
import { compileSourceIpMatcher } from './source-ip.js'
import { compilePathCapture } from './path-pattern.js'
import { compileRegex } from './regex.js'
import type {
  AlbCondition,
  AlbRule,
  RuleMatch,
  RuleMatcher,
  RuleRequest,
  RuleTable,
} from './types.js'

/**
 * The reference evaluator: ALB's algorithm written out plainly (spec/alb.md §1.1–§1.2) — rules in
 * table order (ascending priority), the first whose conditions all hold wins. The compiled router
 * must pick the same rule for every request; keep this one obviously correct, not fast.
 */

type Params = Record<string, string>
type ReadParams = (path: string) => Params

const NO_PARAMS: Readonly<Params> = Object.freeze(Object.create(null) as Params)

/**
 * Params come from the path condition's first value only: each `*` of a glob by position, or a
 * regex's named groups. A path that matched through another OR-ed value yields no params.
 */
function compileParams(rule: AlbRule): ReadParams {
  const path = rule.conditions.find((c) => c.type === 'path-pattern')
  if (path === undefined || !rule.captures.some((name) => name !== null)) return () => NO_PARAMS
  const glob = path.values[0]
  if (glob !== undefined) {
    const capture = compilePathCapture(glob)
    return (value) => {
      const texts = capture(value)
      const params = Object.create(null) as Params
      if (texts === undefined) return params
      rule.captures.forEach((name, i) => {
        const text = texts[i]
        if (name !== null && text !== undefined) params[name] = text
      })
      return params
    }
  }
  const source = path.regexValues[0]
  if (source === undefined) return () => NO_PARAMS
  const re = compileRegex(source)
  return (value) => {
    const params = Object.create(null) as Params
    const groups = re.exec(value)?.groups
    if (groups === undefined) return params
    for (const name of rule.captures) {
      const text = name === null ? undefined : groups[name]
      if (name !== null && text !== undefined) params[name] = text
    }
    return params
  }
}

interface CompiledRule {
  readonly rule: AlbRule
  readonly tests: readonly ConditionTest[]
  readonly params: ReadParams
}

/**
 * Every condition type, whatever the app declared: the reference evaluator (the CLI's `explain`,
 * `dev --user`, tests) never runs in a Lambda bundle, where the router's source-ip matcher comes
 * with @SourceIp (condition.ts).
 */
function compileAny(c: AlbCondition): ConditionTest {
  return c.type === 'source-ip' ? compileSourceIpMatcher(c) : compileCondition(c)
}

function compileRule(rule: AlbRule): CompiledRule {
  return { rule, tests: rule.conditions.map(compileAny), params: compileParams(rule) }
}

export function createNaiveMatcher(table: RuleTable): RuleMatcher {
  const rules = table.rules.map(compileRule)
  return {
    match(request: RuleRequest): RuleMatch | undefined {
      for (const { rule, tests, params } of rules) {
        if (tests.every((test) => test(request))) return { rule, params: params(request.path) }
      }
      return undefined
    },
  }
}

export interface RuleRejection {
  readonly rule: AlbRule
  /** The first of the rule's conditions that the request failed. */
  readonly failed: AlbCondition
}

export interface MatchExplanation {
  readonly matched?: AlbRule
  /** Every rule before the match (or every rule, when none matched), in evaluation order. */
  readonly rejected: readonly RuleRejection[]
}

/** Which rule matches and why each earlier one did not (`albatross explain`). */
export function explainMatch(table: RuleTable, request: RuleRequest): MatchExplanation {
  const rejected: RuleRejection[] = []
  for (const rule of table.rules) {
    const failed = rule.conditions.find((c) => !compileAny(c)(request))
    if (failed === undefined) return { matched: rule, rejected }
    rejected.push({ rule, failed })
  }
  return { rejected }
}
