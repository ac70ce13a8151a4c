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
  const body = patterns.map((p) => globSource(p, allowEscapes)).join('|')
  const re = new RegExp('^(?:' + body + ')$', options.caseInsensitive ? 'i' : '')
  return (value) => re.test(value)
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
