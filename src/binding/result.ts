import { JSON_CONTENT_TYPE } from '../alb/format-result.js'
import { carriesBody, reasonPhrase } from '../alb/status.js'
import type { AlbResponse } from '../alb/types.js'
import type { HttpError } from '../http-error.js'
import { isReply } from '../reply.js'
import { dtoSupport } from './dto-support.js'
import type { Reply } from '../reply.js'

type Headers = Record<string, string | readonly string[]>

const TEXT_TYPE = 'text/plain; charset=utf-8'
const BYTES_TYPE = 'application/octet-stream'
const PROBLEM_TYPE = 'application/problem+json'

// Shared, never mutated: most responses need nothing but a content-type.
const JSON_HEADERS: Headers = Object.freeze({ 'content-type': JSON_CONTENT_TYPE })
const TEXT_HEADERS: Headers = Object.freeze({ 'content-type': TEXT_TYPE })
const BYTES_HEADERS: Headers = Object.freeze({ 'content-type': BYTES_TYPE })
const PROBLEM_HEADERS: Headers = Object.freeze({ 'content-type': PROBLEM_TYPE })

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail'])

/**
 * A controller's return value as a response. `undefined` is 204 (or the route's `@HttpCode`)
 * without a body; strings are text/plain, bytes application/octet-stream, everything else JSON,
 * class instances (also nested) through class-transformer's `instanceToPlain` so `@Exclude` and
 * `@Expose` apply. A HEAD answer keeps status and headers and drops the body (RFC 9110 §9.3.2),
 * as do 204 and 304, which cannot have one.
 */
export function serializeResult(
  value: unknown,
  route: { readonly httpCode: number | undefined },
  method: string,
): AlbResponse {
  if (isReply(value)) return fromReply(value, route.httpCode, method)
  const [body, headers] = serializeBody(value)
  const status = route.httpCode ?? (body === undefined ? 204 : 200)
  return response(status, headers, undefined, body, method)
}

/** A JSON text already serialised by plainJson, as a response with `status`. */
export function jsonResponse(status: number, json: string, method: string): AlbResponse {
  return response(status, JSON_HEADERS, undefined, json, method)
}

/**
 * True for a response that is JSON with nothing but its content-type, as serializeResult builds
 * for plain data: formatJsonResult can then build the ALB result without the generic checks.
 */
export function isPlainJsonResponse(value: AlbResponse): value is AlbResponse & { readonly body: string } {
  return value.headers === JSON_HEADERS && value.cookies === undefined && typeof value.body === 'string'
}

function fromReply(value: Reply, httpCode: number | undefined, method: string): AlbResponse {
  const [body, contentTypeHeaders] = serializeBody(value.body)
  const status = value.status ?? httpCode ?? (body === undefined ? 204 : 200)
  let headers = contentTypeHeaders
  if (value.headers !== undefined) {
    // A copy without a prototype: a header named `__proto__` is just a header.
    const merged: Headers = Object.create(null)
    let hasContentType = false
    for (const name of Object.keys(value.headers)) {
      const given: unknown = value.headers[name]
      // An absent value (`{ etag: maybe }`) is no header, never the text "undefined".
      if (given === undefined || given === null) continue
      // spec/alb.md §4.7: a non-string header value is a 502, so anything else is stringified.
      merged[name] = Array.isArray(given) ? given.filter(isPresent).map(String) : String(given)
      if (name.toLowerCase() === 'content-type') hasContentType = true
    }
    if (!hasContentType && contentTypeHeaders !== undefined) {
      merged['content-type'] = contentTypeHeaders['content-type'] as string
    }
    headers = merged
  }
  const cookies = value.cookies === undefined ? undefined : value.cookies.filter(isPresent).map(String)
  return response(status, headers, cookies, body, method)
}

const isPresent = (item: unknown): boolean => item !== undefined && item !== null

function response(
  status: number,
  headers: Headers | undefined,
  cookies: readonly string[] | undefined,
  body: string | Uint8Array | undefined,
  method: string,
): AlbResponse {
  const out: {
    status: number
    headers?: Headers
    cookies?: readonly string[]
    body?: string | Uint8Array
  } = { status }
  if (headers !== undefined) out.headers = headers
  if (cookies !== undefined && cookies.length > 0) out.cookies = cookies
  if (body !== undefined && carriesBody(status, method)) out.body = body
  return out
}

function serializeBody(value: unknown): [string | Uint8Array | undefined, Headers | undefined] {
  if (value === undefined) return [undefined, undefined]
  if (typeof value === 'string') return [value, TEXT_HEADERS]
  if (value instanceof Uint8Array) return [value, BYTES_HEADERS]
  // A replacer turns off V8's fast JSON path; most results are plain data and need none.
  const json = (plainDataBudget(value, PLAIN_DATA_BUDGET) >= 0 ? JSON.stringify(value) : JSON.stringify(value, toPlain)) as
    | string
    | undefined
  if (json === undefined) {
    throw new TypeError(`A controller returned a ${typeof value}, which has no JSON form`)
  }
  return [json, JSON_HEADERS]
}

/**
 * How much of `budget` (nodes) is left after walking `value`, when it holds only primitives,
 * plain objects, arrays, Dates and byte views (which serialise through their own toJSON); a
 * negative number means "use the replacer" (a class instance, or too large to walk).
 */
function plainDataBudget(value: unknown, budget: number): number {
  if (typeof value !== 'object' || value === null) return budget
  if (--budget < 0) return budget
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && budget >= 0; i++) budget = plainDataBudget(value[i], budget)
    return budget
  }
  const prototype: unknown = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null) {
    return value instanceof Date || ArrayBuffer.isView(value) ? budget : -1
  }
  for (const key in value) {
    budget = plainDataBudget((value as Record<string, unknown>)[key], budget)
    if (budget < 0) return budget
  }
  return budget
}

const PLAIN_DATA_BUDGET = 2000

/**
 * The JSON text of a route's return value when it is plain data answered as JSON with nothing
 * but a content-type (not a reply(), string, bytes or `undefined`); otherwise undefined, and
 * serializeResult decides. Throws like JSON.stringify (a cycle, a BigInt).
 */
export function plainJson(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array || isReply(value)) return undefined
  if (plainDataBudget(value, PLAIN_DATA_BUDGET) < 0) return undefined
  return JSON.stringify(value)
}

/**
 * JSON.stringify replacer: class instances go through instanceToPlain wherever they sit, so an
 * array of entities or a `{ user }` wrapper hides `@Exclude`d fields too. Plain objects and
 * arrays pass untouched; toJSON (Date, Buffer) has already run when a value gets here.
 */
function toPlain(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  if (ArrayBuffer.isView(value)) return value
  const prototype: unknown = Object.getPrototypeOf(value)
  if (prototype === Object.prototype || prototype === null) return value
  // Fail closed: without class-transformer, an `@Exclude`d field (a password hash) would be sent.
  const support = dtoSupport()
  if (typeof support === 'string') {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name
    throw new TypeError(
      `A route returned a ${typeof name === 'string' && name !== '' ? name : 'class'} instance; class instances are ` +
        "serialised by class-transformer's instanceToPlain (so @Exclude and @Expose apply), which albatross loads " +
        "only for apps that import 'albatross/dto': add that import, or return plain data",
    )
  }
  return support.instanceToPlain(value)
}

/**
 * An `HttpError` as RFC 9457 `application/problem+json`: `type`, `title` (the reason phrase),
 * `status`, `detail` (the message), then the error's `details` as extension members, which
 * cannot replace the first four.
 */
export function problemResponse(error: HttpError, method?: string): AlbResponse {
  const problem: Record<string, unknown> = Object.create(null)
  problem['type'] = 'about:blank'
  problem['title'] = titleOf(error.status)
  problem['status'] = error.status
  problem['detail'] = error.message
  if (error.details !== undefined) {
    for (const key of Object.keys(error.details)) {
      if (!PROBLEM_MEMBERS.has(key)) problem[key] = error.details[key]
    }
  }
  const body = JSON.stringify(problem)
  const headers = error.headers === undefined ? PROBLEM_HEADERS : { ...error.headers, ...PROBLEM_HEADERS }
  return response(error.status, headers, undefined, body, method ?? 'GET')
}

const INTERNAL_ERROR = JSON.stringify({
  type: 'about:blank',
  title: 'Internal Server Error',
  status: 500,
})

/** The 500 for anything thrown that is not an HttpError: nothing from the error is shown. */
export function internalErrorResponse(method?: string): AlbResponse {
  return response(500, PROBLEM_HEADERS, undefined, INTERNAL_ERROR, method ?? 'GET')
}

function titleOf(status: number): string {
  return reasonPhrase(status) ?? (status < 500 ? 'Client Error' : 'Server Error')
}
