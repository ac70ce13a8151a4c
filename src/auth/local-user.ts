import type { ALBEvent } from 'aws-lambda'
import { parseEvent } from '../alb/parse-event.js'
import { createNaiveMatcher } from '../rules/evaluate.js'
import type { RuleMatcher, RuleTable } from '../rules/types.js'
import { authTrustOf } from './trust.js'
import { createSigningKeys, localKeySource, tokenHeaders, type SigningKeys } from './mint.js'

/** The placeholder signer when an app names no load balancer (only jwt routes). */
const LOCAL_ALB_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/albatross-local/0123456789abcdef'

let sharedKeys: SigningKeys | undefined
const trusted = new WeakMap<object, SigningKeys>()
const matchers = new WeakMap<RuleTable, RuleMatcher>()
/** Minted headers by action and claims, reused while the token has more than a minute left. */
const minted = new WeakMap<object, Map<string, { headers: Array<[string, string]>; until: number }>>()
const TOKEN_REUSE_MS = 60 * 60 * 1000 - 60 * 1000

/**
 * Adds to an event what ALB adds after an authenticate action let `claims` in: the token headers
 * of the rule the request matches, signed with a local key the app is told to trust (on top of
 * its own `auth.keys`, signer unchanged). A request whose rule does not authenticate is left as
 * it is, as ALB leaves it. Used by `albatross dev --user` and `albEvent({ user, app })`.
 */
export function withUser(app: { readonly table: RuleTable }, event: ALBEvent, claims: Readonly<Record<string, unknown>>): ALBEvent {
  const trust = authTrustOf(app)
  if (trust === undefined) return event
  let keys = trusted.get(app)
  if (keys === undefined) {
    keys = sharedKeys ??= createSigningKeys()
    const options = trust.options ?? {}
    trust.retrust({ ...options, albArn: options.albArn ?? LOCAL_ALB_ARN, keys: localKeySource(keys, options.keys) })
    trusted.set(app, keys)
  }
  const request = parseEvent(event)
  if ('error' in request) return event
  let matcher = matchers.get(app.table)
  if (matcher === undefined) matchers.set(app.table, (matcher = createNaiveMatcher(app.table)))
  const rule = matcher.match(request)?.rule
  if (rule?.auth === undefined) return event
  const arns = trust.options?.albArn
  const signer = (typeof arns === 'string' ? arns : arns?.[0]) ?? LOCAL_ALB_ARN
  let byClaims = minted.get(rule.auth)
  if (byClaims === undefined) minted.set(rule.auth, (byClaims = new Map()))
  const id = `${signer}\n${keys.ecKid}\n${JSON.stringify(claims)}`
  let entry = byClaims.get(id)
  if (entry === undefined || entry.until < Date.now()) {
    entry = { headers: tokenHeaders(rule.auth, keys, signer, claims), until: Date.now() + TOKEN_REUSE_MS }
    byClaims.set(id, entry)
  }
  return setHeaders(event, entry.headers)
}

/** Sets (replacing any the client sent) headers on an event, in its own header mode. */
function setHeaders(event: ALBEvent, pairs: ReadonlyArray<readonly [string, string]>): ALBEvent {
  if (event.multiValueHeaders !== undefined) {
    const headers: Record<string, string[]> = { ...event.multiValueHeaders } as Record<string, string[]>
    for (const [name, value] of pairs) headers[name] = [value]
    return { ...event, multiValueHeaders: sortedKeys(headers) }
  }
  const headers: Record<string, string> = { ...(event.headers as Record<string, string> | undefined) }
  for (const [name, value] of pairs) headers[name] = value
  return { ...event, headers: sortedKeys(headers) }
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  const sorted: Record<string, T> = {}
  for (const key of Object.keys(record).sort()) sorted[key] = record[key] as T
  return sorted
}
