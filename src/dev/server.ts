import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import type { ALBEvent } from 'aws-lambda'
import { albEventFromRaw } from '../alb/build-event.js'
import type { HeaderMode } from '../alb/types.js'
import { REQUEST_BODY_MAX_BYTES, XFF_MAX_ADDRESSES } from '../rules/limits.js'
import { ExecutionEnvironment, timeoutMessage, type LambdaHandler } from './execution-environment.js'
import {
  HEADER_MAX_BYTES,
  countForwarded,
  decodeHeaders,
  originForm,
  oversizedField,
  rawAlbPage,
  readBody,
  sendAlbPage,
  sendResult,
  requestTooLargeReason,
} from './http-exchange.js'
import { checkAlbResult } from './validate-result.js'

export type { LambdaHandler } from './execution-environment.js'

/** A handler that can be swapped while the server runs (`--watch` reloads). */
export interface HandlerRef {
  readonly current: LambdaHandler
}

export interface DevServerOptions {
  /** The Lambda function, or a holder whose `current` handler each request calls. */
  readonly handler: LambdaHandler | HandlerRef
  /** 0 picks a free port. */
  readonly port: number
  /** Default `127.0.0.1`. */
  readonly host?: string
  /** The target group attribute `lambda.multi_value_headers.enabled` (spec/alb.md §4.9). */
  readonly multiValue?: boolean
  /** The function timeout; default 30 s. */
  readonly timeoutMs?: number
  readonly targetGroupArn?: string
  readonly functionName?: string
  /** One line per request, saying why for every answer ALB gives itself; default console.log. */
  readonly log?: (line: string) => void
  /** Changes each event before the function gets it (`--user` adds what an auth action would). */
  readonly transformEvent?: (event: ALBEvent) => ALBEvent
  /** Answers some requests before the emulated ALB (`--docs`); returns true when it did. */
  readonly intercept?: (req: IncomingMessage, res: ServerResponse) => boolean
}

export interface DevServer {
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

type Answer = (status: number, why?: string) => void

const UPGRADE_REFUSED = 'Upgrade (WebSocket) is not supported for Lambda targets (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html)'
const CUSTOM_METHOD_REFUSED =
  "Node's HTTP parser refuses methods it does not know, though ALB accepts custom ones (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html)"

/**
 * A local ALB in front of one Lambda function (spec/alb.md §4): each HTTP request becomes the
 * event ALB would build (alb/build-event.ts), the function runs in an emulated execution
 * environment, and its result is checked and sent back as ALB would send it. Whatever ALB
 * answers by itself (405 TRACE, 400 Upgrade, 463, 413, 502) is answered here without the
 * function, or despite it, with a log line naming the access-log `error_reason`.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const log = options.log ?? ((line: string) => console.log(line))
  const mode: HeaderMode = options.multiValue === true ? 'multi' : 'single'
  const environment = new ExecutionEnvironment({
    timeoutMs: options.timeoutMs ?? 30_000,
    ...(options.functionName === undefined ? {} : { functionName: options.functionName }),
  })
  const source = options.handler
  const currentHandler = typeof source === 'function' ? () => source : () => source.current
  let port = options.port

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (options.intercept?.(req, res) === true) return
    const started = performance.now()
    const method = req.method ?? 'GET'
    const target = originForm(req.url ?? '/')
    const line = (status: number, why?: string) => {
      const ms = Math.round(performance.now() - started)
      return `${method} ${target} → ${status}${why === undefined ? '' : ` ${why}`} (${ms} ms)`
    }
    const answer: Answer = (status, why) => {
      sendAlbPage(res, status)
      log(line(status, why))
    }
    const read = await readBody(req)
    if (read.kind === 'aborted') return
    // The rest of an upload that was cut off is still on the wire: end the connection after.
    if (read.kind === 'cut-off') res.setHeader('connection', 'close')

    // In the order ALB applies them, all before the function is invoked.
    if (method === 'TRACE') return answer(405, 'ALB answers TRACE itself (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html)')
    if (req.headers.upgrade !== undefined) {
      return answer(400, UPGRADE_REFUSED)
    }
    const oversized = oversizedField(method, target, req.rawHeaders)
    if (oversized !== undefined) return answer(400, oversized)
    const forwarded = countForwarded(req.rawHeaders)
    if (forwarded > XFF_MAX_ADDRESSES) {
      return answer(463, `X-Forwarded-For has ${forwarded} addresses; ALB allows ${XFF_MAX_ADDRESSES}`)
    }
    if (read.kind !== 'body') {
      return answer(413, requestTooLargeReason(`${read.size}${read.kind === 'cut-off' ? '+' : ''}`))
    }
    const headers = decodeHeaders(req.rawHeaders)
    // spec/alb.md §4.2, §4.8: ALB answers "5XX" (LambdaBadRequest); 502 is our pick.
    if (typeof headers === 'string') return answer(502, `LambdaBadRequest: ${headers}`)
    const query = target.indexOf('?')
    let event: ALBEvent
    try {
      event = albEventFromRaw({
        method,
        path: query < 0 ? target : target.slice(0, query),
        rawQuery: query < 0 ? '' : target.slice(query + 1),
        headers,
        body: read.bytes,
        peerAddress: req.socket.remoteAddress ?? '127.0.0.1',
        mode,
        targetGroupArn: options.targetGroupArn,
        protocol: 'http',
        port,
      })
    } catch (error) {
      return answer(502, `LambdaBadRequest: ${error instanceof Error ? error.message : String(error)}`)
    }

    if (options.transformEvent !== undefined) event = options.transformEvent(event)
    const outcome = await environment.invoke(currentHandler(), event)
    if (outcome.kind === 'timeout') {
      // Lambda reports a timeout as an unhandled function error [inf: the access-log reason].
      return answer(502, `LambdaUnhandled: ${timeoutMessage(outcome.timeoutMs)}`)
    }
    if (outcome.kind === 'error') {
      answer(502, `LambdaUnhandled: ${errorSummary(outcome.error)}`)
      const stack = outcome.error instanceof Error ? outcome.error.stack : undefined
      if (stack !== undefined) log(indent(stack))
      return
    }
    const checked = checkAlbResult(outcome.value, mode)
    if (!checked.ok) return answer(checked.status, `${checked.errorReason}: ${checked.reason}`)
    if (!sendResult(res, method, checked)) {
      return answer(502, 'LambdaInvalidResponse: the headers cannot be written as HTTP/1.1')
    }
    log(line(checked.status))
    for (const note of checked.notes) log(`  note: ${note}`)
  }

  const server = createServer({ maxHeaderSize: HEADER_MAX_BYTES }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`${req.method} ${req.url} → dev server error: ${errorSummary(error)}`)
      if (!res.headersSent) sendAlbPage(res, 502)
      else res.destroy()
    })
  })
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    // curl asks before sending a large body; ALB refuses it without reading it.
    const declared = Number(req.headers['content-length'])
    if (declared > REQUEST_BODY_MAX_BYTES) {
      res.setHeader('connection', 'close')
      sendAlbPage(res, 413)
      const why = requestTooLargeReason(String(declared))
      log(`${req.method} ${req.url} → 413 ${why} (refused before it was sent)`)
      return
    }
    res.writeContinue()
    server.emit('request', req, res)
  })
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    socket.end(rawAlbPage(400))
    log(`${req.method} ${req.url} → 400 ${UPGRADE_REFUSED}`)
  })
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy()
      return
    }
    // ALB answers a request it cannot parse, or whose header is too large, with 400.
    socket.end(rawAlbPage(400))
    const why =
      error.code === 'HPE_INVALID_METHOD'
        ? CUSTOM_METHOD_REFUSED
        : `${error.code ?? 'parse error'}: ${error.message}`
    log(`(unparsable request) → 400 ${why}`)
  })

  // Upgraded and errored sockets leave the HTTP server's bookkeeping, so close() ends them here.
  const sockets = new Set<Duplex>()
  server.on('connection', (socket: Duplex) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)))
        server.closeAllConnections()
        for (const socket of sockets) socket.destroy()
      }),
  }
}

function errorSummary(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`
  return `threw ${typeof error === 'string' ? JSON.stringify(error) : String(error)}`
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')
}
