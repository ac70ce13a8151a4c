import { isUtf8 } from 'node:buffer'
import type { AlbRequest } from './types.js'

/**
 * ALB answers 413 (`LambdaRequestTooLarge`) above "1 MB" of request body (spec/alb.md §4.3);
 * §6 #15 reads that as 1,000,000 bytes. Defined here rather than imported from rules/limits.ts
 * because alb/ imports nothing from the rest of src/.
 */
export const REQUEST_BODY_MAX_BYTES = 1_000_000

export type BodySource = Pick<AlbRequest, 'body' | 'isBase64Encoded'>

export interface BodyOptions {
  /** Largest accepted body in bytes; default REQUEST_BODY_MAX_BYTES. */
  readonly maxBytes?: number
}

export interface BodyError<Code extends string> {
  readonly error: Code
  readonly message: string
}

// RFC 4648 §4 alphabet with canonical padding; the length check (multiple of 4) is separate.
// Buffer.from(…, 'base64') would silently skip stray characters and accept missing padding.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

// ignoreBOM keeps a leading U+FEFF, so the text is exactly the bytes that were sent.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** The body bytes: base64 decoded strictly when `isBase64Encoded`, else the text as UTF-8. */
export function decodeBody(
  request: BodySource,
  options?: BodyOptions,
): { bytes: Buffer } | BodyError<'invalid-base64' | 'too-large'> {
  const maxBytes = options?.maxBytes ?? REQUEST_BODY_MAX_BYTES
  const body = request.body
  if (!request.isBase64Encoded) {
    const size = Buffer.byteLength(body, 'utf8')
    if (size > maxBytes) return tooLarge(size, maxBytes)
    return { bytes: Buffer.from(body, 'utf8') }
  }
  if (body.length % 4 !== 0 || !BASE64.test(body)) {
    return {
      error: 'invalid-base64',
      message:
        'request body is marked isBase64Encoded but is not RFC 4648 base64 ' +
        '(alphabet A-Z a-z 0-9 + /, padded with = to a multiple of 4 characters)',
    }
  }
  const padding = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0
  const size = (body.length / 4) * 3 - padding
  // Checked before decoding so an oversized body is never allocated.
  if (size > maxBytes) return tooLarge(size, maxBytes)
  return { bytes: Buffer.from(body, 'base64') }
}

/**
 * The body as text: a text body as delivered, a base64 body decoded and checked to be UTF-8
 * (ALB itself refuses non-UTF-8 text, spec/alb.md §4.2; binary bodies arrive base64).
 */
export function bodyText(
  request: BodySource,
  options?: BodyOptions,
): { text: string } | BodyError<'invalid-base64' | 'too-large' | 'invalid-utf8'> {
  if (!request.isBase64Encoded) {
    const maxBytes = options?.maxBytes ?? REQUEST_BODY_MAX_BYTES
    const body = request.body
    // A UTF-16 unit is at most 3 bytes of UTF-8: a body within a third of the limit is counted
    // only when it might be over.
    if (body.length * 3 <= maxBytes) return { text: body }
    const size = Buffer.byteLength(body, 'utf8')
    return size > maxBytes ? tooLarge(size, maxBytes) : { text: body }
  }
  const decoded = decodeBody(request, options)
  if ('error' in decoded) return decoded
  // isUtf8 first so the fatal decoder never throws on the request path.
  if (!isUtf8(decoded.bytes)) {
    return { error: 'invalid-utf8', message: 'request body is not valid UTF-8 text' }
  }
  return { text: UTF8.decode(decoded.bytes) }
}

function tooLarge(size: number, maxBytes: number): BodyError<'too-large'> {
  return {
    error: 'too-large',
    message:
      `request body is ${size} bytes; the limit is ${maxBytes} bytes ` +
      '(ALB answers 413 above 1 MB)',
  }
}
