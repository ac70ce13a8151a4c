import type { ALBResult } from 'aws-lambda'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { SHAPES, growthEvent } from '../../bench/growth-bodies.mjs'
import { handler } from '../../bench/growth-app.js'
import { decodeForm } from '../../src/binding/decode.js'
import { ISSUES_MAX } from '../../src/binding/bind-context.js'
import { NESTED_OBJECTS_MAX } from '../../src/binding/nested-limit.js'

// Issue #12 § 4–5: work linear in the body, memory bounded, errors small. The worst-case bodies
// of bench/growth-bodies.mjs (which `npm run bench:growth` times) are answered here at a size
// that keeps the suite quick; what is asserted are counts — answers, errors, characters scanned,
// elements compared — never times. ALBATROSS_GROWTH_BYTES sizes the bodies (default 200 KB).
const BYTES = Number(process.env['ALBATROSS_GROWTH_BYTES'] ?? 200_000)

type Shape = { path: string; contentType: string; base64?: boolean; body: (size: number) => string }
const shapes = SHAPES as Record<string, Shape>

async function answer(name: string, size = BYTES): Promise<ALBResult & { json: Record<string, unknown> | undefined }> {
  const shape = shapes[name] as Shape
  const result = (await handler(growthEvent(shape, shape.body(size)) as never)) as ALBResult
  let json: Record<string, unknown> | undefined
  try {
    json = JSON.parse(result.body ?? '') as Record<string, unknown>
  } catch {
    json = undefined
  }
  return { ...result, json }
}

afterEach(() => vi.restoreAllMocks())

describe('worst-case bodies of every route shape', () => {
  it.each(Object.keys(SHAPES))('answers %s without a 500, in a small answer', async (name) => {
    const result = await answer(name)
    expect(result.statusCode).toBeLessThan(500)
    // Issue #12 § 5: the 400 stays well under ALB's 1 MB response limit.
    expect(result.body?.length ?? 0).toBeLessThan(32_000)
    const errors = result.json?.['errors']
    if (Array.isArray(errors)) expect(errors.length).toBeLessThanOrEqual(ISSUES_MAX)
  })

  it('lists at most 100 errors of an array of invalid items, and how many more it found', async () => {
    const result = await answer('dto-array-invalid')
    expect(result.statusCode).toBe(400)
    expect(result.json?.['errors']).toHaveLength(ISSUES_MAX)
    expect(result.json?.['errorsOmitted']).toBeGreaterThan(0)
    expect(result.json?.['errors']).toContainEqual(expect.objectContaining({ location: 'body[0].sku', constraint: 'isString' }))
  })

  it(`refuses more than ${NESTED_OBJECTS_MAX} nested DTO objects with one error, before validating them`, async () => {
    const result = await answer('dto-nested-invalid', 100_000)
    expect(result.statusCode).toBe(400)
    expect(result.json?.['errors']).toEqual([
      expect.objectContaining({ location: 'body.items', constraint: 'maxNestedObjects' }),
    ])
  })

  it('counts the objects of a polymorphic @Type toward the same limit, and stops converting at 100 errors', async () => {
    const crowded = await answer('dto-subtypes-known', 400_000)
    expect(crowded.json?.['errors']).toEqual([expect.objectContaining({ location: 'body.pets', constraint: 'maxNestedObjects' })])
    const unknown = await answer('dto-subtypes-unknown', 100_000)
    expect(unknown.json?.['errors']).toHaveLength(ISSUES_MAX)
    expect(unknown.json?.['errors']).toContainEqual(expect.objectContaining({ location: 'body.pets[0].kind', constraint: 'isSubtype' }))
    const invalid = await answer('dto-typed-invalid', 100_000)
    expect(invalid.json?.['errors']).toHaveLength(ISSUES_MAX)
    expect(invalid.json?.['errors']).toContainEqual(expect.objectContaining({ location: 'body.values[0]', constraint: 'isNumber' }))
  })

  it('still validates every nested object of a body under the limit', async () => {
    const shape = shapes['dto-nested-invalid'] as Shape
    const body = JSON.stringify({ items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 0 }] })
    const result = (await handler(growthEvent(shape, body) as never)) as ALBResult
    expect(JSON.parse(result.body ?? '')).toMatchObject({ errors: [{ location: 'body.items[1].qty', constraint: 'min' }] })
  })
})

describe('work counters', () => {
  // The form decoder searched for `=` from every pair to the end of the body: `a&a&…&a=1` of
  // 1 MB scanned ~10^11 characters (3–5 s). Counted through String.prototype.indexOf.
  it('decodes a form scanning each character a bounded number of times', () => {
    const text = (shapes['form-no-eq'] as Shape).body(BYTES)
    let scanned = 0
    const indexOf = String.prototype.indexOf
    vi.spyOn(String.prototype, 'indexOf').mockImplementation(function (this: string, search: string, from?: number) {
      const at = indexOf.call(this, search, from)
      scanned += (at === -1 ? this.length : at) - (from ?? 0)
      return at
    })
    const pairs = decodeForm(text)
    vi.restoreAllMocks()
    expect(Object.keys(pairs.values)).toEqual(['a'])
    expect(scanned).toBeLessThan(4 * text.length)
  })

  // class-transformer de-duplicates an object's keys with keys.indexOf per key: quadratic in the
  // keys the client sends (1 MB: 10–60 s). Counted through the elements Array.prototype.indexOf
  // compares while the request is answered.
  it.each(['dto-transformed-keys', 'form-dto-keys'])('converts %s comparing a bounded number of keys', async (name) => {
    const shape = shapes[name] as Shape
    const event = growthEvent(shape, shape.body(BYTES))
    let compared = 0
    const indexOf = Array.prototype.indexOf
    vi.spyOn(Array.prototype, 'indexOf').mockImplementation(function (this: unknown[], search: unknown, from?: number) {
      const at = indexOf.call(this, search, from)
      compared += (at === -1 ? this.length : at + 1) - (from ?? 0)
      return at
    })
    const result = (await handler(event as never)) as ALBResult
    vi.restoreAllMocks()
    expect(result.statusCode).toBe(200)
    expect(compared).toBeLessThan(BYTES)
  })
})
