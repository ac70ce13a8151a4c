import type { ALBEvent } from 'aws-lambda'
import { fieldUnits, sizeProblem } from './limits.js'
import type { Fields } from './limits.js'
import type { AlbRequest, HeaderMode, QueryPair } from './types.js'

type RawMap = Record<string, unknown>

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
  // Each read tallies what the size check and the health check need (`tally`), read right after.
  const multi = readFields(multiField)
  const multiUnits = tally.units
  const multiLongest = tally.longest
  let healthCheck = tally.healthChecker
  const single = readFields(event['headers'])
  healthCheck ||= tally.healthChecker
  const headerUnits = multi === undefined ? tally.units : multiUnits
  const headerLongest = multi === undefined ? tally.longest : multiLongest
  const singleQuery = readFields(event['queryStringParameters'])
  const singleUnits = tally.units
  const multiQuery = readFields(event['multiValueQueryStringParameters'])
  const raw = multi ?? single
  const rawQuery = mode === 'multi' ? (multiQuery ?? singleQuery) : (singleQuery ?? multiQuery)
  const queryUnits = rawQuery !== undefined && rawQuery === multiQuery ? tally.units : singleUnits
  const problem = sizeProblem(method, path, raw, headerUnits, headerLongest, rawQuery, queryUnits)
  if (problem !== undefined) return { ...problem, mode }
  return new ParsedRequest(event, mode, method, path, raw, rawQuery, healthCheck)
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
 * A header or query field read once: `[name, value, name, value, …]`, one pair per value, its
 * enumerable keys in order, each value read once (strings kept, arrays as the strings they hold,
 * anything else skipped). Undefined when the field is not an object. One flat array rather than
 * a map: reading once then costs about what the size check's own pass cost (a null-prototype
 * map made it a sixth of a request), and lookups scan a dozen names.
 */
export function readFields(value: unknown): Fields | undefined {
  tally.units = 0
  tally.longest = 0
  tally.healthChecker = false
  if (!isRecord(value)) return undefined
  // Sized by a first walk over the keys alone (the values are not read twice): pushing pair by
  // pair allocated the array two or three times over for a dozen headers, garbage that every
  // request paid for in scavenges.
  let keys = 0
  for (const _ in value) if (++keys === SIZED_KEYS_MAX) break
  const fields: string[] = new Array<string>(2 * keys)
  let count = 0
  let units = 0
  let longest = 0
  let checker = false
  // for…in with `value[key]` in its body: V8 reads each value through the enumeration cache,
  // several times cheaper than Object.keys here (bench/compare.mjs). Enumerable inherited keys
  // count too, as they did for the size check before.
  for (const key in value) {
    const item = value[key]
    let only: unknown = item
    if (typeof item !== 'string') {
      if (!Array.isArray(item)) continue
      // ALB's multi-value arrays mostly hold one value.
      if (item.length !== 1) {
        const from = count
        count = pushStrings(item, item.length, key, fields, count)
        // Read from the strings taken, after the values' getters ran.
        const [added, addedLongest] = fieldUnits(fields, from, count)
        units += added
        if (addedLongest > longest) longest = addedLongest
        if (!checker && heldHealthChecker(fields, from, count)) checker = true
        continue
      }
      only = item[0]
      if (typeof only !== 'string') continue
    }
    const text = only as string
    fields[count++] = key
    fields[count++] = text
    const pair = key.length + text.length
    units += pair
    if (pair > longest) longest = pair
    if (isHealthCheckerPair(key, text)) checker = true
  }
  // Fewer pairs than keys (values skipped, empty arrays, keys a getter added meanwhile): no holes.
  if (count !== fields.length) fields.length = count
  tally.units = units
  tally.longest = longest
  tally.healthChecker = checker
  return fields
}

/**
 * What the last readFields call saw besides the fields, so that neither the size check nor the
 * health check walks the values again: the UTF-16 units of every pair's name and value together
 * and of the largest pair (limits.ts sizeProblem), and whether a `user-agent` held the health
 * checker's. Set by each call at its end, from its own counts, and read right after it: a getter
 * of a hand-made event that parses another event meanwhile cannot mix the two events' counts.
 */
const tally = { units: 0, longest: 0, healthChecker: false }

/** Whether a pair of `fields` from `from` to `to` is a `user-agent` of the health checker's. */
function heldHealthChecker(fields: readonly string[], from: number, to: number): boolean {
  for (let i = from; i < to; i += 2) if (isHealthCheckerPair(fields[i] as string, fields[i + 1] as string)) return true
  return false
}

/** A `user-agent` header of ALB's health checker; the value first, so most names are never lower-cased. */
function isHealthCheckerPair(name: string, value: string): boolean {
  return value === HEALTH_CHECKER && name.toLowerCase() === 'user-agent'
}

/** Arrays are sized for at most this many keys (requests have a few dozen); beyond, they grow as filled. */
const SIZED_KEYS_MAX = 256

/** Adds the strings an array of `length` holds, in index order, at most VALUES_MAX, from `count`; the new count. */
function pushStrings(array: readonly unknown[], length: number, key: string, fields: string[], count: number): number {
  if (length <= VALUES_MAX) {
    for (let i = 0; i < length; i++) {
      const item: unknown = array[i]
      if (typeof item === 'string') {
        fields[count++] = key
        fields[count++] = item
      }
    }
    return count
  }
  // Sparse or huge: for…in lists only the indexes it holds (a Proxy, what its ownKeys says).
  let taken = 0
  for (const index in array) {
    if (!INDEX.test(index)) continue
    const item: unknown = array[index as unknown as number]
    if (typeof item !== 'string') continue
    fields[count++] = key
    fields[count++] = item
    if (++taken >= VALUES_MAX) break
  }
  return count
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
  /**
   * spec/alb.md §4.6 and §6 #18: a `user-agent` of ELB-HealthChecker/2.0 in either header field
   * (the multi-value shape of a health check is undocumented), noted as the fields were read.
   */
  readonly isHealthCheck: boolean
  /** The header field of the event's mode, as read once. */
  #raw: Fields | undefined
  #rawQuery: Fields | undefined
  /** `#raw` with its names lower-cased (`#raw` itself when they already are, as ALB sends them). */
  #lower: Fields | undefined
  #headers: Record<string, readonly string[]> | undefined
  #queryPairs: readonly QueryPair[] | undefined
  #sourceIp: { value: string | undefined } | undefined
  #targetGroupArn: { value: string | undefined } | undefined

  constructor(
    event: RawMap,
    mode: HeaderMode,
    method: string,
    path: string,
    raw: Fields | undefined,
    rawQuery: Fields | undefined,
    isHealthCheck: boolean,
  ) {
    this.isHealthCheck = isHealthCheck
    this.mode = mode
    this.#raw = raw
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
    return (this.#headers ??= buildHeaderMap(this.#lowerFields()))
  }

  headerValues(name: string): readonly string[] | undefined {
    const fields = this.#lowerFields()
    if (fields === undefined) return undefined
    let found: string[] | undefined
    for (let i = 0; i < fields.length; i += 2) if (fields[i] === name) (found ??= []).push(fields[i + 1] as string)
    return found
  }

  header(name: string): string | undefined {
    const fields = this.#lowerFields()
    if (fields === undefined) return undefined
    for (let i = fields.length - 2; i >= 0; i -= 2) if (fields[i] === name) return fields[i + 1]
    return undefined
  }

  get host(): string | undefined {
    return this.header('host')
  }

  get queryPairs(): readonly QueryPair[] {
    return (this.#queryPairs ??= buildQueryPairs(this.#rawQuery))
  }

  /** The query as read once, `[key, value, …]` still encoded (queryFieldsOf). */
  get queryFields(): Fields {
    return this.#rawQuery ?? NO_FIELDS
  }

  get sourceIp(): string | undefined {
    this.#sourceIp ??= { value: clientAddress(this.header('x-forwarded-for')) }
    return this.#sourceIp.value
  }

  #lowerFields(): Fields | undefined {
    const raw = this.#raw
    if (raw === undefined || this.#lower !== undefined) return this.#lower
    return (this.#lower = namesAreLowerCase(raw) ? raw : raw.map((item, i) => (i % 2 === 0 ? item.toLowerCase() : item)))
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

function namesAreLowerCase(fields: Fields): boolean {
  // A char-code scan: toLowerCase allocated a copy of every name even when it changed nothing
  // (Node 20: 60 bytes a request, and slower than the scan). A name with any non-ASCII
  // character is left to toLowerCase, which knows Unicode's case mappings.
  for (let i = 0; i < fields.length; i += 2) {
    const name = fields[i] as string
    for (let k = 0; k < name.length; k++) {
      const code = name.charCodeAt(k)
      if (code >= 0x41 && code <= 0x5a) return false
      if (code > 0x7f) {
        if (name !== name.toLowerCase()) return false
        break
      }
    }
  }
  return true
}

function buildHeaderMap(fields: Fields | undefined): Record<string, readonly string[]> {
  const map: Record<string, string[]> = Object.create(null)
  if (fields === undefined) return map
  // `Accept` and `accept` in one hand-made event: both kept, in key order.
  for (let i = 0; i < fields.length; i += 2) {
    const name = fields[i] as string
    const list = map[name]
    if (list === undefined) map[name] = [fields[i + 1] as string]
    else list.push(fields[i + 1] as string)
  }
  return map
}

function buildQueryPairs(fields: Fields | undefined): readonly QueryPair[] {
  if (fields === undefined) return []
  const pairs: QueryPair[] = new Array(fields.length / 2)
  for (let i = 0; i < fields.length; i += 2) pairs[i / 2] = { key: fields[i] as string, value: fields[i + 1] as string }
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

const NO_FIELDS: Fields = []

/**
 * The request's query as `[key, value, …]`, still encoded: for a parsed event the fields read
 * once, without the pair objects of `queryPairs`; for any other AlbRequest, from its queryPairs.
 */
export function queryFieldsOf(request: AlbRequest): Fields {
  if (request instanceof ParsedRequest) return request.queryFields
  const fields: string[] = []
  for (const pair of request.queryPairs) fields.push(pair.key, pair.value)
  return fields
}

/** The answer's mode for an event that may be hostile (a Proxy throwing on every read): single, then. */
export function safeHeaderModeOf(event: unknown): HeaderMode {
  try {
    return headerModeOf(event)
  } catch {
    return 'single'
  }
}
