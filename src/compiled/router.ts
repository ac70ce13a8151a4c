import { newParams, paramsOf } from '../router/candidate.js'
import type { ConditionTest } from '../rules/condition.js'
import { CONTROL } from '../rules/glob.js'
import { installedConditions } from '../rules/installed-matchers.js'
import { compilePathGlob, type PathGlob } from '../rules/path-glob.js'
import type { AlbCondition, RuleRequest } from '../rules/types.js'
import type { CompiledRule } from './format.js'

/** The rule a request matched, by its index in the compiled table's rules, and its `{name}` captures. */
export interface CompiledMatch {
  readonly index: number
  readonly params: Readonly<Record<string, string>>
}

/**
 * albatross/compiled's router over the compiled table's rules (compiled/format.ts): ALB's
 * algorithm (spec/alb.md §1.1–§1.2), rules in table order and the first whose conditions all hold
 * wins, with one shortcut. A rule whose path value begins with a literal first segment
 * (`/users/*`, `/users`) is tried only for paths whose first segment is that text: path patterns
 * are case-sensitive and match the whole path (§2.4), so no other path can match it; and only for
 * the methods it names. Its other conditions (host, header, query, source-ip) are tested once its
 * path holds, by the matchers albatross/lambda's router uses (rules/installed-matchers.ts). Each
 * rule's tests are built by the first request that tries it, so a cold start builds those of one
 * bucket. Tests pin that it picks the reference evaluator's rule and params.
 */
export function compileTableRouter(rules: readonly CompiledRule[]): (request: RuleRequest) => CompiledMatch | undefined {
  const slots = rules.map((rule, index) => new Slot(rule, index))
  // Rules are filed by method as well, on the first request of each: a cold start files one
  // method's. A method no rule names shares the index of the rules that take any method, so a
  // client's made-up methods cannot grow the router.
  const named = new Set<string>()
  for (let r = 0; r < rules.length; r++) {
    const methods = (rules[r] as CompiledRule)[4]
    if (methods !== null) for (const method of methods) named.add(method)
  }
  const byMethod = new Map<string, Index>()
  let anyMethod: Index | undefined
  const indexOf = (method: string): Index => {
    if (!named.has(method)) return (anyMethod ??= indexSlots(slots.filter((slot) => slot.rule[4] === null)))
    let index = byMethod.get(method)
    if (index === undefined) byMethod.set(method, (index = indexSlots(slots.filter((slot) => slot.rule[4]?.includes(method) !== false))))
    return index
  }
  return (request) => {
    const path = request.path
    const { buckets, unkeyed } = indexOf(request.method)
    const list = (path.charCodeAt(0) === SLASH ? buckets.get(firstSegment(path)) : undefined) ?? unkeyed
    // "Rules are applied only to visible ASCII" (spec/alb.md §6 #8): no path value matches a path
    // holding a control character; a rule without one still may.
    const control = CONTROL.test(path)
    for (let i = 0; i < list.length; i++) {
      const params = (list[i] as Slot).match(request, path, control)
      if (params !== undefined) return { index: (list[i] as Slot).index, params }
    }
    return undefined
  }
}

/** One method's rules by the literal first segment of their path value, in table order. */
interface Index {
  readonly buckets: ReadonlyMap<string, readonly Slot[]>
  /** The rules tried for every path: no path value, or a wildcard in its first segment. */
  readonly unkeyed: readonly Slot[]
}

function indexSlots(slots: readonly Slot[]): Index {
  const unkeyed: Slot[] = []
  const buckets = new Map<string, Slot[]>()
  for (const slot of slots) {
    const glob = slot.rule[2]
    const key = glob !== null && glob.charCodeAt(0) === SLASH ? firstSegment(glob) : undefined
    if (key === undefined || key.includes('*') || key.includes('?')) {
      // Tried for every path: so it joins every bucket, in table order.
      unkeyed.push(slot)
      for (const list of buckets.values()) list.push(slot)
      continue
    }
    let list = buckets.get(key)
    if (list === undefined) buckets.set(key, (list = unkeyed.slice()))
    list.push(slot)
  }
  return { buckets, unkeyed }
}

const SLASH = 0x2f
const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze(newParams())

class Slot {
  #glob: PathGlob | null | undefined
  /** Set by the first request that tests the rule's other conditions: most rules have none, nor the field. */
  declare conditions?: ConditionTest
  constructor(
    readonly rule: CompiledRule,
    readonly index: number,
  ) {}

  /** The params when the request matches this rule, else undefined. */
  match(request: RuleRequest, path: string, control: boolean): Readonly<Record<string, string>> | undefined {
    // The index filed it under the request's method (or it takes any method). Read by index: a
    // destructuring pattern steps an iterator through the tuple until the interpreter's code is
    // optimised, on every rule tried.
    const rule = this.rule
    const pattern = rule[2]
    if (pattern === null) return rule[7] == null || this.holds(rule[7], request) ? NO_PARAMS : undefined
    if (control) return undefined
    const glob = (this.#glob ??= compilePathGlob(pattern))
    const texts = stars(glob, path)
    if (texts === undefined) return undefined
    // Conditions AND (spec/alb.md §1.2): the path first, the cheapest and most often decisive.
    const conditions = rule[7]
    if (conditions != null && !this.holds(conditions, request)) return undefined
    // From the path value's `*`s by position, as rules/evaluate.ts reads them.
    const captures = rule[3]
    return captures.length === 0 ? NO_PARAMS : paramsOf(captures, texts)
  }

  /** Whether the rule's other conditions all hold, by the matchers their decorators installed. */
  holds(conditions: readonly AlbCondition[], request: RuleRequest): boolean {
    const all = installedConditions() as (conditions: readonly AlbCondition[]) => ConditionTest
    return (this.conditions ??= all(conditions))(request)
  }
}

/** What each `*` of the glob took in `path` (leftmost longest), or undefined when it does not match. */
function stars(glob: PathGlob, path: string): readonly string[] | undefined {
  const prefix = glob.prefix
  if (!path.startsWith(prefix)) return undefined
  if (glob.shape === 'literal') return path.length === prefix.length ? NO_TEXTS : undefined
  if (glob.shape === 'star') {
    const suffix = glob.suffix
    if (path.length < prefix.length + suffix.length || !path.endsWith(suffix)) return undefined
    return [path.slice(prefix.length, path.length - suffix.length)]
  }
  return glob.matchesRest(path) ? glob.capture(path) : undefined
}

const NO_TEXTS: readonly string[] = Object.freeze([])

/** The text between the path's leading `/` and the next one (or the end). */
function firstSegment(path: string): string {
  const end = path.indexOf('/', 1)
  return end < 0 ? path.slice(1) : path.slice(1, end)
}
