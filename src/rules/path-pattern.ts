import { checkLength, compileGlobs, quoteChars } from './glob.js'
import { VALUE_MAX_LENGTH } from './limits.js'
import { compileRegexes } from './regex.js'
import type { PathPatternCondition } from './types.js'

const SOURCE = 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html'
const ALLOWED = `A-Z a-z 0-9 _ - . $ / ~ " ' @ : + & * ?`
const DISALLOWED = /[^A-Za-z0-9_\-.$/~"'@:+&*?]/g

/**
 * Problems with a path-pattern value. AWS lists the allowed characters but says nothing about the
 * first one; a path always starts with `/`, so we require `/` or `*` there: anything else could
 * never match (a leading `?` could only match the `/`, so write `/`).
 */
export function checkPathPattern(value: string): string[] {
  if (typeof value !== 'string') return [`path pattern ${String(value)} is not a string`]
  const problems = checkLength('path pattern', value, VALUE_MAX_LENGTH, SOURCE)
  if (value.length === 0) return problems
  const shown = `path pattern "${value}"`
  const bad = value.match(DISALLOWED)
  if (bad !== null) {
    problems.push(
      `${shown} has ${quoteChars(bad)}, which ALB path patterns do not allow ` +
        `(allowed: ${ALLOWED}; ${SOURCE}); match such paths with * or a regex`,
    )
  }
  if (value[0] !== '/' && value[0] !== '*') {
    problems.push(`${shown} does not start with / or *, so it can never match a path (${SOURCE})`)
  }
  return problems
}

/**
 * Case-sensitive test of the path alone (never the query, spec/alb.md §2.4); regex values are an
 * unanchored, flagless search of the same path (§6 #3/#4).
 */
export function compilePathMatcher(condition: PathPatternCondition): (path: string) => boolean {
  const globs = compileGlobs(condition.values)
  if (condition.regexValues.length === 0) return globs
  const regexes = compileRegexes(condition.regexValues)
  if (condition.values.length === 0) return regexes
  return (path) => globs(path) || regexes(path)
}

/**
 * The text each `*` of `pattern` matched, in order, or undefined when the path does not match.
 * Backtracking gives the leftmost `*` the longest text (`/a/*\/*` on `/a/b/c/d` → `b/c`, `d`).
 */
export function compilePathCapture(pattern: string): (path: string) => string[] | undefined {
  let source = '^'
  for (const c of pattern) {
    if (c === '*') source += '([\\s\\S]*)'
    else if (c === '?') source += '[\\s\\S]'
    else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  }
  const re = new RegExp(source + '$')
  return (path) => {
    const m = re.exec(path)
    return m === null ? undefined : (m.slice(1) as string[])
  }
}

export function capturePath(pattern: string, path: string): string[] | undefined {
  return compilePathCapture(pattern)(path)
}
