import type { ALBEvent } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { albEvent, albEventFromRaw, DEFAULT_TARGET_GROUP_ARN } from '../../src/alb/build-event.js'
import { parseEvent } from '../../src/alb/parse-event.js'
import type { AlbRequest } from '../../src/alb/types.js'
import * as testing from '../../src/testing.js'
import { fixture, fixtureSuite, HAVE_FIXTURES } from './fixtures.js'

function parse(event: ALBEvent): AlbRequest {
  const request = parseEvent(event)
  if ('error' in request) throw new Error(request.error)
  return request
}

const TRACE = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/

describe('albEvent', () => {
  it('builds a single-value GET by default', () => {
    const event = albEvent()
    expect(event.httpMethod).toBe('GET')
    expect(event.path).toBe('/')
    expect(event.queryStringParameters).toEqual({})
    expect(event.headers).toEqual({
      host: 'lambda-alb-123578498.us-east-1.elb.amazonaws.com',
      'x-amzn-trace-id': expect.stringMatching(TRACE),
      'x-forwarded-for': '203.0.113.10',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
    })
    expect(event.body).toBe('')
    expect(event.isBase64Encoded).toBe(false)
    expect(event.requestContext.elb.targetGroupArn).toBe(DEFAULT_TARGET_GROUP_ARN)
    expect(event).not.toHaveProperty('multiValueHeaders')
    expect(event).not.toHaveProperty('multiValueQueryStringParameters')
  })

  it('round-trips through parseEvent in both modes', () => {
    for (const multiValue of [false, true]) {
      const request = parse(
        albEvent({
          method: 'PATCH',
          path: '/users/42?fields=a%2Cb',
          query: { tag: ['x y', 'z'] },
          headers: { 'X-Tenant': 'acme', Accept: 'application/json' },
          body: { name: 'Ada' },
          multiValue,
          sourceIp: '198.51.100.7',
          host: 'api.example.com',
          targetGroupArn: 'arn:tg',
        }),
      )
      expect(request.mode).toBe(multiValue ? 'multi' : 'single')
      expect(request.method).toBe('PATCH')
      expect(request.path).toBe('/users/42')
      // Single-value mode keeps only the last `tag` (spec/alb.md §4.2).
      expect(request.queryPairs).toEqual([
        { key: 'fields', value: 'a%2Cb' },
        ...(multiValue ? [{ key: 'tag', value: 'x%20y' }] : []),
        { key: 'tag', value: 'z' },
      ])
      expect(request.header('x-tenant')).toBe('acme')
      expect(request.header('content-type')).toBe('application/json')
      expect(request.header('content-length')).toBe('14')
      expect(request.host).toBe('api.example.com')
      expect(request.sourceIp).toBe('198.51.100.7')
      expect(request.targetGroupArn).toBe('arn:tg')
      expect(request.isHealthCheck).toBe(false)
      expect(request.body).toBe('{"name":"Ada"}')
      expect(request.isBase64Encoded).toBe(false)
    }
  })

  it('builds the same event for the same input', () => {
    const input = { method: 'POST', path: '/a?b=1', body: 'x' }
    expect(albEvent(input)).toEqual(albEvent(input))
    expect(albEvent({ path: '/a' }).headers?.['x-amzn-trace-id']).not.toBe(
      albEvent({ path: '/b' }).headers?.['x-amzn-trace-id'],
    )
  })

  // spec/alb.md §4.2: single-value mode keeps the last duplicate, multi-value mode all of them.
  it('keeps the last duplicate query value and header in single-value mode', () => {
    const event = albEvent({ path: '/?a=1&a=2&b', headers: [['Cookie', 's=1'], ['cookie', 's=2']] })
    expect(event.queryStringParameters).toEqual({ a: '2', b: '' })
    expect(event.headers?.['cookie']).toBe('s=2')
  })

  it('keeps every duplicate in arrival order in multi-value mode', () => {
    const event = albEvent({
      path: '/?a=1&a=2&b',
      headers: { cookie: ['s=1', 's=2'] },
      multiValue: true,
    })
    expect(event.multiValueQueryStringParameters).toEqual({ a: ['1', '2'], b: [''] })
    expect(event.multiValueHeaders?.['cookie']).toEqual(['s=1', 's=2'])
    expect(event.multiValueHeaders?.['x-forwarded-for']).toEqual(['203.0.113.10'])
  })

  it('sends {} for an absent query in either mode', () => {
    expect(albEvent().queryStringParameters).toEqual({})
    expect(albEvent({ multiValue: true }).multiValueQueryStringParameters).toEqual({})
  })

  // spec/alb.md §4.2: ALB passes keys and values exactly as received, `+` included.
  it('keeps a raw query string encoded', () => {
    const event = albEvent({ path: '/search', query: 'q=a+b%20c&foo%5Ba%5D=foo%5B&&flag' })
    expect(event.queryStringParameters).toEqual({ q: 'a+b%20c', 'foo%5Ba%5D': 'foo%5B', flag: '' })
  })

  it('encodes keys and values of a query object', () => {
    const event = albEvent({ query: { 'k[]': ['1', '2'], q: 'a b&c=d' }, multiValue: true })
    expect(event.multiValueQueryStringParameters).toEqual({
      'k%5B%5D': ['1', '2'],
      q: ['a%20b%26c%3Dd'],
    })
  })

  it('joins a query in the path with the query option', () => {
    const event = albEvent({ path: '/p?a=1', query: '?b=2' })
    expect(event.queryStringParameters).toEqual({ a: '1', b: '2' })
  })

  it('keeps a __proto__ query key as an own property', () => {
    const event = albEvent({ query: '__proto__=x&a=1' })
    expect(Object.getPrototypeOf(event.queryStringParameters)).toBe(Object.prototype)
    expect(Object.keys(event.queryStringParameters ?? {})).toEqual(['__proto__', 'a'])
    expect(parse(event).queryPairs[0]).toEqual({ key: '__proto__', value: 'x' })
  })

  it('lower-cases and sorts header names like real ALB events', () => {
    const event = albEvent({ headers: { 'User-Agent': 'curl/8.5.0', Accept: '*/*', 'X-B': '1' } })
    const names = Object.keys(event.headers ?? {})
    expect(names).toEqual([...names].sort())
    expect(names).toContain('user-agent')
    expect(names.every((n) => n === n.toLowerCase())).toBe(true)
  })

  // spec/alb.md §4.2: in append mode ALB adds the peer as the last x-forwarded-for element.
  it('appends the source IP to an existing x-forwarded-for', () => {
    const event = albEvent({ headers: { 'X-Forwarded-For': '10.0.0.1' }, sourceIp: '192.0.2.9' })
    expect(event.headers?.['x-forwarded-for']).toBe('10.0.0.1, 192.0.2.9')
    expect(parse(event).sourceIp).toBe('192.0.2.9')
  })

  it('states protocol and port itself instead of the client', () => {
    const event = albEvent({
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-port': '1' },
      protocol: 'http',
    })
    expect(event.headers?.['x-forwarded-proto']).toBe('http')
    expect(event.headers?.['x-forwarded-port']).toBe('80')
    expect(albEvent({ port: 8443 }).headers?.['x-forwarded-port']).toBe('8443')
  })

  it('replaces the host header with the host option and keeps a given host otherwise', () => {
    const headers = { Host: 'a.example.com' }
    expect(albEvent({ headers }).headers?.['host']).toBe('a.example.com')
    expect(albEvent({ headers, host: 'b.example.com:8443' }).headers?.['host']).toBe(
      'b.example.com:8443',
    )
  })

  it('rejects a path without a leading slash', () => {
    expect(() => albEvent({ path: 'users' })).toThrow(/must start with "\/"/)
  })

  // spec/alb.md §4.6: the health-check event carries only the user agent.
  it('builds the health-check event in both modes', () => {
    const single = albEvent({ healthCheck: true, headers: { host: 'x' }, sourceIp: '1.1.1.1' })
    expect(single.headers).toEqual({ 'user-agent': 'ELB-HealthChecker/2.0' })
    expect(single.queryStringParameters).toEqual({})
    const multi = albEvent({ healthCheck: true, multiValue: true, path: '/health' })
    expect(multi.multiValueHeaders).toEqual({ 'user-agent': ['ELB-HealthChecker/2.0'] })
    expect(multi.path).toBe('/health')
    expect(parse(single).isHealthCheck).toBe(true)
    expect(parse(multi).isHealthCheck).toBe(true)
  })

  it('is what albatross/testing exports (which adds only token support: `user` with `app`)', () => {
    const input = { method: 'POST', path: '/a?b=1', headers: { 'x-a': ['1', '2'] }, body: { c: 3 }, multiValue: true }
    expect(testing.albEvent(input)).toEqual(albEvent(input))
    expect(Object.keys(testing)).toEqual(['albEvent'])
  })
})

describe('albEvent body encoding', () => {
  // spec/alb.md §4.3: content-encoding ⇒ base64; text/*, json, javascript, xml ⇒ text; else
  // base64. Parameters and case are ignored [inf].
  it.each([
    ['text/plain', false],
    ['text/html; charset=utf-8', false],
    ['TEXT/CSV', false],
    ['application/json', false],
    ['application/json; charset=utf-8', false],
    ['application/javascript', false],
    ['application/xml', false],
    ['application/x-www-form-urlencoded', true],
    ['multipart/form-data; boundary=x', true],
    ['application/vnd.api+json', true],
    ['application/octet-stream', true],
    ['image/png', true],
  ])('sends a body with content-type %s as base64: %s', (contentType, isBase64) => {
    const headers = { 'content-type': contentType }
    const event = albEvent({ method: 'POST', headers, body: 'a=1' })
    expect(event.isBase64Encoded).toBe(isBase64)
    expect(event.body).toBe(isBase64 ? Buffer.from('a=1').toString('base64') : 'a=1')
  })

  it('sends a body without content-type as base64', () => {
    const event = albEvent({ method: 'POST', body: 'hello' })
    expect(event).toMatchObject({ body: 'aGVsbG8=', isBase64Encoded: true })
  })

  it('sends a body with content-encoding as base64 even when the type is text', () => {
    const event = albEvent({
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: new Uint8Array([0x1f, 0x8b, 0x08]),
    })
    expect(event).toMatchObject({ body: 'H4sI', isBase64Encoded: true })
  })

  it('sends an empty body as "" with isBase64Encoded false', () => {
    const empty = { body: '', isBase64Encoded: false }
    expect(albEvent({ method: 'POST', body: '' })).toMatchObject(empty)
    expect(albEvent({ body: new Uint8Array(0) })).toMatchObject(empty)
    expect(albEvent({ body: '' }).headers).not.toHaveProperty('content-length')
  })

  it('sends an object as JSON text with content-type application/json', () => {
    const event = albEvent({ method: 'POST', body: { a: [1, 2] } })
    expect(event).toMatchObject({ body: '{"a":[1,2]}', isBase64Encoded: false })
    expect(event.headers?.['content-type']).toBe('application/json')
    expect(event.headers?.['content-length']).toBe('11')
  })

  it('keeps a given content-type for an object body', () => {
    const headers = { 'Content-Type': 'application/vnd.api+json' }
    const event = albEvent({ method: 'POST', headers, body: {} })
    expect(event).toMatchObject({ body: 'e30=', isBase64Encoded: true })
  })

  it('refuses a text-typed body that is not UTF-8, as ALB does', () => {
    expect(() =>
      albEvent({
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: new Uint8Array([0xff]),
      }),
    ).toThrow(/not valid UTF-8.*LambdaBadRequest/)
  })
})

describe('albEventFromRaw', () => {
  const base = {
    method: 'GET',
    path: '/',
    rawQuery: '',
    headers: [] as Array<[string, string]>,
    peerAddress: '192.0.2.1',
    mode: 'single' as const,
  }

  it('generates a fresh time-based trace id per request', () => {
    const a = albEventFromRaw(base).headers?.['x-amzn-trace-id'] as string
    const b = albEventFromRaw(base).headers?.['x-amzn-trace-id'] as string
    expect(a).toMatch(TRACE)
    expect(a).not.toBe(b)
    const seconds = parseInt(a.slice(7, 15), 16)
    expect(Math.abs(seconds - Date.now() / 1000)).toBeLessThan(60)
  })

  // AWS docs, "Request tracing for your Application Load Balancer" (the examples there).
  const ROOT = 'Root=1-67891233-abcdef012345678912345678'
  const SELF = 'Self=1-00000000-000000000000000000000000'
  it.each([
    [ROOT, `${SELF};${ROOT}`],
    [`${ROOT};CalledFrom=app`, `${SELF};${ROOT};CalledFrom=app`],
    ['Self=1-1-1;Root=1-2-2', `${SELF};Root=1-2-2`],
    ['CalledFrom=app', 'Root=1-00000000-000000000000000000000000;CalledFrom=app'],
  ])('updates a client trace header %j as ALB does', (sent, forwarded) => {
    const event = albEventFromRaw({
      ...base,
      headers: [['X-Amzn-Trace-Id', sent]],
      traceId: '1-00000000-000000000000000000000000',
    })
    expect(event.headers?.['x-amzn-trace-id']).toBe(forwarded)
  })

  it('reports an IPv4 peer of a dual-stack socket without the ::ffff: prefix', () => {
    const forwardedFor = (peerAddress: string) =>
      albEventFromRaw({ ...base, peerAddress }).headers?.['x-forwarded-for']
    expect(forwardedFor('::ffff:127.0.0.1')).toBe('127.0.0.1')
    expect(forwardedFor('::1')).toBe('::1')
  })

  it('joins repeated x-forwarded-for headers before appending the peer', () => {
    const event = albEventFromRaw({
      ...base,
      mode: 'multi',
      headers: [['x-forwarded-for', '10.0.0.1'], ['X-Forwarded-For', '10.0.0.2']],
    })
    expect(event.multiValueHeaders?.['x-forwarded-for']).toEqual(['10.0.0.1, 10.0.0.2, 192.0.2.1'])
  })

  // spec/alb.md §4.4 and §4.5: the same request in both modes, field for field.
  it('reproduces the spec examples exactly', () => {
    const request = {
      method: 'POST',
      path: '/orders/42',
      rawQuery: 'expand=items&tag=a&tag=b%20c',
      headers: [
        ['Host', 'api.example.com'],
        ['User-Agent', 'curl/8.5.0'],
        ['Content-Type', 'application/json'],
        ['Cookie', 's=1'],
        ['Cookie', 's=2'],
      ] as Array<[string, string]>,
      body: Buffer.from('{"qty":1}'),
      peerAddress: '198.51.100.7',
      targetGroupArn:
        'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders/6d0ecf831eec9f09',
      traceId: '1-5c536348-3d683b8b04734faae651f476',
    }
    const requestContext = { elb: { targetGroupArn: request.targetGroupArn } }
    const single = albEventFromRaw({ ...request, mode: 'single' })
    expect(JSON.stringify(single)).toBe(
      JSON.stringify({
        requestContext,
        httpMethod: 'POST',
        path: '/orders/42',
        queryStringParameters: { expand: 'items', tag: 'b%20c' },
        headers: {
          'content-type': 'application/json',
          cookie: 's=2',
          host: 'api.example.com',
          'user-agent': 'curl/8.5.0',
          'x-amzn-trace-id': 'Root=1-5c536348-3d683b8b04734faae651f476',
          'x-forwarded-for': '198.51.100.7',
          'x-forwarded-port': '443',
          'x-forwarded-proto': 'https',
        },
        body: '{"qty":1}',
        isBase64Encoded: false,
      }),
    )
    const multi = albEventFromRaw({ ...request, mode: 'multi' })
    expect(JSON.stringify(multi)).toBe(
      JSON.stringify({
        requestContext,
        httpMethod: 'POST',
        path: '/orders/42',
        multiValueQueryStringParameters: { expand: ['items'], tag: ['a', 'b%20c'] },
        multiValueHeaders: {
          'content-type': ['application/json'],
          cookie: ['s=1', 's=2'],
          host: ['api.example.com'],
          'user-agent': ['curl/8.5.0'],
          'x-amzn-trace-id': ['Root=1-5c536348-3d683b8b04734faae651f476'],
          'x-forwarded-for': ['198.51.100.7'],
          'x-forwarded-port': ['443'],
          'x-forwarded-proto': ['https'],
        },
        body: '{"qty":1}',
        isBase64Encoded: false,
      }),
    )
  })
})

describe.skipIf(!HAVE_FIXTURES)(fixtureSuite('albEvent against real ALB events'), () => {
  function shape(event: unknown): unknown {
    const e = event as Record<string, unknown>
    return {
      keys: Object.keys(e),
      requestContext: Object.keys(e['requestContext'] as object),
      elb: Object.keys((e['requestContext'] as { elb: object }).elb),
      types: Object.keys(e).map((k) => (Array.isArray(e[k]) ? 'array' : typeof e[k])),
    }
  }
  const ALB_HEADERS = [
    'host',
    'x-amzn-trace-id',
    'x-forwarded-for',
    'x-forwarded-port',
    'x-forwarded-proto',
  ]

  it('has the fields, key order and ALB headers of a real single-value event', () => {
    const real = fixture('aws-lambda-go__alb-request-single-value.json')
    const built = albEvent({ query: { key: 'hello' } })
    expect(shape(built)).toEqual(shape(real))
    const realHeaders = Object.keys(real['headers'] as object)
    for (const name of ALB_HEADERS) {
      expect(realHeaders).toContain(name)
      expect(typeof built.headers?.[name]).toBe('string')
    }
    expect(built.headers?.['x-amzn-trace-id']).toMatch(TRACE)
    expect((real['headers'] as Record<string, string>)['x-amzn-trace-id']).toMatch(TRACE)
  })

  it('has the fields, key order and ALB headers of a real multi-value event', () => {
    const real = fixture('aws-lambda-go__alb-request-multivalue.json')
    const built = albEvent({ query: { key: 'hello' }, multiValue: true })
    expect(shape(built)).toEqual(shape(real))
    const realHeaders = real['multiValueHeaders'] as Record<string, unknown>
    for (const name of ALB_HEADERS) {
      expect(Array.isArray(realHeaders[name])).toBe(true)
      expect(built.multiValueHeaders?.[name]).toHaveLength(1)
    }
    expect(built.multiValueQueryStringParameters).toEqual(real['multiValueQueryStringParameters'])
  })

  it('builds the real health-check event exactly', () => {
    const real = fixture('aws-lambda-rust-runtime__alb-health-check.json')
    const arn = (real['requestContext'] as { elb: { targetGroupArn: string } }).elb.targetGroupArn
    const built = albEvent({ healthCheck: true, targetGroupArn: arn })
    expect(JSON.stringify(built)).toBe(JSON.stringify(real))
  })

  it('builds the base64 form body of a real POST', () => {
    const real = fixture('elastic-apm-nodejs__alb-request-post-base64-form-body.json')
    const built = albEvent({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'ham=eggs&myToken=sekrit',
    })
    expect(built.body).toBe(real['body'])
    expect(built.isBase64Encoded).toBe(true)
    const realHeaders = real['headers'] as Record<string, string>
    expect(built.headers?.['content-length']).toBe(realHeaders['content-length'])
  })
})
