import { compileCondition } from '../rules/condition.js'
import { CONTROL } from '../rules/glob.js'
import { compileGlobTail, compilePathGlob, type PathGlob } from '../rules/path-glob.js'
import { compilePathCapture, compilePathMatcher } from '../rules/path-pattern.js'
import { compileRegex } from '../rules/regex.js'
import type { AlbCondition, AlbRule, PathPatternCondition, RuleMatch, RuleRequest } from '../rules/types.js'
import { regexLiteralAffixes } from './regex-prefix.js'
import { regexSegments, segmentEndsFrom, type SegmentPattern } from './regex-segments.js'

type Params = Record<string, string>
type RequestTest = (request: RuleRequest) => boolean

// Params inherit from one frozen, empty, null-prototype object instead of being
// Object.create(null) themselves: no key is inherited either way (`constructor` and `__proto__`
// read undefined), but V8 keeps these in fast mode where Object.create(null) starts a dictionary,
// and creating and reading dictionaries cost ~10 % of throughput at 1,000 routes (issue #6).
const PARAMS_PROTO: Params = Object.freeze(Object.create(null) as Params)

export function newParams(): Params {
  return Object.create(PARAMS_PROTO) as Params
}

const NO_PARAMS: Params = Object.freeze(newParams())

/**
 * What a candidate tests after its literal prefix when its value has more than one wildcard or
 * group (`/users/*\/orders/*`, `^/orgs/(?<org>[^/]+)/members/(?<id>[^/]+)$`), taking the
 * prefix's length. One is built per distinct tail and capture names and shared by every candidate
 * that ends alike: a large table repeats a few tails under many prefixes, so the test's code and
 * data stay in the CPU caches, where a closure of each route's own was cold at 1,000 routes.
 */
export interface Tail {
  /** Whether `path`, whose first `head` characters the index matched, matches. */
  test(path: string, head: number): boolean
  /** The params of a path that passed `test`. */
  params(path: string, head: number): Params
}

/**
 * What the candidates of one router share: equal suffix texts as one string, equal tails as one
 * Tail (see Tail for why).
 */
export class SharedParts {
  readonly #texts = new Map<string, string>()
  readonly #tails = new Map<string, Tail>()

  text(text: string): string {
    const known = this.#texts.get(text)
    if (known !== undefined) return known
    this.#texts.set(text, text)
    return text
  }

  tail(key: string, make: () => Tail): Tail {
    let tail = this.#tails.get(key)
    if (tail === undefined) this.#tails.set(key, (tail = make()))
    return tail
  }
}

/**
 * One way a rule can match: the rule with one of its path values, or the rule alone when the
 * index cannot place it. A rule matches when any of its candidates passes, so the candidates of
 * one rule sit side by side in every list, in value order.
 *
 * The common `prefix*suffix` value is kept as plain fields, tested and captured inline by
 * compileRouter: at 1,000 routes a request's candidates are cold in the CPU caches, and each
 * closure and context left to follow cost more than the test itself.
 */
export class Candidate {
  constructor(
    readonly rule: AlbRule,
    readonly order: number,
    /** Length of the literal prefix the index matched: where the `*` of a `suffix` value starts. */
    readonly head: number,
    /** For a `prefix*suffix` value, the text the path must end with, clear of the prefix. */
    readonly suffix: string,
    /**
     * The text between `head` and `suffix` must be one non-empty path segment (no `/`): a
     * one-segment regex (`^/users/(?<id>[^/]+)$`, router/regex-segments.ts) tested without it.
     */
    readonly segment: boolean,
    /** A shared test of what follows the prefix (see Tail); its params when `result` is unset. */
    readonly tail: Tail | undefined,
    /** Any other path test; undefined when the index, `suffix` and `tail` settle the path. */
    readonly matchesPath: ((path: string) => boolean) | undefined,
    /** The rule's conditions other than path and method; undefined when it has none. */
    readonly matchesConditions: RequestTest | undefined,
    /** The answer, shared, when the rule captures nothing from this path value. */
    readonly result: RuleMatch | undefined,
    /** The `{name}` of a `prefix*suffix` value's `*`, captured inline; else `params` runs. */
    readonly param: string | undefined,
    readonly params: (path: string) => Params,
  ) {}
}

/** Where the index files a candidate: under a literal prefix, or at `exact` path only. */
export interface Placement {
  readonly candidate: Candidate
  readonly prefix: string
  readonly exact: boolean
  /**
   * A regex value's candidate for the paths the index refuses (a control character, which a regex
   * may still match: rules/evaluate.ts): one that tests the whole path itself, in the same order.
   */
  readonly control: Candidate | undefined
}

export interface CompiledRule {
  /** Index in the table. */
  readonly position: number
  /** Indexed candidates, one per path value, or undefined when the rule is `unindexed`. */
  readonly placements: readonly Placement[] | undefined
  readonly unindexed: Candidate | undefined
}

/**
 * A rule's candidates. Path values become indexed candidates when they are all control-free
 * value patterns or regex values anchored to a literal prefix (`^/users/…`); any other regex
 * value, or no path condition, leaves one candidate that tests the whole path as
 * rules/evaluate.ts does and is tried for every path.
 */
export function compileRule(rule: AlbRule, position: number, nextOrder: () => number, shared: SharedParts): CompiledRule {
  const tests: RequestTest[] = []
  let found: PathPatternCondition | undefined
  // One indexed pass: a cold start's first request compiles every rule of its method this way.
  for (let i = 0; i < rule.conditions.length; i++) {
    const condition = rule.conditions[i] as AlbCondition
    if (condition.type === 'path-pattern') found ??= condition
    // The method bucket (compile.ts) already guarantees the method condition.
    else if (condition.type !== 'http-request-method') tests.push(compileCondition(condition))
  }
  const rest = allOf(tests)
  const path = found
  // "Rules are applied only to visible ASCII" (spec/alb.md §6 #8): no value free of control
  // characters matches a path holding one (rules/glob.ts), so the index refuses such paths; a
  // value holding one (only in a table that skipped the checks) leaves its rule unindexed.
  // A condition holds value patterns or regex values, never both (spec/alb.md §2.0); a table
  // that mixes them is left to the unindexed candidate, which reads params as the evaluator does.
  const regexAffixes = path === undefined || path.regexValues.length === 0 ? NO_AFFIXES : path.regexValues.map(regexLiteralAffixes)
  const indexable =
    path !== undefined &&
    (path.regexValues.length === 0 || (path.values.length === 0 && !regexAffixes.some((a) => a.prefix === ''))) &&
    !hasControl(path.values)
  if (!indexable) return { position, placements: undefined, unindexed: unindexedCandidate(rule, path, nextOrder(), rest) }
  const names = rule.captures
  const result: RuleMatch = { rule, params: NO_PARAMS }
  // Params come from the first value only; a path that matched another value captured nothing
  // (rules/evaluate.ts), and the first value's candidate was tried and failed before. Each shape
  // has a function of its own: this runs for every route, and V8 keeps the machine code of what
  // ran that often for good (Sparkplug code is never flushed), so a table of `/users/{id}` paths
  // keeps the code of that shape only.
  const placements = path.values.map((value, i): Placement => {
    const first = value.search(WILDCARD)
    if (first >= 0 && value[first] === '*' && (value.indexOf('*', first + 1) >= 0 || value.indexOf('?', first + 1) >= 0)) {
      return globTailPlacement(rule, value, first, i === 0 ? names : [], nextOrder, rest, result, shared)
    }
    const glob = compilePathGlob(value)
    const named = i === 0 && glob.shape !== 'literal' && names.some((name) => name !== null)
    if (glob.shape === 'glob') return globPlacement(rule, glob, named ? names : undefined, nextOrder(), rest, result)
    return starPlacement(rule, glob, named ? names : undefined, nextOrder(), rest, result, shared)
  })
  if (path.regexValues.length > 0) regexPlacements(rule, path.regexValues, regexAffixes, placements, nextOrder, rest, result, shared)
  return { position, placements, unindexed: undefined }
}

/** The one candidate of a rule the index cannot hold, testing the whole path as rules/evaluate.ts does. */
function unindexedCandidate(rule: AlbRule, path: PathPatternCondition | undefined, order: number, rest: RequestTest | undefined): Candidate {
  const matchesPath = path === undefined ? undefined : compilePathMatcher(path)
  const params = compileParams(rule)
  const result = params === undefined ? { rule, params: NO_PARAMS } : undefined
  return new Candidate(rule, order, 0, '', false, undefined, matchesPath, rest, result, undefined, params ?? none)
}

/**
 * Regex values anchored to a literal prefix, filed under it. Params come from the first regex; a
 * path that matched a later one captured nothing.
 */
function regexPlacements(
  rule: AlbRule,
  regexValues: readonly string[],
  regexAffixes: readonly { prefix: string; suffix: string }[],
  placements: Placement[],
  nextOrder: () => number,
  rest: RequestTest | undefined,
  result: RuleMatch,
  shared: SharedParts,
): void {
  const names = rule.captures
  regexValues.forEach((source, i) => {
    const order = nextOrder()
    const named = i === 0 && names.some((name) => name !== null)
    const { prefix, suffix } = regexAffixes[i] as { prefix: string; suffix: string }
    const control = regexCandidate(rule, order, source, prefix, shared.text(suffix), named, rest, result)
    const segments = regexSegments(source)
    // The affixes the index and the suffix check use are the pattern's outer literals.
    const plain = segments !== undefined && segments.literals[0] === prefix && segments.literals.at(-1) === suffix
    const candidate = !plain ? control : segmentCandidate(rule, order, segments, named ? names : [], rest, result, shared)
    placements.push({ candidate, prefix, exact: false, control })
  })
}

const none = (): Params => NO_PARAMS

/**
 * A glob whose prefix is all the text before its first `*` (compilePathGlob's 'glob' shape): the
 * rest is a tail others may share, so the value's own glob is not compiled. `names`: the rule's
 * captures for its first value, none for the others.
 */
function globTailPlacement(
  rule: AlbRule,
  value: string,
  first: number,
  names: readonly (string | null)[],
  nextOrder: () => number,
  rest: RequestTest | undefined,
  result: RuleMatch,
  shared: SharedParts,
): Placement {
  const named = names.some((name) => name !== null)
  const tailText = value.slice(first)
  const taken = named ? names : []
  const tail = shared.tail(JSON.stringify(['glob', tailText, taken]), () => globTail(tailText, taken))
  const candidate = new Candidate(rule, nextOrder(), first, '', false, tail, undefined, rest, named ? undefined : result, undefined, none)
  return { candidate, prefix: value.slice(0, first), exact: false, control: undefined }
}

/** A value of compilePathGlob's 'glob' shape; `names` when the candidate captures params. */
function globPlacement(
  rule: AlbRule,
  glob: PathGlob & { shape: 'glob' },
  names: readonly (string | null)[] | undefined,
  order: number,
  rest: RequestTest | undefined,
  result: RuleMatch,
): Placement {
  const params = names !== undefined ? (p: string) => paramsOf(names, glob.capture(p)) : none
  const answer = names !== undefined ? undefined : result
  const candidate = new Candidate(rule, order, glob.prefix.length, '', false, undefined, glob.matchesRest, rest, answer, undefined, params)
  return { candidate, prefix: glob.prefix, exact: false, control: undefined }
}

/**
 * A `prefix*suffix` value, or a literal: one with nothing left to test and nothing to capture.
 * `names` when the candidate captures params.
 */
function starPlacement(
  rule: AlbRule,
  glob: PathGlob & { shape: 'star' | 'literal' },
  names: readonly (string | null)[] | undefined,
  order: number,
  rest: RequestTest | undefined,
  result: RuleMatch,
  shared: SharedParts,
): Placement {
  const head = glob.prefix.length
  const suffix = shared.text(glob.shape === 'star' ? glob.suffix : '')
  const only = names?.[0]
  const param = names !== undefined && names.length === 1 && only !== null ? only : undefined
  const capture = (p: string) => [p.slice(head, p.length - suffix.length)]
  const params = names !== undefined && param === undefined ? (p: string) => paramsOf(names, capture(p)) : none
  const candidate = new Candidate(rule, order, head, suffix, false, undefined, undefined, rest, names !== undefined ? undefined : result, param, params)
  return { candidate, prefix: glob.prefix, exact: glob.shape === 'literal', control: undefined }
}

const NO_AFFIXES: readonly { prefix: string; suffix: string }[] = Object.freeze([])

// compilePathGlob's wildcards: its prefix is the text before the first.
const WILDCARD = /[*?]/

function hasControl(values: readonly string[]): boolean {
  for (let i = 0; i < values.length; i++) if (CONTROL.test(values[i] as string)) return true
  return false
}

/**
 * A regex value's candidate that runs the RegExp. The index settles the literal prefix and the
 * match loop the literal suffix (`…/orders$`), so the regex runs only for paths that have both.
 */
function regexCandidate(
  rule: AlbRule,
  order: number,
  source: string,
  prefix: string,
  suffix: string,
  named: boolean,
  rest: RequestTest | undefined,
  shared: RuleMatch,
): Candidate {
  const re = compileRegex(source)
  const names = rule.captures
  if (!named) return new Candidate(rule, order, prefix.length, suffix, false, undefined, (p) => re.test(p), rest, shared, undefined, none)
  // One run of the regex per match: the test keeps its groups for `params`, which the match
  // loop calls right after a passing test (and conditions) for the same path.
  let testedPath: string | undefined
  let groups: Record<string, string | undefined> | undefined
  const test = (p: string): boolean => {
    const found = re.exec(p)
    testedPath = p
    groups = found?.groups
    return found !== null
  }
  const params = (p: string): Params => groupsOf(names, p === testedPath ? groups : re.exec(p)?.groups)
  return new Candidate(rule, order, prefix.length, suffix, false, undefined, test, rest, undefined, undefined, params)
}

/**
 * A one-segment regex value's candidate, for the paths the index found under its prefix: a group
 * alone is the `segment` between prefix and suffix, captured inline like a glob's `*`; several
 * are found by one scan (router/regex-segments.ts). `names`: the rule's captures, when this
 * value's groups give the params.
 */
function segmentCandidate(
  rule: AlbRule,
  order: number,
  pattern: SegmentPattern,
  names: readonly (string | null)[],
  rest: RequestTest | undefined,
  shared: RuleMatch,
  parts: SharedParts,
): Candidate {
  const { literals, groups } = pattern
  const head = (literals[0] as string).length
  // The params a match yields: each capture name the rule reads, with the group that has it.
  const taken = names.flatMap((name) => {
    const group = name === null ? -1 : groups.indexOf(name)
    return group < 0 ? [] : [{ name: name as string, group }]
  })
  const result = taken.length === 0 ? shared : undefined
  if (groups.length === 1) {
    const param = taken[0]?.name
    return new Candidate(rule, order, head, parts.text(literals[1] as string), true, undefined, undefined, rest, result, param, none)
  }
  // Only the literals after the prefix matter to the scan: patterns that differ in their prefix
  // alone share it (see Tail).
  const after = literals.slice(1)
  const tail = parts.tail(JSON.stringify(['segments', after, taken]), () => segmentTail(after, taken))
  return new Candidate(rule, order, head, '', false, tail, undefined, rest, result, undefined, none)
}

/** A glob tail (`*\/items/*`) and the rule's capture names, or none when its params are unused. */
function globTail(text: string, names: readonly (string | null)[]): Tail {
  const tail = compileGlobTail(text)
  return {
    test: tail.matches,
    params: (path, head) => paramsOf(names, tail.capture(path, head)),
  }
}

/** The scan of a one-segment regex after its prefix; `taken`: the groups that give params. */
function segmentTail(after: readonly string[], taken: readonly { name: string; group: number }[]): Tail {
  // segmentEndsFrom reads the literals from the second on: the prefix's place stays empty.
  const literals = ['', ...after]
  return {
    test: (path, head) => segmentEndsFrom(literals, path, head) !== undefined,
    params: (path, head) => {
      const out = newParams()
      const ends = segmentEndsFrom(literals, path, head)
      if (ends === undefined) return out
      for (const { name, group } of taken) {
        const start = group === 0 ? head : (ends[group - 1] as number) + (after[group - 1] as string).length
        out[name] = path.slice(start, ends[group] as number)
      }
      return out
    },
  }
}

function allOf(tests: readonly RequestTest[]): RequestTest | undefined {
  const [a, b, c] = tests
  if (tests.length === 0) return undefined
  if (tests.length === 1 && a) return a
  if (tests.length === 2 && a && b) return (r) => a(r) && b(r)
  if (tests.length === 3 && a && b && c) return (r) => a(r) && b(r) && c(r)
  return (r) => tests.every((t) => t(r))
}

/** `{name}` captures by position; a name whose `*` took no text is left out, as the evaluator does. */
export function paramsOf(names: readonly (string | null)[], texts: readonly string[]): Params {
  const params = newParams()
  for (let i = 0; i < names.length; i++) {
    const name = names[i]
    const text = texts[i]
    if (name !== null && name !== undefined && text !== undefined) params[name] = text
  }
  return params
}

/** The evaluator's params for a rule the index cannot place (regex or control-character values). */
function compileParams(rule: AlbRule): ((path: string) => Params) | undefined {
  const names = rule.captures
  const path = rule.conditions.find((c) => c.type === 'path-pattern')
  if (path === undefined || !names.some((n) => n !== null)) return undefined
  const [first] = path.values
  if (first !== undefined) {
    const capture = compilePathCapture(first)
    return (requestPath) => paramsOf(names, capture(requestPath) ?? [])
  }
  const [regex] = path.regexValues
  if (regex === undefined) return undefined
  const re = compileRegex(regex)
  return (requestPath) => groupsOf(names, re.exec(requestPath)?.groups)
}

/** A regex's named groups as params; a group that took no part in the match is left out. */
function groupsOf(names: readonly (string | null)[], groups: Record<string, string | undefined> | undefined): Params {
  const params = newParams()
  if (groups === undefined) return params
  for (const name of names) {
    const text = name === null ? undefined : groups[name]
    if (name !== null && text !== undefined) params[name] = text
  }
  return params
}
