import { checkLength, compileGlobs, quoteChars } from './glob.js'
import { VALUE_MAX_LENGTH } from './limits.js'
import { compileRegexes } from './regex.js'
import type { HostHeaderCondition, RuleRequest } from './types.js'

const SOURCE =
  'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html'
const DISALLOWED = /[^A-Za-z0-9_\-.*?]/g

/**
 * Problems with a host-header value. AWS: `A-Z a-z 0-9 - .` and `* ?` (the console adds `_`), at
 * least one `.`, only letters after the last `.` — so no `:port`, and no wildcard or digit in the
 * top-level domain (spec/alb.md §2.1 reads "only letters" literally; `example.*` is refused).
 */
export function checkHostPattern(value: string): string[] {
  if (typeof value !== 'string') return [`host pattern ${String(value)} is not a string`]
  const problems = checkLength('host pattern', value, VALUE_MAX_LENGTH, SOURCE)
  if (value.length === 0) return problems
  const shown = `host pattern "${value}"`
  const bad = value.match(DISALLOWED)
  if (bad !== null) {
    const port = bad.includes(':')
      ? '; a host with a port can only be matched by a regex such as ^example\\.com:8443$'
      : ''
    problems.push(
      `${shown} has ${quoteChars(bad)}, which ALB host patterns do not allow ` +
        `(allowed: A-Z a-z 0-9 - _ . * ?; ${SOURCE})${port}`,
    )
  }
  const dot = value.lastIndexOf('.')
  if (dot < 0) problems.push(`${shown} has no ".", which ALB host patterns require (${SOURCE})`)
  else if (!/^[A-Za-z]+$/.test(value.slice(dot + 1))) {
    problems.push(
      `${shown} ends in "${value.slice(dot)}"; ALB allows only letters after the last "." ` +
        `(no digits, wildcards or port; ${SOURCE})`,
    )
  }
  return problems
}

/**
 * Case-insensitive test of the raw Host header, `:port` included: `example.com` does not match
 * `example.com:8443` (spec/alb.md §6 #7, no port stripping); only a regex can match a port.
 * A request without a Host matches nothing.
 */
export function compileHostMatcher(
  condition: HostHeaderCondition,
): (request: RuleRequest) => boolean {
  const globs = compileGlobs(condition.values, { caseInsensitive: true })
  const regexes = compileRegexes(condition.regexValues)
  return (request) => {
    const host = request.host
    return host !== undefined && (globs(host) || regexes(host))
  }
}
