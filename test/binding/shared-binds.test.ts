// DTO support (class-transformer, class-validator, reflect-metadata), as an app with DTOs imports it.
import '../../src/dto.js'
import { IsString } from 'class-validator'
import { describe, expect, it } from 'vitest'
import { createBinder } from '../../src/binding/binder.js'
import { Controller, Get, Param, Query, albEvent, createApp } from '../../src/index.js'
import type { ParamDefinition } from '../../src/metadata/types.js'
import { param, requestFrom } from './helpers.js'

// binding/shared-binds.ts: routes whose parameters plan to the same binds share one binder, so a
// 1,000-route app does not keep a binder per route; what each route binds must not change.

const route = (source: string, ...defs: ParamDefinition[]) => ({ source, params: defs.map((def, index) => ({ ...def, index })) })
const scalars = () => [param('path', 'id', { type: String }), param('query', 'q', { type: String }), param('body', undefined, { type: Object })]

class Named {
  @IsString() name!: string
}

describe('shared binders', () => {
  it('gives routes with the same parameters one binder', () => {
    expect(createBinder(route('A.get', ...scalars()))).toBe(createBinder(route('B.get', ...scalars())))
  })

  it('keeps binders apart when a key, a type, optionality or a position differs', () => {
    const base = createBinder(route('A.get', param('query', 'q', { type: String })))
    expect(createBinder(route('B.get', param('query', 'page', { type: String })))).not.toBe(base)
    expect(createBinder(route('B.get', param('query', 'q', { type: Number })))).not.toBe(base)
    expect(createBinder(route('B.get', param('query', 'q', { type: String, optional: true })))).not.toBe(base)
    expect(createBinder(route('B.get', param('query', 'q', { type: [String] })))).not.toBe(base)
    expect(createBinder(route('B.get', param('header', 'q', { type: String })))).not.toBe(base)
    const second = { source: 'B.get', params: [{ ...param('query', 'q', { type: String }), index: 1 }] }
    expect(createBinder(second)).not.toBe(base)
  })

  it('binds each request by its own route: the same binder reads each request\'s values', async () => {
    const binder = createBinder(route('A.get', ...scalars()))
    const request = (id: string, q: string) =>
      requestFrom({ method: 'POST', path: `/a/${id}?q=${q}`, body: `{"n":"${id}"}`, headers: [['content-type', 'application/json']] })
    expect(await binder(request('1', 'x'), { id: '1' }, undefined)).toEqual(['1', 'x', { n: '1' }])
    expect(await createBinder(route('B.get', ...scalars()))(request('2', 'y'), { id: '2' }, undefined)).toEqual(['2', 'y', { n: '2' }])
  })

  it('does not share a binder that binds a DTO, which is prepared per route', () => {
    const dto = () => route('A.create', param('body', undefined, { type: Named }))
    expect(createBinder(dto())).not.toBe(createBinder(dto()))
  })

  it('keeps each request its own values and issues while routes sharing a binder interleave', async () => {
    // Two routes declared alike (one binder) whose handlers await between reading and answering:
    // requests overlap, and a bad one between good ones fails alone, naming its own value.
    const pause = () => new Promise((resolve) => setTimeout(resolve, 1))
    @Controller()
    class Shared {
      @Get('/a/{id}') async a(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) {
        await pause()
        return { route: 'a', id, q }
      }
      @Get('/b/{id}') async b(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) {
        await pause()
        return { route: 'b', id, q }
      }
    }
    const app = createApp({ controllers: [Shared] })
    const answers = await Promise.all(
      ['/a/1?q=x', '/b/2', '/a/oops?q=y', '/b/3?q=z%20z', '/a/4'].map((path) => app.handler(albEvent({ path }))),
    )
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 400, 200, 200])
    expect(answers.map((a) => (a.statusCode === 200 ? JSON.parse(a.body ?? '') : undefined))).toEqual([
      { route: 'a', id: 1, q: 'x' },
      { route: 'b', id: 2 },
      undefined,
      { route: 'b', id: 3, q: 'z z' },
      { route: 'a', id: 4 },
    ])
    expect(JSON.parse(answers[2]?.body ?? '')).toMatchObject({ errors: [{ location: 'path.id', value: 'oops' }] })
  })
})
