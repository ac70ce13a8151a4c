import { checkLength, compileGlobs, quoteChars } from './glob.js'
import { HEADER_NAME_MAX_LENGTH, VALUE_MAX_LENGTH } from './limits.js'
import { compileRegexes } from './regex.js'
import type { HttpHeaderCondition, RuleRequest } from './types.js'

const SOURCE =
  'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_HttpHeaderConditionConfig.html'
/** RFC 7230 token characters as Terraform validates them, minus `*`: ALB names take no wildcards. */
const NAME_DISALLOWED = /[^A-Za-z0-9!#$%&'+\-.^_`|~]/g
/** "Rules are applied only to visible ASCII" (spec/alb.md §2.0); space stays for User-Agents. */
const VALUE_DISALLOWED = /[^\x20-\x7e]/g

export function checkHeaderName(name: string): string[] {
  if (typeof name !== 'string') return [`header name ${String(name)} is not a string`]
  const problems = checkLength('header name', name, HEADER_NAME_MAX_LENGTH, SOURCE)
  if (name.length === 0) return problems
  const shown = `header name "${name}"`
  const bad = name.match(NAME_DISALLOWED)
  if (bad !== null) {
    problems.push(
      `${shown} has ${quoteChars(bad)}; ALB header names are RFC 7230 tokens without wildcards (${SOURCE})`,
    )
  }
  if (name.toLowerCase() === 'host') {
    problems.push(
      `${shown} cannot be used in an http-header condition; ALB requires a host-header condition for Host (${SOURCE})`,
    )
  }
  return problems
}

export function checkHeaderValuePattern(value: string): string[] {
  if (typeof value !== 'string') return [`header value pattern ${String(value)} is not a string`]
  const hint = ', use * for any value'
  const problems = checkLength('header value pattern', value, VALUE_MAX_LENGTH, SOURCE, hint)
  const bad = value.match(VALUE_DISALLOWED)
  if (bad !== null) {
    problems.push(
      `header value pattern "${value}" has ${quoteChars(bad)}; ALB applies rules to visible ASCII only (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html)`,
    )
  }
  return problems
}

/** The client's own X-Forwarded-For: the occurrences minus the address ALB appended last. */
function clientForwardedFor(values: readonly string[]): readonly string[] {
  const last = values[values.length - 1] as string
  const comma = last.lastIndexOf(',')
  const head = values.slice(0, -1)
  if (comma >= 0) head.push(last.slice(0, comma))
  return head
}

/**
 * Case-insensitive glob (or flagless regex) over each occurrence of the header as a whole field,
 * comma-joined lists included; any occurrence may match, none ⇒ false (spec/alb.md §2.2).
 *
 * On X-Forwarded-For the router sees ALB's appended peer address as the last element, which the
 * rule did not (ALB evaluated the client's value, spec/alb.md §6 #7b), so it is dropped first.
 */
export function compileHeaderMatcher(
  condition: HttpHeaderCondition,
): (request: RuleRequest) => boolean {
  const name = condition.name.toLowerCase()
  const globs = compileGlobs(condition.values, { caseInsensitive: true })
  const regexes = compileRegexes(condition.regexValues)
  const isForwardedFor = name === 'x-forwarded-for'
  return (request) => {
    let values = request.headerValues(name)
    if (values === undefined || values.length === 0) return false
    if (isForwardedFor) values = clientForwardedFor(values)
    for (const value of values) if (globs(value) || regexes(value)) return true
    return false
  }
}
