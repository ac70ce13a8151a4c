import { connect } from 'node:net'
import type { ALBEvent, ALBEventMultiValueHeaders, ALBEventHeaders, Context } from 'aws-lambda'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Controller, Get, Post, Body, createApp, reply } from '../../src/index.js'
import { startDevServer, type DevServer, type LambdaHandler } from '../../src/dev/server.js'
import { send, sendRaw, type HttpRequestOptions } from './http-client.js'

const TARGET_GROUP = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/dev-test/0123456789abcdef'
const BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
const TRACE_ID = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/

// Results ALB refuses (spec/alb.md §4.7) and the log line each must produce.
const REFUSED: ReadonlyArray<readonly [string, unknown, string]> = [
  ['null-body', { statusCode: 200, body: null }, '502 LambdaInvalidResponse: body is null'],
  ['null-headers', { statusCode: 200, headers: null }, '502 LambdaInvalidResponse: headers is null'],
  ['null-description', { statusCode: 200, statusDescription: null }, '502 LambdaInvalidResponse: statusDescription is null'],
  ['no-status', { body: 'hi' }, '502 LambdaInvalidResponse: statusCode is missing'],
  ['string-status', { statusCode: '200' }, '502 LambdaInvalidResponse: statusCode is the string "200", not an integer'],
  ['boolean-header', { statusCode: 200, headers: { 'x-ok': true } }, '502 LambdaInvalidResponse: header x-ok has the boolean true'],
  ['mime-base64', { statusCode: 200, isBase64Encoded: true, body: 'QUJD\nREVG' }, '502 LambdaInvalidResponse: body is base64 with line breaks'],
  ['too-large', { statusCode: 200, body: 'x'.repeat(1_000_000) }, '502 LambdaResponseTooLarge: the result JSON is 1000028 bytes'],
  ['nothing', undefined, '502 LambdaInvalidResponse: the result is null'],
]
const REFUSED_RESULTS = new Map(REFUSED.map(([name, result]) => [name, result]))

interface Harness {
  server: DevServer
  lines: string[]
}

const invocations: ALBEvent[] = []
let active = 0
let maxActive = 0
const spans: Array<{ start: number; end: number }> = []

function result(event: ALBEvent, status: number, headers: Record<string, string[]>, body: string, isBase64Encoded = false) {
  if (event.multiValueHeaders !== undefined) return { statusCode: status, multiValueHeaders: headers, body, isBase64Encoded }
  const single: Record<string, string> = {}
  for (const [name, values] of Object.entries(headers)) single[name] = values.at(-1) as string
  return { statusCode: status, headers: single, body, isBase64Encoded }
}

const handler: LambdaHandler = async (event, context) => {
  invocations.push(event)
  const [, route, name] = event.path.split('/')
  switch (route) {
    case 'echo':
      return result(event, 200, { 'content-type': ['application/json'] }, JSON.stringify(event))
    case 'binary':
      return result(event, 200, { 'content-type': ['application/octet-stream'] }, BYTES.toString('base64'), true)
    case 'cookies':
      return result(event, 200, { 'set-cookie': ['a=1; Path=/', 'b=2; HttpOnly', 'c=3; Expires=Wed, 21 Oct 2026 07:28:00 GMT'] }, '')
    case 'throw':
      throw new TypeError('boom')
    case 'never':
      return new Promise(() => {})
    case 'slow': {
      const start = performance.now()
      active++
      maxActive = Math.max(maxActive, active)
      await new Promise((resolve) => setTimeout(resolve, 60))
      active--
      spans.push({ start, end: performance.now() })
      return { statusCode: 200, body: name ?? '' }
    }
    case 'context':
      return { statusCode: 200, body: JSON.stringify(describeContext(context)) }
    case 'result':
      return REFUSED_RESULTS.get(name ?? '')
    case 'wrong-mode':
      return event.multiValueHeaders === undefined
        ? { statusCode: 200, multiValueHeaders: { 'x-lost': ['1'] }, body: 'ok' }
        : { statusCode: 200, headers: { 'x-lost': '1' }, body: 'ok' }
    case 'hop-by-hop':
      return { statusCode: 201, statusDescription: '201 Made It', headers: { 'content-length': '999', connection: 'close', 'transfer-encoding': 'chunked', 'x-kept': 'yes' }, body: 'four' }
    default:
      return { statusCode: 200, body: 'default' }
  }
}

function describeContext(context: Context) {
  return {
    functionName: context.functionName,
    functionVersion: context.functionVersion,
    invokedFunctionArn: context.invokedFunctionArn,
    memoryLimitInMB: context.memoryLimitInMB,
    awsRequestId: context.awsRequestId,
    logGroupName: context.logGroupName,
    logStreamName: context.logStreamName,
    callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop,
    remaining: context.getRemainingTimeInMillis(),
    methods: [typeof context.done, typeof context.fail, typeof context.succeed],
  }
}

async function start(multiValue: boolean, timeoutMs = 5_000): Promise<Harness> {
  const lines: string[] = []
  const server = await startDevServer({
    handler,
    port: 0,
    host: '127.0.0.1',
    multiValue,
    timeoutMs,
    targetGroupArn: TARGET_GROUP,
    log: (line) => lines.push(line),
  })
  return { server, lines }
}

let single: Harness
let multi: Harness
let quick: Harness

beforeAll(async () => {
  ;[single, multi, quick] = await Promise.all([start(false), start(true), start(false, 300)])
})
afterAll(async () => {
  await Promise.all([single, multi, quick].map((h) => h?.server.close()))
})
beforeEach(() => {
  invocations.length = 0
})

async function echo(harness: Harness, path: string, options: Omit<HttpRequestOptions, 'path'> = {}): Promise<ALBEvent> {
  const response = await send(harness.server.port, { path: `/echo${path}`, ...options })
  expect(response.status).toBe(200)
  return JSON.parse(response.body.toString('utf8')) as ALBEvent
}

describe('startDevServer: request → event', () => {
  // spec/alb.md §4.2: single-value mode keeps the last value of a repeated key or header.
  it('keeps the last value of repeated query keys and headers in single-value mode', async () => {
    const event = await echo(single, '?tag=a&expand=items&tag=b%20c', { headers: { 'X-Dup': ['first', 'second'] } })
    expect(event.queryStringParameters).toEqual({ tag: 'b%20c', expand: 'items' })
    expect(event.headers?.['x-dup']).toBe('second')
    expect(event.multiValueHeaders).toBeUndefined()
    expect(event.multiValueQueryStringParameters).toBeUndefined()
  })

  // spec/alb.md §4.2, §4.5: multi-value mode delivers every value in arrival order.
  it('delivers every value of repeated query keys and headers in multi-value mode', async () => {
    const event = await echo(multi, '?tag=a&expand=items&tag=b%20c', { headers: { 'X-Dup': ['first', 'second'] } })
    expect(event.multiValueQueryStringParameters).toEqual({ tag: ['a', 'b%20c'], expand: ['items'] })
    expect(event.multiValueHeaders?.['x-dup']).toEqual(['first', 'second'])
    expect(event.headers).toBeUndefined()
    expect(event.queryStringParameters).toBeUndefined()
  })

  // spec/alb.md §4.2: query keys and values arrive exactly as sent, never decoded.
  it('passes the query string still percent-encoded, + kept', async () => {
    const query = '?foo%5Ba%5D=foo%5B&q=a+b%2Bc&check=%E2%9C%93&empty=&bare'
    expect((await echo(single, query)).queryStringParameters).toEqual({
      'foo%5Ba%5D': 'foo%5B',
      q: 'a+b%2Bc',
      check: '%E2%9C%93',
      empty: '',
      bare: '',
    })
    expect((await echo(multi, query)).multiValueQueryStringParameters?.['foo%5Ba%5D']).toEqual(['foo%5B'])
    expect((await echo(single, '')).queryStringParameters).toEqual({})
  })

  // spec/alb.md §4.2: lower-case names and the four headers ALB always adds.
  it('lower-cases header names and adds x-forwarded-* and x-amzn-trace-id', async () => {
    const event = await echo(single, '', {
      headers: { 'X-Forwarded-For': '203.0.113.9', 'X-Forwarded-Proto': 'https', 'X-Custom-Name': 'v' },
    })
    const headers = event.headers as ALBEventHeaders
    expect(Object.keys(headers).every((name) => name === name.toLowerCase())).toBe(true)
    expect(headers['x-custom-name']).toBe('v')
    // append mode: the TCP peer goes last; the client's own proto is replaced by the listener's.
    expect(headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1')
    expect(headers['x-forwarded-proto']).toBe('http')
    expect(headers['x-forwarded-port']).toBe(String(single.server.port))
    expect(headers['x-amzn-trace-id']).toMatch(TRACE_ID)
    expect(headers['host']).toBe(`127.0.0.1:${single.server.port}`)
    expect(event.requestContext).toEqual({ elb: { targetGroupArn: TARGET_GROUP } })
    expect(event.httpMethod).toBe('GET')
    expect(event.path).toBe('/echo')
  })

  it('keeps the path exactly as sent', async () => {
    const event = JSON.parse((await send(single.server.port, { path: '/echo/a%2Fb/%25/x' })).body.toString()) as ALBEvent
    expect(event.path).toBe('/echo/a%2Fb/%25/x')
  })

  // spec/alb.md §4.3: content-type decides text or base64.
  it('sends a binary upload base64-encoded and a JSON upload as text', async () => {
    const binary = await echo(multi, '', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: BYTES })
    expect(binary.isBase64Encoded).toBe(true)
    expect(Buffer.from(binary.body as string, 'base64')).toEqual(BYTES)

    const json = await echo(single, '', { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"a":"✓"}' })
    expect(json).toMatchObject({ isBase64Encoded: false, body: '{"a":"✓"}' })

    const gzipped = await echo(single, '', { method: 'PUT', headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip' }, body: 'abc' })
    expect(gzipped).toMatchObject({ isBase64Encoded: true, body: Buffer.from('abc').toString('base64') })

    const form = await echo(single, '', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&b=2' })
    expect(form).toMatchObject({ isBase64Encoded: true, body: Buffer.from('a=1&b=2').toString('base64') })

    expect(await echo(single, '')).toMatchObject({ body: '', isBase64Encoded: false })
  })

  it('reads a chunked upload like one with a Content-Length', async () => {
    const event = await echo(single, '', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(200_000), chunked: true })
    expect(event.body).toBe('x'.repeat(200_000))
  })

  it('decodes UTF-8 header values', async () => {
    const event = await echo(multi, '', { headers: { 'x-name': Buffer.from('Zoë ✓').toString('latin1') } })
    expect((event.multiValueHeaders as ALBEventMultiValueHeaders)['x-name']).toEqual(['Zoë ✓'])
  })
})

describe('startDevServer: result → response', () => {
  it('decodes a base64 result to the exact bytes', async () => {
    const response = await fetch(`${single.server.url}/binary`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/octet-stream')
    expect(response.headers.get('content-length')).toBe('256')
    expect(Buffer.from(await response.arrayBuffer())).toEqual(BYTES)
  })

  // spec/alb.md §4.7: multi-value mode is how a Lambda sends several Set-Cookie headers.
  it('sends several Set-Cookie headers in multi-value mode', async () => {
    const response = await fetch(`${multi.server.url}/cookies`)
    expect(response.headers.getSetCookie()).toEqual([
      'a=1; Path=/',
      'b=2; HttpOnly',
      'c=3; Expires=Wed, 21 Oct 2026 07:28:00 GMT',
    ])
    const one = await fetch(`${single.server.url}/cookies`)
    expect(one.headers.getSetCookie()).toHaveLength(1)
  })

  // spec/alb.md §4.7: ALB reads only the field of the target group's mode.
  it('ignores headers in the other mode’s field and logs a note', async () => {
    for (const harness of [single, multi]) {
      const response = await send(harness.server.port, { path: '/wrong-mode' })
      expect(response.status).toBe(200)
      expect(response.headers['x-lost']).toBeUndefined()
      expect(harness.lines.at(-1)).toMatch(/note: (multiValueHeaders|headers) ignored/)
    }
  })

  // spec/alb.md §4.7: hop-by-hop headers are dropped and Content-Length is computed.
  it('drops hop-by-hop headers, computes Content-Length and uses statusDescription', async () => {
    const response = await send(single.server.port, { path: '/hop-by-hop', headers: { connection: 'keep-alive' } })
    expect(response.status).toBe(201)
    expect(response.statusMessage).toBe('Made It')
    expect(response.headers['content-length']).toEqual(['4'])
    expect(response.headers['transfer-encoding']).toBeUndefined()
    expect(response.headers['connection']).toEqual(['keep-alive'])
    expect(response.headers['x-kept']).toEqual(['yes'])
    expect(response.body.toString()).toBe('four')
  })

  it('answers HEAD without a body', async () => {
    const response = await send(single.server.port, { method: 'HEAD', path: '/hop-by-hop' })
    expect(response.status).toBe(201)
    expect(response.body.length).toBe(0)
  })

  // spec/alb.md §4.8: a function error is a 502 (LambdaUnhandled).
  it('answers 502 when the function throws and logs why', async () => {
    const response = await send(single.server.port, { path: '/throw' })
    expect(response.status).toBe(502)
    expect(response.headers['server']).toEqual(['awselb/2.0'])
    expect(response.body.toString()).toContain('<title>502 Bad Gateway</title>')
    expect(single.lines.find((line) => line.startsWith('GET /throw → 502 LambdaUnhandled: TypeError: boom'))).toBeDefined()
  })

  // spec/alb.md §4.8: the function hitting its timeout is a 502.
  it('answers 502 when the function exceeds its timeout', async () => {
    const started = performance.now()
    const response = await send(quick.server.port, { path: '/never' })
    expect(response.status).toBe(502)
    expect(performance.now() - started).toBeGreaterThanOrEqual(290)
    expect(quick.lines.at(-1)).toMatch(/^GET \/never → 502 LambdaUnhandled: Task timed out after 0\.30 seconds/)
  })

  // spec/alb.md §4.7: every refused result is a 502 naming ALB's error_reason.
  it.each(REFUSED.map(([name, , line]) => [name, line]))('answers 502 for an invalid result (%s) and logs why', async (name, line) => {
    const response = await send(single.server.port, { path: `/result/${name}` })
    expect(response.status).toBe(502)
    expect(single.lines.at(-1)).toContain(`GET /result/${name} → ${line}`)
  })
})

describe('startDevServer: what ALB answers itself', () => {
  // spec/alb.md §4.3, §4.8, §6 #15: more than 1,000,000 body bytes is a 413 and no invocation.
  it('answers 413 to a body over 1,000,000 bytes without invoking the function', async () => {
    const over = await send(single.server.port, { method: 'POST', path: '/echo', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(1_000_001) })
    expect(over.status).toBe(413)
    expect(invocations).toHaveLength(0)
    expect(single.lines.at(-1)).toMatch(/→ 413 LambdaRequestTooLarge: the request body is 1000001 bytes/)

    const chunked = await send(single.server.port, { method: 'POST', path: '/echo', body: Buffer.alloc(1_200_000), chunked: true })
    expect(chunked.status).toBe(413)
    expect(invocations).toHaveLength(0)

    const limit = await send(single.server.port, { method: 'POST', path: '/sink', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(1_000_000, 1) })
    expect(limit.status).toBe(200)
    expect(invocations).toHaveLength(1)
    // Buffer#equals: a deep toEqual over a megabyte takes seconds.
    expect(Buffer.from(invocations[0]!.body as string, 'base64').equals(Buffer.alloc(1_000_000, 1))).toBe(true)
  })

  it('answers 413 to an Expect: 100-continue upload over the limit before it is sent', async () => {
    const head = `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\nExpect: 100-continue\r\n\r\n`
    const response = await sendRaw(single.server.port, Buffer.from(head))
    expect(response.status).toBe(413)
    expect(invocations).toHaveLength(0)
  })

  it('lets an Expect: 100-continue upload within the limit through', async () => {
    const event = await echo(single, '', { method: 'POST', headers: { expect: '100-continue', 'content-type': 'text/plain' }, body: 'small' })
    expect(event.body).toBe('small')
  })

  // spec/alb.md §2.3: TRACE never reaches the rules or the function.
  it('answers TRACE with 405 without invoking the function', async () => {
    const response = await send(single.server.port, { method: 'TRACE', path: '/echo' })
    expect(response.status).toBe(405)
    expect(invocations).toHaveLength(0)
  })

  // spec/alb.md §4.1: WebSockets are not supported for Lambda targets.
  it('answers an Upgrade request with 400', async () => {
    const response = await send(single.server.port, { path: '/echo', headers: { connection: 'Upgrade', upgrade: 'websocket' } })
    expect(response.status).toBe(400)
    expect(invocations).toHaveLength(0)
  })

  // spec/alb.md §4.2: more than 30 X-Forwarded-For addresses is a 463.
  it('answers 463 to an X-Forwarded-For with more than 30 addresses', async () => {
    const addresses = (n: number) => Array.from({ length: n }, (_, i) => `10.0.0.${i}`).join(', ')
    expect((await send(single.server.port, { path: '/echo', headers: { 'x-forwarded-for': addresses(31) } })).status).toBe(463)
    expect(invocations).toHaveLength(0)
    const event = await echo(single, '', { headers: { 'x-forwarded-for': addresses(30) } })
    expect(event.headers?.['x-forwarded-for']).toBe(`${addresses(30)}, 127.0.0.1`)
  })

  // spec/alb.md §4.2, §4.8: LambdaBadRequest ("5XX"); the dev server answers 502.
  it('refuses headers and text bodies that are not UTF-8 with 502 LambdaBadRequest', async () => {
    const header = await send(single.server.port, { path: '/echo', headers: { 'x-bad': '\xff\xfe' } })
    expect(header.status).toBe(502)
    expect(single.lines.at(-1)).toMatch(/502 LambdaBadRequest: header x-bad is not valid UTF-8/)
    const invalid = Buffer.from([0x61, 0xff, 0x62])
    const text = await send(single.server.port, { method: 'POST', path: '/echo', headers: { 'content-type': 'text/plain' }, body: invalid })
    expect(text.status).toBe(502)
    expect(single.lines.at(-1)).toMatch(/502 LambdaBadRequest: request body has content-type text\/plain but is not valid UTF-8/)
    expect(invocations).toHaveLength(0)
    // Binary bodies are base64 and need not be UTF-8.
    const binary = await echo(single, '', { method: 'POST', headers: { 'content-type': 'image/png' }, body: invalid })
    expect(Buffer.from(binary.body as string, 'base64')).toEqual(invalid)
  })

  // spec/alb.md §1.5: a single header over 16 K is refused.
  it('answers 400 to a header field over 16 K', async () => {
    const response = await send(single.server.port, { path: '/echo', headers: { 'x-big': 'v'.repeat(17 * 1024) } })
    expect(response.status).toBe(400)
    expect(invocations).toHaveLength(0)
  })
})

describe('startDevServer: execution environment', () => {
  it('runs one invocation at a time, like one Lambda execution environment', async () => {
    spans.length = 0
    maxActive = 0
    const responses = await Promise.all([1, 2, 3, 4].map((n) => send(single.server.port, { path: `/slow/${n}` })))
    expect(responses.map((r) => r.body.toString())).toEqual(['1', '2', '3', '4'])
    expect(maxActive).toBe(1)
    const sorted = [...spans].sort((a, b) => a.start - b.start)
    for (let i = 1; i < sorted.length; i++) {
      expect(sorted[i]!.start).toBeGreaterThanOrEqual(sorted[i - 1]!.end)
    }
  })

  it('hands the function a Lambda-shaped context with a fresh request id', async () => {
    const read = async () => JSON.parse((await send(single.server.port, { path: '/context' })).body.toString()) as ReturnType<typeof describeContext>
    const [first, second] = [await read(), await read()]
    expect(first).toMatchObject({
      functionName: 'albatross-dev',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:albatross-dev',
      memoryLimitInMB: '128',
      logGroupName: '/aws/lambda/albatross-dev',
      callbackWaitsForEmptyEventLoop: true,
      methods: ['function', 'function', 'function'],
    })
    expect(first.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/)
    expect(first.awsRequestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(second.awsRequestId).not.toBe(first.awsRequestId)
    expect(first.remaining).toBeGreaterThan(4_000)
    expect(first.remaining).toBeLessThanOrEqual(5_000)
  })

  it('closes even while a client holds an upgraded or half-read connection open', async () => {
    const server = await startDevServer({ handler, port: 0, log: () => {} })
    const socket = connect(server.port, '127.0.0.1')
    const answered = new Promise((resolve) => socket.once('data', resolve))
    socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n')
    await answered
    const idle = connect(server.port, '127.0.0.1')
    await new Promise((resolve) => idle.once('connect', resolve))
    idle.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc')
    const closed = await Promise.race([server.close().then(() => 'closed'), new Promise((r) => setTimeout(r, 2_000, 'hung'))])
    socket.destroy()
    idle.destroy()
    expect(closed).toBe('closed')
  })

  it('calls the current handler of a handler reference on each request', async () => {
    const ref: { current: LambdaHandler } = { current: async () => ({ statusCode: 200, body: 'one' }) }
    const server = await startDevServer({ handler: ref, port: 0, log: () => {} })
    try {
      expect(await (await fetch(server.url)).text()).toBe('one')
      ref.current = async () => ({ statusCode: 200, body: 'two' })
      expect(await (await fetch(server.url)).text()).toBe('two')
    } finally {
      await server.close()
    }
  })
})

describe('startDevServer with an albatross app', () => {
  @Controller('/items')
  class Items {
    @Get('/{id}')
    get() {
      throw new Error('handled by the app')
    }

    @Post()
    create(@Body() body: unknown) {
      return reply(Buffer.from(JSON.stringify(body)), { status: 201, cookies: ['a=1', 'b=2'] })
    }
  }
  const app = createApp({
    controllers: [Items],
    defaultAction: { status: 404, body: 'nothing here', contentType: 'text/plain' },
    onError: () => {},
  })
  let server: DevServer
  const lines: string[] = []
  beforeAll(async () => {
    server = await startDevServer({ handler: app.handler, port: 0, multiValue: true, log: (line) => lines.push(line) })
  })
  afterAll(() => server.close())

  it('answers with the default action when no rule matches', async () => {
    const response = await fetch(`${server.url}/nowhere`)
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toBe('text/plain')
    expect(await response.text()).toBe('nothing here')
  })

  it('answers 500 from the app for a route error, not a 502', async () => {
    expect((await fetch(`${server.url}/items/7`)).status).toBe(500)
    expect(lines.at(-1)).toMatch(/^GET \/items\/7 → 500/)
  })

  it('round-trips a binary reply with several cookies', async () => {
    const response = await fetch(`${server.url}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":1}' })
    expect(response.status).toBe(201)
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect(await response.text()).toBe('{"n":1}')
  })
})
