// DTO support, as an app with DTOs imports it.
import '../../src/dto.js'
import { IsString } from 'class-validator'
import { describe, expect, it } from 'vitest'
import { Body, Controller, Post, createApp, type AppOptions } from '../../src/index.js'
import { checkedTable, under } from './checks.js'

// verified-table/declaration-key.ts holds each parameter's type by name. A DTO class is checked at
// createApp whatever the key says, a built-in type is not: a DTO named like a built-in must not
// pass for that built-in, which the binder may refuse (a Map body).
describe('the key of a parameter type', () => {
  it('tells a DTO class named Map from the global Map', () => {
    const app = (type: unknown): AppOptions => {
      @Controller('/maps')
      class Maps {
        @Post() create(@Body({ type: type as never }) body: object) { return body }
      }
      return { controllers: [Maps], onError: () => undefined }
    }
    class Map {
      @IsString() name!: string
    }
    const table = checkedTable(() => createApp(app(Map)))
    expect(() => under('trust', () => createApp({ ...app(Map), table }))).not.toThrow()
    expect(() => under('full', () => createApp(app(globalThis.Map)))).toThrow(/has type Map; a body is a DTO class/)
    expect(() => under('trust', () => createApp({ ...app(globalThis.Map), table }))).toThrow(/Maps\.create changed since the check/)
  })
})
