import type { ALBResult } from 'aws-lambda'
import { RESPONSE_MAX_BYTES, responseSize } from './format-result.js'

/**
 * ALB refuses a request line or a single header field over 16 K and a request header over 64 K
 * itself (spec/alb.md §1.5, not adjustable), so a function behind a real ALB never sees one. A
 * hand-made or forwarded event that does is answered here, before any of it is read, which
 * also bounds the work a request can cause: a header line costs at least 4 bytes (`: ` and
 * CRLF) and a query pair at least 1 (`&`), so the limits cap how many of each there can be.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html
 * Defined here rather than in rules/limits.ts because alb/ imports nothing from the rest of src/.
 */
export const REQUEST_LINE_MAX_BYTES = 16 * 1024
/** One header line, `name: value`; spec/alb.md §1.5. */
export const HEADER_FIELD_MAX_BYTES = 16 * 1024
/** All header lines together; spec/alb.md §1.5. */
export const HEADERS_MAX_BYTES = 64 * 1024
/** ALB answers 502 when the function's response header is larger (spec/alb.md §1.5, §4.7). */
export const RESPONSE_HEADERS_MAX_BYTES = 32 * 1024

/** A request ALB itself would have refused, with the status and message to answer it with. */
export interface SizeProblem {
  readonly status: 414 | 431
  readonly error: string
}

/**
 * A header or query field as the request model reads it: `[name, value, name, value, …]`, one
 * pair per value, in order (a multi-value header's values each their own pair, same name).
 */
export type Fields = readonly string[]

/** The space after the method and `' HTTP/1.1'` after the target. */
const REQUEST_LINE_OVERHEAD = 10
/** `': '` and CRLF around a header line's name and value. */
const HEADER_LINE_OVERHEAD = 4

const LIMITS_PAGE = 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html'

/**
 * Whether the request line or the header as delivered breaks ALB's limits. Strings are counted
 * in UTF-16 units first; only a total that might exceed a limit once UTF-8 encoded (at most 3
 * bytes a unit) is counted again in bytes, so the usual request costs one pass over the values
 * and no allocation.
 */
export function requestSizeProblem(
  method: string,
  path: string,
  headers: Fields | undefined,
  query: Fields | undefined,
): SizeProblem | undefined {
  const [headerUnits, headerLongest] = fieldUnits(headers)
  return sizeProblem(method, path, headers, headerUnits, headerLongest, query, fieldUnits(query)[0])
}

/**
 * The UTF-16 units of the pairs of `fields` from `from` to `to` (all by default), names and
 * values together, and of the largest pair: what sizeProblem takes.
 */
export function fieldUnits(fields: Fields | undefined, from = 0, to = fields?.length ?? 0): [number, number] {
  let units = 0
  let longest = 0
  if (fields !== undefined) {
    for (let i = from; i < to; i += 2) {
      const pair = (fields[i] as string).length + (fields[i + 1] as string).length
      units += pair
      if (pair > longest) longest = pair
    }
  }
  return [units, longest]
}

/**
 * requestSizeProblem given the fields' units already counted (fieldUnits', as parseEvent counts
 * them while it reads the event), so the usual request walks its values once.
 */
export function sizeProblem(
  method: string,
  path: string,
  headers: Fields | undefined,
  headerUnits: number,
  headerLongest: number,
  query: Fields | undefined,
  queryUnits: number,
): SizeProblem | undefined {
  let line = method.length + path.length + REQUEST_LINE_OVERHEAD
  if (query !== undefined) line += queryUnits + query.length
  if (line * 3 > REQUEST_LINE_MAX_BYTES) {
    const bytes = requestLineBytes(method, path, query)
    if (bytes > REQUEST_LINE_MAX_BYTES) {
      return {
        status: 414,
        error:
          `request line is ${bytes} bytes; ALB refuses request lines over ${REQUEST_LINE_MAX_BYTES} ` +
          `bytes (${LIMITS_PAGE}), so the path and query are not read`,
      }
    }
  }
  if (headers === undefined) return undefined
  // HEADER_LINE_OVERHEAD a line: `headers.length / 2` lines.
  const total = headerUnits + headers.length * 2
  const longest = headerLongest + HEADER_LINE_OVERHEAD
  if (longest * 3 > HEADER_FIELD_MAX_BYTES) {
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i] as string
      const value = headers[i + 1] as string
      if ((name.length + value.length) * 3 + HEADER_LINE_OVERHEAD <= HEADER_FIELD_MAX_BYTES) continue
      if (utf8Length(name) + utf8Length(value) + HEADER_LINE_OVERHEAD > HEADER_FIELD_MAX_BYTES) {
        return {
          status: 431,
          error: `request header ${JSON.stringify(truncate(name))} is over ${HEADER_FIELD_MAX_BYTES} bytes; ALB refuses larger header fields (${LIMITS_PAGE})`,
        }
      }
    }
  }
  if (total * 3 > HEADERS_MAX_BYTES) {
    let bytes = 0
    for (let i = 0; i < headers.length; i++) bytes += utf8Length(headers[i] as string)
    bytes += (headers.length / 2) * HEADER_LINE_OVERHEAD
    if (bytes > HEADERS_MAX_BYTES) {
      return {
        status: 431,
        error: `request headers are ${bytes} bytes; ALB refuses request headers over ${HEADERS_MAX_BYTES} bytes (${LIMITS_PAGE})`,
      }
    }
  }
  return undefined
}

const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8')

/**
 * The request line in bytes: `?key=value` or `&key=value` for every query value; a pair with an
 * empty value counts as `&key`, since ALB delivers `?a` and `?a=` alike and the shorter is the
 * one that fits.
 */
function requestLineBytes(method: string, path: string, query: Fields | undefined): number {
  let bytes = utf8Length(method) + utf8Length(path) + REQUEST_LINE_OVERHEAD
  if (query === undefined) return bytes
  for (let i = 0; i < query.length; i += 2) {
    const value = query[i + 1] as string
    bytes += utf8Length(query[i] as string) + 1 + (value === '' ? 0 : 1 + utf8Length(value))
  }
  return bytes
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}

/**
 * Why ALB would answer 502 instead of sending `result` (spec/alb.md §4.7): JSON over 1 MB
 * (`LambdaResponseTooLarge`), or a response header over 32 K. JSON escaping can make a body up
 * to 6 bytes a UTF-16 unit (`\u0001`), so only a body longer than a sixth of the limit is
 * serialised to be measured exactly.
 */
export function responseLimitProblem(result: ALBResult): string | undefined {
  const headers = responseHeaderBytes(result)
  if (headers > RESPONSE_HEADERS_MAX_BYTES) {
    return (
      `response headers are ${headers} bytes, over ALB's ${RESPONSE_HEADERS_MAX_BYTES}-byte limit ` +
      '(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html)'
    )
  }
  const bodyLength = result.body?.length ?? 0
  if (bodyLength * 6 + headers * 6 + 1024 <= RESPONSE_MAX_BYTES) return undefined
  const size = responseSize(result)
  if (size <= RESPONSE_MAX_BYTES) return undefined
  return `response of ${size} bytes exceeds ALB's ${RESPONSE_MAX_BYTES}-byte limit for Lambda responses`
}

/** The response header lines as ALB would write them, `name: value` CRLF each. */
function responseHeaderBytes(result: ALBResult): number {
  const fields: Record<string, unknown> | undefined = result.multiValueHeaders ?? result.headers
  if (fields === undefined) return 0
  // UTF-16 length × 3 bounds the UTF-8 size; count exactly only when that bound is near the limit.
  let units = 0
  for (const name in fields) {
    const value = fields[name]
    if (typeof value === 'string') units += name.length + value.length + HEADER_LINE_OVERHEAD
    else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i]
        if (typeof item === 'string') units += name.length + item.length + HEADER_LINE_OVERHEAD
      }
    }
  }
  // The bound itself when it is within the limit: callers only compare it with limits.
  return units * 3 <= RESPONSE_HEADERS_MAX_BYTES ? units * 3 : recordHeaderBytes(fields)
}

/** The header lines of a response's header map in UTF-8 bytes. */
function recordHeaderBytes(headers: Record<string, unknown>): number {
  let bytes = 0
  for (const name of Object.keys(headers)) {
    const value = headers[name]
    const fixed = utf8Length(name) + HEADER_LINE_OVERHEAD
    if (typeof value === 'string') bytes += fixed + utf8Length(value)
    else if (Array.isArray(value)) for (const item of value) if (typeof item === 'string') bytes += fixed + utf8Length(item)
  }
  return bytes
}
