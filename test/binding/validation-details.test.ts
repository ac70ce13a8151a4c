import { ValidationError } from 'class-validator'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ECHO_MAX_CHARS, echoValue, flattenValidationErrors, jsonPrefix } from '../../src/binding/validation-details.js'
import type { IssueSink, ValidationIssue } from '../../src/binding/validation-details.js'

function error(property: string, value: unknown, constraints?: Record<string, string>, children: ValidationError[] = []) {
  return Object.assign(new ValidationError(), { property, value, constraints, children })
}

function sink(suppressed?: string[]): IssueSink & { issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = []
  return { issues, report: (issue) => issues.push(issue), suppress: () => {}, suppressed: suppressed && new Set(suppressed) }
}

describe('echoValue', () => {
  it.each([
    ['abc', 'abc'],
    [12, '12'],
    [false, 'false'],
    [null, 'null'],
    [[1, 'a'], '[1,"a"]'],
    [{ a: 1 }, '{"a":1}'],
    [new Date('2024-01-02T00:00:00Z'), '2024-01-02T00:00:00.000Z'],
    [new Date(Number.NaN), 'Invalid Date'],
  ])('stringifies %j as %j', (value, text) => {
    expect(echoValue(value)).toBe(text)
  })

  it('echoes nothing for undefined, functions and circular objects', () => {
    const circular: Record<string, unknown> = {}
    circular['self'] = circular
    expect(echoValue(undefined)).toBeUndefined()
    expect(echoValue(() => 1)).toBeUndefined()
    expect(echoValue(circular)).toBeUndefined()
  })

  it(`truncates to ${ECHO_MAX_CHARS} characters with an ellipsis`, () => {
    expect(echoValue('x'.repeat(ECHO_MAX_CHARS))).toBe('x'.repeat(ECHO_MAX_CHARS))
    const long = echoValue('y'.repeat(1000)) as string
    expect(long).toHaveLength(ECHO_MAX_CHARS)
    expect(long.endsWith('…')).toBe(true)
  })
})

describe('echoValue bounds (issue #12 § 5)', () => {
  it('never ends a truncated echo with half a surrogate pair', () => {
    for (let at = ECHO_MAX_CHARS - 3; at <= ECHO_MAX_CHARS; at++) {
      const echoed = echoValue('a'.repeat(at - 1) + '😀'.repeat(100)) as string
      expect(echoed.length).toBeLessThanOrEqual(ECHO_MAX_CHARS)
      expect(echoed.endsWith('…')).toBe(true)
      // A lone high surrogate would make the JSON answer carry an unpaired \ud83d.
      expect(echoed).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/)
    }
  })

  it('echoes a huge array by writing only its first hundred characters', () => {
    const items = Array.from({ length: 200_000 }, (_, i) => ({ i }))
    let reads = 0
    const watched = new Proxy(items, { get: (target, key, receiver) => ((reads += 1), Reflect.get(target, key, receiver)) })
    expect(echoValue(watched)).toBe(`${JSON.stringify(items).slice(0, ECHO_MAX_CHARS - 1)}…`)
    expect(reads).toBeLessThan(200)
  })

  it('writes a prefix of JSON.stringify, or all of it, for any JSON value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.string({ unit: 'binary', maxLength: 400 }), fc.array(fc.string({ maxLength: 200 }))), fc.integer({ min: 0, max: 300 }), (value, max) => {
        const full = JSON.stringify(value)
        const prefix = jsonPrefix(value, max) ?? ''
        expect(full.startsWith(prefix)).toBe(true)
        if (prefix.length <= max) expect(prefix).toBe(full)
      }),
      { numRuns: 500 },
    )
  })
})

describe('flattenValidationErrors', () => {
  const tree = [
    error('name', 5, { isString: 'name must be a string' }),
    error('items', [{}, {}, { qty: 0 }], undefined, [
      error('2', { qty: 0 }, undefined, [error('qty', 0, { min: 'qty must not be less than 1', isInt: 'qty must be an integer' })]),
    ]),
    error('meta', { a: {} }, undefined, [error('a', {}, undefined, [error('b', undefined, { isDefined: 'b is required' })])]),
  ]

  it('indexes array children and dots object children, one issue per constraint', () => {
    const out = sink()
    flattenValidationErrors(tree, 'body', undefined, true, out)
    expect(out.issues).toEqual([
      { location: 'body.name', message: 'name must be a string', constraint: 'isString', value: '5' },
      { location: 'body.items[2].qty', message: 'qty must not be less than 1', constraint: 'min', value: '0' },
      { location: 'body.items[2].qty', message: 'qty must be an integer', constraint: 'isInt', value: '0' },
      { location: 'body.meta.a.b', message: 'b is required', constraint: 'isDefined' },
    ])
  })

  it('leaves out values when echo is off (headers, cookies)', () => {
    const out = sink()
    flattenValidationErrors([tree[0] as ValidationError], 'header', undefined, false, out)
    expect(out.issues).toEqual([{ location: 'header.name', message: 'name must be a string', constraint: 'isString' }])
  })

  it('skips suppressed locations and everything below them', () => {
    const out = sink(['body.items', 'body.name'])
    flattenValidationErrors(tree, 'body', undefined, true, out)
    expect(out.issues.map((issue) => issue.location)).toEqual(['body.meta.a.b'])
  })

  it('renames properties through the location names, nested included', () => {
    const nested = { locationNames: { a: 'A' }, nestedOf: () => undefined }
    const names = { locationNames: { meta: 'meta_data' }, nestedOf: (p: string) => (p === 'meta' ? nested : undefined) }
    const out = sink()
    flattenValidationErrors([tree[2] as ValidationError], 'query', names, true, out)
    expect(out.issues[0]?.location).toBe('query.meta_data.A.b')
  })

  it('puts an error without a property (unknownValue) at the base location', () => {
    const out = sink()
    const unknown = Object.assign(new ValidationError(), { value: 1, constraints: { unknownValue: 'an unknown value' } })
    flattenValidationErrors([unknown], 'body', undefined, true, out)
    expect(out.issues).toEqual([{ location: 'body', message: 'an unknown value', constraint: 'unknownValue', value: '1' }])
  })
})
