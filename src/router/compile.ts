import type { AlbCondition, AlbRule, RuleMatch, RuleMatcher, RuleRequest, RuleTable } from '../rules/types.js'
import { compileRule, newParams, SharedParts, type Candidate, type CompiledRule } from './candidate.js'
import { PathIndex } from './path-index.js'

/**
 * The rule table compiled for speed. It must choose exactly the rule a naive in-priority-order
 * evaluation chooses (rules/evaluate.ts; test/router/compile.test.ts checks it with fast-check).
 *
 * The index narrows the candidates without ever dropping a rule that could match:
 * - rules are bucketed by http-request-method value (rules without one go in every bucket);
 * - inside a bucket, each path value is filed in a radix tree under its literal prefix, the text
 *   before its first wildcard (a literal value under its whole text, as an exact entry): only a
 *   path starting with that prefix can match it, and one walk along the path collects them all;
 * - a regex value anchored to a literal prefix (`^/users/[^/]+$`) is filed under that prefix,
 *   and a one-segment one (router/regex-segments.ts) is tested without its RegExp;
 * - rules with another regex value or no path condition are candidates for every path.
 * A request costs one walk plus, per candidate, the test of what follows the prefix (mostly
 * nothing: `/users/*`) and of the other conditions, whatever the table size.
 */
export function compileRouter(table: RuleTable): RuleMatcher {
  const rules = table.rules
  // Rules compile with their method's bucket, on its first request: a cold start compiles the
  // rules its first request's method can reach, not the whole table. Candidate orders are
  // reserved per rule up front (at most one per path value, or one), so they follow table order
  // whichever bucket compiles a rule first.
  const firstOrder: number[] = []
  // By position, the methods whose bucket holds the rule (its last http-request-method values;
  // undefined for any method), and every method named.
  const methodsOf: (readonly string[] | undefined)[] = []
  const methods = new Set<string>()
  let order = 0
  // One indexed pass over the conditions: it runs for every rule in a cold start.
  for (let position = 0; position < rules.length; position++) {
    const conditions = (rules[position] as AlbRule).conditions
    firstOrder.push(order)
    let values: readonly string[] | undefined
    let pathValues = -1
    for (let i = 0; i < conditions.length; i++) {
      const c = conditions[i] as AlbCondition
      if (c.type === 'path-pattern' && pathValues < 0) pathValues = c.values.length + c.regexValues.length
      else if (c.type === 'http-request-method') values = c.values
    }
    order += 1 + Math.max(pathValues, 0)
    methodsOf.push(values)
    if (values !== undefined) for (let i = 0; i < values.length; i++) methods.add(values[i] as string)
  }
  const compiled: (CompiledRule | undefined)[] = []
  const shared = new SharedParts()
  const compiledAt = (position: number): CompiledRule => {
    let rule = compiled[position]
    if (rule === undefined) {
      let next = firstOrder[position] as number
      compiled[position] = rule = compileRule(rules[position] as AlbRule, position, () => next++, shared)
    }
    return rule
  }
  // Methods whose rules are the same share one bucket: @Get routes also answer HEAD (spec/alb.md
  // §2.3), so GET and HEAD would otherwise build the same index twice at cold start.
  const built = new Map<string, Bucket>()
  const bucketFor = (method: string | undefined): Bucket => {
    const positions: number[] = []
    methodsOf.forEach((values, position) => {
      if (values === undefined || (method !== undefined && values.includes(method))) positions.push(position)
    })
    const key = positions.join()
    let bucket = built.get(key)
    if (bucket === undefined) built.set(key, (bucket = buildBucket(positions.map(compiledAt))))
    return bucket
  }
  // Each method's index is built on its first request rather than here: createApp runs in the
  // Lambda's cold start, whose first request needs one method's index, not all of them.
  const buckets = new Map<string, Bucket>()
  let anyMethod: Bucket | undefined
  const bucketOf = (method: string): Bucket => {
    let bucket = buckets.get(method)
    if (bucket !== undefined) return bucket
    // A method no rule names uses the rules without a method condition; it is not cached by
    // name, so requests with made-up methods cannot grow the map.
    if (!methods.has(method)) return (anyMethod ??= bucketFor(undefined))
    bucket = bucketFor(method)
    buckets.set(method, bucket)
    return bucket
  }
  return {
    match(request: RuleRequest): RuleMatch | undefined {
      const bucket = bucketOf(request.method)
      const path = request.path
      const candidates = bucket.index.lookup(path) ?? bucket.controlPath
      for (let i = 0; i < candidates.length; i++) {
        const c = candidates[i] as Candidate
        const suffix = c.suffix
        if (suffix !== '' && (path.length - suffix.length < c.head || !path.endsWith(suffix))) continue
        if (c.segment) {
          // One `[^/]+`: non-empty, and no `/` before the suffix (which starts with one, if any).
          const end = path.length - suffix.length
          const slash = path.indexOf('/', c.head)
          if (end === c.head || (slash >= 0 && slash < end)) continue
        }
        const tail = c.tail
        if (tail !== undefined && !tail.test(path, c.head)) continue
        if (c.matchesPath !== undefined && !c.matchesPath(path)) continue
        if (c.matchesConditions !== undefined && !c.matchesConditions(request)) continue
        if (c.result !== undefined) return c.result
        if (tail !== undefined) return { rule: c.rule, params: tail.params(path, c.head) }
        if (c.param === undefined) return { rule: c.rule, params: c.params(path) }
        const params = newParams()
        params[c.param] = path.slice(c.head, path.length - suffix.length)
        return { rule: c.rule, params }
      }
      return undefined
    },
  }
}

interface Bucket {
  readonly index: PathIndex<Candidate>
  /**
   * The candidates for a path the index refuses (one holding a control character): those tried
   * for every path, and the indexed regex values, which test the whole path themselves.
   */
  readonly controlPath: readonly Candidate[]
}

/** The index of the rules one method can match. */
function buildBucket(rules: readonly CompiledRule[]): Bucket {
  const index = new PathIndex<Candidate>()
  const unindexed: Candidate[] = []
  const controlPath: Candidate[] = []
  for (const rule of rules) {
    if (rule.unindexed !== undefined) {
      unindexed.push(rule.unindexed)
      controlPath.push(rule.unindexed)
    }
    for (const { candidate, prefix, exact, control } of rule.placements ?? []) {
      index.add(prefix, candidate, exact)
      if (control !== undefined) controlPath.push(control)
    }
  }
  index.build(unindexed)
  return { index, controlPath }
}
