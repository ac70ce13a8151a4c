import type { AlbCondition, AlbRule, HttpHeaderCondition, QueryStringCondition, RuleTable } from './types.js'

/**
 * Why an app needs the target group attribute `lambda.multi_value_headers.enabled=true`.
 * - `http-header` / `query-string`: ALB's conditions succeed when *any* occurrence of a repeated
 *   header or query key matches (spec/alb.md §2.2, §2.5), but in single-value mode the Lambda
 *   sees only the last one (§4.2, §6 #9). Sending `x-beta: on` and `x-beta: off` would then reach
 *   another route behind a catch-all rule than behind per-route rules.
 * - `binds-arrays`: a parameter that receives every value of a repeated key or header.
 */
export interface MultiValueReason {
  readonly kind: 'http-header' | 'query-string' | 'binds-arrays'
  /** `Controller.method` (or `cors.preflight`). */
  readonly source: string
  /** The header name or query key concerned (`*` for query-string's key-less form). */
  readonly name: string
}

export interface MultiValueNeed {
  /** True when any reason holds: every manifest then deploys multi-value mode. */
  readonly needed: boolean
  readonly reasons: readonly MultiValueReason[]
}

/**
 * The one place that decides the header mode an app must be deployed with: the app
 * (`needsMultiValueHeaders`), every manifest format and mode, `albatross routes` and
 * `albatross dev`'s default all read this decision.
 *
 * `arrayBindings` lists what the route table cannot show: routes whose parameters bind every value
 * of a repeated header or query key.
 */
export function multiValueNeed(
  table: RuleTable,
  arrayBindings: readonly { readonly source: string; readonly name: string }[] = [],
): MultiValueNeed {
  const reasons: MultiValueReason[] = []
  // Indexed loops, and the reasons in a function of their own, which most apps never call: this
  // runs for every rule in a cold start, and V8 keeps the machine code it compiles for what ran
  // there for the life of the process (Sparkplug code is never flushed).
  for (let r = 0; r < table.rules.length; r++) {
    const rule = table.rules[r] as AlbRule
    for (let i = 0; i < rule.conditions.length; i++) {
      const c = rule.conditions[i] as AlbCondition
      if (c.type === 'http-header' || c.type === 'query-string') addReasons(reasons, rule.source, c)
    }
  }
  for (let i = 0; i < arrayBindings.length; i++) {
    const b = arrayBindings[i] as { readonly source: string; readonly name: string }
    reasons.push({ kind: 'binds-arrays', source: b.source, name: b.name })
  }
  return { needed: reasons.length > 0, reasons }
}

function addReasons(reasons: MultiValueReason[], source: string, c: HttpHeaderCondition | QueryStringCondition): void {
  if (c.type === 'http-header') reasons.push({ kind: c.type, source, name: c.name.toLowerCase() })
  else for (const key of new Set(c.values.map((p) => p.key ?? '*'))) reasons.push({ kind: c.type, source, name: key })
}

/** One line naming the first reasons, for warnings and notices. */
export function describeMultiValueNeed(need: MultiValueNeed, max = 3): string {
  const shown = need.reasons.slice(0, max).map((r) =>
    r.kind === 'binds-arrays'
      ? `${r.source} binds every value of ${r.name}`
      : `${r.source} has a${r.kind === 'http-header' ? 'n http-header condition on' : ' query-string condition on key'} ${r.name}`,
  )
  const more = need.reasons.length - shown.length
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '')
}

/** What the handler reports once when it is deployed in single-value mode although it needs multi-value. */
export function singleValueWarning(need: MultiValueNeed): string {
  const routing: MultiValueNeed = { needed: true, reasons: need.reasons.filter((r) => r.kind !== 'binds-arrays') }
  return (
    'this app needs the target group attribute lambda.multi_value_headers.enabled=true but received a ' +
    'single-value event: ALB matches a repeated header or query key on any occurrence, while this ' +
    `event holds only the last one, so such requests may reach another route than ALB would pick (${describeMultiValueNeed(routing)}). ` +
    'Deploy the manifest albatross generates, or turn the attribute on'
  )
}
