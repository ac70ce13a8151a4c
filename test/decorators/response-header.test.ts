import type { ALBResult } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { Controller, Get, HttpError, ResponseHeader, albEvent, createApp, reply } from '../../src/index.js'

const MODES = [
  ['single', false],
  ['multi', true],
] as const
const headersOf = (result: ALBResult): Record<string, string> =>
  result.multiValueHeaders !== undefined
    ? Object.fromEntries(Object.entries(result.multiValueHeaders).map(([name, values]) => [name, values.join(', ')]))
    : ({ ...result.headers } as Record<string, string>)

describe('@ResponseHeader (DESIGN.md § The request pipeline: a response header, not a request condition)', () => {
  @Controller('/r')
  @ResponseHeader('x-service', 'orders')
  @ResponseHeader('cache-control', 'private')
  class Headers {
    @Get('/data')
    @ResponseHeader('cache-control', 'no-store')
    data() {
      return { ok: true }
    }

    @Get('/text')
    text() {
      return 'hi'
    }

    @Get('/empty')
    empty() {}

    @Get('/reply')
    @ResponseHeader('cache-control', 'no-store')
    replied() {
      return reply('r', { headers: { 'Cache-Control': 'max-age=60' } })
    }

    @Get('/fail')
    fail() {
      throw new HttpError(409, 'conflict')
    }
  }
  const app = createApp({ controllers: [Headers] })

  it.each(MODES)('adds class and method headers to a normal return, the method winning a shared name (%s-value)', async (_m, multiValue) => {
    const result = await app.handler(albEvent({ path: '/r/data', multiValue }))
    expect(result.statusCode).toBe(200)
    expect(headersOf(result)).toEqual({
      'content-type': 'application/json; charset=utf-8',
      'x-service': 'orders',
      'cache-control': 'no-store',
    })
  })

  it('adds the class headers to text and to a 204 without a body', async () => {
    expect(headersOf(await app.handler(albEvent({ path: '/r/text' })))).toMatchObject({ 'x-service': 'orders', 'cache-control': 'private' })
    const empty = await app.handler(albEvent({ path: '/r/empty' }))
    expect(empty.statusCode).toBe(204)
    expect(headersOf(empty)).toEqual({ 'x-service': 'orders', 'cache-control': 'private' })
  })

  it('lets a reply() header of the same name (in any case) win over the declared one', async () => {
    const result = await app.handler(albEvent({ path: '/r/reply' }))
    expect(headersOf(result)['Cache-Control']).toBe('max-age=60')
    expect(headersOf(result)['cache-control']).toBeUndefined()
    expect(headersOf(result)['x-service']).toBe('orders')
  })

  it('leaves error answers alone', async () => {
    const result = await app.handler(albEvent({ path: '/r/fail' }))
    expect(result.statusCode).toBe(409)
    expect(headersOf(result)).toEqual({ 'content-type': 'application/problem+json' })
  })

  it('is not a routing condition: the rule table has no http-header condition for it', () => {
    for (const rule of app.routes()) expect(rule.conditions.map((c) => c.type)).not.toContain('http-header')
  })

  it('refuses at createApp a header that could never be sent, naming the route', () => {
    @Controller()
    class Bad {
      @Get('/')
      @ResponseHeader('x bad', 'v')
      @ResponseHeader('x-split', 'a\r\nset-cookie: evil=1')
      m() {}
    }
    expect(() => createApp({ controllers: [Bad] })).toThrow(
      expect.objectContaining({
        problems: [
          { source: 'Bad.m', message: expect.stringMatching(/"x bad" is not an HTTP token/) },
          { source: 'Bad.m', message: expect.stringMatching(/x-split contains CR, LF or NUL/) },
        ],
      }),
    )
  })
})
