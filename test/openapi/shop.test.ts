import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
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

  it('documents @ResponseHeader on the success response', () => {
    expect(document.paths['/orders']?.post?.responses['201']).toMatchObject({
      headers: { 'cache-control': { schema: { type: 'string', const: 'no-store' } } },
    })
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

describe('the README excerpt', () => {
  it('is the real document, trimmed: each operation and schema it shows is exactly what app.openapi() writes', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const start = readme.indexOf('```yaml\n', readme.indexOf('A trimmed excerpt for the example app'))
    const excerpt = parseYaml(readme.slice(start + 8, readme.indexOf('```', start + 8))) as OpenApiDocument
    let shown = 0
    for (const [key, item] of Object.entries(excerpt.paths)) {
      for (const [method, op] of Object.entries(item)) {
        expect(op, `${method} ${key}`).toEqual((document.paths[key] as Record<string, unknown>)[method])
        shown++
      }
    }
    for (const [name, schema] of Object.entries(excerpt.components.schemas ?? {})) {
      expect(schema, name).toEqual(document.components.schemas?.[name])
      shown++
    }
    expect(shown).toBeGreaterThan(1)
  })
})
