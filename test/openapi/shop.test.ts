import { describe, expect, it } from 'vitest'
import { app } from '../../examples/shop/app.js'
import { albEvent } from '../../src/testing.js'
import type { OpenApiDocument } from '../../src/openapi/index.js'
import { expectValidOpenApi, schemaValidator } from './valid-openapi.js'

const document: OpenApiDocument = await app.openapi({ title: 'shop', version: '1.0.0' })

describe('the example shop as OpenAPI 3.1', () => {
  it('validates', async () => {
    await expectValidOpenApi(document)
  })

  it('has one operation per route, merged where routes share a path and method', () => {
    const ids = Object.values(document.paths).flatMap((item) => Object.values(item).map((op) => op.operationId))
    const forwarded = app.routes().filter((r) => r.source !== 'cors.preflight').map((r) => r.source)
    // Products.getBeta differs from Products.get only by a header: one operation, two variants.
    expect(ids.sort()).toEqual(forwarded.filter((s) => s !== 'Products.getBeta').sort())
    const merged = document.paths['/products/{sku}']?.get
    expect(merged?.['x-albatross-conditions']).toEqual([
      { route: 'Products.getBeta', priority: expect.any(Number), conditions: [{ type: 'http-header', name: 'x-beta', values: ['on', 'true'] }] },
      { route: 'Products.get', priority: expect.any(Number), conditions: [] },
    ])
  })

  it('documents a body the app accepts as valid and one it answers 400 as invalid', async () => {
    const valid = schemaValidator(document)
    const good = { items: [{ sku: 'tee-1', qty: 2 }], shipping: 'express' }
    const bad = { items: [{ sku: '', qty: 0 }] }
    expect(valid('CreateOrder', good)).toBe(true)
    expect(valid('CreateOrder', bad)).toBe(false)
    expect((await app.handler(albEvent({ method: 'POST', path: '/orders', body: good }))).statusCode).toBe(201)
    expect((await app.handler(albEvent({ method: 'POST', path: '/orders', body: bad }))).statusCode).toBe(400)
  })
})
