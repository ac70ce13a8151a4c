/**
 * ALB value patterns: `*` is any run of characters (across `/` and `.`), `?` exactly one, and the
 * pattern must cover the whole comparand (spec/alb.md §2.0). Only query-string has escapes.
 */

export interface GlobOptions {
  /** Host, header value and query-string compare case-insensitively; path and method do not. */
  readonly caseInsensitive?: boolean
  /** Query-string only: `\*` and `\?` are a literal `*` and `?` (spec/alb.md §2.5). */
  readonly allowEscapes?: boolean
}

export type StringTest = (value: string) => boolean

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g

// "Rules are applied only to visible ASCII" (spec/alb.md §2.0); what ALB does with control
// characters is undocumented, so following §6 #8 a comparand holding one never matches a value
// pattern: literals cannot contain them (the checks refuse), and the wildcards refuse them here.
const VISIBLE = '[^\\x00-\\x1f\\x7f]'

function isEscape(pattern: string, i: number, allowEscapes: boolean): boolean {
  if (!allowEscapes || pattern[i] !== '\\') return false
  const next = pattern[i + 1]
  return next === '*' || next === '?'
}

/** The unanchored RegExp source of a pattern. */
function globSource(pattern: string, allowEscapes: boolean): string {
  let out = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string
    if (isEscape(pattern, i, allowEscapes)) out += '\\' + pattern[++i]
    else if (c === '*') out += VISIBLE + '*'
    else if (c === '?') out += VISIBLE
    else out += c.replace(REGEX_SPECIAL, '\\$&')
  }
  return out
}

/**
 * `/^…$/`, with `i` when case-insensitive. Without the `u` flag, `i` never folds a non-ASCII
 * character onto an ASCII one (ECMA-262 Canonicalize), so ASCII patterns fold ASCII only, as ALB.
 */
export function globToRegExp(pattern: string, options: GlobOptions = {}): RegExp {
  const source = '^' + globSource(pattern, options.allowEscapes ?? false) + '$'
  return new RegExp(source, options.caseInsensitive ? 'i' : '')
}

/** `*` and `?` that count toward ALB's per-rule wildcard budget; escaped ones do not (§1.4). */
export function countWildcards(pattern: string, allowEscapes = false): number {
  let count = 0
  for (let i = 0; i < pattern.length; i++) {
    if (isEscape(pattern, i, allowEscapes)) i++
    else if (pattern[i] === '*' || pattern[i] === '?') count++
  }
  return count
}

/** The text a wildcard-free pattern stands for (escapes resolved), or undefined. */
function literalOf(pattern: string, allowEscapes: boolean): string | undefined {
  let out = ''
  for (let i = 0; i < pattern.length; i++) {
    if (isEscape(pattern, i, allowEscapes)) out += pattern[++i]
    else if (pattern[i] === '*' || pattern[i] === '?') return undefined
    else out += pattern[i]
  }
  return out
}

/**
 * One test for an OR-ed list of patterns. Case-sensitive literals (most paths) become `===` or a
 * Set lookup; anything else is a single alternation RegExp, so a condition costs one scan per
 * request however many values it holds.
 */
export function compileGlobs(patterns: readonly string[], options: GlobOptions = {}): StringTest {
  if (patterns.length === 0) return () => false
  const allowEscapes = options.allowEscapes ?? false
  if (!options.caseInsensitive) {
    const literals = patterns.map((p) => literalOf(p, allowEscapes))
    if (literals.every((l) => l !== undefined)) {
      if (literals.length === 1) {
        const only = literals[0] as string
        return (value) => value === only
      }
      const set = new Set(literals as string[])
      return (value) => set.has(value)
    }
  }
  // A backtracking RegExp with two or more `*` takes polynomial time on a hostile comparand
  // (`/a/*/*/*/*` against 16 K of slashes); those patterns use the linear-memory glob matcher.
  const simple = patterns.filter((p) => starCount(p, allowEscapes) < 2)
  const tests: StringTest[] = patterns
    .filter((p) => starCount(p, allowEscapes) >= 2)
    .map((p) => compileGlobMatcher(p, allowEscapes, options.caseInsensitive ?? false))
  if (simple.length > 0) {
    const body = simple.map((p) => globSource(p, allowEscapes)).join('|')
    const re = new RegExp('^(?:' + body + ')$', options.caseInsensitive ? 'i' : '')
    tests.unshift((value) => re.test(value))
  }
  const [first] = tests
  if (tests.length === 1 && first) return first
  return (value) => tests.some((test) => test(value))
}

function starCount(pattern: string, allowEscapes: boolean): number {
  let count = 0
  for (let i = 0; i < pattern.length; i++) {
    if (isEscape(pattern, i, allowEscapes)) i++
    else if (pattern[i] === '*') count++
  }
  return count
}

const STAR = -1
const ANY = -2
/** Control characters, which no literal or wildcard takes (spec/alb.md §6 #8). */
export const CONTROL = /[\x00-\x1f\x7f]/

/** ASCII-only case folding, as the RegExp `i` flag without `u` does for ALB's ASCII patterns. */
function fold(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code
}

/**
 * The classic wildcard matcher: on a mismatch only the last `*` is widened, which is enough for
 * `*`/`?` globs and bounds the work to pattern length × comparand length, with no recursion.
 */
export function compileGlobMatcher(pattern: string, allowEscapes: boolean, caseInsensitive: boolean): StringTest {
  const tokens: number[] = []
  for (let i = 0; i < pattern.length; i++) {
    if (isEscape(pattern, i, allowEscapes)) tokens.push(pattern.charCodeAt(++i))
    else if (pattern[i] === '*') tokens.push(STAR)
    else if (pattern[i] === '?') tokens.push(ANY)
    else tokens.push(caseInsensitive ? fold(pattern.charCodeAt(i)) : pattern.charCodeAt(i))
  }
  return (value) => {
    // No literal, `?` or `*` may take a control character (spec/alb.md §6 #8).
    if (CONTROL.test(value)) return false
    let t = 0
    let v = 0
    let starAt = -1
    let starFrom = 0
    while (v < value.length) {
      const token = t < tokens.length ? (tokens[t] as number) : undefined
      const code = caseInsensitive ? fold(value.charCodeAt(v)) : value.charCodeAt(v)
      if (token === ANY || (token !== undefined && token === code)) {
        t++
        v++
      } else if (token === STAR) {
        starAt = t++
        starFrom = v
      } else if (starAt >= 0) {
        t = starAt + 1
        v = ++starFrom
      } else return false
    }
    while (t < tokens.length && tokens[t] === STAR) t++
    return t === tokens.length
  }
}

/** Characters a check refused, once each: `' ', '%'`, invisible ones as `U+0009`. */
export function quoteChars(chars: Iterable<string>): string {
  const shown = [...new Set(chars)].map((c) => {
    const code = c.codePointAt(0) ?? 0
    if (code < 0x20 || code > 0x7e) return 'U+' + code.toString(16).toUpperCase().padStart(4, '0')
    return c === "'" ? `"'"` : `'${c}'`
  })
  return shown.join(', ')
}

/**
 * The length problem of a value, if any: `path pattern "…" is 129 characters long; …`. ALB values
 * run from 1 to `max` characters; `emptyHint` says what to write instead of an empty one.
 */
export function checkLength(
  kind: string,
  text: string,
  max: number,
  source: string,
  emptyHint = '',
): string[] {
  if (text.length === 0) {
    return [`${kind} is empty; ALB needs 1 to ${max} characters${emptyHint} (${source})`]
  }
  if (text.length <= max) return []
  return [
    `${kind} "${text}" is ${text.length} characters long; ALB allows at most ${max} (${source})`,
  ]
}
