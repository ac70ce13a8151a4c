import { checkLength, compileGlobs, quoteChars } from './glob.js'
import type { StringTest } from './glob.js'
import { VALUE_MAX_LENGTH } from './limits.js'
import type { QueryStringCondition, QueryStringPair, RuleRequest } from './types.js'

const SOURCE =
  'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_QueryStringConditionConfig.html'
/**
 * Whether ALB compares the raw or the percent-decoded query (and `+` as space) is undocumented
 * (spec/alb.md §6 #5). RFC 3986 unreserved characters are never percent-encoded by a conforming
 * client, so a pattern made only of them (plus wildcards and `\*` `\?` escapes) matches the same
 * requests under either reading: the router can compare raw pairs and still agree with ALB.
 */
const DISALLOWED = /[^A-Za-z0-9\-._~*?\\]/g
const BAD_ESCAPE = /\\(?![*?])/

function checkPart(part: 'key' | 'value', text: unknown): string[] {
  const kind = `query-string ${part}`
  if (typeof text !== 'string') return [`${kind} ${String(text)} is not a string`]
  const hint = part === 'key' ? ', leave the key out to match any key' : ', use * for any value'
  const problems = checkLength(kind, text, VALUE_MAX_LENGTH, SOURCE, hint)
  const bad = text.match(DISALLOWED)
  if (bad !== null) {
    problems.push(
      `${kind} "${text}" has ${quoteChars(bad)}; albatross allows only A-Z a-z 0-9 - . _ ~ ` +
        'with * ? wildcards and \\* \\? escapes, because ALB does not document whether it ' +
        'decodes %XX before comparing',
    )
  }
  if (BAD_ESCAPE.test(text)) {
    problems.push(
      `${kind} "${text}" has a "\\" that is not part of \\* or \\?, the only escapes ALB query strings have (${SOURCE})`,
    )
  }
  return problems
}

export function checkQueryPair(pair: QueryStringPair): string[] {
  if (pair === null || typeof pair !== 'object') {
    return [`query-string pair ${String(pair)} is not an object`]
  }
  if (pair.value === undefined) {
    return [`query-string pair has no value; ALB requires one, * for any (${SOURCE})`]
  }
  const key = pair.key === undefined ? [] : checkPart('key', pair.key)
  return [...key, ...checkPart('value', pair.value)]
}

interface CompiledPair {
  readonly key: StringTest | undefined
  readonly value: StringTest
}

/**
 * Case-insensitive globs with escapes over the raw pairs. With a key, one pair must match key and
 * value; without, any pair's value will do; the condition's entries are OR-ed (spec/alb.md §2.5).
 */
export function compileQueryMatcher(
  condition: QueryStringCondition,
): (request: RuleRequest) => boolean {
  const options = { caseInsensitive: true, allowEscapes: true }
  const entries: CompiledPair[] = condition.values.map((pair) => ({
    key: pair.key === undefined ? undefined : compileGlobs([pair.key], options),
    value: compileGlobs([pair.value], options),
  }))
  return (request) => {
    for (const raw of request.queryPairs) {
      for (const entry of entries) {
        if ((entry.key === undefined || entry.key(raw.key)) && entry.value(raw.value)) return true
      }
    }
    return false
  }
}
