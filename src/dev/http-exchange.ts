import { isUtf8 } from 'node:buffer'
import type { IncomingMessage, OutgoingHttpHeader, ServerResponse } from 'node:http'
import { reasonPhrase } from '../alb/status.js'
import { REQUEST_BODY_MAX_BYTES } from '../rules/limits.js'
import type { CheckedResult } from './validate-result.js'

// The HTTP side of the dev server: reading a request as ALB reads it, and writing responses.

// spec/alb.md §1.5: request line and each header field 16 K, the whole header 64 K.
const FIELD_MAX_BYTES = 16 * 1024
export const HEADER_MAX_BYTES = 64 * 1024
// An upload this far past the limit is cut off rather than drained to the end.
const DRAIN_MAX_BYTES = 64 * REQUEST_BODY_MAX_BYTES
const NON_ASCII = /[^\x00-\x7f]/

export function requestTooLargeReason(size: string): string {
  return (
    `LambdaRequestTooLarge: the request body is ${size} bytes; ` +
    `ALB passes at most ${REQUEST_BODY_MAX_BYTES} to a Lambda target`
  )
}

export type BodyRead =
  | { readonly kind: 'body'; readonly bytes: Buffer }
  | { readonly kind: 'too-large' | 'cut-off'; readonly size: number }
  | { readonly kind: 'aborted' }

/** The whole body up to ALB's limit; past it, the rest is counted and dropped, not buffered. */
export function readBody(req: IncomingMessage): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    const finish = (read: BodyRead) => {
      if (done) return
      done = true
      resolve(read)
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= REQUEST_BODY_MAX_BYTES) chunks.push(chunk)
      else if (size > DRAIN_MAX_BYTES) {
        req.pause()
        finish({ kind: 'cut-off', size })
      }
    })
    req.on('end', () =>
      finish(
        size > REQUEST_BODY_MAX_BYTES
          ? { kind: 'too-large', size }
          : { kind: 'body', bytes: Buffer.concat(chunks, size) },
      ),
    )
    req.on('close', () => finish({ kind: 'aborted' }))
    req.on('error', () => finish({ kind: 'aborted' }))
  })
}

/** A proxy-style absolute target (`http://host/path`) reduced to the path and query. */
export function originForm(target: string): string {
  if (target.startsWith('/')) return target
  const scheme = target.indexOf('://')
  if (scheme < 0) return target
  // The authority ends at the first `/`, `?` or `#` (RFC 3986 §3.2); `http://host?q=1` keeps its
  // query on the empty path, which HTTP sends as `/` (RFC 9112 §3.2.1).
  const rest = target.slice(scheme + 3)
  const end = rest.search(/[/?#]/)
  if (end < 0) return '/'
  const tail = rest.slice(end)
  return tail.startsWith('/') ? tail : '/' + tail
}

export function oversizedField(method: string, target: string, raw: readonly string[]): string | undefined {
  if (method.length + target.length + 10 > FIELD_MAX_BYTES) {
    return 'the request line exceeds 16 K (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html)'
  }
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string
    if (name.length + (raw[i + 1] as string).length + 2 > FIELD_MAX_BYTES) {
      return `header ${name} exceeds 16 K (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html)`
    }
  }
  return undefined
}

/** Addresses in every X-Forwarded-For field the client sent. */
export function countForwarded(raw: readonly string[]): number {
  let count = 0
  for (let i = 0; i < raw.length; i += 2) {
    if ((raw[i] as string).toLowerCase() !== 'x-forwarded-for') continue
    for (const part of (raw[i + 1] as string).split(',')) if (part.trim() !== '') count++
  }
  return count
}

/**
 * Node decodes header bytes as Latin-1; ALB wants UTF-8 (spec/alb.md §4.2). Each non-ASCII
 * value is turned back into its bytes and read as UTF-8, or refused when it is not UTF-8.
 */
export function decodeHeaders(raw: readonly string[]): Array<[string, string]> | string {
  const pairs: Array<[string, string]> = []
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string
    let value = raw[i + 1] as string
    if (NON_ASCII.test(value)) {
      const bytes = Buffer.from(value, 'latin1')
      if (!isUtf8(bytes)) return `header ${name} is not valid UTF-8 (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html)`
      value = bytes.toString('utf8')
    }
    pairs.push([name, value])
  }
  return pairs
}

/** Writes a checked result; false when Node refuses a header, before anything was sent. */
export function sendResult(
  res: ServerResponse,
  method: string,
  result: CheckedResult & { ok: true },
): boolean {
  const flat: OutgoingHttpHeader[] = []
  for (const [name, value] of result.headers) {
    // Node writes header strings as Latin-1: hand it the UTF-8 bytes one per character.
    flat.push(name, NON_ASCII.test(value) ? Buffer.from(value, 'utf8').toString('latin1') : value)
  }
  const status = result.status
  const bodiless = status === 204 || status === 304
  if (!bodiless) flat.push('content-length', String(result.body.length))
  try {
    if (result.statusMessage === undefined) res.writeHead(status, flat as unknown as string[])
    else res.writeHead(status, result.statusMessage, flat as unknown as string[])
  } catch {
    return false
  }
  res.end(method === 'HEAD' || bodiless ? undefined : result.body)
  return true
}

function albPage(status: number): Buffer {
  const title = `${status} ${reasonPhrase(status) ?? ''}`.trim()
  return Buffer.from(
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n` +
      `<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`,
  )
}

/** ALB's own error page (the one it sends for 4XX/5XX it generates), with `Server: awselb/2.0`. */
export function sendAlbPage(res: ServerResponse, status: number): void {
  const page = albPage(status)
  res.writeHead(status, reasonPhrase(status) ?? '', {
    server: 'awselb/2.0',
    'content-type': 'text/html',
    'content-length': String(page.length),
  })
  res.end(page)
}

export function rawAlbPage(status: number): Buffer {
  const page = albPage(status)
  const head =
    `HTTP/1.1 ${status} ${reasonPhrase(status) ?? ''}\r\nServer: awselb/2.0\r\nContent-Type: text/html\r\n` +
    `Content-Length: ${page.length}\r\nConnection: close\r\n\r\n`
  return Buffer.concat([Buffer.from(head, 'latin1'), page])
}
