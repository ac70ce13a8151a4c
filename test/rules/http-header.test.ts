import { describe, expect, it } from 'vitest'
import {
  checkHeaderName,
  checkHeaderValuePattern,
  compileHeaderMatcher,
} from '../../src/rules/http-header.js'
import type { HttpHeaderCondition } from '../../src/rules/types.js'
import { ruleRequest } from './rule-request.js'

function header(name: string, values: string[], regexValues: string[] = []): HttpHeaderCondition {
  return { type: 'http-header', name, values, regexValues }
}

function headerMatches(condition: HttpHeaderCondition, headers: Record<string, string | string[]>): boolean {
  return compileHeaderMatcher(condition)(ruleRequest({ headers }))
}

// spec/alb.md §2.8, one `it` per http-header row
describe('compileHeaderMatcher (spec/alb.md §2.8 examples)', () => {
  it('matches User-Agent *Chrome* inside a longer value, in any case, not curl/8.0', () => {
    const ua = header('User-Agent', ['*Chrome*'])
    expect(headerMatches(ua, { 'user-agent': 'Mozilla/5.0 (X11) Chrome/120 Safari' })).toBe(true)
    expect(headerMatches(ua, { 'user-agent': 'mozilla chrome build' })).toBe(true)
    expect(headerMatches(ua, { 'user-agent': 'curl/8.0' })).toBe(false)
  })

  it('matches X-Forwarded-For 192.168.1.* against the client-sent list, not when it is not first', () => {
    // The rows are the client's value; the event also carries ALB's appended peer (spec/alb.md §6 #7b).
    const xff = header('X-Forwarded-For', ['192.168.1.*'])
    expect(headerMatches(xff, { 'x-forwarded-for': '192.168.1.7, 198.51.100.7' })).toBe(true)
    expect(headerMatches(xff, { 'x-forwarded-for': '192.168.1.7, 10.0.0.1, 198.51.100.7' })).toBe(true)
    expect(headerMatches(xff, { 'x-forwarded-for': '10.0.0.1, 192.168.1.7, 198.51.100.7' })).toBe(false)
  })
})

describe('compileHeaderMatcher', () => {
  // spec/alb.md §2.2
  it('finds the header whatever case the condition names it in', () => {
    expect(headerMatches(header('X-TENANT', ['acme']), { 'x-tenant': 'acme' })).toBe(true)
  })

  it('compares values case-insensitively', () => {
    expect(headerMatches(header('x-tenant', ['ACME*']), { 'x-tenant': 'acme-eu' })).toBe(true)
  })

  it('anchors value patterns to the whole value', () => {
    expect(headerMatches(header('x-tenant', ['acme']), { 'x-tenant': 'acme-eu' })).toBe(false)
  })

  it('does not match when the header is absent', () => {
    expect(headerMatches(header('x-tenant', ['*']), {})).toBe(false)
    expect(headerMatches(header('x-tenant', [], ['.*']), {})).toBe(false)
  })

  it('matches an empty header value with *', () => {
    expect(headerMatches(header('x-tenant', ['*']), { 'x-tenant': '' })).toBe(true)
  })

  // spec/alb.md §2.2: occurrences are checked in order, the first match wins
  it('matches when any occurrence of a repeated header matches', () => {
    const tenant = header('x-tenant', ['beta'])
    expect(headerMatches(tenant, { 'x-tenant': ['acme', 'beta'] })).toBe(true)
    expect(headerMatches(tenant, { 'x-tenant': ['beta', 'acme'] })).toBe(true)
    expect(headerMatches(tenant, { 'x-tenant': ['acme', 'gamma'] })).toBe(false)
  })

  // spec/alb.md §2.2 [inf]: the field value is one string
  it('compares a comma-joined value as one string', () => {
    expect(headerMatches(header('accept', ['text/html']), { accept: 'text/html, application/json' })).toBe(false)
    expect(headerMatches(header('accept', ['text/html*']), { accept: 'text/html, application/json' })).toBe(true)
  })

  it('ORs values and regex values', () => {
    const tenant = header('x-tenant', ['acme'], ['^b[a-z]+$'])
    expect(headerMatches(tenant, { 'x-tenant': 'beta' })).toBe(true)
    expect(headerMatches(tenant, { 'x-tenant': 'Beta' })).toBe(false)
  })

  // spec/alb.md §2.2: doc example User-Agent RegexValues [".+"]
  it('matches the regex .+ against any non-empty value', () => {
    const ua = header('User-Agent', [], ['.+'])
    expect(headerMatches(ua, { 'user-agent': 'curl/8.0' })).toBe(true)
    expect(headerMatches(ua, { 'user-agent': '' })).toBe(false)
  })
})

describe('compileHeaderMatcher on X-Forwarded-For (spec/alb.md §6 #7b)', () => {
  const xff = (values: string[], regexValues: string[] = []) => header('x-forwarded-for', values, regexValues)

  it('never sees the address ALB appended last', () => {
    expect(headerMatches(xff(['198.51.100.7']), { 'x-forwarded-for': '198.51.100.7' })).toBe(false)
    expect(headerMatches(xff(['*198.51.100.7']), { 'x-forwarded-for': '192.0.2.1, 198.51.100.7' })).toBe(false)
    expect(headerMatches(xff([], ['198\\.51']), { 'x-forwarded-for': '192.0.2.1, 198.51.100.7' })).toBe(false)
  })

  it('matches nothing when the client sent no X-Forwarded-For', () => {
    expect(headerMatches(xff(['*']), { 'x-forwarded-for': '198.51.100.7' })).toBe(false)
  })

  it('keeps the client value exactly as sent, spacing included', () => {
    expect(headerMatches(xff(['a ,b']), { 'x-forwarded-for': 'a ,b,198.51.100.7' })).toBe(true)
  })

  it('drops only the last element of the last occurrence', () => {
    const headers = { 'x-forwarded-for': ['192.0.2.1', '203.0.113.5, 198.51.100.7'] }
    expect(headerMatches(xff(['192.0.2.1']), headers)).toBe(true)
    expect(headerMatches(xff(['203.0.113.5']), headers)).toBe(true)
    expect(headerMatches(xff(['*198.51.100.7*']), headers)).toBe(false)
  })

  it('drops a last occurrence that holds only the appended address', () => {
    const headers = { 'x-forwarded-for': ['192.0.2.1', '198.51.100.7'] }
    expect(headerMatches(xff(['192.0.2.1']), headers)).toBe(true)
    expect(headerMatches(xff(['198.51.100.7']), headers)).toBe(false)
  })

  it('applies to the header named in any case', () => {
    const upper = header('X-Forwarded-For', ['198.51.100.7'])
    expect(headerMatches(upper, { 'x-forwarded-for': '198.51.100.7' })).toBe(false)
  })
})

describe('checkHeaderName', () => {
  // spec/alb.md §2.2
  it('accepts RFC 7230 token names up to 40 characters', () => {
    expect(checkHeaderName("X-Tenant_1!#$%&'+.^`|~")).toEqual([])
    expect(checkHeaderName('x'.repeat(40))).toEqual([])
  })

  it('refuses 41 characters', () => {
    expect(checkHeaderName('x'.repeat(41))[0]).toContain('at most 40')
  })

  it.each([' ', ':', '(', '"', '/', '*', '?', 'é'])('refuses %j in a name', (c) => {
    expect(checkHeaderName(`x${c}y`)[0]).toContain('RFC 7230 tokens without wildcards')
  })

  it('refuses Host in any case', () => {
    for (const name of ['host', 'Host', 'HOST']) {
      expect(checkHeaderName(name)[0]).toContain('host-header condition')
    }
  })

  it('refuses an empty name', () => {
    expect(checkHeaderName('')).toHaveLength(1)
  })
})

describe('checkHeaderValuePattern', () => {
  it('accepts visible ASCII, spaces and wildcards up to 128 characters', () => {
    expect(checkHeaderValuePattern('Mozilla/5.0 (X11; *) Chrome/?')).toEqual([])
    expect(checkHeaderValuePattern('a'.repeat(128))).toEqual([])
  })

  it('refuses 129 characters', () => {
    expect(checkHeaderValuePattern('a'.repeat(129))[0]).toContain('at most 128')
  })

  it('refuses control and non-ASCII characters', () => {
    expect(checkHeaderValuePattern('a\tb')[0]).toContain('U+0009')
    expect(checkHeaderValuePattern('café')[0]).toContain('U+00E9')
  })

  it('refuses an empty pattern and suggests *', () => {
    expect(checkHeaderValuePattern('')[0]).toContain('use * for any value')
  })
})
