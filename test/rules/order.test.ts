import { describe, expect, it } from 'vitest'
import { orderBySpecificity, orderKeyOf } from '../../src/rules/order.js'
import type { AlbCondition } from '../../src/rules/types.js'

const path = (value: string): AlbCondition => ({ type: 'path-pattern', values: [value], regexValues: [] })
const item = (name: string, conditions: AlbCondition[], index: number) => ({ name, key: orderKeyOf(conditions, index) })
const names = (items: ReturnType<typeof item>[]) => orderBySpecificity(items).map((i) => i.name)

describe('orderBySpecificity', () => {
  it('puts literal paths before wildcard paths', () => {
    expect(names([item('wild', [path('/users/*')], 0), item('literal', [path('/users/me')], 1)])).toEqual(['literal', 'wild'])
  })

  it('puts a longer literal prefix first', () => {
    expect(names([item('short', [path('/a*')], 0), item('long', [path('/a/b/*')], 1)])).toEqual(['long', 'short'])
  })

  it('puts more literal characters first when prefixes tie, so /users/{id}/posts precedes /users/{id}', () => {
    expect(names([item('id', [path('/users/*')], 0), item('posts', [path('/users/*/posts')], 1)])).toEqual(['posts', 'id'])
  })

  it('puts more conditions first on equal paths', () => {
    const header: AlbCondition = { type: 'http-header', name: 'x-beta', values: ['on'], regexValues: [] }
    expect(names([item('plain', [path('/p')], 0), item('beta', [path('/p'), header], 1)])).toEqual(['beta', 'plain'])
  })

  it('puts regex paths after wildcard paths, and path-less rules last', () => {
    const regex: AlbCondition = { type: 'path-pattern', values: [], regexValues: ['^/x$'] }
    const host: AlbCondition = { type: 'host-header', values: ['a.example.com'], regexValues: [] }
    expect(names([item('none', [host], 0), item('regex', [regex], 1), item('wild', [path('/*')], 2)])).toEqual(['wild', 'regex', 'none'])
  })

  it('keeps declaration order on ties', () => {
    expect(names([item('first', [path('/a')], 0), item('second', [path('/b')], 1)])).toEqual(['first', 'second'])
  })

  it('does not mutate its input and handles an empty list', () => {
    const input = [item('b', [path('/b/*')], 0), item('a', [path('/a')], 1)]
    orderBySpecificity(input)
    expect(input.map((i) => i.name)).toEqual(['b', 'a'])
    expect(orderBySpecificity([])).toEqual([])
  })
})
