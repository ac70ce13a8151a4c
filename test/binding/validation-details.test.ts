import { ValidationError } from 'class-validator'
import { describe, expect, it } from 'vitest'
import { ECHO_MAX_CHARS, echoValue, flattenValidationErrors } from '../../src/binding/validation-details.js'
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
