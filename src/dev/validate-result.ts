import type { HeaderMode } from '../alb/types.js'
import { RESPONSE_MAX_BYTES } from '../rules/limits.js'
import { isFinalStatus, isHeaderName, isHeaderValue } from '../alb/response-rules.js'

/** ALB's access-log `error_reason` for a result it refuses (spec/alb.md §4.7, §4.8). */
export type ResultErrorReason = 'LambdaInvalidResponse' | 'LambdaResponseTooLarge' | 'LambdaUnhandled'

export type CheckedResult =
  | {
      readonly ok: true
      readonly status: number
      /** The reason phrase from `statusDescription`, when it is `"<statusCode> <phrase>"`. */
      readonly statusMessage: string | undefined
      /** In result order; hop-by-hop headers and Content-Length removed (ALB sets its own). */
      readonly headers: Array<[string, string]>
      readonly body: Buffer
      /** Things ALB silently ignores that a developer would want to hear about. */
      readonly notes: string[]
    }
  | {
      readonly ok: false
      readonly status: 502
      readonly reason: string
      readonly errorReason: ResultErrorReason
    }

// spec/alb.md §4.7: ALB drops these and computes Content-Length itself (RFC 9110 §7.6.1 list).
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'content-length',
])
const KNOWN_KEYS = new Set([
  'statusCode',
  'statusDescription',
  'headers',
  'multiValueHeaders',
  'body',
  'isBase64Encoded',
])
// "Whole response header 32 K" (spec/alb.md §1.5), read as 32 KiB [inf].
const RESPONSE_HEADER_MAX_BYTES = 32 * 1024
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/**
 * What ALB makes of a Lambda result (spec/alb.md §4.7): the result travels as JSON, so it is
 * serialised exactly as the Lambda Node.js runtime does (undefined becomes null, `toJSON` runs,
 * undefined fields vanish) and then checked the way ALB checks it. Anything ALB answers with 502
 * comes back as `ok: false` with the access-log `error_reason` and a sentence saying why.
 * Checks marked [inf] are not documented; they follow the safe reading of spec/alb.md §6.
 */
export function checkAlbResult(result: unknown, mode: HeaderMode): CheckedResult {
  let json: string
  try {
    json = JSON.stringify(result === undefined ? null : result) ?? 'null'
  } catch (error) {
    // The runtime cannot send what it cannot serialise: Lambda reports a function error.
    return reject(`the result cannot be serialised as JSON (${errorText(error)})`, 'LambdaUnhandled')
  }
  const size = Buffer.byteLength(json, 'utf8')
  if (size > RESPONSE_MAX_BYTES) {
    return reject(
      `the result JSON is ${size} bytes; ALB accepts at most ${RESPONSE_MAX_BYTES} (base64 overhead counts)`,
      'LambdaResponseTooLarge',
    )
  }
  const value: unknown = JSON.parse(json)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reject(`the result is ${describe(value)}, not an object with a statusCode`)
  }
  const fields = value as Record<string, unknown>
  const notes: string[] = []

  const status = fields['statusCode']
  if (status === undefined) return reject('statusCode is missing')
  if (typeof status !== 'number' || !Number.isInteger(status)) {
    return reject(`statusCode is ${describe(status)}, not an integer`)
  }
  // [inf] §6 #13: only 200–599 can be a final HTTP status (the rule the handler applies too).
  if (!isFinalStatus(status)) return reject(`statusCode ${status} is not a final HTTP status (200-599)`)

  let statusMessage: string | undefined
  if (Object.hasOwn(fields, 'statusDescription')) {
    const description = fields['statusDescription']
    if (typeof description !== 'string') {
      return reject(`statusDescription is ${describe(description)}, not a string`)
    }
    const prefix = `${status} `
    if (description.startsWith(prefix) && /^[\t\x20-\x7e]*$/.test(description)) {
      statusMessage = description.slice(prefix.length)
    } else {
      const quoted = JSON.stringify(description)
      notes.push(`statusDescription ${quoted} is not "${status} <reason>"; the default reason was sent`)
    }
  }

  const body = fields['body']
  // [inf] for a non-string body and a non-boolean flag: AWS documents the types, not the reaction.
  if (body === null) return reject('body is null (omit it or send "")')
  if (body !== undefined && typeof body !== 'string') return reject(`body is ${describe(body)}, not a string`)
  const base64 = fields['isBase64Encoded']
  if (base64 !== undefined && typeof base64 !== 'boolean') {
    return reject(`isBase64Encoded is ${describe(base64)}, not a boolean`)
  }
  let bytes: Buffer
  if (base64 === true && body !== undefined) {
    if (/[\r\n]/.test(body)) {
      return reject('body is base64 with line breaks (MIME style); ALB needs RFC 4648 base64 without them')
    }
    if (body.length % 4 !== 0 || !BASE64.test(body)) {
      return reject('body is marked isBase64Encoded but is not padded RFC 4648 base64')
    }
    bytes = Buffer.from(body, 'base64')
  } else {
    bytes = Buffer.from(body ?? '', 'utf8')
  }

  const active = mode === 'multi' ? 'multiValueHeaders' : 'headers'
  const inactive = mode === 'multi' ? 'headers' : 'multiValueHeaders'
  const ignored = fields[inactive]
  // spec/alb.md §4.7: the other mode's field is silently ignored, so its headers go missing.
  if (typeof ignored === 'object' && ignored !== null && Object.keys(ignored).length > 0) {
    notes.push(
      `${inactive} ignored: the target group uses ${mode}-value headers, so only ${active} counts ` +
        `(${mode === 'multi' ? 'drop --multi-value' : 'start with --multi-value'} to use ${inactive})`,
    )
  }
  const headers = collectHeaders(fields[active], active, mode)
  if (typeof headers === 'string') return reject(headers)

  for (const key of Object.keys(fields)) {
    // spec/alb.md §6 #17: how ALB treats extra keys is unverified, so say so rather than fail.
    if (KNOWN_KEYS.has(key)) continue
    notes.push(`unknown result key ${JSON.stringify(key)} (ALB's reaction is unverified)`)
  }
  return { ok: true, status, statusMessage, headers, body: bytes, notes }
}

/** The header pairs to send, or the reason ALB would refuse them. */
function collectHeaders(field: unknown, name: string, mode: HeaderMode): Array<[string, string]> | string {
  const pairs: Array<[string, string]> = []
  if (field === undefined) return pairs
  if (field === null) return `${name} is null (omit it or send {})`
  if (typeof field !== 'object' || Array.isArray(field)) return `${name} is ${describe(field)}, not an object`
  let size = 0
  for (const [header, value] of Object.entries(field)) {
    let values: readonly unknown[] = [value]
    if (mode === 'multi') {
      if (!Array.isArray(value)) {
        return `${name}[${JSON.stringify(header)}] is ${describe(value)}, not an array of strings`
      }
      values = value
    }
    // [inf] a name that is not an RFC 9110 token cannot be written into a response.
    if (!isHeaderName(header)) return `header name ${JSON.stringify(header)} is not an HTTP token`
    for (const item of values) {
      if (typeof item !== 'string') {
        // spec/alb.md §4.7, jeremydaly/lambda-api#117: a boolean header value is a 502.
        return `header ${header} has ${describe(item)} as a value; header values must be strings`
      }
      if (!isHeaderValue(item)) {
        return `header ${header} has a value with CR, LF or another control character`
      }
      size += header.length + Buffer.byteLength(item, 'utf8') + 4
      if (!HOP_BY_HOP.has(header.toLowerCase())) pairs.push([header, item])
    }
  }
  if (size > RESPONSE_HEADER_MAX_BYTES) {
    return `the response headers are ${size} bytes; ALB allows ${RESPONSE_HEADER_MAX_BYTES}`
  }
  return pairs
}

function reject(reason: string, errorReason: ResultErrorReason = 'LambdaInvalidResponse'): CheckedResult {
  return { ok: false, status: 502, reason, errorReason }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') {
    return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`
  }
  if (typeof value === 'object') return 'an object'
  return `${typeof value === 'number' ? 'the number' : `the ${typeof value}`} ${String(value)}`
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
