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
  if (source[0] !== '^' || hasTopLevelAlternation(source)) return ''
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
  return prefix
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
