import { describe, expect, it } from 'vitest'
import { checkQueryPair, compileQueryMatcher } from '../../src/rules/query-string.js'
import type { QueryStringPair } from '../../src/rules/types.js'
import { ruleRequest } from './rule-request.js'

function queryMatches(values: QueryStringPair[], query: string): boolean {
  return compileQueryMatcher({ type: 'query-string', values })(ruleRequest({ query }))
}

// spec/alb.md §2.8, one `it` per query row
describe('compileQueryMatcher (spec/alb.md §2.8 examples)', () => {
  it('matches {version: v1} against version=v1 and VERSION=V1 among others, not v10 or ver', () => {
    const version = [{ key: 'version', value: 'v1' }]
    expect(queryMatches(version, 'version=v1')).toBe(true)
    expect(queryMatches(version, 'a=1&VERSION=V1')).toBe(true)
    expect(queryMatches(version, 'version=v10')).toBe(false)
    expect(queryMatches(version, 'ver=v1')).toBe(false)
  })

  it('matches key-less *example* against a value, not a key', () => {
    expect(queryMatches([{ value: '*example*' }], 'q=my-example-1')).toBe(true)
    expect(queryMatches([{ value: '*example*' }], 'example=1')).toBe(false)
  })

  it('reads \\* as a literal star: {q: a\\*b} matches a*b, not axb', () => {
    expect(queryMatches([{ key: 'q', value: 'a\\*b' }], 'q=a*b')).toBe(true)
    expect(queryMatches([{ key: 'q', value: 'a\\*b' }], 'q=axb')).toBe(false)
  })
})

describe('compileQueryMatcher', () => {
  // spec/alb.md §2.5
  it('requires key and value to match within the same pair', () => {
    const pair = [{ key: 'version', value: 'v1' }]
    expect(queryMatches(pair, 'version=v2&other=v1')).toBe(false)
    expect(queryMatches(pair, 'version=v2&version=v1')).toBe(true)
  })

  it('ORs the pairs of one condition', () => {
    const pairs = [{ key: 'version', value: 'v1' }, { value: '*example*' }]
    expect(queryMatches(pairs, 'x=an-example')).toBe(true)
    expect(queryMatches(pairs, 'version=v1')).toBe(true)
    expect(queryMatches(pairs, 'version=v2')).toBe(false)
  })

  it('reads \\? as a literal question mark and ? as one character', () => {
    expect(queryMatches([{ key: 'q', value: 'a\\?' }], 'q=a?')).toBe(true)
    expect(queryMatches([{ key: 'q', value: 'a\\?' }], 'q=ab')).toBe(false)
    expect(queryMatches([{ key: 'q', value: 'a?' }], 'q=ab')).toBe(true)
  })

  it('takes wildcards and escapes in the key too', () => {
    expect(queryMatches([{ key: 'utm_*', value: '*' }], 'UTM_source=x')).toBe(true)
    expect(queryMatches([{ key: 'a\\*', value: '1' }], 'ab=1')).toBe(false)
  })

  it('matches an empty or missing value with *', () => {
    expect(queryMatches([{ key: 'debug', value: '*' }], 'debug')).toBe(true)
    expect(queryMatches([{ key: 'debug', value: '*' }], 'debug=')).toBe(true)
  })

  it('does not match a request without a query', () => {
    expect(queryMatches([{ value: '*' }], '')).toBe(false)
  })

  // spec/alb.md §2.5, §6 #5: the router compares the still-encoded pairs
  it('compares the raw, still percent-encoded pair', () => {
    expect(queryMatches([{ key: 'q', value: 'a*b' }], 'q=a%20b')).toBe(true)
    expect(queryMatches([{ key: 'q', value: 'a?b' }], 'q=a%20b')).toBe(false)
  })
})

describe('checkQueryPair', () => {
  it('accepts unreserved characters, wildcards and escapes', () => {
    // spec/alb.md §6 #5
    expect(checkQueryPair({ key: 'A-z_0.9~', value: 'v\\*\\?*?' })).toEqual([])
    expect(checkQueryPair({ value: '*example*' })).toEqual([])
  })

  it('requires a value', () => {
    expect(checkQueryPair({ key: 'a' } as unknown as QueryStringPair)[0]).toContain('ALB requires one')
    expect(checkQueryPair({ key: 'a', value: '' })[0]).toContain('use * for any value')
  })

  it('refuses an empty key and points to the key-less form', () => {
    expect(checkQueryPair({ key: '', value: 'x' })[0]).toContain('leave the key out')
  })

  it('allows 128 characters in key and value and refuses 129', () => {
    expect(checkQueryPair({ key: 'k'.repeat(128), value: 'v'.repeat(128) })).toEqual([])
    expect(checkQueryPair({ key: 'k'.repeat(129), value: 'v' })[0]).toContain('at most 128')
    expect(checkQueryPair({ key: 'k', value: 'v'.repeat(129) })[0]).toContain('at most 128')
  })

  it.each(['%20', '+', '=', '&', ' ', '/', ':', '#', 'é'])(
    'refuses %j, whose encoding ALB may or may not undo',
    (text) => {
      expect(checkQueryPair({ key: 'q', value: `a${text}` })[0]).toContain('ALB does not document whether it decodes %XX')
      expect(checkQueryPair({ key: `a${text}`, value: 'x' })[0]).toContain('ALB does not document whether it decodes %XX')
    },
  )

  it('refuses a backslash that escapes neither * nor ?', () => {
    expect(checkQueryPair({ value: 'a\\b' }).join(' ')).toContain('not part of \\* or \\?')
    expect(checkQueryPair({ value: 'a\\' }).join(' ')).toContain('not part of \\* or \\?')
  })

  it('reports a non-object instead of throwing', () => {
    expect(checkQueryPair(null as unknown as QueryStringPair)).toHaveLength(1)
  })
})
