import { describe, expect, it } from 'vitest'
import { Controller, Get, Header, Param, Priority } from '../../src/index.js'

// Compiled without experimentalDecorators (tsx or esbuild on a file outside the tsconfig), a
// decorator gets TC39's (value, context) and would record nothing: an app that 404s everything.
describe('decorators compiled as standard decorators', () => {
  const context = (kind: string) => ({ kind, name: 'get', addInitializer() {} })

  it.each([
    ['@Controller', () => (Controller('/x') as unknown as (v: unknown, c: unknown) => void)(class {}, context('class'))],
    ['@Get', () => (Get('/') as unknown as (v: unknown, c: unknown) => void)(() => {}, context('method'))],
    ['@Header', () => (Header('x-a', 'b') as unknown as (v: unknown, c: unknown) => void)(() => {}, context('method'))],
    ['@Priority', () => (Priority(1) as unknown as (v: unknown, c: unknown) => void)(() => {}, context('method'))],
    ['@Param', () => (Param('id') as unknown as (v: unknown, c: unknown) => void)(undefined, context('parameter'))],
  ])('%s throws, naming experimentalDecorators', (_name, apply) => {
    expect(apply).toThrow(/experimentalDecorators/)
  })
})
