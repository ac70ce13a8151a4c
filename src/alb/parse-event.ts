import type { ALBEvent } from 'aws-lambda'
import { requestSizeProblem } from './limits.js'
import type { AlbRequest, HeaderMode, QueryPair } from './types.js'

type RawMap = Record<string, unknown>
/** A header or query field as read once: own keys, each a string or a dense array of strings. */
type FieldMap = Record<string, string | readonly string[]>

const UPPER_CASE = /[A-Z]/
const HEALTH_CHECKER = 'ELB-HealthChecker/2.0'

/** Why an event cannot be handled, and the status to answer it with. */
export interface EventProblem {
  readonly error: string
  /** 400 for an event that is not an ALB request; 414 / 431 for one over ALB's size limits. */
  readonly status: 400 | 414 | 431
  /** The header mode to answer in, decided from the same reading of the event. */
  readonly mode: HeaderMode
}

/**
 * Turns a Lambda event from ALB into an `AlbRequest`, or says why it is not one.
 *
 * Never throws for any JSON value (what Lambda hands the function): only a non-object, a
 * missing/non-string `httpMethod` or `path`, or a request line or header over ALB's own limits
 * (alb/limits.ts) is an error. Everything else is read leniently —
 * a header or query value that is neither a string nor an array of strings is skipped, so a
 * hand-written or foreign event degrades instead of crashing. `isBase64Encoded` counts only the
 * boolean `true`: ALB always sends a boolean, and reading `"true"` as base64 would make a text
 * body undecodable.
 *
 * The event is read once (#12 § 6): each field, each header and query value, is read exactly once
 * into the request model, so ALB's size limits are checked on the very values the router and the
 * bindings see later, whatever getters or Proxies a hand-made event holds. Arrays are read by
 * what they hold, not by their length (a sparse array of length 2^32-1 costs its few items), and
 * never beyond the number of values no request within ALB's limits can exceed.
 */
export function parseEvent(event: unknown): AlbRequest | EventProblem {
  if (!isRecord(event)) return { error: `ALB event must be an object, got ${kindOf(event)}`, status: 400, mode: 'single' }
  // DESIGN.md pins the mode by `multiValueHeaders` alone: ALB sends it in multi-value mode and
  // never in single-value mode (spec/alb.md §4.2). In mixed (hand-made) events the mode's own
  // fields win and the other mode's are the fallback.
  const multiField = event['multiValueHeaders']
  const mode: HeaderMode = isRecord(multiField) ? 'multi' : 'single'
  const method = event['httpMethod']
  if (typeof method !== 'string') {
    return { error: `ALB event has no string httpMethod (got ${kindOf(method)})`, status: 400, mode }
  }
  const path = event['path']
  if (typeof path !== 'string') {
    return { error: `ALB event has no string path (got ${kindOf(path)})`, status: 400, mode }
  }
  const multi = readFields(multiField)
  const single = readFields(event['headers'])
  const singleQuery = readFields(event['queryStringParameters'])
  const multiQuery = readFields(event['multiValueQueryStringParameters'])
  const raw = multi ?? single
  const rawQuery = mode === 'multi' ? (multiQuery ?? singleQuery) : (singleQuery ?? multiQuery)
  const problem = requestSizeProblem(method, path, raw, rawQuery)
  if (problem !== undefined) return { ...problem, mode }
  return new ParsedRequest(event, mode, method, path, raw, multi === undefined ? undefined : single, rawQuery)
}

/**
 * More values than one header or query key can have within ALB's limits: a header line takes at
 * least 4 bytes of the 64 K, a query pair at least 1 of the 16 K request line. Reading stops
 * there, and the size check then refuses the request.
 */
const VALUES_MAX = 16 * 1024 + 1
// A string that is a canonical array index, as for…in lists them for an array.
const INDEX = /^(?:0|[1-9]\d*)$/

/**
 * A header or query field read once: its own enumerable keys, each value read once, strings
 * kept, arrays copied as their strings (anything else skipped, as before). Undefined when the
 * field is not an object.
 */
function readFields(value: unknown): FieldMap | undefined {
  if (!isRecord(value)) return undefined
  const fields: FieldMap = Object.create(null)
  const keys = Object.keys(value)
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k] as string
    const item = value[key]
    if (typeof item === 'string') fields[key] = item
    else if (Array.isArray(item)) {
      const strings = stringsOf(item)
      if (strings.length > 0) fields[key] = strings
    }
  }
  return fields
}

/** The strings an array holds, in index order, at most VALUES_MAX; its length read once. */
function stringsOf(array: readonly unknown[]): string[] {
  const strings: string[] = []
  const length = array.length
  if (length <= VALUES_MAX) {
    for (let i = 0; i < length; i++) {
      const item: unknown = array[i]
      if (typeof item === 'string') strings.push(item)
    }
    return strings
  }
  // Sparse or huge: for…in lists only the indexes it holds (a Proxy, what its ownKeys says).
  for (const key in array) {
    if (!INDEX.test(key)) continue
    const item: unknown = array[key as unknown as number]
    if (typeof item === 'string' && strings.push(item) >= VALUES_MAX) break
  }
  return strings
}

/**
 * The header mode an answer to `event` must use: multi-value when `multiValueHeaders` is an
 * object (DESIGN.md: the response mirrors the event's mode; spec/alb.md §4.2). The same rule serves events that
 * are not requests at all, so even their 400 comes back in the field the target group reads.
 */
export function headerModeOf(event: unknown): HeaderMode {
  if (!isRecord(event)) return 'single'
  return isRecord(event['multiValueHeaders']) ? 'multi' : 'single'
}

class ParsedRequest implements AlbRequest {
  readonly mode: HeaderMode
  readonly method: string
  readonly path: string
  readonly body: string
  readonly isBase64Encoded: boolean
  readonly event: ALBEvent
  /** The header field of the event's mode, as read once. */
  #raw: FieldMap | undefined
  /** The other header field, present only in hand-made mixed events (health-check test only). */
  #other: FieldMap | undefined
  #rawQuery: FieldMap | undefined
  /** Whether `#raw` can be indexed directly (all names already lower case, as ALB sends them). */
  #rawIsLowerCase: boolean | undefined
  #headers: Record<string, readonly string[]> | undefined
  #queryPairs: readonly QueryPair[] | undefined
  #sourceIp: { value: string | undefined } | undefined
  #targetGroupArn: { value: string | undefined } | undefined

  constructor(
    event: RawMap,
    mode: HeaderMode,
    method: string,
    path: string,
    raw: FieldMap | undefined,
    other: FieldMap | undefined,
    rawQuery: FieldMap | undefined,
  ) {
    this.mode = mode
    this.#raw = raw
    this.#other = other
    this.#rawQuery = rawQuery
    this.method = method
    this.path = path
    const body = event['body']
    this.body = typeof body === 'string' ? body : ''
    this.isBase64Encoded = event['isBase64Encoded'] === true
    this.event = event as unknown as ALBEvent
  }

  get targetGroupArn(): string | undefined {
    this.#targetGroupArn ??= { value: readTargetGroupArn((this.event as unknown as RawMap)['requestContext']) }
    return this.#targetGroupArn.value
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

function namesAreLowerCase(raw: FieldMap): boolean {
  // V8 returns an already lower-case string itself from toLowerCase, without copying: cheaper
  // than a RegExp or a char-code loop per name (both showed up in the benchmark profile).
  for (const name in raw) if (name !== name.toLowerCase()) return false
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

function buildHeaderMap(raw: FieldMap | undefined): Record<string, readonly string[]> {
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

function buildQueryPairs(raw: FieldMap | undefined): readonly QueryPair[] {
  if (raw === undefined) return []
  const pairs: QueryPair[] = []
  // for…in and no intermediate arrays: this runs on every request that reads the query.
  for (const key in raw) {
    const value = raw[key]
    if (typeof value === 'string') pairs.push({ key, value })
    else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i]
        if (typeof item === 'string') pairs.push({ key, value: item })
      }
    }
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

/** The answer's mode for an event that may be hostile (a Proxy throwing on every read): single, then. */
export function safeHeaderModeOf(event: unknown): HeaderMode {
  try {
    return headerModeOf(event)
  } catch {
    return 'single'
  }
}
