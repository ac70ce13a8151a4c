import { compileCondition } from '../rules/condition.js'
import { compilePathCapture } from '../rules/path-pattern.js'
import type { AlbRule, RuleMatch, RuleMatcher, RuleRequest, RuleTable } from '../rules/types.js'

/**
 * The rule table compiled for speed. It must choose exactly the rule a naive in-priority-order
 * evaluation chooses (rules/evaluate.ts; test/router/compile.test.ts checks it with fast-check).
 *
 * The index narrows the candidates without ever dropping a rule that could match:
 * - rules are bucketed by http-request-method value (rules without one go in every bucket);
 * - inside a bucket, a path-pattern value is indexed by its literal prefix (the text before its
 *   first wildcard) in a character trie; a rule can only match paths that start with that
 *   prefix, so walking the trie along the request path collects every possible candidate;
 * - fully literal values go in an exact map; regex values and path-less rules are always
 *   candidates.
 * Each trie node stores the sorted union of its own and its ancestors' rules (built once), so a
 * request costs one walk plus a few predicate calls, whatever the table size.
 */
export function compileRouter(table: RuleTable): RuleMatcher {
  const compiled = table.rules.map(compileRule)
  const methods = new Set<string>()
  for (const rule of table.rules) {
    for (const c of rule.conditions) if (c.type === 'http-request-method') c.values.forEach((m) => methods.add(m))
  }
  const buckets = new Map<string, Bucket>()
  for (const method of methods) {
    buckets.set(method, buildBucket(compiled.filter((r) => r.methods === undefined || r.methods.includes(method))))
  }
  const anyMethod = buildBucket(compiled.filter((r) => r.methods === undefined))

  return {
    match(request: RuleRequest): RuleMatch | undefined {
      const bucket = buckets.get(request.method) ?? anyMethod
      const path = request.path
      const candidates = bucket.exact.get(path) ?? walk(bucket.root, path).all
      for (let i = 0; i < candidates.length; i++) {
        const rule = candidates[i] as CompiledRule
        if (rule.test(request)) return { rule: rule.rule, params: rule.params(path) }
      }
      return undefined
    },
  }
}

interface CompiledRule {
  readonly rule: AlbRule
  readonly position: number
  readonly methods: readonly string[] | undefined
  /** Literal prefixes of the path values; undefined when the rule is a candidate for every path. */
  readonly prefixes: readonly { prefix: string; exact: boolean }[] | undefined
  readonly test: (request: RuleRequest) => boolean
  readonly params: (path: string) => Record<string, string>
}

const NO_PARAMS: Record<string, string> = Object.freeze(Object.create(null) as Record<string, string>)

function compileRule(rule: AlbRule, position: number): CompiledRule {
  let methods: readonly string[] | undefined
  let prefixes: { prefix: string; exact: boolean }[] | undefined
  const tests: ((request: RuleRequest) => boolean)[] = []
  for (const condition of rule.conditions) {
    // The method bucket already guarantees the method condition.
    if (condition.type === 'http-request-method') methods = condition.values
    else tests.push(compileCondition(condition))
    if (condition.type === 'path-pattern' && condition.regexValues.length === 0) {
      prefixes = condition.values.map((value) => {
        const wildcard = value.search(/[*?]/)
        return wildcard < 0 ? { prefix: value, exact: true } : { prefix: value.slice(0, wildcard), exact: false }
      })
    }
  }
  return { rule, position, methods, prefixes, test: allOf(tests), params: compileParams(rule) }
}

function allOf(tests: ((request: RuleRequest) => boolean)[]): (request: RuleRequest) => boolean {
  const [a, b, c] = tests
  if (tests.length === 0) return () => true
  if (tests.length === 1 && a) return a
  if (tests.length === 2 && a && b) return (r) => a(r) && b(r)
  if (tests.length === 3 && a && b && c) return (r) => a(r) && b(r) && c(r)
  return (r) => tests.every((t) => t(r))
}

function compileParams(rule: AlbRule): (path: string) => Record<string, string> {
  const names = rule.captures
  if (!names.some((n) => n !== null)) return () => NO_PARAMS
  const path = rule.conditions.find((c) => c.type === 'path-pattern')
  const [first] = path?.values ?? []
  if (first !== undefined) {
    const capture = compilePathCapture(first)
    return (requestPath) => {
      const params = Object.create(null) as Record<string, string>
      const values = capture(requestPath)
      if (values !== undefined) names.forEach((name, i) => name !== null && (params[name] = values[i] ?? ''))
      return params
    }
  }
  const [regex] = path?.regexValues ?? []
  if (regex === undefined) return () => NO_PARAMS
  const re = new RegExp(regex)
  return (requestPath) => {
    const params = Object.create(null) as Record<string, string>
    const groups = re.exec(requestPath)?.groups
    if (groups !== undefined) for (const name of names) if (name !== null) params[name] = groups[name] ?? ''
    return params
  }
}

interface TrieNode {
  readonly children: Map<number, TrieNode>
  /** Rules whose literal prefix ends here. */
  readonly own: CompiledRule[]
  /** Sorted union of own + every ancestor's rules + always-candidates. */
  all: CompiledRule[]
}

interface Bucket {
  readonly root: TrieNode
  /** Literal path → complete sorted candidate list for exactly that path. */
  readonly exact: Map<string, CompiledRule[]>
}

function node(): TrieNode {
  return { children: new Map(), own: [], all: [] }
}

function buildBucket(rules: readonly CompiledRule[]): Bucket {
  const root = node()
  const exactOwn = new Map<string, CompiledRule[]>()
  for (const rule of rules) {
    if (rule.prefixes === undefined) {
      root.own.push(rule)
      continue
    }
    for (const { prefix, exact } of rule.prefixes) {
      if (exact) {
        const list = exactOwn.get(prefix) ?? []
        list.push(rule)
        exactOwn.set(prefix, list)
      } else {
        let at = root
        for (let i = 0; i < prefix.length; i++) {
          const code = prefix.charCodeAt(i)
          let next = at.children.get(code)
          if (next === undefined) at.children.set(code, (next = node()))
          at = next
        }
        at.own.push(rule)
      }
    }
  }
  fill(root, [])
  const exact = new Map<string, CompiledRule[]>()
  for (const [path, own] of exactOwn) exact.set(path, merge(own, walk(root, path).all))
  return { root, exact }
}

function fill(at: TrieNode, inherited: CompiledRule[]): void {
  // Most nodes are inner characters of a prefix and hold no rule: they share their parent's list
  // instead of copying it, which keeps building a 1,000-route table cheap.
  at.all = at.own.length === 0 ? inherited : merge(at.own, inherited)
  for (const child of at.children.values()) fill(child, at.all)
}

/** The deepest trie node along `path`: its `all` holds every prefix rule that could match. */
function walk(root: TrieNode, path: string): TrieNode {
  let at = root
  for (let i = 0; i < path.length; i++) {
    const next = at.children.get(path.charCodeAt(i))
    if (next === undefined) break
    at = next
  }
  return at
}

function merge(a: readonly CompiledRule[], b: readonly CompiledRule[]): CompiledRule[] {
  const seen = new Set<CompiledRule>()
  return [...a, ...b]
    .filter((r) => (seen.has(r) ? false : (seen.add(r), true)))
    .sort((x, y) => x.position - y.position)
}
