import type { ALBEvent } from 'aws-lambda'
import type { AlbRequest, HeaderMode, QueryPair } from './types.js'

type RawMap = Record<string, unknown>

const UPPER_CASE = /[A-Z]/
const HEALTH_CHECKER = 'ELB-HealthChecker/2.0'

/**
 * Turns a Lambda event from ALB into an `AlbRequest`, or says why it is not one.
 *
 * Never throws for any JSON value (what Lambda hands the function): only a non-object, a
 * missing/non-string `httpMethod` or `path` is an error. Everything else is read leniently —
 * a header or query value that is neither a string nor an array of strings is skipped, so a
 * hand-written or foreign event degrades instead of crashing. `isBase64Encoded` counts only the
 * boolean `true`: ALB always sends a boolean, and reading `"true"` as base64 would make a text
 * body undecodable. Work beyond the fixed fields (header map, query pairs, source IP) happens
 * on first use, because most requests touch only a few headers.
 */
export function parseEvent(event: unknown): AlbRequest | { error: string } {
  if (!isRecord(event)) return { error: `ALB event must be an object, got ${kindOf(event)}` }
  const method = event['httpMethod']
  if (typeof method !== 'string') {
    return { error: `ALB event has no string httpMethod (got ${kindOf(method)})` }
  }
  const path = event['path']
  if (typeof path !== 'string') {
    return { error: `ALB event has no string path (got ${kindOf(path)})` }
  }
  return new ParsedRequest(event, method, path)
}

class ParsedRequest implements AlbRequest {
  readonly mode: HeaderMode
  readonly method: string
  readonly path: string
  readonly body: string
  readonly isBase64Encoded: boolean
  readonly targetGroupArn: string | undefined
  readonly event: ALBEvent
  /** The header field of the event's mode, as delivered. */
  #raw: RawMap | undefined
  /** The other header field, present only in hand-made mixed events (health-check test only). */
  #other: RawMap | undefined
  #rawQuery: RawMap | undefined
  /** Whether `#raw` can be indexed directly (all names already lower case, as ALB sends them). */
  #rawIsLowerCase: boolean | undefined
  #headers: Record<string, readonly string[]> | undefined
  #queryPairs: readonly QueryPair[] | undefined
  #sourceIp: { value: string | undefined } | undefined

  constructor(event: RawMap, method: string, path: string) {
    const single = recordOrUndefined(event['headers'])
    const multi = recordOrUndefined(event['multiValueHeaders'])
    const singleQuery = recordOrUndefined(event['queryStringParameters'])
    const multiQuery = recordOrUndefined(event['multiValueQueryStringParameters'])
    // spec/alb.md §4.2: multi-value mode is the only one that sends multiValue* fields. In
    // mixed events the mode's own field wins and the other one is the fallback.
    this.mode = multi !== undefined || multiQuery !== undefined ? 'multi' : 'single'
    if (this.mode === 'multi') {
      this.#raw = multi ?? single
      this.#other = multi === undefined ? undefined : single
      this.#rawQuery = multiQuery ?? singleQuery
    } else {
      this.#raw = single
      this.#rawQuery = singleQuery
    }
    this.method = method
    this.path = path
    const body = event['body']
    this.body = typeof body === 'string' ? body : ''
    this.isBase64Encoded = event['isBase64Encoded'] === true
    this.targetGroupArn = readTargetGroupArn(event['requestContext'])
    this.event = event as unknown as ALBEvent
  }

  get headers(): Readonly<Record<string, readonly string[]>> {
    return (this.#headers ??= buildHeaderMap(this.#raw))
  }

  headerValues(name: string): readonly string[] | undefined {
    return valuesOf(this.#lookup(name))
  }

  header(name: string): string | undefined {
    return lastValueOf(this.#lookup(name))
  }

  get host(): string | undefined {
    return this.header('host')
  }

  get queryPairs(): readonly QueryPair[] {
    return (this.#queryPairs ??= buildQueryPairs(this.#rawQuery))
  }

  get sourceIp(): string | undefined {
    this.#sourceIp ??= { value: clientAddress(this.header('x-forwarded-for')) }
    return this.#sourceIp.value
  }

  // spec/alb.md §4.6 and §6 #18: the multi-value shape of a health check is undocumented, so
  // the user agent is looked for in both header fields.
  get isHealthCheck(): boolean {
    if (includesValue(this.#lookup('user-agent'), HEALTH_CHECKER)) return true
    const other = this.#other
    if (other === undefined) return false
    for (const name of Object.keys(other)) {
      if (name.toLowerCase() === 'user-agent' && includesValue(other[name], HEALTH_CHECKER)) {
        return true
      }
    }
    return false
  }

  /** The delivered value when names need no lower-casing (ALB's own events), else the map's. */
  #lookup(name: string): unknown {
    const raw = this.#raw
    if (raw === undefined) return undefined
    if ((this.#rawIsLowerCase ??= namesAreLowerCase(raw))) return raw[name]
    return this.headers[name]
  }
}

function isRecord(value: unknown): value is RawMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function recordOrUndefined(value: unknown): RawMap | undefined {
  return isRecord(value) ? value : undefined
}

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  return Array.isArray(value) ? 'an array' : typeof value
}

function readTargetGroupArn(context: unknown): string | undefined {
  if (!isRecord(context)) return undefined
  const elb = context['elb']
  if (!isRecord(elb)) return undefined
  const arn = elb['targetGroupArn']
  return typeof arn === 'string' ? arn : undefined
}

function namesAreLowerCase(raw: RawMap): boolean {
  for (const name in raw) if (UPPER_CASE.test(name)) return false
  return true
}

/** A delivered value as a list of strings: a string is one value, arrays keep their strings. */
function valuesOf(value: unknown): readonly string[] | undefined {
  if (typeof value === 'string') return [value]
  if (!Array.isArray(value)) return undefined
  // Reuse ALB's own array when it is clean (the common case) instead of copying it.
  if (value.every(isString)) return value.length > 0 ? (value as string[]) : undefined
  const strings = value.filter(isString)
  return strings.length > 0 ? strings : undefined
}

function lastValueOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (!Array.isArray(value)) return undefined
  for (let i = value.length - 1; i >= 0; i--) {
    const item: unknown = value[i]
    if (typeof item === 'string') return item
  }
  return undefined
}

function includesValue(value: unknown, wanted: string): boolean {
  return value === wanted || (Array.isArray(value) && value.includes(wanted))
}

function isString(value: unknown): value is string {
  return typeof value === 'string'
}

function buildHeaderMap(raw: RawMap | undefined): Record<string, readonly string[]> {
  const map: Record<string, readonly string[]> = Object.create(null)
  if (raw === undefined) return map
  for (const name of Object.keys(raw)) {
    const values = valuesOf(raw[name])
    if (values === undefined) continue
    const key = UPPER_CASE.test(name) ? name.toLowerCase() : name
    const earlier = map[key]
    // `Accept` and `accept` in one hand-made event: keep both, in key order.
    map[key] = earlier === undefined ? values : earlier.concat(values)
  }
  return map
}

function buildQueryPairs(raw: RawMap | undefined): readonly QueryPair[] {
  if (raw === undefined) return []
  const pairs: QueryPair[] = []
  for (const key of Object.keys(raw)) {
    const values = valuesOf(raw[key])
    if (values !== undefined) for (const value of values) pairs.push({ key, value })
  }
  return pairs
}

/**
 * The address ALB appended to x-forwarded-for (spec/alb.md §4.2, §6 #10): the last element of
 * the last occurrence, without the `:port` / `[…]:port` that client-port preservation adds.
 * A bare IPv6 address has several colons and is kept whole.
 */
export function clientAddress(forwardedFor: string | undefined): string | undefined {
  if (forwardedFor === undefined) return undefined
  const last = forwardedFor.slice(forwardedFor.lastIndexOf(',') + 1).trim()
  let address = last
  if (last.startsWith('[')) {
    const close = last.indexOf(']')
    address = close < 0 ? '' : last.slice(1, close)
  } else {
    const colon = last.indexOf(':')
    if (colon >= 0 && colon === last.lastIndexOf(':')) address = last.slice(0, colon)
  }
  return address === '' ? undefined : address
}
