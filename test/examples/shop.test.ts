import type { ALBResult } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { handler } from '../../examples/shop/app.js'
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
})
