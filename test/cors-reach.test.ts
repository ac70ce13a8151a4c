import type { ALBResult } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { Controller, Get, Header, Post, Put, createApp } from '../src/index.js'
import { buildManifest } from '../src/manifest/index.js'
import { albEvent } from '../src/testing.js'
import { evaluateTemplate, type ListenerRequest } from './manifest/alb-evaluator.js'

/*
 * Issue #11 item 9: a CORS preflight carries the real request's method and header *names*
 * (access-control-request-method, access-control-request-headers), never the header values, so a
 * route with an http-header condition (the README's first example:
 * `@Header('content-type', 'application/json*')`) must be found without them, or the browser
 * blocks the real request. Facts, from the Fetch standard:
 * - the preflight's access-control-request-headers lists the request's CORS-unsafe request-header
 *   names (https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names), which are every
 *   header that is not a CORS-safelisted request-header;
 * - content-type is safelisted only when its MIME type's essence is
 *   application/x-www-form-urlencoded, multipart/form-data or text/plain
 *   (https://fetch.spec.whatwg.org/#cors-safelisted-request-header), so a JSON body announces
 *   content-type and a text/plain body does not;
 * - the browser sends the real request only when access-control-allow-headers covers every
 *   announced name (https://fetch.spec.whatwg.org/#cors-preflight-fetch, "CORS-preflight fetch").
 * Before this, the preflight was matched with its own headers and such routes found none.
 */

const ORIGIN = 'https://app.example.com'

@Controller('/users')
class Users {
  @Post()
  @Header('content-type', 'application/json*')
  create() {
    return { ok: true }
  }
}

@Controller('/notes')
class Notes {
  @Post()
  @Header('content-type', 'text/plain*')
  plain() {
    return 'plain'
  }
}

@Controller('/beta')
class Beta {
  @Get('/feed')
  @Header('x-beta', 'on')
  beta() {
    return 'beta'
  }

  @Put('/only')
  @Header('x-beta', 'on')
  only() {
    return 'only'
  }
}

// Crawlers get no CORS; everyone else does. user-agent is set by the browser on the preflight and
// the real request alike, never announced.
@Controller('/bots', { cors: false })
class BotTrap {
  @Get('/page')
  @Header('user-agent', '*bot*')
  trap() {
    return 'trap'
  }
}

@Controller('/bots')
class BotPage {
  @Get('/page')
  page() {
    return 'page'
  }
}

const cors = { origins: [ORIGIN] }
const app = createApp({ controllers: [Users, Notes, Beta, BotTrap, BotPage], cors })
const configured = createApp({ controllers: [Users, Beta], cors: { origins: [ORIGIN], headers: ['x-tenant'] } })

const preflight = (a: typeof app, path: string, method: string, requestHeaders?: string, extra: Record<string, string> = {}) =>
  a.handler(
    albEvent({
      method: 'OPTIONS',
      path,
      multiValue: true,
      headers: {
        origin: ORIGIN,
        'access-control-request-method': method,
        ...(requestHeaders === undefined ? {} : { 'access-control-request-headers': requestHeaders }),
        ...extra,
      },
    }),
  )
// Multi-value events (the mode the app needs) are answered in multiValueHeaders.
const h = (r: ALBResult, name: string) => r.multiValueHeaders?.[name]?.join(', ') ?? r.headers?.[name]

describe('CORS preflights for routes with header conditions (issue #11 item 9)', () => {
  it("answers the README's first example: POST with a JSON body announces content-type", async () => {
    const r = await preflight(app, '/users', 'POST', 'content-type')
    expect(r.statusCode).toBe(204)
    expect(h(r, 'access-control-allow-origin')).toBe(ORIGIN)
    expect(h(r, 'access-control-allow-methods')).toBe('POST')
    expect(h(r, 'access-control-allow-headers')).toBe('content-type')
    // And the real request it admits reaches the route.
    const real = await app.handler(albEvent({ method: 'POST', path: '/users', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: '{}', multiValue: true }))
    expect(real.statusCode).toBe(200)
    expect(h(real, 'access-control-allow-origin')).toBe(ORIGIN)
  })

  it('grants nothing when content-type is not announced and the condition matches only non-safelisted types', async () => {
    // Without the announcement the body is text/plain, form-urlencoded or multipart: never application/json.
    const r = await preflight(app, '/users', 'POST')
    expect(h(r, 'access-control-allow-origin')).toBeUndefined()
  })

  it('counts a content-type condition matching a safelisted type as reachable without the announcement', async () => {
    const r = await preflight(app, '/notes', 'POST')
    expect(h(r, 'access-control-allow-origin')).toBe(ORIGIN)
  })

  it('counts a custom header condition as reachable when the header is announced, in any case and order', async () => {
    const r = await preflight(app, '/beta/only', 'PUT', 'X-Trace, X-Beta')
    expect(h(r, 'access-control-allow-origin')).toBe(ORIGIN)
    expect(h(r, 'access-control-allow-headers')).toBe('X-Trace, X-Beta')
    const unannounced = await preflight(app, '/beta/only', 'PUT', 'x-trace')
    expect(h(unannounced, 'access-control-allow-origin')).toBeUndefined()
  })

  it('adds the announced headers a reachable route needs to a configured allow-headers list', async () => {
    const r = await preflight(configured, '/users', 'POST', 'content-type, x-tenant')
    expect(h(r, 'access-control-allow-headers')).toBe('x-tenant, content-type')
    const beta = await preflight(configured, '/beta/feed', 'GET', 'x-beta')
    expect(h(beta, 'access-control-allow-headers')).toBe('x-tenant, x-beta')
  })

  it("judges a header the browser sets itself (user-agent) by the preflight's own value", async () => {
    const bot = await preflight(app, '/bots/page', 'GET', 'x-trace', { 'user-agent': 'crawlerbot/1.0' })
    expect(h(bot, 'access-control-allow-origin')).toBeUndefined()
    const browser = await preflight(app, '/bots/page', 'GET', 'x-trace', { 'user-agent': 'Mozilla/5.0' })
    expect(h(browser, 'access-control-allow-origin')).toBe(ORIGIN)
  })

  it('per-route manifests forward such a preflight to the Lambda: the preflight rule needs no header values', () => {
    // The same table as ALB rules: a preflight has origin and access-control-request-method,
    // never content-type, so the route's own rule cannot match it; the cors.preflight rule (method
    // OPTIONS + both headers present, on every path, first priority) does, and forwards it.
    const built = buildManifest(app.table, { format: 'cloudformation', mode: 'per-route', multiValueHeaders: true })
    const request: ListenerRequest = {
      method: 'OPTIONS',
      path: '/users',
      host: 'api.example.com',
      headers: [['origin', ORIGIN], ['access-control-request-method', 'POST'], ['access-control-request-headers', 'content-type']],
      query: [],
      sourceIp: '203.0.113.10',
    }
    const decision = evaluateTemplate(built.document, request)
    expect(decision.route).toBe('cors.preflight')
    expect(decision.actions).toEqual([{ Type: 'forward', TargetGroupArn: { Ref: 'DefaultTargetGroupArn' } }])
  })
})
