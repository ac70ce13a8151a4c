import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isFirstPair, orderablePairs } from '../../src/binding/convert.js'
import { decodeComponent, decodeForm, decodeQuery } from '../../src/binding/decode.js'

describe('decodeComponent', () => {
  it.each([
    ['a%20b', 'a b'],
    ['a+b', 'a b'],
    ['1%2B1', '1+1'],
    ['J%C3%A9r%C3%B4me', 'Jérôme'],
    ['%E2%82%AC', '€'],
    ['%F0%9F%A6%85', '🦅'],
    ['%25', '%'],
    ['%2525', '%25'],
    ['plain', 'plain'],
    ['', ''],
  ])('decodes %s to %s with + as space, exactly once', (raw, decoded) => {
    expect(decodeComponent(raw, true)).toBe(decoded)
  })

  it('keeps + as a plus when plusAsSpace is off (path segments)', () => {
    expect(decodeComponent('a+b%20c', false)).toBe('a+b c')
  })

  it.each([
    ['%zz', 'a % not followed by hex'],
    ['%', 'a lone %'],
    ['%4', 'a truncated escape'],
    ['%C3', 'a truncated UTF-8 sequence'],
    ['%FF', 'a byte that is never UTF-8'],
    ['%ED%A0%80', 'an encoded surrogate'],
    ['%C3%28', 'an invalid continuation byte'],
  ])('returns undefined for %s (%s) instead of throwing', (raw) => {
    expect(decodeComponent(raw, true)).toBeUndefined()
  })
})

describe('decodeQuery', () => {
  // spec/alb.md §4.2: ALB passes keys and values still encoded.
  it('decodes keys and values and keeps repeated values in order', () => {
    const { values, malformed } = decodeQuery([
      'first%20name', 'J%C3%A9r%C3%B4me',
      'tag', 'a+b',
      'tag', '1%2B1',
      't%61g', 'c',
    ])
    expect({ ...values }).toEqual({ 'first name': ['Jérôme'], tag: ['a b', '1+1', 'c'] })
    expect(malformed).toEqual([])
  })

  it('returns a null-prototype map where __proto__ and constructor are plain keys', () => {
    const { values } = decodeQuery([
      '__proto__', 'x',
      'constructor', 'y',
      '__proto__%5Bpolluted%5D', '1',
    ])
    expect(Object.getPrototypeOf(values)).toBeNull()
    expect(values['__proto__']).toEqual(['x'])
    expect(values['constructor']).toEqual(['y'])
    expect(values['__proto__[polluted]']).toEqual(['1'])
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })

  it('leaves out malformed pairs and names them by decoded key when only the value is bad', () => {
    const { values, malformed } = decodeQuery([
      'q', '%zz',
      'bad%zzkey', '1',
      'ok', '1',
    ])
    expect({ ...values }).toEqual({ ok: ['1'] })
    expect(malformed).toEqual([
      { key: 'q', rawValue: '%zz' },
      { key: 'bad%zzkey', rawValue: '1' },
    ])
  })

  it('looks a key up by its decoded spelling: the last value, or all of them in order', () => {
    const query = decodeQuery(['tag', 'a', 'page', '2', 't%61g', 'b%20c', 'bad', '%zz'])
    expect(query.last('tag')).toBe('b c')
    expect(query.all('tag')).toEqual(['a', 'b c'])
    expect(query.last('page')).toBe('2')
    expect(query.last('t%61g')).toBeUndefined()
    expect(query.last('bad')).toBeUndefined()
    expect(query.all('missing')).toBeUndefined()
  })

  it('decodes a value when it is read, once, and never changes the pairs it was given', () => {
    const raw = ['q', 'a%20b', 'page', '%32', 'emoji', '%F0%9F%A6%85', 'plain', 'x']
    const query = decodeQuery(raw)
    expect(query.last('q')).toBe('a b')
    expect(query.last('q')).toBe(query.last('q'))
    expect(query.fields).toEqual(['q', 'a b', 'page', '2', 'emoji', '🦅', 'plain', 'x'])
    expect(raw).toEqual(['q', 'a%20b', 'page', '%32', 'emoji', '%F0%9F%A6%85', 'plain', 'x'])
  })

  it('finds a malformed value among pairs it has not decoded, whichever key holds it', () => {
    for (const bad of ['%', '%4', '%zz', '%C3', '%FF', '%ED%A0%80', 'a%20%C3%28']) {
      const query = decodeQuery(['q', 'ok', 'other', bad])
      expect(query.malformed).toEqual([{ key: 'other', rawValue: bad }])
      expect(query.last('q')).toBe('ok')
      expect(query.all('other')).toBeUndefined()
    }
  })
})

describe('decodeForm', () => {
  it('splits on & and the first =, decodes like a query and skips empty parts', () => {
    const { values } = decodeForm('a=1&&b=x%3Dy=z&a=2&flag&c=a+b%2Bc&=v')
    expect({ ...values }).toEqual({ a: ['1', '2'], b: ['x=y=z'], flag: [''], c: ['a b+c'], '': ['v'] })
  })

  it('gives an empty map for an empty body', () => {
    expect({ ...decodeForm('').values }).toEqual({})
  })
})

describe('decodeComponent against decodeURIComponent', () => {
  // The ASCII escapes are decoded by hand; everything must still match the native decoder,
  // malformed input (`%`, `%4`, `%zz`, `%C3` alone, `%ED%A0%80` surrogates) included.
  const native = (text: string) => {
    try {
      return decodeURIComponent(text)
    } catch {
      return undefined
    }
  }
  const pieces = fc.oneof(
    fc.string({ maxLength: 3 }),
    fc.constantFrom('%', '%2', '%0', '%zz', '%20', '%25', '%7e', '%7F', '%80', '%C3', '%A9', '%c3%a9'),
    fc.constantFrom('%E2%82%AC', '%ED%A0%80', '%F0%9F%98%80', '%F4%90%80%80'),
    fc.integer({ min: 0, max: 255 }).map((byte) => `%${byte.toString(16).padStart(2, '0')}`),
  )
  const encoded = fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join(''))

  it('decodes exactly what decodeURIComponent decodes, and refuses what it refuses', () => {
    fc.assert(
      fc.property(encoded, (text) => {
        expect(decodeComponent(text, false)).toBe(native(text))
        expect(decodeComponent(text, true)).toBe(native(text.replaceAll('+', ' ')))
      }),
      { numRuns: 5000 },
    )
  })
})

describe('decodeQuery against decoding every pair up front', () => {
  // The query is checked whole when read but decoded lazily and looked up by scanning
  // (binding/decode.ts); the reference decodes each key and value at once into a key → values
  // map, as the query was read before. Every reader must see what the reference holds: the same
  // malformed pairs (a bad pair anywhere is the request's 400, whichever key a route reads), the
  // last value of a key (single-value mode keeps the last, spec/alb.md §4.2), all of them in
  // order, the map and its key order, and the pairs.
  const part = fc.constantFrom(
    'a', 'A', 'b', 'a+b', 'a%20b', 'a b', '%61', 'a%2Bb', '', '0', '10', '__proto__', 'constructor', 'toString',
    '%zz', '%', '%4', '%C3', '%C3%A9', '%ED%A0%80', 'é', '+', '%2B', '%25',
  )
  const reference = (raw: readonly string[]) => {
    const values: Record<string, string[]> = Object.create(null)
    const malformed: { key: string; rawValue: string }[] = []
    const fields: string[] = []
    for (let i = 0; i < raw.length; i += 2) {
      const key = decodeComponent(raw[i] as string, true)
      const value = decodeComponent(raw[i + 1] as string, true)
      if (key === undefined || value === undefined) {
        malformed.push({ key: key ?? (raw[i] as string), rawValue: raw[i + 1] as string })
        continue
      }
      ;(values[key] ??= []).push(value)
      fields.push(key, value)
    }
    return { values, malformed, fields }
  }

  it('gives every reader what the reference holds, for queries of up to 40 pairs (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(part, part), { maxLength: 40 }), fc.array(part, { maxLength: 4 }), (pairs, extra) => {
        const raw = pairs.flat()
        const want = reference(raw)
        const query = decodeQuery(raw)
        // Looked up before anything else decodes the values, then after.
        const keys = [...new Set([...Object.keys(want.values), ...extra.map((k) => decodeComponent(k, true) ?? k)])]
        for (const key of keys) {
          expect(query.last(key)).toBe(want.values[key]?.at(-1))
          expect(query.all(key)).toEqual(want.values[key])
        }
        expect(query.malformed).toEqual(want.malformed)
        expect(query.fields).toEqual(want.fields)
        expect(Object.getPrototypeOf(query.values)).toBeNull()
        expect(Object.entries(query.values)).toEqual(Object.entries(want.values))
        const ordered = query.orderedKeys(32)
        if (ordered !== undefined) {
          expect(pairs.length).toBeLessThanOrEqual(32)
          expect(ordered).toEqual(Object.keys(want.values))
        }
        // keyAt and isFirstPair visit the keys orderedKeys lists, in its order, without the list.
        const firsts: string[] = []
        for (let pair = 0; pair < query.count; pair++) {
          const key = query.keyAt(pair)
          if (key !== undefined && isFirstPair(query, pair)) firsts.push(key)
        }
        if (ordered !== undefined) expect(firsts).toEqual(ordered)
        expect(orderablePairs(query)).toBe(ordered !== undefined)
        for (const key of keys) expect(query.last(key)).toBe(want.values[key]?.at(-1))
      }),
      { numRuns: 1_000 },
    )
  })
})
