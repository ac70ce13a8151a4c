import 'reflect-metadata'
import type { ALBResult } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { container } from 'tsyringe'
import { app, createShopApp, handler } from '../../examples/shop/app.js'
import { ORDER_REPO, type OrderRepo } from '../../examples/shop/orders-repo.js'
import { albEvent } from '../../src/testing.js'

const body = (r: ALBResult) => JSON.parse(r.body ?? '') as Record<string, unknown>
const call = (input: Parameters<typeof albEvent>[0]) => handler(albEvent(input))

describe('the example shop app', () => {
  it('binds repeated query keys and headers to DTO arrays in multi-value mode', async () => {
    const r = await call({
      path: '/products?tag=birds&tag=apparel&page=2&sort=price',
      multiValue: true,
      headers: [['x-feature', 'new-cart'], ['X-Feature', 'dark']],
    })
    expect(r.statusCode).toBe(200)
    expect(body(r)).toMatchObject({ page: 2, sort: 'price', features: ['new-cart', 'dark'] })
    expect((body(r)['items'] as { sku: string }[]).map((p) => p.sku)).toEqual(['tee-1'])
  })

  it('gives an array the one value ALB kept in single-value mode (the last)', async () => {
    const r = await call({ path: '/products?tag=apparel&tag=maps' })
    expect((body(r)['items'] as { sku: string }[]).map((p) => p.sku)).toEqual(['map-3'])
  })

  it('lists every invalid field of a nested body at once, with locations', async () => {
    const r = await call({ method: 'POST', path: '/orders', body: { items: [{ sku: '', qty: 0 }] } })
    expect(r.statusCode).toBe(400)
    expect(r.headers?.['content-type']).toMatch(/^application\/problem\+json/)
    const locations = (body(r)['errors'] as { location: string }[]).map((e) => e.location).sort()
    expect(locations).toEqual(['body.items[0].qty', 'body.items[0].sku'])
  })

  it('creates an order with 201, a location header and a cookie', async () => {
    const r = await call({ method: 'POST', path: '/orders', body: { items: [{ sku: 'tee-1', qty: 2 }] }, multiValue: true })
    expect(r.statusCode).toBe(201)
    expect(r.multiValueHeaders?.['location']).toEqual(['/orders/ord-1'])
    expect(r.multiValueHeaders?.['set-cookie']).toEqual(['last-order=ord-1; Path=/; HttpOnly'])
  })

  it('routes the beta header to its own method, case-insensitively (spec/alb.md §2.2)', async () => {
    expect(body(await call({ path: '/products/mug-2', headers: { 'x-beta': 'TRUE' } }))).toEqual({ sku: 'mug-2', beta: true })
    expect(body(await call({ path: '/products/mug-2' }))).toMatchObject({ name: 'Gliding mug' })
  })

  it('routes the admin host first by its explicit priority (spec/alb.md §2.1)', async () => {
    expect(body(await call({ path: '/products/tee-1', host: 'eu.admin.example.com' }))).toMatchObject({ admin: true })
  })

  it('serves the fixed response and the redirect as ALB would', async () => {
    expect((await call({ path: '/robots.txt' })).body).toMatch(/^User-agent/)
    const r = await call({ path: '/old-shop/x', host: 'shop.example.com' })
    expect([r.statusCode, r.headers?.['location']]).toEqual([301, 'https://shop.example.com/products'])
  })

  it('answers CORS preflights and decorates responses for allowed origins', async () => {
    const pre = await call({
      method: 'OPTIONS', path: '/orders',
      headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' },
    })
    expect(pre.statusCode).toBe(204)
    expect(pre.headers?.['access-control-allow-origin']).toBe('https://shop.example.com')
    const denied = await call({
      method: 'OPTIONS', path: '/orders',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(denied.headers?.['access-control-allow-origin']).toBeUndefined()
    const get = await call({ path: '/products/tee-1', headers: { origin: 'https://shop.example.com' } })
    expect(get.headers?.['access-control-allow-credentials']).toBe('true')
  })

  it('deletes only from internal addresses (source-ip, spec/alb.md §2.6)', async () => {
    expect((await call({ method: 'DELETE', path: '/orders/1', sourceIp: '10.2.3.4' })).statusCode).toBe(204)
    expect((await call({ method: 'DELETE', path: '/orders/1', sourceIp: '198.51.100.4' })).statusCode).toBe(404)
  })

  it('guards tenant-scoped orders: 401 without x-tenant, the route never runs', async () => {
    const r = await call({ path: '/orders/7' })
    expect(r.statusCode).toBe(401)
    expect(body(r)).toMatchObject({ status: 401, detail: expect.stringMatching(/x-tenant is required/) })
  })

  it.each([false, true])('gives the method the verified tenant through @Tenant(), with cache-control (multi-value: %s)', async (multiValue) => {
    const r = await call({ path: '/orders/7?expand=items', headers: { 'x-tenant': 'acme' }, multiValue })
    expect(r.statusCode).toBe(200)
    expect(body(r)).toEqual({ id: '7', tenant: 'acme', status: 'placed', expand: ['items'] })
    const header = (name: string) => r.headers?.[name] ?? r.multiValueHeaders?.[name]?.join(', ')
    expect(header('cache-control')).toBe('no-store')
  })

  it('echoes the trace id Root of every forwarded request as x-correlation-id (spec/alb.md §4.4), not for ALB-answered routes', async () => {
    const event = albEvent({ path: '/products/tee-1', traceId: '1-5c536348-3d683b8b04734faae651f476' })
    expect((await handler(event)).headers?.['x-correlation-id']).toBe('1-5c536348-3d683b8b04734faae651f476')
    expect((await call({ path: '/robots.txt' })).headers?.['x-correlation-id']).toBeUndefined()
  })

  it('lists each rule\'s middleware chain', () => {
    const chains = Object.fromEntries(app.routes().map((rule) => [rule.source, app.middleware(rule).join(' → ')]))
    expect(chains['Orders.get']).toBe('correlationId → requireTenant')
    expect(chains['Products.get']).toBe('correlationId')
    expect(chains['Site.robots']).toBe('')
    expect(chains['cors.preflight']).toBe('correlationId')
  })

  it('runs with a fake repository swapped in through a child container, the controllers untouched', async () => {
    const fake: OrderRepo = { find: (tenant, id) => (id === 'known' ? { id, tenant, status: 'fake' } : undefined) }
    const di = container.createChildContainer()
    di.register(ORDER_REPO, { useValue: fake })
    const shop = createShopApp(di)
    const known = await shop.handler(albEvent({ path: '/orders/known', headers: { 'x-tenant': 'acme' } }))
    expect(body(known)).toEqual({ id: 'known', tenant: 'acme', status: 'fake', expand: [] })
    expect((await shop.handler(albEvent({ path: '/orders/other', headers: { 'x-tenant': 'acme' } }))).statusCode).toBe(404)
  })
})
