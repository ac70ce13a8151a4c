import { describe, expect, it } from 'vitest'
import { JSON_MAX_DEPTH, jsonNestsDeeperThan, mediaKind, parseJson } from '../../src/binding/request-body.js'

describe('mediaKind', () => {
  it.each([
    ['application/json', 'json'],
    ['Application/JSON; charset=UTF-8', 'json'],
    ['application/problem+json', 'json'],
    ['application/vnd.api+json ; x=y', 'json'],
    ['application/x-www-form-urlencoded', 'form'],
    ['application/x-www-form-urlencoded;charset=utf-8', 'form'],
    ['text/plain', 'text'],
    ['TEXT/CSV; charset=utf-8', 'text'],
    ['application/octet-stream', 'other'],
    ['image/png', 'other'],
    ['multipart/form-data; boundary=x', 'other'],
    ['application/jsonx', 'other'],
    ['', 'none'],
    [undefined, 'none'],
  ])('reads %j as %s', (contentType, kind) => {
    expect(mediaKind(contentType)).toBe(kind)
  })
})

describe('parseJson', () => {
  it('parses JSON', () => {
    expect(parseJson('{"a":[1,{"b":null}]}')).toEqual({ value: { a: [1, { b: null }] } })
  })

  it('names the problem without quoting the body', () => {
    const result = parseJson('{"password":"hunter2", oops}')
    expect(result).toHaveProperty('error')
    const { error } = result as { error: string }
    expect(error).toMatch(/^body is not valid JSON: /)
    expect(error).not.toContain('hunter2')
    expect(error).not.toContain('password')
  })

  it('reports a truncated document', () => {
    expect(parseJson('{"a":1')).toEqual({ error: expect.stringMatching(/^body is not valid JSON: .*(end|position)/) })
  })

  it(`accepts ${JSON_MAX_DEPTH} levels and refuses ${JSON_MAX_DEPTH + 1}`, () => {
    const nest = (n: number) => '['.repeat(n) + ']'.repeat(n)
    expect(parseJson(nest(JSON_MAX_DEPTH))).toHaveProperty('value')
    expect(parseJson(nest(JSON_MAX_DEPTH + 1))).toEqual({ error: expect.stringMatching(/nested deeper than 64/) })
  })

  it('refuses a million levels without overflowing the stack', () => {
    expect(parseJson('{"a":'.repeat(1_000_000))).toHaveProperty('error')
  })
})

describe('jsonNestsDeeperThan', () => {
  it('ignores brackets inside strings, also after escaped quotes', () => {
    const text = JSON.stringify({ s: '[[[[[[\\"[[[[[', t: '{{{{{{' })
    expect(jsonNestsDeeperThan(text, 2)).toBe(false)
    expect(jsonNestsDeeperThan('{"a":{"b":{"c":1}}}', 2)).toBe(true)
    expect(jsonNestsDeeperThan('{"a":{"b":{"c":1}}}', 3)).toBe(false)
  })
})
