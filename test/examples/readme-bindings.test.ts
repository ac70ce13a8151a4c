// DTO support (class-transformer, class-validator, reflect-metadata), as an app with DTOs imports it.
import '../../src/dto.js'
import type { Context } from 'aws-lambda'
import { Type } from 'class-transformer'
import { IsArray, IsInt, IsOptional, IsString, Min } from 'class-validator'
import { describe, expect, it } from 'vitest'
import { Body, Controller, Cookie, Ctx, Get, Header, Param, Post, Query, Req, createApp, type AlbRequest } from '../../src/index.js'
import { albEvent } from '../../src/testing.js'

// The worked binding example in the README, run for real: its comments are the assertions.
class SearchQuery {
  @IsString() q!: string
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number
  @IsOptional() @IsArray() @IsString({ each: true }) tag?: string[]
}
class Tenant {
  @IsString() 'x-tenant'!: string
  @IsOptional() @IsArray() @IsString({ each: true }) 'x-feature'?: string[]
}
class CreateProject {
  @IsString() name!: string
}

@Controller('/orgs/{org}')
class Projects {
  @Get('/projects/{id}')
  get(
    @Param('org') org: string,
    @Param('id') id: string,
    @Cookie('session') session: string,
    @Query('fields', { type: [String], optional: true }) fields?: string[],
    @Query('page', { type: Number, optional: true }) page?: number,
    @Header('x-request-id', { optional: true }) requestId?: string,
  ) {
    return { org, id, session, fields, page: page ?? null, requestId }
  }

  @Get('/search')
  search(@Query({ type: SearchQuery }) query: SearchQuery, @Header({ type: Tenant }) tenant: Tenant) {
    return { query, tenant }
  }

  @Post('/projects')
  create(@Body({ type: CreateProject }) body: CreateProject, @Req() req: AlbRequest, @Ctx() ctx: Context) {
    return { name: body.name, method: req.method, fn: ctx.functionName }
  }
}

const app = createApp({ controllers: [Projects] })
const json = async (input: Parameters<typeof albEvent>[0], context?: unknown) =>
  JSON.parse((await app.handler(albEvent(input), context as Context)).body ?? '') as Record<string, unknown>

describe('the README binding example', () => {
  it('binds path, cookie, repeated query and header values as its comments say', async () => {
    const body = await json({
      path: '/orgs/acme/projects/p%201?fields=a&fields=b',
      multiValue: true,
      headers: { cookie: 'session=s1; theme=dark', 'X-Request-Id': 'r-1' },
    })
    expect(body).toEqual({ org: 'acme', id: 'p 1', session: 's1', fields: ['a', 'b'], page: null, requestId: 'r-1' })
  })

  it('binds a whole query and headers to DTOs with arrays from repeated keys', async () => {
    const body = await json({
      path: '/orgs/acme/search?q=birds&page=2&tag=a&tag=b',
      multiValue: true,
      headers: [['x-tenant', 't1'], ['x-feature', 'f1'], ['x-feature', 'f2']],
    })
    expect(body).toEqual({ query: { q: 'birds', page: 2, tag: ['a', 'b'] }, tenant: { 'x-tenant': 't1', 'x-feature': ['f1', 'f2'] } })
  })

  it('binds the body, the request and the Lambda context', async () => {
    const body = await json({ method: 'POST', path: '/orgs/acme/projects', body: { name: 'x' } }, { functionName: 'fn' })
    expect(body).toEqual({ name: 'x', method: 'POST', fn: 'fn' })
  })
})
