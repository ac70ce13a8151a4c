import { describe, expect, it } from 'vitest'
import { createNaiveMatcher, explainMatch } from '../../src/rules/evaluate.js'
import type { AlbCondition, AlbRule, RuleTable } from '../../src/rules/types.js'
import { ruleRequest } from './rule-request.js'

let nextId = 0

function makeRule(overrides: Partial<AlbRule> & { conditions: AlbCondition[] }): AlbRule {
  const id = nextId++
  return {
    id,
    priority: 1000 + id * 10,
    action: { type: 'forward', target: 'default' },
    source: `Test.route${id}`,
    captures: [],
    ...overrides,
  }
}

function path(values: string[], regexValues: string[] = []): AlbCondition {
  return { type: 'path-pattern', values, regexValues }
}

function method(...values: string[]): AlbCondition {
  return { type: 'http-request-method', values }
}

function table(...rules: AlbRule[]): RuleTable {
  return { rules }
}

describe('createNaiveMatcher', () => {
  it('matches nothing with an empty table', () => {
    expect(createNaiveMatcher(table()).match(ruleRequest())).toBeUndefined()
  })

  // spec/alb.md §1.1: ascending priority, first rule whose conditions all hold wins
  it('picks the first rule in table order whose conditions all hold', () => {
    const specific = makeRule({ conditions: [path(['/users/me'])] })
    const wildcard = makeRule({ conditions: [path(['/users/*'])] })
    const matcher = createNaiveMatcher(table(specific, wildcard))
    expect(matcher.match(ruleRequest({ path: '/users/me' }))?.rule).toBe(specific)
    expect(matcher.match(ruleRequest({ path: '/users/1' }))?.rule).toBe(wildcard)
    const reversed = createNaiveMatcher(table(wildcard, specific))
    expect(reversed.match(ruleRequest({ path: '/users/me' }))?.rule).toBe(wildcard)
  })

  // spec/alb.md §1.2
  it('ANDs the conditions of a rule', () => {
    const post = makeRule({ conditions: [path(['/users']), method('POST')] })
    const any = makeRule({ conditions: [path(['/users'])] })
    const matcher = createNaiveMatcher(table(post, any))
    expect(matcher.match(ruleRequest({ method: 'POST', path: '/users' }))?.rule).toBe(post)
    expect(matcher.match(ruleRequest({ method: 'GET', path: '/users' }))?.rule).toBe(any)
    expect(matcher.match(ruleRequest({ method: 'POST', path: '/posts' }))).toBeUndefined()
  })

  it('ORs the values within a condition', () => {
    const read = makeRule({ conditions: [method('GET', 'HEAD')] })
    const matcher = createNaiveMatcher(table(read))
    expect(matcher.match(ruleRequest({ method: 'HEAD' }))?.rule).toBe(read)
    expect(matcher.match(ruleRequest({ method: 'PUT' }))).toBeUndefined()
  })

  it('ANDs repeated http-header conditions', () => {
    const both = makeRule({
      conditions: [
        { type: 'http-header', name: 'x-a', values: ['1'], regexValues: [] },
        { type: 'http-header', name: 'x-b', values: ['2'], regexValues: [] },
      ],
    })
    const matcher = createNaiveMatcher(table(both))
    expect(matcher.match(ruleRequest({ headers: { 'x-a': '1', 'x-b': '2' } }))?.rule).toBe(both)
    expect(matcher.match(ruleRequest({ headers: { 'x-a': '1' } }))).toBeUndefined()
  })

  it('lets a rule without conditions match every request', () => {
    const catchAll = makeRule({ conditions: [] })
    expect(createNaiveMatcher(table(catchAll)).match(ruleRequest({ path: '/x' }))?.rule).toBe(catchAll)
  })

  it('names the captures of the first path value', () => {
    const rule = makeRule({ conditions: [path(['/users/*/posts/*'])], captures: ['userId', 'postId'] })
    const match = createNaiveMatcher(table(rule)).match(ruleRequest({ path: '/users/42/posts/a/b' }))
    expect({ ...match?.params }).toEqual({ userId: '42', postId: 'a/b' })
  })

  it('skips unnamed * captures', () => {
    const rule = makeRule({ conditions: [path(['/*/users/*'])], captures: [null, 'id'] })
    const match = createNaiveMatcher(table(rule)).match(ruleRequest({ path: '/v1/users/7' }))
    expect({ ...match?.params }).toEqual({ id: '7' })
  })

  it('gives no params when the path matched through another OR-ed value', () => {
    const rule = makeRule({ conditions: [path(['/users/*', '/people/*'])], captures: ['id'] })
    const matcher = createNaiveMatcher(table(rule))
    expect({ ...matcher.match(ruleRequest({ path: '/users/1' }))?.params }).toEqual({ id: '1' })
    const other = matcher.match(ruleRequest({ path: '/people/1' }))
    expect(other?.rule).toBe(rule)
    expect({ ...other?.params }).toEqual({})
  })

  it('takes a regex path value’s named groups as params', () => {
    const rule = makeRule({
      conditions: [path([], ['^/users/(?<id>[0-9]+)(?:/(?<tab>[a-z]+))?$'])],
      captures: ['id', 'tab'],
    })
    const matcher = createNaiveMatcher(table(rule))
    expect({ ...matcher.match(ruleRequest({ path: '/users/9/posts' }))?.params }).toEqual({ id: '9', tab: 'posts' })
    expect({ ...matcher.match(ruleRequest({ path: '/users/9' }))?.params }).toEqual({ id: '9' })
  })

  it('gives empty params for a rule without a path condition', () => {
    const rule = makeRule({ conditions: [method('GET')], captures: ['id'] })
    expect({ ...createNaiveMatcher(table(rule)).match(ruleRequest())?.params }).toEqual({})
  })

  it('builds params as null-prototype objects', () => {
    const rule = makeRule({ conditions: [path(['/*'])], captures: ['__proto__'] })
    const params = createNaiveMatcher(table(rule)).match(ruleRequest({ path: '/x' }))?.params
    expect(Object.getPrototypeOf(params)).toBeNull()
    expect(Object.keys(params ?? {})).toEqual(['__proto__'])
  })

  it('does not mutate the table', () => {
    const rules = [makeRule({ conditions: [path(['/a'])] }), makeRule({ conditions: [path(['/b'])] })]
    const snapshot = structuredClone(rules)
    createNaiveMatcher(table(...rules)).match(ruleRequest({ path: '/b' }))
    expect(rules).toEqual(snapshot)
  })
})

describe('explainMatch', () => {
  const users = path(['/users/*'])
  const post = method('POST')
  const tenant: AlbCondition = { type: 'http-header', name: 'x-tenant', values: ['acme'], regexValues: [] }
  const a = makeRule({ conditions: [users, post] })
  const b = makeRule({ conditions: [tenant, users] })
  const c = makeRule({ conditions: [users] })

  it('names the first failing condition of each earlier rule and the match', () => {
    const result = explainMatch(table(a, b, c), ruleRequest({ method: 'GET', path: '/users/1' }))
    expect(result.matched).toBe(c)
    expect(result.rejected).toEqual([
      { rule: a, failed: post },
      { rule: b, failed: tenant },
    ])
  })

  it('reports the condition listed first when several fail', () => {
    const result = explainMatch(table(a), ruleRequest({ method: 'GET', path: '/posts' }))
    expect(result.rejected).toEqual([{ rule: a, failed: users }])
  })

  it('rejects every rule when none matches', () => {
    const result = explainMatch(table(a, c), ruleRequest({ path: '/nothing' }))
    expect(result.matched).toBeUndefined()
    expect(result.rejected.map((r) => r.rule)).toEqual([a, c])
  })

  it('agrees with createNaiveMatcher on which rule matches', () => {
    const t = table(a, b, c)
    for (const request of [
      ruleRequest({ method: 'POST', path: '/users/1' }),
      ruleRequest({ path: '/users/1', headers: { 'x-tenant': 'ACME' } }),
      ruleRequest({ path: '/users/1' }),
      ruleRequest({ path: '/' }),
    ]) {
      expect(explainMatch(t, request).matched).toBe(createNaiveMatcher(t).match(request)?.rule)
    }
  })
})
