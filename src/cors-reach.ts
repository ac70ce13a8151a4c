import { compileCondition, type ConditionTest } from './rules/condition.js'
import type { AlbRule, HttpHeaderCondition, RuleRequest, RuleTable } from './rules/types.js'

/**
 * Which rules the real request behind a CORS preflight could reach. A preflight carries the
 * method and headers the browser is about to send only as names (`access-control-request-method`,
 * `access-control-request-headers`), never the header values, so a route with an http-header
 * condition cannot be matched on the preflight itself (issue #11 item 9). Each rule is evaluated
 * in order for the wanted method; its http-header conditions are judged by what the browser may
 * send:
 *
 * - a header named in `access-control-request-headers` may carry any value: satisfiable;
 * - `content-type` not named there holds a CORS-safelisted value, or is absent: satisfiable when
 *   the condition matches a safelisted value. The Fetch standard announces every header that is
 *   not a CORS-safelisted request-header
 *   (https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names), and content-type is
 *   safelisted only when its MIME type's essence is application/x-www-form-urlencoded,
 *   multipart/form-data or text/plain
 *   (https://fetch.spec.whatwg.org/#cors-safelisted-request-header);
 * - the other safelisted names (accept, accept-language, content-language, range) and `cookie`
 *   may be sent without being announced: satisfiable;
 * - any other header is one the browser itself sets on both requests (user-agent, origin, …):
 *   the preflight's own value decides.
 *
 * The rules reachable are those whose conditions may all hold, up to and including the first
 * whose conditions certainly hold (no header judged only possible), as ALB would stop there.
 */
export interface ReachableRule {
  readonly rule: AlbRule
  /** Announced header names the rule's conditions need (lower case), for access-control-allow-headers. */
  readonly announcedNeeded: readonly string[]
}

export type PreflightReach = (request: RuleRequest, announced: ReadonlySet<string>) => ReachableRule[]

/** The values a browser sends as a safelisted content-type: each essence, bare and as fetch() writes it. */
const SAFELISTED_CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
  'application/x-www-form-urlencoded;charset=UTF-8',
  'multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW',
  'text/plain;charset=UTF-8',
]
/** Safelisted names a script may set without a preflight announcing them, and the browser's cookie. */
const SENT_UNANNOUNCED = new Set(['accept', 'accept-language', 'content-language', 'range', 'cookie'])

interface CompiledHeader {
  readonly name: string
  readonly test: ConditionTest
  /** Whether the condition matches some safelisted content-type (content-type conditions only). */
  readonly matchesSafelisted: boolean
}

interface CompiledRule {
  readonly rule: AlbRule
  /** Every condition but http-header, evaluated on the preflight as the wanted method. */
  readonly exact: readonly ConditionTest[]
  readonly headers: readonly CompiledHeader[]
}

export function compilePreflightReach(table: RuleTable): PreflightReach {
  const rules: CompiledRule[] = table.rules.map((rule) => ({
    rule,
    exact: rule.conditions.filter((c) => c.type !== 'http-header').map(compileCondition),
    headers: rule.conditions.filter((c): c is HttpHeaderCondition => c.type === 'http-header').map(compileHeader),
  }))
  return (request, announced) => {
    const reachable: ReachableRule[] = []
    for (const { rule, exact, headers } of rules) {
      if (!exact.every((test) => test(request))) continue
      let certain = true
      let possible = true
      const needed: string[] = []
      for (const h of headers) {
        if (announced.has(h.name)) {
          certain = false
          needed.push(h.name)
        } else if (h.name === 'content-type') {
          certain = false
          possible &&= h.matchesSafelisted
        } else if (SENT_UNANNOUNCED.has(h.name)) {
          certain = false
        } else {
          possible &&= h.test(request)
        }
      }
      if (!possible) continue
      reachable.push({ rule, announcedNeeded: needed })
      if (certain) break
    }
    return reachable
  }
}

function compileHeader(c: HttpHeaderCondition): CompiledHeader {
  const name = c.name.toLowerCase()
  const test = compileCondition(c)
  const matchesSafelisted =
    name === 'content-type' &&
    SAFELISTED_CONTENT_TYPES.some((value) =>
      test({ method: 'GET', path: '/', host: undefined, headerValues: (n) => (n === 'content-type' ? [value] : undefined), queryPairs: [], sourceIp: undefined }),
    )
  return { name, test, matchesSafelisted }
}

/** `access-control-request-headers`: comma-separated names, compared in lower case. */
export function announcedHeaders(value: string | undefined): Set<string> {
  if (value === undefined) return new Set()
  return new Set(value.split(',').map((n) => n.trim().toLowerCase()).filter((n) => n !== ''))
}
