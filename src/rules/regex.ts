import { checkLength, quoteChars } from './glob.js'
import type { StringTest } from './glob.js'
import { VALUE_MAX_LENGTH } from './limits.js'

/**
 * ALB regex values (path, host, header). AWS lists what its engine lacks (lookaround,
 * backreferences, atomic groups, possessive quantifiers, subroutines, recursion, `\p{..}`) and
 * the rest looks RE2-class (spec/alb.md §1.4, §2.7). The router runs them as JS RegExps, so we
 * accept only the common ground: syntax both read the same way. Left alone on purpose: `.` also
 * skips `\r` in JS and `\s` also takes `\v`, which cannot differ on ALB's visible-ASCII comparands.
 */

const SOURCE =
  'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html'
/** RE2 refuses repeat counts above 1000. */
const REPEAT_MAX = 1000
/** Letter escapes JS and RE2 agree on; `\b` is a backspace only inside a JS class. */
const OUTSIDE_CLASS = 'dDwWsSbBnrtfv'
const IN_CLASS = 'dDwWsSnrtfv'
const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

function unsupported(source: string, what: string): string {
  return `regex "${source}" uses ${what}, which ALB regex conditions do not support (${SOURCE})`
}

function ambiguous(source: string, what: string, instead: string): string {
  return (
    `regex "${source}" uses ${what}, which JS and ALB's RE2-class engine read differently; ` +
    `${instead} (${SOURCE})`
  )
}

/** Problems with a group opened at `i` (`source[i] === '('`, `source[i + 1] === '?'`). */
function checkGroup(source: string, i: number, out: Set<string>): void {
  const a = source[i + 2]
  const b = source[i + 3]
  if (a === ':') return
  if (a === '=' || a === '!') out.add(unsupported(source, `a lookahead "(?${a}"`))
  else if (a === '<' && (b === '=' || b === '!')) {
    out.add(unsupported(source, `a lookbehind "(?<${b}"`))
  } else if (a === '<') {
    const end = source.indexOf('>', i + 3)
    const name = end < 0 ? '' : source.slice(i + 3, end)
    if (!GROUP_NAME.test(name)) {
      out.add(`regex "${source}" has a group name "${name}"; use letters, digits and _ (${SOURCE})`)
    }
  } else if (a === '>') out.add(unsupported(source, 'an atomic group "(?>"'))
  else if (a === 'P' && b === '<') {
    out.add(ambiguous(source, 'a Python-style named group "(?P<"', 'write (?<name>…)'))
  } else if (a === 'P' && b === '=') out.add(unsupported(source, 'a named backreference "(?P="'))
  else if (a === 'R' || a === '&' || a === 'P' || (a !== undefined && /[0-9+-]/.test(a))) {
    out.add(unsupported(source, 'a subroutine call or recursion'))
  } else if (a !== undefined && /[a-zA-Z^]/.test(a)) {
    out.add(`regex "${source}" uses inline flags "(?${a}"; ALB regex values take no flags (${SOURCE})`)
  } else {
    out.add(`regex "${source}" uses the group syntax "(?${a ?? ''}", which ALB does not document (${SOURCE})`)
  }
}

/** Problems with the escape at `i`; returns the index of its last character. */
function checkEscape(source: string, i: number, inClass: boolean, out: Set<string>): number {
  const n = source[i + 1]
  if (n === undefined) return i
  if (/[0-9]/.test(n)) out.add(unsupported(source, `a backreference or octal escape "\\${n}"`))
  else if (n === 'k' && source[i + 2] === '<') {
    out.add(unsupported(source, 'a named backreference "\\k<…>"'))
  } else if (n === 'p' || n === 'P') {
    out.add(unsupported(source, `a Unicode property class "\\${n}{..}"`))
  } else if (n === 'x') {
    if (/^[0-9A-Fa-f]{2}$/.test(source.slice(i + 2, i + 4))) return i + 3
    out.add(ambiguous(source, '"\\x" without two hex digits', 'write \\xHH'))
  } else if (n === 'u') {
    out.add(ambiguous(source, 'a "\\u" escape', 'write \\xHH or the character itself'))
  } else if (/[A-Za-z]/.test(n) && !(inClass ? IN_CLASS : OUTSIDE_CLASS).includes(n)) {
    const instead = 'escape only punctuation or use \\d \\w \\s \\b \\n \\r \\t'
    out.add(ambiguous(source, `the escape "\\${n}"`, instead))
  }
  return i + 1
}

/** A `{n}`, `{n,}` or `{n,m}` quantifier at `i`: its end index, or -1 when `{` is a literal. */
function checkBraces(source: string, i: number, out: Set<string>): number {
  const m = /^\{(\d*)(,?)(\d*)\}/.exec(source.slice(i))
  if (m === null) return -1
  const [all, min = '', comma, max = ''] = m
  if (min === '') {
    if (comma === '') return -1
    out.add(ambiguous(source, `the quantifier "${all}"`, 'write {0,n}'))
  } else if (Number(min) > REPEAT_MAX || Number(max) > REPEAT_MAX) {
    out.add(unsupported(source, `a repeat count above ${REPEAT_MAX} in "${all}"`))
  }
  return i + all.length - 1
}

/** Walks the source once, outside and inside character classes. */
function checkSyntax(source: string, out: Set<string>): void {
  let inClass = false
  for (let i = 0; i < source.length; i++) {
    const c = source[i]
    if (c === '\\') i = checkEscape(source, i, inClass, out)
    else if (inClass) {
      if (c === ']') inClass = false
      else if (c === '[') {
        out.add(ambiguous(source, 'an unescaped "[" inside a character class', 'write \\['))
      }
    } else if (c === '[') {
      inClass = true
      const first = source[i + 1] === '^' ? i + 2 : i + 1
      if (source[first] === ']') {
        out.add(ambiguous(source, `"${source.slice(i, first + 1)}"`, 'write \\] for a literal ]'))
        i = first
      } else i = first - 1
    } else if (c === '(' && source[i + 1] === '?') {
      checkGroup(source, i, out)
      i++
    } else {
      const isQuantifier = c === '*' || c === '+' || c === '?'
      const end = isQuantifier ? i : c === '{' ? checkBraces(source, i, out) : -1
      if (end < 0) continue
      const after = source[end + 1]
      if (after === '+') out.add(unsupported(source, 'a possessive quantifier'))
      i = after === '?' || after === '+' ? end + 1 : end
    }
  }
}

/**
 * Problems with a regex value, as sentences; empty when ALB and the router will agree on it. A
 * RegExp with flags is refused: ALB has none.
 */
export function checkAlbRegex(regex: string | RegExp): string[] {
  const out = new Set<string>()
  let source: string
  if (regex instanceof RegExp) {
    source = regex.source
    if (regex.flags !== '') {
      out.add(
        `regex /${source}/${regex.flags} has flags "${regex.flags}"; ALB regex values take no ` +
          `flags, so write case-explicit classes like [Aa] (${SOURCE})`,
      )
    }
  } else if (typeof regex === 'string') source = regex
  else return [`regex value ${String(regex)} is not a string`]
  for (const problem of checkLength('regex value', source, VALUE_MAX_LENGTH, SOURCE)) {
    out.add(problem)
  }
  const invisible = source.match(/[^\x20-\x7e]/g)
  if (invisible !== null) {
    out.add(
      `regex "${source}" has ${quoteChars(invisible)}; ALB applies rules to visible ASCII only, ` +
        'and JS and RE2 split non-ASCII characters differently (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html)',
    )
  }
  checkSyntax(source, out)
  if (out.size === 0) {
    try {
      new RegExp(source)
    } catch (error) {
      out.add(`regex "${source}" does not compile: ${(error as Error).message} (${SOURCE})`)
    }
  }
  return [...out]
}

/** A regex value as ALB runs it in the router: unanchored search, no flags (spec/alb.md §6 #4). */
export function compileRegex(source: string): RegExp {
  try {
    return new RegExp(source)
  } catch (error) {
    const message = `regex "${source}" does not compile: ${(error as Error).message}`
    throw new Error(message, { cause: error })
  }
}

/** One test for an OR-ed list of regex values. */
export function compileRegexes(sources: readonly string[]): StringTest {
  const res = sources.map(compileRegex)
  if (res.length === 0) return () => false
  if (res.length === 1) {
    const only = res[0] as RegExp
    return (value) => only.test(value)
  }
  return (value) => {
    for (const re of res) if (re.test(value)) return true
    return false
  }
}
