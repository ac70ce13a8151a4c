import { isUtf8 } from 'node:buffer'
import { createHash, randomBytes } from 'node:crypto'
import type { ALBEvent } from 'aws-lambda'
import type { HeaderMode } from './types.js'

/** An HTTP request as it reaches ALB, before ALB turns it into a Lambda event. */
export interface RawAlbRequest {
  readonly method: string
  /** The request path as sent, without the query. */
  readonly path: string
  /** Everything after the first `?`, still encoded; `''` when there is none. */
  readonly rawQuery: string
  /** Header fields in arrival order, names in any case, repeats allowed. */
  readonly headers: ReadonlyArray<readonly [string, string]>
  readonly body?: Uint8Array | undefined
  /** The TCP peer, which ALB appends to x-forwarded-for. */
  readonly peerAddress: string
  readonly mode: HeaderMode
  readonly targetGroupArn?: string | undefined
  /** The listener's protocol and port (x-forwarded-proto / -port); default https and 443. */
  readonly protocol?: 'http' | 'https' | undefined
  readonly port?: number | undefined
  /** The `1-<time>-<id>` trace id ALB would generate; a fresh random one by default. */
  readonly traceId?: string | undefined
  /** Build ALB's health-check event (spec/alb.md §4.6): only method, path and query count. */
  readonly healthCheck?: boolean | undefined
}

export const DEFAULT_TARGET_GROUP_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/albatross/6d0ecf831eec9f09'

// spec/alb.md §4.3: these media types travel as text, everything else as base64.
const TEXT_MEDIA_TYPES = new Set(['application/json', 'application/javascript', 'application/xml'])

/**
 * The Lambda event ALB would send for `request`, following spec/alb.md §4.2–§4.6: header names
 * lower-cased and sorted (real captures list them alphabetically), ALB's x-amzn-trace-id,
 * x-forwarded-for (append mode), -port and -proto added, query strings passed through still
 * encoded, the body as text or base64 by ALB's content-type rules. The Host header is kept as
 * sent, i.e. `routing.http.preserve_host_header.enabled=true` (§6 #7).
 * Throws when a text-typed body is not UTF-8: ALB fails that invocation (`LambdaBadRequest`).
 */
export function albEventFromRaw(request: RawAlbRequest): ALBEvent {
  const query = parseRawQuery(request.rawQuery)
  const grouped =
    request.healthCheck === true
      ? new Map([['user-agent', ['ELB-HealthChecker/2.0']]])
      : forwardedHeaders(request)
  const headerPairs: Array<[string, string]> = []
  for (const name of [...grouped.keys()].sort()) {
    for (const value of grouped.get(name) as string[]) headerPairs.push([name, value])
  }
  const body =
    request.healthCheck === true
      ? { body: '', isBase64Encoded: false }
      : encodeRequestBody(request.body, grouped)
  const elb = { targetGroupArn: request.targetGroupArn ?? DEFAULT_TARGET_GROUP_ARN }
  const start = { requestContext: { elb }, httpMethod: request.method, path: request.path }
  if (request.mode === 'multi') {
    return {
      ...start,
      multiValueQueryStringParameters: multiValueMap(query),
      multiValueHeaders: multiValueMap(headerPairs),
      ...body,
    }
  }
  return {
    ...start,
    queryStringParameters: singleValueMap(query),
    headers: singleValueMap(headerPairs),
    ...body,
  }
}

function forwardedHeaders(request: RawAlbRequest): Map<string, string[]> {
  const grouped = new Map<string, string[]>()
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase()
    // ALB states protocol and port itself; a client's own values would be spoofed [inf].
    if (lower === 'x-forwarded-proto' || lower === 'x-forwarded-port') continue
    const values = grouped.get(lower)
    if (values === undefined) grouped.set(lower, [value])
    else values.push(value)
  }
  // spec/alb.md §4.2: append mode adds the peer as the last element, creating the header.
  const forwarded = [...(grouped.get('x-forwarded-for') ?? []), clientIp(request.peerAddress)]
  grouped.set('x-forwarded-for', [forwarded.join(', ')])
  const protocol = request.protocol ?? 'https'
  grouped.set('x-forwarded-port', [String(request.port ?? (protocol === 'http' ? 80 : 443))])
  grouped.set('x-forwarded-proto', [protocol])
  const traceId = request.traceId ?? randomTraceId()
  grouped.set('x-amzn-trace-id', [traceHeader(grouped.get('x-amzn-trace-id')?.at(-1), traceId)])
  return grouped
}

/** Node reports IPv4 peers on a dual-stack socket as `::ffff:a.b.c.d`; ALB would show `a.b.c.d`. */
function clientIp(peer: string): string {
  return peer.startsWith('::ffff:') && peer.includes('.') ? peer.slice(7) : peer
}

/**
 * ALB's trace header rules (AWS docs, "Request tracing for your Application Load Balancer"):
 * no header → `Root=`; a `Self` field is updated; a `Root` without `Self` gets `Self=` in front.
 * A header with neither gets a `Root` in front [inf: the doc does not say where].
 */
function traceHeader(existing: string | undefined, traceId: string): string {
  if (existing === undefined) return `Root=${traceId}`
  const fields = existing.split(';')
  const self = fields.findIndex((field) => field.startsWith('Self='))
  if (self >= 0) {
    fields[self] = `Self=${traceId}`
    return fields.join(';')
  }
  const field = fields.some((f) => f.startsWith('Root=')) ? 'Self' : 'Root'
  return `${field}=${traceId};${existing}`
}

function randomTraceId(): string {
  const seconds = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0')
  return `1-${seconds}-${randomBytes(12).toString('hex')}`
}

/** Pairs split on `&` and the first `=`, kept encoded; `a` alone is `a=''`, empty parts vanish. */
function parseRawQuery(rawQuery: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = []
  if (rawQuery === '') return pairs
  for (const part of rawQuery.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    pairs.push(eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)])
  }
  return pairs
}

function encodeRequestBody(
  body: Uint8Array | undefined,
  headers: ReadonlyMap<string, string[]>,
): { body: string; isBase64Encoded: boolean } {
  if (body === undefined || body.byteLength === 0) return { body: '', isBase64Encoded: false }
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  const contentType = headers.get('content-type')?.at(-1)
  if (!headers.has('content-encoding') && contentType !== undefined && isTextType(contentType)) {
    if (!isUtf8(bytes)) {
      throw new Error(
        `request body has content-type ${contentType} but is not valid UTF-8; ` +
          'ALB fails such an invocation with LambdaBadRequest (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html)',
      )
    }
    return { body: bytes.toString('utf8'), isBase64Encoded: false }
  }
  return { body: bytes.toString('base64'), isBase64Encoded: true }
}

// Parameters (`; charset=…`) and case are ignored [inf, spec/alb.md §4.3].
function isTextType(contentType: string): boolean {
  const semicolon = contentType.indexOf(';')
  const media = (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase()
  return media.startsWith('text/') || TEXT_MEDIA_TYPES.has(media)
}

function singleValueMap(pairs: ReadonlyArray<readonly [string, string]>): Record<string, string> {
  const map: Record<string, string> = {}
  // Duplicates: the last value wins, at the key's first position (spec/alb.md §4.2).
  for (const [key, value] of pairs) setOwn(map, key, value)
  return map
}

function multiValueMap(pairs: ReadonlyArray<readonly [string, string]>): Record<string, string[]> {
  const map: Record<string, string[]> = {}
  for (const [key, value] of pairs) {
    const values = Object.hasOwn(map, key) ? map[key] : undefined
    if (values === undefined) setOwn(map, key, [value])
    else values.push(value)
  }
  return map
}

/**
 * Events are plain objects like the ones Lambda's JSON.parse makes, so a `__proto__` key must
 * become an own property instead of replacing the prototype.
 */
function setOwn<T>(map: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true })
  } else {
    map[key] = value
  }
}

/** What a test says about a request; everything else is filled in the way ALB would. */
export interface AlbEventInput {
  /** Default `'GET'`. */
  method?: string
  /** Default `'/'`; may carry `?query`, split at the first `?`. The path is kept as given. */
  path?: string
  /** A raw query string (kept encoded) or key → value(s) (encoded with encodeURIComponent). */
  query?: string | Record<string, string | string[]>
  /** Names are lower-cased in the event; repeats are kept in multi-value mode. */
  headers?: Record<string, string | string[]> | Array<[string, string]>
  /** Text, bytes, or an object sent as JSON (content-type application/json unless given). */
  body?: string | Uint8Array | object
  /** Multi-value header mode (`lambda.multi_value_headers.enabled`); default false. */
  multiValue?: boolean
  /** The client address ALB appends to x-forwarded-for; default `'203.0.113.10'`. */
  sourceIp?: string
  /** The Host header; default `'lambda-alb-123578498.us-east-1.elb.amazonaws.com'`. */
  host?: string
  targetGroupArn?: string
  /** The listener's protocol; default `'https'`. */
  protocol?: 'http' | 'https'
  /** The listener's port; default 443 (80 for http). */
  port?: number
  /** ALB's health-check event (spec/alb.md §4.6): no host, no x-forwarded-*, no body. */
  healthCheck?: boolean
  /** The trace id (`1-<8 hex>-<24 hex>`); by default derived from method, path and query. */
  traceId?: string
}

const DEFAULT_SOURCE_IP = '203.0.113.10'
const DEFAULT_HOST = 'lambda-alb-123578498.us-east-1.elb.amazonaws.com'
// The time field of the trace ids in AWS's own example events (spec/alb.md §4.4).
const EXAMPLE_TRACE_TIME = '5c536348'

/**
 * A realistic ALB event for tests: the same input always builds the same event (the trace id is
 * derived from the request), in the shape and key order of real ALB events.
 *
 * @example
 * albEvent({ path: '/users/7?fields=name', headers: { 'x-tenant': 'acme' }, multiValue: true })
 */
export function albEvent(input: AlbEventInput = {}): ALBEvent {
  const method = input.method ?? 'GET'
  const target = input.path ?? '/'
  const mark = target.indexOf('?')
  const path = mark < 0 ? target : target.slice(0, mark)
  if (!path.startsWith('/')) {
    throw new TypeError(
      `albEvent: path must start with "/" as in every ALB event, got ${JSON.stringify(path)}`,
    )
  }
  const rawQuery = [mark < 0 ? '' : target.slice(mark + 1), queryString(input.query)]
    .filter((part) => part !== '')
    .join('&')
  let headers = headerPairs(input.headers)
  const body = bodyBytes(input.body, headers)
  if (input.host !== undefined) headers = headers.filter(([name]) => name.toLowerCase() !== 'host')
  if (!hasHeader(headers, 'host')) headers.push(['host', input.host ?? DEFAULT_HOST])
  // Real clients state the length of what they send.
  const sized = hasHeader(headers, 'content-length') || hasHeader(headers, 'transfer-encoding')
  if (body.byteLength > 0 && !sized) headers.push(['content-length', String(body.byteLength)])
  const traceHash = createHash('sha1').update(`${method} ${path}?${rawQuery}`).digest('hex')
  return albEventFromRaw({
    method,
    path,
    rawQuery,
    headers,
    body,
    peerAddress: input.sourceIp ?? DEFAULT_SOURCE_IP,
    mode: input.multiValue === true ? 'multi' : 'single',
    targetGroupArn: input.targetGroupArn,
    protocol: input.protocol,
    port: input.port,
    traceId: input.traceId ?? `1-${EXAMPLE_TRACE_TIME}-${traceHash.slice(0, 24)}`,
    healthCheck: input.healthCheck,
  })
}

function queryString(query: AlbEventInput['query']): string {
  if (query === undefined) return ''
  if (typeof query === 'string') return query.startsWith('?') ? query.slice(1) : query
  const parts: string[] = []
  for (const key of Object.keys(query)) {
    const value = query[key]
    for (const item of Array.isArray(value) ? value : [value]) {
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(item))}`)
    }
  }
  return parts.join('&')
}

function headerPairs(headers: AlbEventInput['headers']): Array<[string, string]> {
  if (headers === undefined) return []
  if (Array.isArray(headers)) return headers.map(([name, value]) => [name, value])
  const pairs: Array<[string, string]> = []
  for (const name of Object.keys(headers)) {
    const value = headers[name]
    for (const item of Array.isArray(value) ? value : [value]) pairs.push([name, String(item)])
  }
  return pairs
}

function hasHeader(headers: ReadonlyArray<readonly [string, string]>, lower: string): boolean {
  return headers.some(([name]) => name.toLowerCase() === lower)
}

function bodyBytes(body: AlbEventInput['body'], headers: Array<[string, string]>): Uint8Array {
  if (body === undefined || body === null) return new Uint8Array(0)
  if (typeof body === 'string') return Buffer.from(body, 'utf8')
  if (body instanceof Uint8Array) return body
  if (!hasHeader(headers, 'content-type')) headers.push(['content-type', 'application/json'])
  return Buffer.from(JSON.stringify(body) ?? '', 'utf8')
}
