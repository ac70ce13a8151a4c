import { describe, expect, it } from 'vitest'
import {
  checkCondition,
  compileCondition,
  countComparisons,
  countWildcards,
  describeCondition,
} from '../../src/rules/condition.js'
import { compileSourceIpMatcher, installSourceIpMatcher, installedSourceIpMatcher } from '../../src/rules/source-ip.js'
import type { AlbCondition } from '../../src/rules/types.js'
import { ruleRequest } from './rule-request.js'

const conditions = {
  path: { type: 'path-pattern', values: ['/users/*'], regexValues: [] },
  host: { type: 'host-header', values: ['*.example.com'], regexValues: ['^api\\.'] },
  header: { type: 'http-header', name: 'X-Tenant', values: ['acme*', 'beta'], regexValues: [] },
  method: { type: 'http-request-method', values: ['GET', 'HEAD'] },
  query: { type: 'query-string', values: [{ key: 'version', value: 'v?' }, { value: '*example\\*' }] },
  ip: { type: 'source-ip', values: ['10.0.0.0/8', '2001:db8::/32'] },
} satisfies Record<string, AlbCondition>

describe('compileCondition', () => {
  // Installed by @SourceIp and the checking createApp, so a bundle without @SourceIp has none.
  it('matches source-ip only once its matcher is installed, and says how to install it', () => {
    expect(installedSourceIpMatcher()).toBeUndefined()
    expect(() => compileCondition(conditions.ip)).toThrow(/which @SourceIp brings: declare the condition with @SourceIp/)
    installSourceIpMatcher()
    expect(installedSourceIpMatcher()).toBe(compileSourceIpMatcher)
    expect(compileCondition(conditions.ip)(ruleRequest({ sourceIp: '10.1.2.3' }))).toBe(true)
  })

  it('dispatches each condition type to its matcher', () => {
    installSourceIpMatcher()
    const request = ruleRequest({
      method: 'HEAD',
      path: '/users/1',
      host: 'www.example.com',
      headers: { 'x-tenant': 'acme-eu' },
      query: 'version=v2',
      sourceIp: '10.1.2.3',
    })
    for (const c of Object.values(conditions)) expect(compileCondition(c)(request), c.type).toBe(true)
    const other = ruleRequest({ method: 'POST', path: '/posts', host: 'example.org', sourceIp: '192.0.2.1' })
    for (const c of Object.values(conditions)) expect(compileCondition(c)(other), c.type).toBe(false)
  })
})

describe('checkCondition', () => {
  it('accepts valid conditions of every type', () => {
    for (const c of Object.values(conditions)) expect(checkCondition(c), c.type).toEqual([])
  })

  it('collects every problem of a condition', () => {
    const problems = checkCondition({ type: 'path-pattern', values: ['/a b', 'x'], regexValues: ['(?=a)'] })
    expect(problems).toHaveLength(3)
    expect(problems[0]).toMatch(/^path pattern "\/a b" has ' ', which ALB path patterns do not allow/)
  })

  it.each([
    [{ type: 'host-header', values: ['example.com:80'], regexValues: [] }, 'host pattern'],
    [{ type: 'http-header', name: 'Host', values: ['x'], regexValues: [] }, 'host-header condition'],
    [{ type: 'http-header', name: 'x-a', values: [''], regexValues: [] }, 'header value pattern'],
    [{ type: 'http-header', name: 'x-a', values: [], regexValues: ['\\1'] }, 'backreference'],
    [{ type: 'http-request-method', values: ['get'] }, 'method "get"'],
    [{ type: 'query-string', values: [{ key: 'a', value: 'b c' }] }, 'query-string value'],
    [{ type: 'source-ip', values: ['10.0.0.1/8'] }, 'host bits'],
  ] as [AlbCondition, string][])('refuses a bad %s value', (c, expected) => {
    expect(checkCondition(c).join('\n')).toContain(expected)
  })

  // spec/alb.md §1.1
  it('refuses a condition without values', () => {
    expect(checkCondition({ type: 'path-pattern', values: [], regexValues: [] })[0]).toContain('at least one')
    expect(checkCondition({ type: 'source-ip', values: [] })[0]).toContain('at least one')
    expect(checkCondition({ type: 'path-pattern', values: [], regexValues: ['^/a$'] })).toEqual([])
  })

  it('does not limit the number of values: the manifest splits long conditions', () => {
    const many = { type: 'path-pattern', values: ['/a', '/b', '/c', '/d', '/e', '/f'], regexValues: [] } as const
    expect(checkCondition(many)).toEqual([])
  })

  it('reports malformed input instead of throwing', () => {
    expect(checkCondition(null as unknown as AlbCondition)).toHaveLength(1)
    expect(checkCondition({ type: 'cookie', values: [] } as unknown as AlbCondition)[0]).toContain('not an ALB condition type')
    expect(checkCondition({ type: 'path-pattern', values: '/a' } as unknown as AlbCondition).join()).toContain('no values list')
    expect(checkCondition({ type: 'source-ip', values: [7] } as unknown as AlbCondition)).toHaveLength(1)
  })
})

describe('describeCondition', () => {
  it('prints one line per condition type', () => {
    expect(describeCondition(conditions.path)).toBe('path-pattern /users/*')
    expect(describeCondition(conditions.host)).toBe('host-header *.example.com|regex(^api\\.)')
    expect(describeCondition(conditions.header)).toBe('http-header x-tenant=acme*|beta')
    expect(describeCondition(conditions.method)).toBe('http-request-method GET|HEAD')
    expect(describeCondition(conditions.query)).toBe('query-string version=v?|*example\\*')
    expect(describeCondition(conditions.ip)).toBe('source-ip 10.0.0.0/8|2001:db8::/32')
  })
})

describe('countComparisons', () => {
  // spec/alb.md §1.4: every value, regex value and query pair is one comparison string
  it('counts values, regex values and query pairs', () => {
    expect(countComparisons(conditions.path)).toBe(1)
    expect(countComparisons(conditions.host)).toBe(2)
    expect(countComparisons(conditions.header)).toBe(2)
    expect(countComparisons(conditions.method)).toBe(2)
    expect(countComparisons(conditions.query)).toBe(2)
    expect(countComparisons(conditions.ip)).toBe(2)
  })
})

describe('countWildcards', () => {
  // spec/alb.md §1.4
  it('counts * and ? in value patterns and query pairs, not escapes, regexes or CIDRs', () => {
    expect(countWildcards(conditions.path)).toBe(1)
    expect(countWildcards(conditions.host)).toBe(1)
    expect(countWildcards(conditions.header)).toBe(1)
    expect(countWildcards(conditions.method)).toBe(0)
    expect(countWildcards(conditions.query)).toBe(2)
    expect(countWildcards(conditions.ip)).toBe(0)
    expect(countWildcards({ type: 'query-string', values: [{ key: 'k*', value: '\\?' }] })).toBe(1)
  })
})
