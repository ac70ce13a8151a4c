import { describe, expect, it } from 'vitest'
import { INVALID, coerce } from '../../src/binding/coerce.js'

describe('coerce', () => {
  it.each([
    ['12', 12],
    ['-3', -3],
    ['+4', 4],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['0', 0],
  ])('reads the number %s', (raw, value) => {
    expect(coerce('number', raw)).toBe(value)
  })

  it.each(['', ' ', ' 12', '12 ', '12abc', 'abc', 'NaN', 'Infinity', '-Infinity', '0x10', '1_000', '1e999', '1,5', '--1'])(
    'rejects %j as a number',
    (raw) => {
      expect(coerce('number', raw)).toBe(INVALID)
    },
  )

  it.each([
    ['true', true],
    ['TRUE', true],
    ['True', true],
    ['1', true],
    ['false', false],
    ['False', false],
    ['0', false],
  ])('reads the boolean %s', (raw, value) => {
    expect(coerce('boolean', raw)).toBe(value)
  })

  it.each(['', 'yes', 'no', 'on', '2', 't', 'truee'])('rejects %j as a boolean', (raw) => {
    expect(coerce('boolean', raw)).toBe(INVALID)
  })

  it.each([
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2024-03-01T10:20:30Z', '2024-03-01T10:20:30.000Z'],
    ['2024-03-01T10:20:30.123Z', '2024-03-01T10:20:30.123Z'],
    ['2024-03-01T10:20+02:00', '2024-03-01T08:20:00.000Z'],
    ['2000-02-29T23:59:59-05:30', '2000-03-01T05:29:59.000Z'],
  ])('reads the ISO 8601 date %s', (raw, iso) => {
    const value = coerce('date', raw)
    expect(value).toBeInstanceOf(Date)
    expect((value as Date).toISOString()).toBe(iso)
  })

  it.each([
    '',
    'yesterday',
    '2024-02-30',
    '2023-02-29',
    '1900-02-29',
    '2024-13-01',
    '2024-00-10',
    '2024-01-01T24:00:00Z',
    '2024-01-01T10:60Z',
    '2024-01-01T10:00:61Z',
    '2024-01-01T10:00:00', // no offset: would depend on the Lambda's TZ
    '2024-01-01T10:00:00+25:00',
    '01/02/2024',
    'Mon, 01 Jan 2024 00:00:00 GMT',
    '1704067200000',
  ])('rejects %j as a date', (raw) => {
    expect(coerce('date', raw)).toBe(INVALID)
  })

  it('keeps strings as they are', () => {
    expect(coerce('string', ' 12abc ')).toBe(' 12abc ')
  })
})
