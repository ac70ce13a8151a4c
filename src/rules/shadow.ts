import { parseCidr } from './source-ip.js'
import type { AlbCondition, AlbRule, QueryStringPair, RuleTable } from './types.js'

export interface Shadowing {
  /** The rule that can never match… */
  readonly shadowed: AlbRule
  /** …because this earlier rule matches every request it would. */
  readonly by: AlbRule
}

/**
 * Rules that can never match because an earlier rule covers every request they would match
 * (`albatross routes` warns about them). The test is sufficient, not complete: it reports only
 * coverings it can prove condition by condition, so a warning is always real. `by` is the first
 * earlier rule that covers the shadowed one.
 *
 * Not every pair is tried (#12 § 9: all pairs took 32 s at 10,000 routes). A rule can cover
 * another only if its path patterns' literal prefixes (up to the first wildcard) start the
 * other's path, so earlier rules are indexed in a trie of those prefixes and each rule is tried
 * only against the rules found along its own path, plus the rules without a path condition (or
 * with a universal one), which may cover anything.
 */
export function findShadowedRules(table: RuleTable): Shadowing[] {
  const found: Shadowing[] = []
  const index = new CoverIndex()
  const rules = table.rules
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as AlbRule
    const facts = factsOf(rule)
    for (const j of index.candidates(facts)) {
      const earlier = index.facts[j] as RuleFacts
      if ((earlier.constrains & ~facts.has) === 0 && covers(earlier.rule, rule)) {
        found.push({ shadowed: rule, by: earlier.rule })
        break
      }
    }
    index.add(facts)
  }
  return found
}

/** What the index and the quick rejection need of a rule, computed once. */
interface RuleFacts {
  readonly rule: AlbRule
  /** Bits of the condition types that constrain (a universal path pattern does not)… */
  readonly constrains: number
  /** …each of which a rule it covers must have (of any kind: '/**' covers '/*'). */
  readonly has: number
  /** The path condition's globs and regexes; undefined without one. */
  readonly path: { readonly values: readonly string[]; readonly regexValues: readonly string[] } | undefined
  /** The path condition matches every path: the rule may cover a rule with any path. */
  readonly anyPath: boolean
}

const TYPE_BITS: Readonly<Record<AlbCondition['type'], number>> = {
  'path-pattern': 1,
  'host-header': 2,
  'http-header': 4,
  'http-request-method': 8,
  'query-string': 16,
  'source-ip': 32,
}

function factsOf(rule: AlbRule): RuleFacts {
  let constrains = 0
  let has = 0
  let path: RuleFacts['path']
  let anyPath = true
  for (const condition of rule.conditions) {
    has |= TYPE_BITS[condition.type]
    if (condition.type === 'path-pattern') path = condition
    if (isUniversal(condition)) continue
    constrains |= TYPE_BITS[condition.type]
    if (condition.type === 'path-pattern') anyPath = false
  }
  return { rule, constrains, has, path, anyPath }
}

interface TrieNode {
  /** Indexes of the rules with a path glob whose literal prefix ends here. */
  rules: number[] | undefined
  readonly next: Map<string, TrieNode>
}

/** Earlier rules, by what a later rule's path must start with for them to cover it. */
class CoverIndex {
  readonly facts: RuleFacts[] = []
  /** Rules without a (non-universal) path condition: candidates for every rule. */
  readonly #anyPath: number[] = []
  readonly #root: TrieNode = { rules: undefined, next: new Map() }
  /** Rules by each regex of their path condition. */
  readonly #byRegex = new Map<string, number[]>()

  add(facts: RuleFacts): void {
    const i = this.facts.push(facts) - 1
    const path = facts.path
    if (path === undefined || facts.anyPath) {
      this.#anyPath.push(i)
      return
    }
    for (const value of path.values) {
      let node = this.#root
      for (let k = 0; k < value.length; k++) {
        const c = value[k] as string
        if (c === '*' || c === '?') break
        let child = node.next.get(c)
        if (child === undefined) node.next.set(c, (child = { rules: undefined, next: new Map() }))
        node = child
      }
      const list = (node.rules ??= [])
      if (list[list.length - 1] !== i) list.push(i)
    }
    for (const regex of path.regexValues) {
      const list = this.#byRegex.get(regex)
      if (list === undefined) this.#byRegex.set(regex, [i])
      else if (list[list.length - 1] !== i) list.push(i)
    }
  }

  /**
   * Indexes of the earlier rules that may cover `facts`' rule, ascending. A covering rule's path
   * condition must cover the rule's first path value: a glob whose literal prefix starts it (its
   * literals must meet the same literals), or, for a rule with regexes only, that same regex.
   */
  candidates(facts: RuleFacts): number[] {
    const path = facts.path
    if (path === undefined) return this.#anyPath
    const found: number[][] = [this.#anyPath]
    const first = path.values[0]
    if (first !== undefined) {
      let node: TrieNode | undefined = this.#root
      for (let k = 0; node !== undefined; k++) {
        if (node.rules !== undefined) found.push(node.rules)
        const c = first[k]
        if (c === undefined || c === '*' || c === '?') break
        node = node.next.get(c)
      }
    } else {
      const regex = path.regexValues[0]
      const list = regex === undefined ? undefined : this.#byRegex.get(regex)
      if (list !== undefined) found.push(list)
    }
    return mergeAscending(found)
  }
}

/** The union of ascending lists, ascending and without repeats (a few lists: merged pairwise). */
function mergeAscending(lists: readonly number[][]): number[] {
  let merged: number[] = []
  for (const list of lists) {
    if (list.length === 0) continue
    if (merged.length === 0) {
      merged = list
      continue
    }
    const out: number[] = []
    let i = 0
    let j = 0
    while (i < merged.length || j < list.length) {
      const a = i < merged.length ? (merged[i] as number) : Infinity
      const b = j < list.length ? (list[j] as number) : Infinity
      const next = a <= b ? a : b
      if (a === next) i++
      if (b === next) j++
      out.push(next)
    }
    merged = out
  }
  return merged
}

/** True when every request matching `b` also matches `a` (AND of conditions, spec/alb.md §1.2). */
export function covers(a: AlbRule, b: AlbRule): boolean {
  return a.conditions.every((ca) => isUniversal(ca) || b.conditions.some((cb) => conditionCovers(ca, cb)))
}

function isUniversal(c: AlbCondition): boolean {
  // Every path ALB evaluates starts with "/", so these patterns match all of them.
  return c.type === 'path-pattern' && c.values.some((v) => v === '*' || v === '/*')
}

function conditionCovers(a: AlbCondition, b: AlbCondition): boolean {
  if (a.type !== b.type) return false
  switch (a.type) {
    case 'path-pattern':
    case 'host-header': {
      const bb = b as typeof a
      return globsCover(a.values, a.regexValues, bb.values, bb.regexValues, a.type === 'host-header')
    }
    case 'http-header': {
      const bb = b as typeof a
      return a.name.toLowerCase() === bb.name.toLowerCase() && globsCover(a.values, a.regexValues, bb.values, bb.regexValues, true)
    }
    case 'http-request-method':
      return (b as typeof a).values.every((m) => a.values.includes(m))
    case 'query-string':
      return (b as typeof a).values.every((pb) => a.values.some((pa) => pairCovers(pa, pb)))
    case 'source-ip':
      return (b as typeof a).values.every((cb) => a.values.some((ca) => cidrCovers(ca, cb)))
  }
}

function globsCover(
  aValues: readonly string[], aRegex: readonly string[], bValues: readonly string[], bRegex: readonly string[], fold: boolean,
): boolean {
  return (
    bRegex.every((r) => aRegex.includes(r)) &&
    bValues.every((vb) => aValues.some((va) => globCovers(va, vb, fold)))
  )
}

function pairCovers(a: QueryStringPair, b: QueryStringPair): boolean {
  const escaped = (s: string | undefined) => s !== undefined && s.includes('\\')
  if ([a.key, a.value, b.key, b.value].some(escaped)) return a.key === b.key && a.value === b.value
  const keyOk = a.key === undefined || (b.key !== undefined && globCovers(a.key, b.key, true))
  return keyOk && globCovers(a.value, b.value, true)
}

/**
 * Does glob `a` match every string glob `b` matches? `a`'s `*` may absorb any run of `b`'s
 * symbols, its `?` one literal or `?` of `b`, its literals only the same literal.
 */
export function globCovers(a: string, b: string, fold: boolean): boolean {
  if (fold) {
    a = a.toLowerCase()
    b = b.toLowerCase()
  }
  const star = a.indexOf('*')
  const question = a.indexOf('?')
  // A literal covers only itself; `prefix*` every glob starting with those literals. (Literals
  // of `a` before its first and after its last wildcard meet only the same literals of `b`.)
  if (star === -1 && question === -1) return a === b
  const first = question === -1 || (star !== -1 && star < question) ? star : question
  if (!b.startsWith(a.slice(0, first))) return false
  if (question === -1 && star === a.length - 1) return true
  const last = Math.max(a.lastIndexOf('*'), a.lastIndexOf('?'))
  if (!b.endsWith(a.slice(last + 1))) return false
  return walkCovers(a, b)
}

/**
 * The general case of globCovers, by memoised walk over both globs (already case-folded):
 * `a`'s `*` may absorb any run of `b`'s symbols, its `?` one literal or `?` of `b`, its literals
 * only the same literal. Exported for the test holding globCovers' shortcuts to it.
 */
export function walkCovers(a: string, b: string): boolean {
  const memo = new Map<number, boolean>()
  const at = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j
    const cached = memo.get(key)
    if (cached !== undefined) return cached
    let result: boolean
    if (i === a.length) result = j === b.length
    else if (a[i] === '*') result = at(i + 1, j) || (j < b.length && at(i, j + 1))
    else if (j === b.length) result = false
    else if (a[i] === '?') result = b[j] !== '*' && at(i + 1, j + 1)
    else result = a[i] === b[j] && b[j] !== '*' && b[j] !== '?' && at(i + 1, j + 1)
    memo.set(key, result)
    return result
  }
  return at(0, 0)
}

function cidrCovers(a: string, b: string): boolean {
  const ca = parseCidr(a)
  const cb = parseCidr(b)
  if (typeof ca === 'string' || typeof cb === 'string' || ca.version !== cb.version || ca.prefix > cb.prefix) return false
  const bits = BigInt((ca.version === 6 ? 128 : 32) - ca.prefix)
  return BigInt(ca.network) >> bits === BigInt(cb.network) >> bits
}
