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

/** The space after the method and `' HTTP/1.1'` after the target. */
const REQUEST_LINE_OVERHEAD = 10
/** `': '` and CRLF around a header line's name and value. */
const HEADER_LINE_OVERHEAD = 4

/**
 * Whether the request line or the header as delivered breaks ALB's limits. Strings are counted
 * in UTF-16 units first; only a total that might exceed a limit once UTF-8 encoded (at most 3
 * bytes a unit) is counted again in bytes, so the usual request costs one pass and no
 * allocation beyond the key lists.
 */
export function requestSizeProblem(
  method: string,
  path: string,
  headers: Record<string, unknown> | undefined,
  query: Record<string, unknown> | undefined,
): SizeProblem | undefined {
  let line = method.length + path.length + REQUEST_LINE_OVERHEAD
  if (query !== undefined) {
    // for…in and no closures: this runs on every request (measured by `npm run bench`).
    for (const key in query) {
      const value = query[key]
      if (typeof value === 'string') line += key.length + 2 + value.length
      else if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i]
          if (typeof item === 'string') line += key.length + 2 + item.length
        }
      }
    }
  }
  if (line * 3 > REQUEST_LINE_MAX_BYTES) {
    const bytes = requestLineBytes(method, path, query)
    if (bytes > REQUEST_LINE_MAX_BYTES) {
      return {
        status: 414,
        error:
          `request line is ${bytes} bytes; ALB refuses request lines over ${REQUEST_LINE_MAX_BYTES} ` +
          'bytes (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html), so the path and query are not read',
      }
    }
  }
  if (headers === undefined) return undefined
  let total = 0
  let longest = 0
  for (const name in headers) {
    const value = headers[name]
    if (typeof value === 'string') {
      const field = name.length + value.length + HEADER_LINE_OVERHEAD
      total += field
      if (field > longest) longest = field
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i]
        if (typeof item !== 'string') continue
        const field = name.length + item.length + HEADER_LINE_OVERHEAD
        total += field
        if (field > longest) longest = field
      }
    }
  }
  if (longest * 3 > HEADER_FIELD_MAX_BYTES) {
    for (const name of Object.keys(headers)) {
      if (fieldBytes(name, headers[name]) > HEADER_FIELD_MAX_BYTES) {
        return {
          status: 431,
          error:
            `request header ${JSON.stringify(truncate(name))} is over ${HEADER_FIELD_MAX_BYTES} bytes; ` +
            'ALB refuses larger header fields (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html)',
        }
      }
    }
  }
  if (total * 3 > HEADERS_MAX_BYTES) {
    const bytes = headerBytes(headers)
    if (bytes > HEADERS_MAX_BYTES) {
      return {
        status: 431,
        error:
          `request headers are ${bytes} bytes; ALB refuses request headers over ` +
          `${HEADERS_MAX_BYTES} bytes (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html)`,
      }
    }
  }
  return undefined
}

/**
 * `?key=value` or `&key=value` for every string value of one key; a pair with an empty value
 * counts as `&key`, since ALB delivers `?a` and `?a=` alike and the shorter is the one that fits.
 */
function queryLength(key: number, value: unknown, measure: (text: string) => number): number {
  const one = (text: string) => key + 1 + (text === '' ? 0 : 1 + measure(text))
  if (typeof value === 'string') return one(value)
  if (!Array.isArray(value)) return 0
  let total = 0
  for (const item of value) if (typeof item === 'string') total += one(item)
  return total
}

const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8')

function pairsBytes(fixed: number, value: unknown): number {
  if (typeof value === 'string') return fixed + Buffer.byteLength(value, 'utf8')
  if (!Array.isArray(value)) return 0
  let bytes = 0
  for (const item of value) if (typeof item === 'string') bytes += fixed + Buffer.byteLength(item, 'utf8')
  return bytes
}

/** The largest single line one header name makes (each value of a multi-value header is its own line). */
function fieldBytes(name: string, value: unknown): number {
  const longest = (text: string) =>
    text.length * 3 + name.length * 3 + HEADER_LINE_OVERHEAD <= HEADER_FIELD_MAX_BYTES
      ? 0
      : Buffer.byteLength(name, 'utf8') + Buffer.byteLength(text, 'utf8') + HEADER_LINE_OVERHEAD
  if (typeof value === 'string') return longest(value)
  if (!Array.isArray(value)) return 0
  let max = 0
  for (const item of value) if (typeof item === 'string') max = Math.max(max, longest(item))
  return max
}

function headerBytes(headers: Record<string, unknown>): number {
  let bytes = 0
  for (const name of Object.keys(headers)) {
    bytes += pairsBytes(Buffer.byteLength(name, 'utf8') + HEADER_LINE_OVERHEAD, headers[name])
  }
  return bytes
}

function requestLineBytes(method: string, path: string, query: Record<string, unknown> | undefined): number {
  let bytes = Buffer.byteLength(method, 'utf8') + Buffer.byteLength(path, 'utf8') + REQUEST_LINE_OVERHEAD
  if (query !== undefined) {
    for (const key of Object.keys(query)) bytes += queryLength(Buffer.byteLength(key, 'utf8'), query[key], utf8Length)
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
  return units * 3 <= RESPONSE_HEADERS_MAX_BYTES ? units * 3 : headerBytes(fields)
}
