import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http'
import { connect } from 'node:net'

export interface HttpResponse {
  readonly status: number
  readonly statusMessage: string
  /** Lower-case name → values, repeats kept. */
  readonly headers: Readonly<Record<string, string[]>>
  readonly body: Buffer
}

export interface HttpRequestOptions {
  readonly method?: string
  /** Path and query exactly as they go on the request line. */
  readonly path: string
  /** An array value sends the header once per element. */
  readonly headers?: OutgoingHttpHeaders
  readonly body?: Uint8Array | string
  /** Send the body in chunks (Transfer-Encoding: chunked) instead of with a Content-Length. */
  readonly chunked?: boolean
}

/** One request with node:http (fetch would merge repeated headers and refuses TRACE). */
export function send(port: number, options: HttpRequestOptions): Promise<HttpResponse> {
  const headers: OutgoingHttpHeaders = { ...options.headers }
  const hasLength = Object.keys(headers).some((name) => name.toLowerCase() === 'content-length')
  if (options.body !== undefined && options.chunked !== true && !hasLength) {
    headers['content-length'] = Buffer.byteLength(options.body)
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const headers: Record<string, string[]> = {}
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            const name = (res.rawHeaders[i] as string).toLowerCase()
            ;(headers[name] ??= []).push(res.rawHeaders[i + 1] as string)
          }
          resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', headers, body: Buffer.concat(chunks) })
        })
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    const body = options.body
    if (body === undefined) req.end()
    else if (options.chunked === true) {
      const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body)
      const step = 64 * 1024
      for (let at = 0; at < bytes.length; at += step) req.write(bytes.subarray(at, at + step))
      req.end()
    } else {
      req.end(body)
    }
  })
}

/**
 * Writes `bytes` to the server exactly as given (no header added or reordered) and reads one
 * response that carries a Content-Length.
 */
export function sendRaw(port: number, bytes: Buffer): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let received = Buffer.alloc(0)
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      const end = received.indexOf('\r\n\r\n')
      if (end < 0) return
      const lines = received.subarray(0, end).toString('latin1').split('\r\n')
      const [, status, ...message] = (lines[0] as string).split(' ')
      const headers: Record<string, string[]> = {}
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':')
        ;(headers[line.slice(0, colon).toLowerCase()] ??= []).push(line.slice(colon + 1).trim())
      }
      const length = Number(headers['content-length']?.[0] ?? 0)
      if (received.length < end + 4 + length) return
      socket.destroy()
      resolve({
        status: Number(status),
        statusMessage: message.join(' '),
        headers,
        body: received.subarray(end + 4, end + 4 + length),
      })
    })
    socket.on('error', reject)
    socket.write(bytes)
  })
}
