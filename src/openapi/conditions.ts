import { describeCondition } from '../rules/condition.js'
import type { AlbCondition, AlbRule } from '../rules/types.js'

/** One route behind an operation, as `x-albatross-conditions` lists it. */
export interface ConditionVariant {
  /** `Controller.method`. */
  readonly route: string
  readonly priority: number
  /** The rule's conditions beyond what the operation's path and method say, as `albatross routes --json` prints them. */
  readonly conditions: readonly Record<string, unknown>[]
}

/**
 * The conditions an operation's path and method do not already say: host, header, query and
 * source-ip conditions always, and the path pattern when the `paths` key only approximates it.
 */
export function extraConditions(rule: AlbRule, approximatePath: boolean): AlbCondition[] {
  return rule.conditions.filter(
    (c) => c.type !== 'http-request-method' && (c.type !== 'path-pattern' || approximatePath),
  )
}

export function conditionVariant(rule: AlbRule, conditions: readonly AlbCondition[]): ConditionVariant {
  return { route: rule.source, priority: rule.priority, conditions: conditions.map(plainCondition) }
}

/** A condition without empty lists, so the extension stays short. */
function plainCondition(condition: AlbCondition): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(condition)) {
    if (!(Array.isArray(value) && value.length === 0)) out[key] = value
  }
  return out
}

/** The variants in words, for the reference page: which route answers when. */
export function describeVariants(rules: readonly AlbRule[], conditions: readonly (readonly AlbCondition[])[]): string {
  const when = (list: readonly AlbCondition[]) =>
    list.length === 0 ? 'otherwise' : `when ${list.map((c) => `\`${describeCondition(c)}\``).join(' and ')}`
  if (rules.length === 1) return `ALB routes here only ${when(conditions[0] ?? [])}.`
  const lines = rules.map((rule, i) => `${i + 1}. \`${rule.source}\` (priority ${rule.priority}) ${when(conditions[i] ?? [])}`)
  return `Routes that share this path and method, in the order ALB tries them:\n\n${lines.join('\n')}`
}
