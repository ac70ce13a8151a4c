import type { ManifestMode, ManifestModel } from '../manifest/model.js'

/** Target name → the routes forwarding to it (catch-all mode: the one rule, `catch-all`). */
export function usedTargets(model: ManifestModel): Map<string, string[]> {
  const used = new Map<string, string[]>()
  for (const target of model.targets) used.set(target.name, [])
  for (const rule of model.rules) {
    if (rule.action.type !== 'forward') continue
    const sources = used.get(rule.action.target)
    if (sources !== undefined && !sources.includes(rule.source)) sources.push(rule.source)
  }
  return used
}

/**
 * What is wrong with the `targets` map: a target no rule forwards to (a typo, or a name catch-all
 * mode does not use), a target without an entry, or an entry that is neither a function nor a
 * target group. Empty when it fits.
 */
export function checkTargets(
  used: ReadonlyMap<string, readonly string[]>,
  given: Readonly<Record<string, unknown>>,
  mode: ManifestMode,
): string[] {
  const problems: string[] = []
  const names = [...used.keys()].map((n) => `"${n}"`).join(', ')
  const forwards = mode === 'catch-all'
    ? `catch-all mode forwards every request to ${names}`
    : `the app's routes forward to ${names === '' ? 'no target' : names}`
  for (const name of Object.keys(given)) {
    if (!used.has(name)) problems.push(`targets has "${name}", which no controller uses (${forwards})`)
  }
  for (const [name, sources] of used) {
    const target = given[name]
    if (target === undefined) {
      const by = sources.length > 0 ? ` by ${sources.slice(0, 3).join(', ')}${sources.length > 3 ? ` and ${sources.length - 3} more` : ''}` : ''
      problems.push(`no entry in targets for "${name}", used${by}: give it a lambda.IFunction or an elbv2.IApplicationTargetGroup`)
    } else if (!isTarget(target)) {
      problems.push(`targets["${name}"] is neither a lambda.IFunction (functionArn) nor an elbv2.IApplicationTargetGroup (targetGroupArn)`)
    }
  }
  return problems
}

function isTarget(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  const v = value as { functionArn?: unknown; targetGroupArn?: unknown }
  return typeof v.functionArn === 'string' || typeof v.targetGroupArn === 'string'
}
