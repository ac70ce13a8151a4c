import type { ALBResult } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { Controller, Get, Post, createApp } from '../src/index.js'
import { albEvent } from '../src/testing.js'

// ALB has no CORS (issue #3 §8): the app answers preflights for the paths it serves and adds the
// CORS headers to responses, configurable per controller.

@Controller('/api')
class Api {
  @Get('/items') list() { return [] }
  @Post('/items') create() { return { ok: true } }
}

@Controller('/public', { cors: { origins: '*', credentials: false } })
class Public {
  @Get('/feed') feed() { return [] }
}

@Controller('/internal', { cors: false })
class Internal {
  @Get('/stats') stats() { return {} }
}

const app = createApp({
  controllers: [Api, Public, Internal],
  cors: { origins: ['https://app.example.com'], headers: ['content-type', 'x-tenant'], exposeHeaders: ['x-request-id'], credentials: true, maxAge: 600 },
})
const h = (r: ALBResult, name: string) => r.headers?.[name]
const preflight = (path: string, origin: string, method = 'POST') =>
  app.handler(albEvent({ method: 'OPTIONS', path, headers: { origin, 'access-control-request-method': method } }))

describe('CORS', () => {
  it('answers a preflight for a path and method the app serves, with every configured header', async () => {
    const r = await preflight('/api/items', 'https://app.example.com')
    expect(r.statusCode).toBe(204)
    expect(h(r, 'access-control-allow-origin')).toBe('https://app.example.com')
    expect(h(r, 'access-control-allow-methods')).toBe('POST')
    expect(h(r, 'access-control-allow-headers')).toBe('content-type, x-tenant')
    expect(h(r, 'access-control-allow-credentials')).toBe('true')
    expect(h(r, 'access-control-max-age')).toBe('600')
    expect(h(r, 'vary')).toBe('Origin')
  })

  it('grants nothing to an origin not on the list', async () => {
    const r = await preflight('/api/items', 'https://evil.example')
    expect(r.statusCode).toBe(204)
    expect(h(r, 'access-control-allow-origin')).toBeUndefined()
  })

  it('grants nothing for a method no route serves at that path', async () => {
    const r = await preflight('/api/items', 'https://app.example.com', 'DELETE')
    expect(h(r, 'access-control-allow-origin')).toBeUndefined()
  })

  it('lets a controller override the app settings', async () => {
    const r = await preflight('/public/feed', 'https://anyone.example', 'GET')
    expect(h(r, 'access-control-allow-origin')).toBe('*')
    expect(h(r, 'access-control-allow-credentials')).toBeUndefined()
  })

  it('lets a controller turn CORS off', async () => {
    const r = await preflight('/internal/stats', 'https://app.example.com', 'GET')
    expect(h(r, 'access-control-allow-origin')).toBeUndefined()
    const get = await app.handler(albEvent({ path: '/internal/stats', headers: { origin: 'https://app.example.com' } }))
    expect(h(get, 'access-control-allow-origin')).toBeUndefined()
  })

  it('adds the CORS headers to a normal response for an allowed origin', async () => {
    const r = await app.handler(albEvent({ path: '/api/items', headers: { origin: 'https://app.example.com' } }))
    expect(r.statusCode).toBe(200)
    expect(h(r, 'access-control-allow-origin')).toBe('https://app.example.com')
    expect(h(r, 'access-control-expose-headers')).toBe('x-request-id')
    expect(h(r, 'access-control-allow-credentials')).toBe('true')
  })

  it('routes an OPTIONS request without preflight headers like any other request', async () => {
    const r = await app.handler(albEvent({ method: 'OPTIONS', path: '/api/items' }))
    expect(r.statusCode).toBe(404)
  })

  it('puts the preflight rule first in the table, so ALB forwards preflights to the Lambda', () => {
    const [first] = app.routes()
    expect(first?.source).toBe('cors.preflight')
    expect(first?.priority).toBe(1)
  })
})
