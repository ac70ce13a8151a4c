// DTO support (class-transformer, class-validator, reflect-metadata), as an app with DTOs imports it.
import '../../src/dto.js'
import { IsInt, Min } from 'class-validator'
import { describe, expect, it } from 'vitest'
import { Body, Controller, Cookie, Get, Post, Query, createApp } from '../../src/index.js'
import { albEvent } from '../../src/testing.js'

// Statements the README makes in prose, run for real (issue #17 point 3). Each test names the
// README passage it holds true.

class Qty {
  @IsInt() @Min(1) qty!: number
}

@Controller('/c')
class Claims {
  @Get('/page')
  @Query('page')
  page(@Query('page', { optional: true }) page?: string) {
    return { page: page ?? null }
  }

  @Get('/cookie')
  cookie(
    @Cookie('s', { optional: true }) s?: string,
    @Cookie('s', { type: [String], optional: true }) all?: string[],
    @Cookie('q', { optional: true }) q?: string,
  ) {
    return { s: s ?? null, all: all ?? null, q: q ?? null }
  }

  @Post('/qty')
  qty(@Body({ type: Qty }) body: Qty) {
    return body
  }
}

const app = createApp({ controllers: [Claims] })
const call = (input: Parameters<typeof albEvent>[0]) => app.handler(albEvent(input))
const json = async (input: Parameters<typeof albEvent>[0]) => JSON.parse((await call(input)).body ?? '') as Record<string, unknown>

describe('README § Routing: the default action', () => {
  it('answers 404 application/json with the problem+json shape', async () => {
    const result = await call({ path: '/nowhere' })
    expect(result.statusCode).toBe(404)
    expect(result.headers).toEqual({ 'content-type': 'application/json' })
    expect(result.body).toBe('{"type":"about:blank","title":"Not Found","status":404}')
  })
})

describe('README § Validation errors', () => {
  it('echoes an invalid value as a string, even a JSON number', async () => {
    const result = await call({ method: 'POST', path: '/c/qty', body: { qty: 0 } })
    expect(result.statusCode).toBe(400)
    const errors = (JSON.parse(result.body ?? '') as { errors: { location: string; value: unknown }[] }).errors
    expect(errors).toEqual([expect.objectContaining({ location: 'body.qty', constraint: 'min', value: '0' })])
  })
})

describe('README § Query keys bind case-sensitively', () => {
  it('the query-string condition matches a key in any case (ALB: case-insensitive keys)', async () => {
    expect((await call({ path: '/c/page?PAGE=2' })).statusCode).toBe(200)
    expect((await call({ path: '/c/page?other=2' })).statusCode).toBe(404)
  })
  it('the parameter binds only the exact key', async () => {
    expect(await json({ path: '/c/page?page=2' })).toEqual({ page: '2' })
    expect(await json({ path: '/c/page?PAGE=2' })).toEqual({ page: null })
  })
})

describe('README § Cookies', () => {
  it('returns the value unquoted and percent-decoded when valid, as sent when not, split at the first =', async () => {
    expect(await json({ path: '/c/cookie', headers: { cookie: 's=a%20b; q="x=y"' } })).toEqual({ s: 'a b', all: ['a b'], q: 'x=y' })
    expect(await json({ path: '/c/cookie', headers: { cookie: 's=100%; q="%E0%A4%A"' } })).toEqual({ s: '100%', all: ['100%'], q: '%E0%A4%A' })
  })
  it('skips a pair without =, and trims names and values', async () => {
    expect(await json({ path: '/c/cookie', headers: { cookie: 'junk;  s = v ' } })).toEqual({ s: 'v', all: ['v'], q: null })
  })
  it('gives a scalar the first of a repeated name and [String] every value in order', async () => {
    expect(await json({ path: '/c/cookie', headers: { cookie: 's=1; s=2' } })).toEqual({ s: '1', all: ['1', '2'], q: null })
  })
  it('counts every cookie header in multi-value mode, only the last in single-value mode', async () => {
    const headers: [string, string][] = [['cookie', 's=1'], ['cookie', 's=2; q=3']]
    expect(await json({ path: '/c/cookie', headers, multiValue: true })).toEqual({ s: '1', all: ['1', '2'], q: '3' })
    expect(await json({ path: '/c/cookie', headers })).toEqual({ s: '2', all: ['2'], q: '3' })
  })
})
