import { describe, expect, it } from 'vitest'
import { checkHostPattern, compileHostMatcher } from '../../src/rules/host-header.js'
import type { HostHeaderCondition } from '../../src/rules/types.js'
import { ruleRequest } from './rule-request.js'

function hostMatches(values: string[], host: string | undefined, regexValues: string[] = []): boolean {
  const condition: HostHeaderCondition = { type: 'host-header', values, regexValues }
  return compileHostMatcher(condition)(ruleRequest({ host }))
}

// spec/alb.md §2.8, one `it` per host row
describe('compileHostMatcher (spec/alb.md §2.8 examples)', () => {
  it('matches *.example.com against subdomains in any case, not the apex or a longer suffix', () => {
    for (const h of ['test.example.com', 'a.b.example.com', 'TEST.EXAMPLE.COM']) {
      expect(hostMatches(['*.example.com'], h)).toBe(true)
    }
    for (const h of ['example.com', 'test.example.com.evil.net']) {
      expect(hostMatches(['*.example.com'], h)).toBe(false)
    }
  })

  it('matches example.com in any case, not www.example.com or example.com:8443', () => {
    expect(hostMatches(['example.com'], 'example.com')).toBe(true)
    expect(hostMatches(['example.com'], 'Example.COM')).toBe(true)
    expect(hostMatches(['example.com'], 'www.example.com')).toBe(false)
    // spec/alb.md §6 #7: the Host is compared verbatim, port included
    expect(hostMatches(['example.com'], 'example.com:8443')).toBe(false)
  })

  it('matches my-service.*.terraform.io against my-service.eu.terraform.io, not my-service.terraform.io', () => {
    expect(hostMatches(['my-service.*.terraform.io'], 'my-service.eu.terraform.io')).toBe(true)
    expect(hostMatches(['my-service.*.terraform.io'], 'my-service.terraform.io')).toBe(false)
  })

  it('matches the host regex ^example\\.com:8443$ against example.com:8443 only', () => {
    expect(hostMatches([], 'example.com:8443', ['^example\\.com:8443$'])).toBe(true)
    expect(hostMatches([], 'example.com', ['^example\\.com:8443$'])).toBe(false)
  })
})

describe('compileHostMatcher', () => {
  // spec/alb.md §2.1
  it('matches host-header case-insensitively', () => {
    expect(hostMatches(['API.Example.com'], 'api.example.COM')).toBe(true)
  })

  it('does not match a request without a Host header', () => {
    expect(hostMatches(['*'], undefined)).toBe(false)
    expect(hostMatches([], undefined, ['.*'])).toBe(false)
  })

  it('lets * match a port, as the comparand keeps it', () => {
    expect(hostMatches(['example.com*'], 'example.com:8443')).toBe(true)
  })

  it('ORs values and regex values', () => {
    expect(hostMatches(['a.example.com'], 'b.example.com', ['^b\\.'])).toBe(true)
    expect(hostMatches(['a.example.com'], 'c.example.com', ['^b\\.'])).toBe(false)
  })

  // spec/alb.md §2.7: regex case sensitivity is undocumented; the router runs them flagless
  it('runs host regexes without the i flag', () => {
    expect(hostMatches([], 'EXAMPLE.com', ['^example\\.com$'])).toBe(false)
  })
})

describe('checkHostPattern', () => {
  it('accepts letters, digits, - _ . and wildcards with a letters-only TLD', () => {
    // spec/alb.md §2.1
    expect(checkHostPattern('my_service-1.*.example.com')).toEqual([])
    expect(checkHostPattern('ap?.example.COM')).toEqual([])
  })

  it('refuses a pattern without a dot', () => {
    expect(checkHostPattern('localhost')[0]).toContain('has no "."')
  })

  it('refuses digits, wildcards or nothing after the last dot', () => {
    for (const bad of ['10.0.0.1', 'example.*', 'example.c?m', 'example.']) {
      expect(checkHostPattern(bad).join(' ')).toContain('only letters after the last "."')
    }
  })

  it('refuses a port and points to a regex instead', () => {
    const problems = checkHostPattern('example.com:8443')
    expect(problems[0]).toContain(`':'`)
    expect(problems[0]).toContain('regex')
  })

  it.each(['/', ' ', '%', '@', '[', 'é'])('refuses %j', (c) => {
    expect(checkHostPattern(`a${c}b.example.com`)[0]).toContain('ALB host patterns do not allow')
  })

  it('allows 128 characters and refuses 129', () => {
    const label = 'a'.repeat(124)
    expect(checkHostPattern(`${label}.com`)).toEqual([])
    expect(checkHostPattern(`${label}a.com`)[0]).toContain('at most 128')
  })

  it('refuses an empty pattern', () => {
    expect(checkHostPattern('')).toHaveLength(1)
  })
})
