import { describe, expect, it } from 'vitest'
import { buildRuleTable } from '../../src/rules/build-table.js'
import { RouteDeclarationError } from '../../src/rules/errors.js'
import type { RouteSpec } from '../../src/rules/types.js'

const spec = (overrides: Partial<RouteSpec> & { source: string }): RouteSpec => ({
  path: '/',
  methods: ['GET', 'HEAD'],
  conditions: [],
  priority: undefined,
  action: { type: 'forward', target: 'default' },
  ...overrides,
})

function problemsOf(specs: RouteSpec[]): string[] {
  try {
    buildRuleTable(specs)
  } catch (error) {
    expect(error).toBeInstanceOf(RouteDeclarationError)
    return (error as RouteDeclarationError).problems.map((p) => `${p.source}: ${p.message}`)
  }
  throw new Error('expected a RouteDeclarationError')
}

describe('buildRuleTable', () => {
  it('numbers routes from 1000 in steps of 10 in specificity order (DESIGN.md § Priorities)', () => {
    const table = buildRuleTable([spec({ source: 'A.wild', path: '/a/*' }), spec({ source: 'A.me', path: '/a/me' })])
    expect(table.rules.map((r) => [r.source, r.priority])).toEqual([['A.me', 1000], ['A.wild', 1010]])
  })

  it('honours start and step options', () => {
    const table = buildRuleTable([spec({ source: 'A.a', path: '/a' }), spec({ source: 'A.b', path: '/b' })], { start: 5, step: 2 })
    expect(table.rules.map((r) => r.priority)).toEqual([5, 7])
  })

  it('keeps explicit priorities exactly and skips them when numbering the rest', () => {
    const table = buildRuleTable([spec({ source: 'A.x', path: '/x', priority: 1000 }), spec({ source: 'A.y', path: '/y' })])
    expect(table.rules.map((r) => [r.source, r.priority])).toEqual([['A.x', 1000], ['A.y', 1010]])
  })

  it('turns {name} into a named * and records the captures', () => {
    const [rule] = buildRuleTable([spec({ source: 'U.get', path: '/users/{id}/files/*' })]).rules
    expect(rule?.conditions[0]).toEqual({ type: 'path-pattern', values: ['/users/*/files/*'], regexValues: [] })
    expect(rule?.captures).toEqual(['id', null])
  })

  it('adds the method condition with GET and HEAD for @Get', () => {
    const [rule] = buildRuleTable([spec({ source: 'U.get' })]).rules
    expect(rule?.conditions).toContainEqual({ type: 'http-request-method', values: ['GET', 'HEAD'] })
  })

  it('makes a RegExp path a path-pattern regex value', () => {
    const [rule] = buildRuleTable([spec({ source: 'U.re', path: /^\/v[0-9]+\/(?<rest>.*)$/ })]).rules
    expect(rule?.conditions[0]).toEqual({ type: 'path-pattern', values: [], regexValues: ['^\\/v[0-9]+\\/(?<rest>.*)$'] })
    expect(rule?.captures).toEqual(['rest'])
  })

  it('rejects duplicate explicit priorities, naming both routes (PriorityInUse, spec/alb.md §1.1)', () => {
    const problems = problemsOf([spec({ source: 'A.x', path: '/x', priority: 7 }), spec({ source: 'B.y', path: '/y', priority: 7 })])
    expect(problems).toEqual([expect.stringMatching(/^B\.y: @Priority\(7\) is already used by A\.x/)])
  })

  it.each([0, 50001, 1.5])('rejects priority %s outside 1-50000 (spec/alb.md §1.1)', (priority) => {
    expect(problemsOf([spec({ source: 'A.x', priority })])[0]).toMatch(/outside ALB's 1-50000/)
  })

  it('rejects two host-header conditions on one route (spec/alb.md §1.3)', () => {
    const host = { type: 'host-header' as const, values: ['a.example.com'], regexValues: [] }
    expect(problemsOf([spec({ source: 'A.x', conditions: [host, host] })])[0]).toMatch(/2 host-header conditions/)
  })

  it('rejects two source-ip conditions on one route (spec/alb.md §1.3)', () => {
    const ip = { type: 'source-ip' as const, values: ['10.0.0.0/8'] }
    expect(problemsOf([spec({ source: 'A.x', conditions: [ip, ip] })])[0]).toMatch(/2 source-ip conditions/)
  })

  it('lists every problem of every route in one error', () => {
    const problems = problemsOf([
      spec({ source: 'A.space', path: '/a b' }),
      spec({ source: 'A.long', path: '/' + 'x'.repeat(128) }),
      spec({ source: 'A.look', path: /^\/(?=x)/ }),
      spec({ source: 'A.fixed', action: { type: 'fixed-response', statusCode: 302 } }),
    ])
    expect(problems.map((p) => p.split(':')[0])).toEqual(['A.space', 'A.long', 'A.look', 'A.fixed'])
  })

  it('rejects a regex with flags: ALB regex values have none', () => {
    expect(problemsOf([spec({ source: 'A.i', path: /^\/x$/i })])[0]).toMatch(/flags/)
  })

  it('rejects a malformed capture', () => {
    expect(problemsOf([spec({ source: 'A.c', path: '/users/{1d}' })])[0]).toMatch(/malformed capture/)
  })

  it('accepts a route whose OR-ed values exceed one ALB rule: the manifest splits it', () => {
    const many = { type: 'host-header' as const, values: ['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com'], regexValues: [] }
    expect(buildRuleTable([spec({ source: 'A.many', conditions: [many] })]).rules).toHaveLength(1)
  })

  it('rejects automatic priorities beyond 50000', () => {
    let message = ''
    try {
      buildRuleTable([spec({ source: 'A.a', path: '/a' }), spec({ source: 'A.b', path: '/b' })], { start: 49995, step: 10 })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/A\.b: automatic priority 50005 exceeds ALB's 50000/)
  })
})
