import { describe, expect, it } from 'vitest'
import { NameRegistry, pascalName, snakeName, tagValue, upperSnakeName } from '../../src/manifest/names.js'

describe('resource names', () => {
  it.each([
    ['Users.get', 'UsersGet', 'users_get', 'USERS_GET'],
    ['Users.getById', 'UsersGetById', 'users_get_by_id', 'USERS_GET_BY_ID'],
    ['OrdersAPI.list', 'OrdersAPIList', 'orders_api_list', 'ORDERS_API_LIST'],
    ['orders-api', 'OrdersApi', 'orders_api', 'ORDERS_API'],
    ['2fa.verify', '2faVerify', '_2fa_verify', '_2FA_VERIFY'],
  ])('derives %s', (name, pascal, snake, upper) => {
    expect([pascalName(name), snakeName(name), upperSnakeName(name)]).toEqual([pascal, snake, upper])
  })

  it('falls back when nothing alphanumeric is left', () => {
    expect([pascalName('$.$'), snakeName('$.$'), upperSnakeName('$')]).toEqual(['Route', 'route', 'TARGET'])
  })

  it('suffixes names already handed out', () => {
    const names = new NameRegistry('_')
    expect(['a', 'a', 'a_2', 'a'].map((n) => names.take(n))).toEqual(['a', 'a_2', 'a_2_2', 'a_3'])
  })
})

describe('tagValue', () => {
  it('keeps the characters ELBv2 tags allow and replaces the rest', () => {
    expect(tagValue('Users.get')).toBe('Users.get')
    expect(tagValue('Api$.get#1 (x)')).toBe('Api_.get_1 _x_')
    expect(tagValue('x'.repeat(300))).toHaveLength(256)
  })
})
