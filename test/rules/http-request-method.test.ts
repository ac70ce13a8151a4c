import { describe, expect, it } from 'vitest'
import { checkMethod, compileMethodMatcher } from '../../src/rules/http-request-method.js'
import { ruleRequest } from './rule-request.js'

function methodMatches(values: string[], method: string): boolean {
  return compileMethodMatcher({ type: 'http-request-method', values })(ruleRequest({ method }))
}

describe('compileMethodMatcher', () => {
  // spec/alb.md §2.8 method row, §2.3
  it('matches GET against GET only, not get or HEAD', () => {
    expect(methodMatches(['GET'], 'GET')).toBe(true)
    expect(methodMatches(['GET'], 'get')).toBe(false)
    expect(methodMatches(['GET'], 'HEAD')).toBe(false)
  })

  it('ORs several methods', () => {
    expect(methodMatches(['GET', 'HEAD'], 'HEAD')).toBe(true)
    expect(methodMatches(['GET', 'HEAD'], 'POST')).toBe(false)
  })

  it('takes no wildcards: * is a literal method name', () => {
    expect(methodMatches(['*'], 'GET')).toBe(false)
    expect(methodMatches(['G?T', 'X'], 'GET')).toBe(false)
  })

  it('matches custom methods exactly', () => {
    expect(methodMatches(['CUSTOM-METHOD'], 'CUSTOM-METHOD')).toBe(true)
  })
})

describe('checkMethod', () => {
  // spec/alb.md §2.3
  it('accepts A-Z, - and _ up to 40 characters', () => {
    expect(checkMethod('CUSTOM-METHOD_X')).toEqual([])
    expect(checkMethod('A'.repeat(40))).toEqual([])
  })

  it('refuses 41 characters', () => {
    expect(checkMethod('A'.repeat(41))[0]).toContain('at most 40')
  })

  it('refuses lower case and says ALB compares case-sensitively', () => {
    expect(checkMethod('get')[0]).toContain('write "GET"')
  })

  it.each(['GE T', 'GET1', 'G*T', 'G?T', 'GÉT'])('refuses %j', (m) => {
    expect(checkMethod(m)[0]).toContain('other than A-Z - _')
  })

  it('refuses an empty method', () => {
    expect(checkMethod('')).toHaveLength(1)
  })
})
