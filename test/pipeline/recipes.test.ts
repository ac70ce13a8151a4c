import { Logger } from '@aws-lambda-powertools/logger'
import type { ALBResult } from 'aws-lambda'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  ConflictError,
  Controller,
  Get,
  NotFoundError,
  Param,
  Post,
  Use,
  UnauthorizedError,
  albEvent,
  createApp,
  createParamDecorator,
  type Middleware,
} from '../../src/index.js'

// The README's pipeline recipes, run for real. Each recipe's code is copied verbatim from the
// README section "Recipes" (keep the two in step); the tests pin what the README says it does.

const header = (result: ALBResult, name: string) => result.headers?.[name] ?? result.multiValueHeaders?.[name]?.join(', ')
const json = (result: ALBResult) => JSON.parse(result.body ?? '') as Record<string, unknown>
afterEach(() => vi.restoreAllMocks())

// ── Recipe: request logging with a correlation id ──────────────────────────────────────────
const requestLog: Middleware = async (ctx, next) => {
  // ALB adds `x-amzn-trace-id: Root=1-…` to every request; its Root is the request's id.
  const trace = ctx.request.header('x-amzn-trace-id') ?? ''
  const correlationId = /(?:^|;)Root=([^;]+)/.exec(trace)?.[1] ?? 'none'
  ctx.state.correlationId = correlationId
  const started = Date.now()
  try {
    const response = await next()
    console.info(JSON.stringify({ correlationId, route: ctx.route.source, status: response.status, ms: Date.now() - started }))
    return { ...response, headers: { ...response.headers, 'x-correlation-id': correlationId } }
  } catch (error) {
    console.info(JSON.stringify({ correlationId, route: ctx.route.source, error: String(error), ms: Date.now() - started }))
    throw error // answered as usual: HttpError status, else 500 through onError
  }
}

// ── Recipe: timing (server-timing) ─────────────────────────────────────────────────────────
const timing: Middleware = async (ctx, next) => {
  const started = performance.now()
  const response = await next()
  const duration = (performance.now() - started).toFixed(1)
  return { ...response, headers: { ...response.headers, 'server-timing': `app;dur=${duration}` } }
}

// ── Recipe: mapping domain errors to 404/409 ───────────────────────────────────────────────
class OrderNotFound extends Error {}
class OrderAlreadyShipped extends Error {}

const domainErrors: Middleware = async (ctx, next) => {
  try {
    return await next()
  } catch (error) {
    if (error instanceof OrderNotFound) throw new NotFoundError(error.message)
    if (error instanceof OrderAlreadyShipped) throw new ConflictError(error.message)
    throw error
  }
}

// ── Recipe: a tenant guard with a custom parameter ────────────────────────────────────────
const requireTenant: Middleware = (ctx, next) => {
  const tenant = ctx.request.header('x-tenant')
  if (tenant === undefined || !/^[a-z0-9-]{1,32}$/.test(tenant)) throw new UnauthorizedError('x-tenant is required')
  ctx.state.tenant = tenant
  return next()
}
const Tenant = createParamDecorator((ctx) => ctx.state.tenant as string)

// ── Recipe: Powertools Logger from a middleware (example only: not an albatross dependency) ──
const logger = new Logger({ serviceName: 'orders' })

const powertoolsLogging: Middleware = async (ctx, next) => {
  // A child logger per request: its keys cannot leak into a concurrent invocation's logs.
  const log = logger.createChild({
    persistentKeys: { route: ctx.route.source, correlation_id: ctx.request.header('x-amzn-trace-id') },
  })
  if (ctx.context !== undefined) log.addContext(ctx.context)
  ctx.state.log = log
  const response = await next()
  log.info('answered', { status: response.status })
  return response
}

@Controller('/orders')
@Use(requestLog, timing, domainErrors)
class Orders {
  @Get('/{id}')
  @Use(requireTenant)
  get(@Param('id') id: string, @Tenant() tenant: string) {
    if (id === 'missing') throw new OrderNotFound(`no order ${id} for ${tenant}`)
    return { id, tenant }
  }

  @Post('/{id}/cancel')
  cancel(@Param('id') id: string) {
    throw new OrderAlreadyShipped(`order ${id} has shipped`)
  }

  @Get('/{id}/boom')
  boom() {
    throw new TypeError('a bug')
  }
}

@Controller('/logged')
@Use(powertoolsLogging)
class Logged {
  @Get('/{id}')
  get(@Param('id') id: string) {
    return { id }
  }
}

const errors: unknown[] = []
const app = createApp({ controllers: [Orders, Logged], onError: (error) => errors.push(error) })
const TRACE = '1-5c536348-3d683b8b04734faae651f476'

describe('README recipes', () => {
  it('request logging: one line per request with the trace Root as correlation id, echoed as x-correlation-id', async () => {
    const lines: string[] = []
    vi.spyOn(console, 'info').mockImplementation((line: string) => void lines.push(line))
    const result = await app.handler(albEvent({ path: '/orders/7', headers: { 'x-tenant': 'acme' }, traceId: TRACE }))
    expect(header(result, 'x-correlation-id')).toBe(TRACE)
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      { correlationId: TRACE, route: 'Orders.get', status: 200, ms: expect.any(Number) },
    ])
  })

  it('request logging: an error is logged with its correlation id and still answered as usual', async () => {
    const lines: string[] = []
    vi.spyOn(console, 'info').mockImplementation((line: string) => void lines.push(line))
    const result = await app.handler(albEvent({ path: '/orders/7', traceId: TRACE }))
    expect(result.statusCode).toBe(401)
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ correlationId: TRACE, route: 'Orders.get', error: 'UnauthorizedError: x-tenant is required' })
  })

  it.each([false, true])('timing: adds server-timing app;dur=<ms> (multi-value: %s)', async (multiValue) => {
    vi.spyOn(console, 'info').mockImplementation(() => {})
    const result = await app.handler(albEvent({ path: '/orders/7', headers: { 'x-tenant': 'acme' }, multiValue }))
    expect(header(result, 'server-timing')).toMatch(/^app;dur=\d+\.\d$/)
  })

  it('domain errors: OrderNotFound is a 404 and OrderAlreadyShipped a 409, with their messages', async () => {
    vi.spyOn(console, 'info').mockImplementation(() => {})
    const missing = await app.handler(albEvent({ path: '/orders/missing', headers: { 'x-tenant': 'acme' } }))
    expect([missing.statusCode, json(missing)['detail']]).toEqual([404, 'no order missing for acme'])
    const shipped = await app.handler(albEvent({ method: 'POST', path: '/orders/9/cancel' }))
    expect([shipped.statusCode, json(shipped)['detail']]).toEqual([409, 'order 9 has shipped'])
  })

  it('domain errors: anything else stays a bare 500 through onError', async () => {
    vi.spyOn(console, 'info').mockImplementation(() => {})
    errors.length = 0
    const result = await app.handler(albEvent({ path: '/orders/9/boom' }))
    expect(result.statusCode).toBe(500)
    expect(result.body).not.toContain('a bug')
    expect(errors).toEqual([new TypeError('a bug')])
  })

  it('tenant guard: 401 without x-tenant; the method gets the tenant through @Tenant()', async () => {
    vi.spyOn(console, 'info').mockImplementation(() => {})
    expect((await app.handler(albEvent({ path: '/orders/7', headers: { 'x-tenant': 'Not Valid' } }))).statusCode).toBe(401)
    expect(json(await app.handler(albEvent({ path: '/orders/7', headers: { 'x-tenant': 'acme' } })))).toEqual({ id: '7', tenant: 'acme' })
  })

  it('Powertools Logger: one structured line per request carrying the route, correlation id and Lambda context', async () => {
    const written: string[] = []
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk))
      return true
    })
    const context = { functionName: 'orders-fn', awsRequestId: 'req-1', functionVersion: '$LATEST', memoryLimitInMB: '256', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders-fn' }
    await Promise.all([
      app.handler(albEvent({ path: '/logged/1', traceId: TRACE }), context as never),
      app.handler(albEvent({ path: '/logged/2', traceId: '1-5c536348-00000000000000000000002a' })),
    ])
    const entries = written.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(entries).toHaveLength(2)
    expect(entries[0]).toMatchObject({ level: 'INFO', message: 'answered', service: 'orders', route: 'Logged.get', status: 200, function_name: 'orders-fn', function_request_id: 'req-1' })
    expect(String(entries[0]?.['correlation_id'])).toContain(TRACE)
    // The second invocation ran concurrently without a context: none of the first's keys leaked in.
    expect(entries[1]).not.toHaveProperty('function_request_id')
    expect(String(entries[1]?.['correlation_id'])).toContain('00000000000000000000002a')
  })
})

describe('README § Recipes', () => {
  it('shows exactly the code these tests run', async () => {
    const { readFileSync } = await import('node:fs')
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const section = readme.slice(readme.indexOf('### Recipes'), readme.indexOf('### Controllers and their dependencies'))
    const self = readFileSync(new URL(import.meta.url), 'utf8')
    const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string)
    expect(blocks).toHaveLength(5)
    // Every declaration line of the README's blocks is in this file, so the two cannot drift.
    const lines = blocks.flatMap((b) => b.split('\n')).filter((l) => /^(const|class|  |\}|\s*if|\s*return)/.test(l) && !l.includes('/* … */') && !l.includes("@Get('/{id}') get"))
    expect(lines.length).toBeGreaterThan(30)
    expect(lines.filter((l) => !self.includes(l))).toEqual([])
  })
})
