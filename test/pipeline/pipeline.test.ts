import type { ALBResult } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import {
  Controller,
  FixedResponse,
  Get,
  HttpError,
  NotFoundError,
  Param,
  Post,
  Query,
  Redirect,
  Use,
  UnauthorizedError,
  albEvent,
  createApp,
  createParamDecorator,
  reply,
  type ErrorInfo,
  type Middleware,
  type RequestContext,
} from '../../src/index.js'
import { renderManifest } from '../../src/manifest/index.js'
import { evaluateTemplate, type ListenerRequest } from '../manifest/alb-evaluator.js'

const header = (result: ALBResult, name: string) => result.headers?.[name] ?? result.multiValueHeaders?.[name]?.join(', ')
const json = (result: ALBResult) => JSON.parse(result.body ?? '') as unknown
const MODES = [
  ['single', false],
  ['multi', true],
] as const

/** A middleware that appends its name to an `x-order` response header and to `ctx.state.order`. */
function mark(name: string): Middleware {
  const middleware: Middleware = async (ctx, next) => {
    ;((ctx.state['order'] ??= []) as string[]).push(name)
    const response = await next()
    const before = response.headers?.['x-order']
    return { ...response, headers: { ...response.headers, 'x-order': before === undefined ? name : `${String(before)},${name}` } }
  }
  Object.defineProperty(middleware, 'name', { value: name })
  return middleware
}

const Order = createParamDecorator((ctx) => (ctx.state['order'] as string[] | undefined)?.join('>') ?? '')

describe('middleware order (DESIGN.md § The request pipeline: app, then class, then method, outermost first)', () => {
  @Controller('/o')
  @Use(mark('class1'), mark('class2'))
  class Ordered {
    @Get('/m')
    @Use(mark('method1'))
    @Use(mark('method2'))
    m(@Order() order: string) {
      return { order }
    }

    @Get('/plain')
    plain(@Order() order: string) {
      return { order }
    }
  }
  const app = createApp({ controllers: [Ordered], use: [mark('app1'), mark('app2')] })

  it.each(MODES)('runs app → class → method going in and back out in reverse (%s-value headers)', async (_mode, multiValue) => {
    const result = await app.handler(albEvent({ path: '/o/m', multiValue }))
    expect(json(result)).toEqual({ order: 'app1>app2>class1>class2>method1>method2' })
    // Each appends on the way out, so the innermost comes first.
    expect(header(result, 'x-order')).toBe('method2,method1,class2,class1,app2,app1')
  })

  it('gives a method without @Use the app and class middleware only', async () => {
    expect(json(await app.handler(albEvent({ path: '/o/plain' })))).toEqual({ order: 'app1>app2>class1>class2' })
  })

  it('lists each rule\'s chain by function name', () => {
    const chains = Object.fromEntries(app.routes().map((rule) => [rule.source, app.middleware(rule)]))
    expect(chains).toEqual({
      'Ordered.m': ['app1', 'app2', 'class1', 'class2', 'method1', 'method2'],
      'Ordered.plain': ['app1', 'app2', 'class1', 'class2'],
    })
  })
})

describe('middleware reach: only where a per-route deployment would invoke the Lambda (spec/alb.md §1.6)', () => {
  @Controller()
  class Mixed {
    @Get('/forward')
    forward() {
      return { ok: true }
    }

    @Get('/fixed')
    @FixedResponse(418, 'teapot', 'text/plain')
    fixed() {}

    @Get('/moved')
    @Redirect({ path: '/forward', statusCode: 301 })
    moved() {}
  }
  const calls: string[] = []
  const counting: Middleware = async (ctx, next) => {
    calls.push(ctx.route.source)
    const response = await next()
    return { ...response, headers: { ...response.headers, 'x-lambda': 'yes' } }
  }
  const cors = { origins: ['https://shop.example.com'] }
  const withMiddleware = createApp({ controllers: [Mixed], use: [counting], cors })
  const without = createApp({ controllers: [Mixed], cors })
  const template = JSON.parse(
    renderManifest(withMiddleware.table, {
      format: 'cloudformation',
      mode: 'per-route',
      json: true,
      multiValueHeaders: false,
      defaultAction: withMiddleware.defaultAction,
    }),
  ) as unknown

  const requests: ListenerRequest[] = [
    { method: 'GET', path: '/forward', host: 'example.com', headers: [], query: [], sourceIp: '203.0.113.9' },
    { method: 'GET', path: '/fixed', host: 'example.com', headers: [], query: [], sourceIp: '203.0.113.9' },
    { method: 'GET', path: '/moved', host: 'example.com', headers: [], query: [], sourceIp: '203.0.113.9' },
    { method: 'GET', path: '/nowhere', host: 'example.com', headers: [], query: [], sourceIp: '203.0.113.9' },
    {
      method: 'OPTIONS',
      path: '/forward',
      host: 'example.com',
      headers: [
        ['origin', 'https://shop.example.com'],
        ['access-control-request-method', 'GET'],
      ],
      query: [],
      sourceIp: '203.0.113.9',
    },
  ]

  it.each(requests.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s: middleware runs exactly when the per-route rules forward it; otherwise the answer is the ALB\'s, unchanged',
    async (_name, request) => {
      const event = albEvent({ method: request.method, path: request.path, headers: [...request.headers] as [string, string][], host: request.host })
      const forwarded = evaluateTemplate(template, request).actions.some((action) => action['Type'] === 'forward')
      // The template forwards exactly the route and the preflight; the ALB answers the rest itself.
      expect(forwarded).toBe(request.path === '/forward')
      calls.length = 0
      const result = await withMiddleware.handler(structuredClone(event))
      expect(calls.length).toBe(forwarded ? 1 : 0)
      expect(header(result, 'x-lambda')).toBe(forwarded ? 'yes' : undefined)
      if (!forwarded) expect(result).toEqual(await without.handler(structuredClone(event)))
    },
  )

  it('does not run for ALB health checks answered without a route', async () => {
    calls.length = 0
    const result = await withMiddleware.handler(albEvent({ healthCheck: true }))
    expect(result.statusCode).toBe(200)
    expect(calls).toEqual([])
  })

  it('shows the preflight chain, and none for fixed-response and redirect rules', () => {
    expect(Object.fromEntries(withMiddleware.routes().map((rule) => [rule.source, withMiddleware.middleware(rule)]))).toEqual({
      'cors.preflight': ['counting'],
      'Mixed.fixed': [],
      'Mixed.forward': ['counting'],
      'Mixed.moved': [],
    })
  })
})

describe('per-request state', () => {
  const Tenant = createParamDecorator(function Tenant(ctx: RequestContext) {
    return ctx.state['tenant'] as string
  })
  const requireTenant: Middleware = async (ctx, next) => {
    const tenant = ctx.request.header('x-tenant')
    if (tenant === undefined) throw new UnauthorizedError('x-tenant is required')
    if (Object.keys(ctx.state).length !== 0) throw new Error(`state not fresh: ${JSON.stringify(ctx.state)}`)
    ctx.state['tenant'] = tenant
    // Yield so that concurrent invocations interleave between the middleware and the method.
    await new Promise((resolve) => setTimeout(resolve, Number(ctx.request.header('x-delay') ?? 0)))
    return next()
  }

  @Controller('/orders')
  @Use(requireTenant)
  class Orders {
    @Get('/{id}')
    async get(@Param('id') id: string, @Tenant() tenant: string) {
      await new Promise((resolve) => setTimeout(resolve, 1))
      return { id, tenant }
    }
  }
  const app = createApp({ controllers: [Orders] })

  it.each(MODES)('hands a custom parameter what the route\'s middleware left in ctx.state (%s-value headers)', async (_m, multiValue) => {
    const result = await app.handler(albEvent({ path: '/orders/7', headers: { 'x-tenant': 'acme' }, multiValue }))
    expect(json(result)).toEqual({ id: '7', tenant: 'acme' })
  })

  it('answers a middleware\'s HttpError as problem+json without calling the method', async () => {
    const result = await app.handler(albEvent({ path: '/orders/7' }))
    expect(result.statusCode).toBe(401)
    expect(json(result)).toMatchObject({ status: 401, detail: 'x-tenant is required' })
  })

  it('keeps 200 interleaved invocations apart: each sees a fresh state and only its own tenant', async () => {
    const events = Array.from({ length: 200 }, (_, i) =>
      albEvent({ path: `/orders/${i}`, headers: { 'x-tenant': `t${i}`, 'x-delay': String((i * 7) % 5) }, multiValue: i % 2 === 0 }),
    )
    const results = await Promise.all(events.map((event) => app.handler(event)))
    results.forEach((result, i) => expect(json(result)).toEqual({ id: String(i), tenant: `t${i}` }))
  })
})

describe('custom parameters', () => {
  const Upper = createParamDecorator((ctx, name: string) => ctx.request.header(name)?.toUpperCase())
  const Slow = createParamDecorator(async (ctx) => {
    await new Promise((resolve) => setTimeout(resolve, 1))
    return `slow:${ctx.route.source}:${ctx.route.rule.priority}`
  })
  const Refuse = createParamDecorator(() => {
    throw new HttpError(403, 'not you')
  })

  @Controller()
  class Custom {
    @Get('/upper')
    upper(@Upper('x-name') name: string | undefined, @Query('none', { type: String, optional: true }) _none?: string) {
      return { name: name ?? null }
    }

    @Get('/slow')
    slow(@Slow() value: string) {
      return { value }
    }

    @Get('/refuse')
    refuse(@Refuse() _value: unknown) {
      return { reached: true }
    }
  }
  const app = createApp({ controllers: [Custom] })

  it('passes the decorator\'s arguments after the context, without any middleware', async () => {
    expect(json(await app.handler(albEvent({ path: '/upper', headers: { 'x-name': 'ada' } })))).toEqual({ name: 'ADA' })
  })

  it('awaits a promise from the reader, which sees the route and its rule', async () => {
    const [rule] = app.routes().filter((r) => r.source === 'Custom.slow')
    expect(json(await app.handler(albEvent({ path: '/slow' })))).toEqual({ value: `slow:Custom.slow:${rule?.priority}` })
  })

  it('answers an HttpError thrown by the reader as usual', async () => {
    expect((await app.handler(albEvent({ path: '/refuse' }))).statusCode).toBe(403)
  })

  it('keeps routes without middleware or custom parameters off the pipeline (no chain)', () => {
    expect(app.routes().map((rule) => app.middleware(rule))).toEqual([[], [], []])
  })
})

describe('errors in the pipeline', () => {
  class Busy extends Error {}
  const reports: { error: unknown; info: ErrorInfo }[] = []
  const failing: Middleware = async (ctx, next) => {
    if (ctx.request.header('x-fail') === 'middleware') throw new Error('secret database password')
    if (ctx.request.header('x-fail') === 'http') throw new NotFoundError('gone')
    return next()
  }
  const twice: Middleware = async function twice(ctx, next) {
    if (ctx.request.header('x-twice') === undefined) return next()
    await next()
    return next()
  }
  const silent = (async (_ctx: RequestContext, next: () => Promise<unknown>) => {
    await next()
  }) as unknown as Middleware

  @Controller()
  @Use(failing, twice)
  class Failing {
    @Post('/run')
    run() {
      throw new Busy('internal detail')
    }

    @Get('/ok')
    ok() {
      return 'fine'
    }

    @Get('/silent')
    @Use(silent)
    quiet() {
      return 'lost'
    }
  }
  const app = createApp({ controllers: [Failing], onError: (error, info) => reports.push({ error, info }) })

  it.each(MODES)('answers a non-HttpError from a middleware with a bare 500, reported with the route\'s source (%s)', async (_m, multiValue) => {
    reports.length = 0
    const result = await app.handler(albEvent({ path: '/ok', headers: { 'x-fail': 'middleware' }, multiValue }))
    expect(result.statusCode).toBe(500)
    expect(result.body).not.toContain('secret')
    expect(json(result)).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500 })
    expect(reports).toHaveLength(1)
    expect(reports[0]?.info.source).toBe('Failing.ok')
    expect((reports[0]?.error as Error).message).toBe('secret database password')
  })

  it('answers an HttpError from a middleware with its status, unreported', async () => {
    reports.length = 0
    const result = await app.handler(albEvent({ path: '/ok', headers: { 'x-fail': 'http' } }))
    expect(result.statusCode).toBe(404)
    expect(reports).toEqual([])
  })

  it('answers the method\'s own error through the chain: 500, reported with its source', async () => {
    reports.length = 0
    const result = await app.handler(albEvent({ method: 'POST', path: '/run' }))
    expect(result.statusCode).toBe(500)
    expect(result.body).not.toContain('internal detail')
    expect(reports.map((r) => [r.info.source, (r.error as Error).message])).toEqual([['Failing.run', 'internal detail']])
  })

  it('answers next() called twice with a 500 whose report names the middleware', async () => {
    reports.length = 0
    const result = await app.handler(albEvent({ path: '/ok', headers: { 'x-twice': '1' } }))
    expect(result.statusCode).toBe(500)
    expect(reports.map((r) => [r.info.source, (r.error as { code?: string }).code])).toEqual([['Failing.ok', 'ERR_MIDDLEWARE_NEXT']])
  })

  it('answers a middleware that returns nothing with a 500 whose report says what to return', async () => {
    reports.length = 0
    const result = await app.handler(albEvent({ path: '/silent' }))
    expect(result.statusCode).toBe(500)
    expect((reports[0]?.error as Error).message).toMatch(/middleware silent on Failing\.quiet returned undefined: return the response of next\(\)/)
  })

  it('drops the body of a HEAD answer built by a middleware', async () => {
    const answer: Middleware = () => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'hello' })
    @Controller()
    class Head {
      @Get('/h')
      @Use(answer)
      h() {}
    }
    const result = await createApp({ controllers: [Head] }).handler(albEvent({ method: 'HEAD', path: '/h' }))
    expect(result.statusCode).toBe(200)
    expect(result.body).toBe('')
  })
})

describe('pipeline declarations checked at createApp', () => {
  it('refuses @Use or @ResponseHeader on a method without @Get/@Post/…, which would never run', () => {
    const pass: Middleware = (_ctx, next) => next()
    @Controller()
    class Forgot {
      @Use(pass)
      helper() {}
    }
    expect(() => createApp({ controllers: [Forgot] })).toThrow(
      expect.objectContaining({ problems: [{ source: 'Forgot.helper', message: 'Forgot.helper has routing decorators but no @Get/@Post/…/@All: add one' }] }),
    )
  })

  it('refuses a use entry or @Use argument that is not a function, naming where', () => {
    @Controller()
    class Bad {
      @Get('/')
      @Use('logger' as unknown as Middleware)
      m() {}
    }
    expect(() => createApp({ controllers: [Bad], use: [null as unknown as Middleware] })).toThrow(
      expect.objectContaining({
        name: 'RouteDeclarationError',
        problems: [
          { source: 'createApp({ use })', message: expect.stringMatching(/use\[0\] is a null, not a middleware function/) },
          { source: 'Bad.m', message: expect.stringMatching(/@Use got a string/) },
        ],
      }),
    )
  })
})

describe('every report about a route\'s answer names the route (onError info.source)', () => {
  @Controller()
  class Answers {
    @Get('/split')
    split() {
      return reply('x', { headers: { 'x-bad': 'a\r\nb' } })
    }

    @Get('/cookies')
    cookies() {
      return reply('x', { cookies: ['a=1', 'b=2'] })
    }

    @Get('/mw')
    @Use(function splitting(_ctx, next) {
      return next().then((response) => ({ ...response, headers: { 'x-bad': 'a\nb' } }))
    })
    mw() {
      return 'x'
    }
  }
  const reports: ErrorInfo[] = []
  const app = createApp({ controllers: [Answers], onError: (_error, info) => reports.push(info) })

  // The cookie case: single-value mode sends one Set-Cookie and warns (spec/alb.md §4.2).
  it.each([
    ['/split', false, 'Answers.split', 'ERR_RESPONSE_HEADER'],
    ['/mw', false, 'Answers.mw', 'ERR_RESPONSE_HEADER'],
    ['/cookies', false, 'Answers.cookies', undefined],
  ] as const)('GET %s: every report names the route', async (path, multiValue, source, code) => {
    reports.length = 0
    await app.handler(albEvent({ path, multiValue }))
    expect(reports.length).toBeGreaterThan(0)
    for (const info of reports) expect(info.source).toBe(source)
    if (code !== undefined) expect(reports.map((r) => r.code)).toContain(code)
  })
})

describe('chains are composed once, at createApp', () => {
  it('keeps the chain it composed: changing the use array afterwards changes nothing', async () => {
    const seen: string[] = []
    const first: Middleware = (ctx, next) => {
      seen.push('first')
      return next()
    }
    @Controller()
    class Once {
      @Get('/') m() {
        return 'ok'
      }
    }
    const use = [first]
    const app = createApp({ controllers: [Once], use })
    use.push(() => ({ status: 418 }))
    const result = await app.handler(albEvent({ path: '/' }))
    expect([result.statusCode, seen]).toEqual([200, ['first']])
    const [rule] = app.routes()
    expect(app.middleware(rule as never)).toBe(app.middleware(rule as never))
  })
})
