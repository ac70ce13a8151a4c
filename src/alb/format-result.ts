import type { ALBResult } from 'aws-lambda'
import { carriesBody, isValidStatus, statusDescription } from './status.js'
import { isHeaderName, isHeaderValue } from './response-rules.js'
import type { AlbResponse, HeaderMode } from './types.js'

/**
 * ALB rejects a Lambda response whose JSON exceeds "1 MB" with 502 `LambdaResponseTooLarge`
 * (spec/alb.md §4.7), read as 1,000,000 bytes (§6 #15). Compare with `responseSize(result)`.
 */
export const RESPONSE_MAX_BYTES = 1_000_000

/**
 * Why formatResult changed a response. `ERR_RESPONSE_STATUS` sent a 500 instead; the `WARN_`
 * codes sent the response without the part named.
 */
export type ResponseWarningCode =
  | 'ERR_RESPONSE_STATUS'
  | 'WARN_SET_COOKIE_DROPPED'
  | 'WARN_RESPONSE_HEADER_DROPPED'
  | 'WARN_RESPONSE_BODY_DROPPED'

export interface FormatOptions {
  /** Told about everything dropped or changed to keep ALB from answering 502. */
  readonly onWarning?: (message: string, code: ResponseWarningCode) => void
}

type Warn = (message: string, code: ResponseWarningCode) => void


/**
 * Turns the app's response into the ALB result for the event's header mode. It emits only the
 * documented keys and never a `null`, since ALB answers 502 `LambdaInvalidResponse` for nulls,
 * non-string header values and MIME-wrapped base64 (spec/alb.md §4.7, §6 #17). Anything that
 * cannot be sent safely is dropped and reported through `onWarning` rather than thrown: by now
 * the request has been handled, and a partial response beats a 502.
 */
export function formatResult(
  response: AlbResponse,
  mode: HeaderMode,
  options?: FormatOptions,
): ALBResult {
  const warn = options?.onWarning ?? ignore
  let statusCode = response.status
  if (!isValidStatus(statusCode)) {
    warn(`status ${String(statusCode)} is not an integer from 200 to 599 (a final status); sent 500 instead`, 'ERR_RESPONSE_STATUS')
    statusCode = 500
  }
  const fields = collectFields(response, warn)
  const cookies = fields.cookies
  if (mode === 'single' && cookies.values.length > 1) {
    // spec/alb.md §4.2, §4.7: a single-value response carries one value per header name, and
    // joining Set-Cookie values with commas corrupts them (Expires dates contain commas). So
    // only the last cookie survives; multi-value mode sends each one.
    warn(
      `single-value header mode can send only one Set-Cookie header: kept the last of ` +
        `${cookies.values.length} cookies and dropped ${cookies.values.length - 1}; enable ` +
        `the target group attribute lambda.multi_value_headers.enabled to send them all`,
      'WARN_SET_COOKIE_DROPPED',
    )
    cookies.values.splice(0, cookies.values.length - 1)
  }
  if (cookies.values.length > 0) fields.values[cookies.name] = cookies.values
  const { body, isBase64Encoded } = encodeBody(response.body, warn)
  const description = statusDescription(statusCode)
  // Null-prototype: a header named `__proto__` is a valid token and must stay a plain key.
  if (mode === 'multi') {
    const multiValueHeaders: Record<string, string[]> = Object.create(null)
    for (const name of Object.keys(fields.values)) {
      const values = fields.values[name] as string[]
      if (values.length > 0) multiValueHeaders[name] = values
    }
    return { statusCode, statusDescription: description, multiValueHeaders, body, isBase64Encoded }
  }
  const headers: Record<string, string> = Object.create(null)
  for (const name of Object.keys(fields.values)) {
    const values = fields.values[name] as string[]
    // RFC 9110 §5.3: repeated fields other than Set-Cookie combine with ", ".
    if (values.length === 1) headers[name] = values[0] as string
    else if (values.length > 1) headers[name] = values.join(', ')
  }
  return { statusCode, statusDescription: description, headers, body, isBase64Encoded }
}

/** The content-type of every JSON answer the app serialises. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'
/**
 * Bodies up to this many UTF-16 units fit ALB's 1 MB whatever they hold: JSON escaping takes a
 * unit to at most 6 bytes (`\u0001`), and the rest of a JSON result is under 200 bytes.
 */
const JSON_FAST_MAX_UNITS = Math.floor((RESPONSE_MAX_BYTES - 200) / 6)

/**
 * The ALB result for a JSON body whose only header is its content-type — what formatResult
 * would build for that response, without the generic checks a constant header cannot fail.
 * `status` must be valid (isValidStatus). Undefined when the body is large enough to need
 * measuring: formatResult and the size check handle those.
 */
export function formatJsonResult(status: number, json: string, method: string, mode: HeaderMode): ALBResult | undefined {
  if (json.length > JSON_FAST_MAX_UNITS) return undefined
  const body = carriesBody(status, method) ? json : ''
  const description = statusDescription(status)
  return mode === 'multi'
    ? {
        statusCode: status,
        statusDescription: description,
        multiValueHeaders: { 'content-type': [JSON_CONTENT_TYPE] },
        body,
        isBase64Encoded: false,
      }
    : {
        statusCode: status,
        statusDescription: description,
        headers: { 'content-type': JSON_CONTENT_TYPE },
        body,
        isBase64Encoded: false,
      }
}

// The app's frozen header objects (the serialiser's content-type constants) cannot change, so
// each is checked once instead of on every response.
const CHECKED_HEADERS = new WeakSet<object>()

/**
 * The first header formatResult would have to drop — a name that is not a token, a value or
 * cookie with CR, LF or NUL — as a sentence, or undefined. The app answers 500 for it instead of
 * sending a response without the header (or, in another stack, a split one).
 */
export function responseHeaderProblem(response: AlbResponse): string | undefined {
  const headers = response.headers
  if (headers !== undefined && response.cookies === undefined && CHECKED_HEADERS.has(headers)) return undefined
  const problem = findHeaderProblem(response)
  if (problem === undefined && headers !== undefined && Object.isFrozen(headers)) CHECKED_HEADERS.add(headers)
  return problem
}

function fieldProblem(name: string, value: string): string | undefined {
  if (!isHeaderName(name)) return `response header name ${JSON.stringify(name)} is not an HTTP token`
  if (!isHeaderValue(value)) {
    return `response header ${name} contains CR, LF or NUL (or another control character), which would split the header or make ALB answer 502; refusing to send it`
  }
  return undefined
}

function findHeaderProblem(response: AlbResponse): string | undefined {
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    for (const v of typeof value === 'string' ? [value] : value) {
      const problem = fieldProblem(name, String(v))
      if (problem !== undefined) return problem
    }
  }
  for (const cookie of response.cookies ?? []) {
    const problem = fieldProblem('set-cookie', cookie)
    if (problem !== undefined) return problem
  }
  return undefined
}

/** Byte length of the result as Lambda sends it to ALB: the limit is on the whole JSON (§4.7). */
export function responseSize(result: ALBResult): number {
  return Buffer.byteLength(JSON.stringify(result), 'utf8')
}

interface Fields {
  /** Output name → values; names keep the first spelling seen, later spellings merge in. */
  readonly values: Record<string, string[]>
  readonly cookies: { name: string; values: string[] }
}

function collectFields(response: AlbResponse, warn: Warn): Fields {
  const values: Record<string, string[]> = Object.create(null)
  const spelling: Record<string, string> = Object.create(null)
  const cookies = { name: 'set-cookie', values: [] as string[] }
  const headers = response.headers as Record<string, unknown> | null | undefined
  if (typeof headers === 'object' && headers !== null) {
    for (const name of Object.keys(headers)) {
      if (!isHeaderName(name)) {
        warn(`header name ${JSON.stringify(name)} is not an RFC 7230 token; header dropped`, 'WARN_RESPONSE_HEADER_DROPPED')
        continue
      }
      const lower = name.toLowerCase()
      let target: string[]
      if (lower === 'set-cookie') {
        if (cookies.values.length === 0) cookies.name = name
        target = cookies.values
      } else {
        const outName = (spelling[lower] ??= name)
        target = values[outName] ??= []
      }
      addValues(target, name, headers[name], warn)
    }
  } else if (headers !== undefined && headers !== null) {
    warn(`response headers are a ${typeof headers}, not an object; headers dropped`, 'WARN_RESPONSE_HEADER_DROPPED')
  }
  const extra: unknown = response.cookies
  if (Array.isArray(extra)) {
    for (const cookie of extra) addValues(cookies.values, 'set-cookie', cookie, warn)
  }
  return { values, cookies }
}

function addValues(target: string[], name: string, value: unknown, warn: Warn): void {
  if (Array.isArray(value)) {
    for (const item of value) addValue(target, name, item, warn)
  } else {
    addValue(target, name, value, warn)
  }
}

function addValue(target: string[], name: string, value: unknown, warn: Warn): void {
  let text: string
  if (typeof value === 'string') text = value
  // jeremydaly/lambda-api#117: a boolean header value is a 502, so say it as a string.
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value)
  else if (value === undefined || value === null) return
  else {
    warn(`header ${name} has a ${typeof value} value; value dropped (header values are strings)`, 'WARN_RESPONSE_HEADER_DROPPED')
    return
  }
  if (!isHeaderValue(text)) {
    warn(`header ${name} has a value containing CR, LF or NUL; value dropped`, 'WARN_RESPONSE_HEADER_DROPPED')
    return
  }
  target.push(text)
}

function encodeBody(body: unknown, warn: Warn): { body: string; isBase64Encoded: boolean } {
  if (typeof body === 'string') return { body, isBase64Encoded: false }
  if (body instanceof Uint8Array) {
    // Buffer's base64 is plain RFC 4648 without line breaks; MIME-wrapped base64 is a 502
    // (spec/alb.md §4.7). The view shares the caller's memory instead of copying it.
    const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
    return { body: bytes.toString('base64'), isBase64Encoded: true }
  }
  if (body !== undefined && body !== null) {
    warn(`response body is a ${typeof body}, not a string or Uint8Array; body dropped`, 'WARN_RESPONSE_BODY_DROPPED')
  }
  return { body: '', isBase64Encoded: false }
}

function ignore(): void {}
