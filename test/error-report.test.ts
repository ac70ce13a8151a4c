import { describe, expect, it, vi } from 'vitest'
import { AlbatrossError, Controller, Get, albEvent, createApp, reply, type ErrorInfo } from '../src/index.js'

// Issue #12 § 7: every onError report carries a stable `code` and a `level` that tells a
// response still sent (warning) from a request answered 500 (error).
describe('onError reports', () => {
  @Controller()
  class Reports {
    @Get('/boom') boom() { throw new Error('database down') }
    @Get('/cookies') cookies() { return reply('x', { cookies: ['a=1', 'b=2'] }) }
    @Get('/split') split() { return reply('x', { headers: { 'x-evil': 'a\r\nb' } }) }
    @Get('/huge') huge() { return 'x'.repeat(1_000_001) }
    @Get('/absent') absent() {
      return reply('x', { headers: { etag: undefined, 'x-null': null, 'x-list': ['a', undefined as never, 'b'] } })
    }
  }
  const reports: { error: unknown; info: ErrorInfo }[] = []
  const app = createApp({ controllers: [Reports], onError: (error, info) => void reports.push({ error, info }) })
  async function run(path: string, multiValue = false) {
    reports.length = 0
    const result = await app.handler(albEvent({ path, multiValue }))
    return { result, infos: reports.map((r) => ({ code: r.info.code, level: r.info.level, source: r.info.source })) }
  }

  it('reports a route that threw as ERR_ROUTE_FAILED, an error, naming the route', async () => {
    const { result, infos } = await run('/boom')
    expect(result.statusCode).toBe(500)
    expect(infos).toEqual([{ code: 'ERR_ROUTE_FAILED', level: 'error', source: 'Reports.boom' }])
  })

  it('reports a Set-Cookie dropped in single-value mode as a warning (spec/alb.md §4.2), the response still sent', async () => {
    const { result, infos } = await run('/cookies')
    expect(result.statusCode).toBe(200)
    expect(infos).toEqual([{ code: 'WARN_SET_COOKIE_DROPPED', level: 'warning', source: 'Reports.cookies' }])
    expect(reports[0]?.error).toBeInstanceOf(AlbatrossError)
    expect((reports[0]?.error as AlbatrossError).code).toBe('WARN_SET_COOKIE_DROPPED')
  })

  it('reports a header that would split as ERR_RESPONSE_HEADER, an error (answered 500)', async () => {
    const { result, infos } = await run('/split')
    expect(result.statusCode).toBe(500)
    expect(infos).toEqual([{ code: 'ERR_RESPONSE_HEADER', level: 'error', source: 'Reports.split' }])
  })

  it('reports a response over ALB\'s 1 MB as ERR_RESPONSE_TOO_LARGE (spec/alb.md §4.7)', async () => {
    const { result, infos } = await run('/huge', true)
    expect(result.statusCode).toBe(500)
    expect(infos).toMatchObject([{ code: 'ERR_RESPONSE_TOO_LARGE', level: 'error' }])
  })

  it('reports an event that cannot be read at all as ERR_HANDLER_FAILED', async () => {
    reports.length = 0
    const hostile = new Proxy({}, { get: () => { throw new Error('trap') }, has: () => { throw new Error('trap') } })
    const result = await app.handler(hostile as never)
    expect(result.statusCode).toBeGreaterThanOrEqual(400)
    expect(reports.map((r) => r.info)).toEqual([{ code: 'ERR_HANDLER_FAILED', level: 'error' }])
  })

  it('leaves out reply() header values that are undefined or null instead of sending "undefined"', async () => {
    for (const multiValue of [false, true]) {
      const { result, infos } = await run('/absent', multiValue)
      expect(result.statusCode).toBe(200)
      expect(infos).toEqual([])
      const text = JSON.stringify(result)
      expect(text).not.toMatch(/undefined|null|etag/)
      if (multiValue) expect(result.multiValueHeaders?.['x-list']).toEqual(['a', 'b'])
      else expect(result.headers?.['x-list']).toBe('a, b')
    }
  })

  // An async onError (a log shipper that awaits) is a void-returning hook to TypeScript. Its
  // rejection must not become an unhandled rejection: the Lambda runtime fails the invocation
  // for one (Runtime.UnhandledPromiseRejection), so ALB would answer 502 instead of our 500.
  it('answers 500 and leaves no unhandled rejection when an async onError rejects', async () => {
    const unhandled: unknown[] = []
    const listener = (reason: unknown) => void unhandled.push(reason)
    process.on('unhandledRejection', listener)
    try {
      const shipping = createApp({ controllers: [Reports], onError: async () => { throw new Error('log sink down') } })
      expect((await shipping.handler(albEvent({ path: '/boom' }))).statusCode).toBe(500)
      expect((await shipping.handler(albEvent({ path: '/cookies' }))).statusCode).toBe(200)
      // Unhandled rejections are detected after the microtask queue drains.
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', listener)
    }
  })

  it('logs warnings with console.warn and errors with console.error by default', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const plain = createApp({ controllers: [Reports] })
    await plain.handler(albEvent({ path: '/cookies' }))
    // The report names the route whose answer lost a cookie (#13: every route-produced report has its source).
    expect(warn).toHaveBeenCalledWith('[albatross]', 'WARN_SET_COOKIE_DROPPED', 'Reports.cookies', expect.any(AlbatrossError))
    expect(error).not.toHaveBeenCalled()
    await plain.handler(albEvent({ path: '/boom' }))
    expect(error).toHaveBeenCalledWith('[albatross]', 'ERR_ROUTE_FAILED', 'Reports.boom', expect.any(Error))
    warn.mockRestore()
    error.mockRestore()
  })
})
