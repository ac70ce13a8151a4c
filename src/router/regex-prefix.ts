/**
 * The literal text every path a regex value matches must start with, so the path index can file
 * the regex under it like a glob's prefix (`^/users/[^/]+$` → `/users/`). ALB regex values run as
 * an unanchored, flagless search (rules/regex.ts), so only a leading `^` pins text to the start of
 * the path; without one, or with a top-level `|` (`^/a|/b` also matches `/x/b`), the prefix is ''.
 *
 * Conservative on purpose: the prefix stops at the first character that is not plainly itself
 * (any metacharacter, a letter or digit escape, anything outside visible ASCII) and drops a
 * character a quantifier follows (`^/users?` → `/user`). A shorter prefix only costs a few more
 * candidates; a wrong one would lose a match (test/router/regex-prefix.test.ts).
 */
export function regexLiteralPrefix(source: string): string {
  return regexLiteralAffixes(source).prefix
}

export interface RegexAffixes {
  /** Text every match starts with ('' when none is certain). */
  readonly prefix: string
  /** Text every match ends with, taken from after the prefix's source, so the two never overlap. */
  readonly suffix: string
}

/**
 * The literal prefix and suffix of a regex value. The suffix is the run of plain characters
 * right before a final, unescaped `$` (no flags, so `$` is the end of the path): a regex without
 * a top-level `|` is one sequence of terms, so a path it matches ends with them
 * (`^/users/(?<id>[^/]+)/orders$` → `/orders`). The scan stops at anything that is not plainly
 * one character (a metacharacter, which includes the `)`, `]`, `}` and quantifiers that end
 * groups, classes and repeats, or a letter or digit escape), and never reaches back into the
 * prefix's characters: path length ≥ prefix + suffix then holds for every match.
 */
export function regexLiteralAffixes(source: string): RegexAffixes {
  if (hasTopLevelAlternation(source)) return NONE
  const { prefix, end } = literalPrefix(source)
  return { prefix, suffix: literalSuffix(source, end) }
}

const NONE: RegexAffixes = { prefix: '', suffix: '' }

function literalPrefix(source: string): { prefix: string; end: number } {
  if (source[0] !== '^') return { prefix: '', end: 0 }
  let prefix = ''
  let i = 1
  while (i < source.length) {
    let c = source[i] as string
    let next = i + 1
    if (c === '\\') {
      const escaped = source[i + 1]
      // `\d`, `\b`, `\1`, `\x41`…: a class, an assertion or a code; only escaped punctuation is literal.
      if (escaped === undefined || /[A-Za-z0-9]/.test(escaped) || !isVisible(escaped)) break
      c = escaped
      next = i + 2
    } else if (META.includes(c) || !isVisible(c)) break
    const after = source[next]
    if (after === '?' || after === '*' || after === '+' || after === '{') break
    prefix += c
    i = next
  }
  return { prefix, end: i }
}

/** Plain characters right before a final unescaped `$`, none of them at an index below `start`. */
function literalSuffix(source: string, start: number): string {
  let j = source.length - 1
  if (source[j] !== '$' || backslashesBefore(source, j) % 2 === 1) return ''
  let suffix = ''
  j--
  while (j >= start) {
    const c = source[j] as string
    if (backslashesBefore(source, j) % 2 === 1) {
      // `\/`: escaped punctuation is itself; `\d`, `\1`… are classes, assertions or codes.
      if (j - 1 < start || /[A-Za-z0-9]/.test(c) || !isVisible(c)) break
      suffix = c + suffix
      j -= 2
    } else {
      // An unescaped backslash here would escape the character after it, already taken: not
      // reachable, but stopping is the safe answer.
      if (c === '\\' || META.includes(c) || !isVisible(c)) break
      suffix = c + suffix
      j--
    }
  }
  return suffix
}

function backslashesBefore(source: string, i: number): number {
  let n = 0
  while (i - 1 - n >= 0 && source[i - 1 - n] === '\\') n++
  return n
}

const META = '^$.|?*+()[]{}'

function isVisible(c: string): boolean {
  const code = c.charCodeAt(0)
  return code > 0x20 && code < 0x7f
}

/** A `|` outside every group and character class splits the whole regex into alternatives. */
function hasTopLevelAlternation(source: string): boolean {
  let depth = 0
  let inClass = false
  for (let i = 0; i < source.length; i++) {
    const c = source[i]
    if (c === '\\') i++
    else if (inClass) inClass = c !== ']'
    else if (c === '[') inClass = true
    else if (c === '(') depth++
    else if (c === ')') depth--
    else if (c === '|' && depth <= 0) return true
  }
  return false
}
