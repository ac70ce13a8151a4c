// DTO support (class-transformer, class-validator, reflect-metadata), as an app with DTOs imports it.
import '../../src/dto.js'
import { Expose, Type } from 'class-transformer'
import { IsInt, IsOptional, IsString, Min } from 'class-validator'
import { describe, expect, it } from 'vitest'
import {
  All, Body, Controller, Cookie, Ctx, Delete, Event, FixedResponse, Get, Header, Host, HttpCode, Param, Post,
  Put, Query, Redirect, Req, SourceIp, createApp, createParamDecorator, reply,
} from '../../src/index.js'

// A custom parameter (DESIGN.md § The request pipeline) reads the context, not a request location.
const TenantOf = createParamDecorator((ctx) => ctx.state['tenant'])
import type { OpenApiDocument } from '../../src/openapi/index.js'
import { expectValidOpenApi } from './valid-openapi.js'

class Filter {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) limit?: number
  @IsString({ each: true }) @Expose({ name: 'tag' }) tags!: string[]
}
class Tenant {
  @IsString() xTenantId!: string
}
class Note {
  @IsString() text!: string
}

// Every parameter kind of DESIGN.md § Pinned signatures, on one route.
@Controller('/kinds')
class Kinds {
  @Put('/{id}/{slot}')
  @HttpCode(202)
  every(
    @Param('id', { type: Number }) id: number,
    @Query('on', { type: Boolean }) on: boolean,
    @Query('since', { type: Date, optional: true }) since: Date | undefined,
    @Query('n', { type: [Number] }) n: number[],
    @Query({ type: Filter }) filter: Filter,
    @Header('x-trace', { optional: true }) trace: string | undefined,
    @Header('x-flag', { type: [String], optional: true }) flags: string[] | undefined,
    @Header({ type: Tenant }) tenant: Tenant,
    @Cookie('session') session: string,
    @Body({ type: Note }) note: Note,
    @Req() req: unknown,
    @Event() event: unknown,
    @Ctx() ctx: unknown,
    @TenantOf() tenantOf: unknown,
  ) {
    return { id, on, since, n, filter, trace, flags, tenant, session, note, req, event, ctx, tenantOf }
  }

  @Post('/raw')
  raw(@Body({ type: String }) text: string) {
    return text
  }

  @Post('/bytes')
  bytes(@Body({ type: Buffer, optional: true }) bytes: Buffer | undefined) {
    return bytes
  }

  @Post('/many')
  many(@Body({ type: [Note] }) notes: Note[]) {
    return notes.length
  }
}

@Controller('/')
class Odd {
  @All('/proxy/*')
  proxy() {
    return 'ok'
  }

  @Get(/^\/v(?<major>[0-9]+)\/items$/)
  versioned(@Param('major', { type: Number }) major: number) {
    return major
  }

  @Get('/teapot')
  @FixedResponse(418, '{"short":"and stout"}', 'application/json')
  teapot() {}

  @Get('/empty')
  @FixedResponse(503)
  empty() {}

  @Get('/old/*')
  @Redirect({ host: 'new.example.com', path: '/#{path}', statusCode: 302 })
  old() {}

  @Delete('/things/{id}')
  @SourceIp('10.0.0.0/8')
  remove(@Param('id') id: string) {
    void id
  }

  @Post('/things')
  create() {
    return reply({ ok: true }, { status: 201 })
  }
}

@Controller('/same')
class Variants {
  @Get()
  @Host('a.example.com')
  @Query('mode', 'x')
  forA(@Query('extra') extra: string) {
    return extra
  }

  @Get()
  plain(@Query('extra', { optional: true }) extra?: string) {
    return extra
  }
}

// The same ALB pattern (/acct/*) spelt with two template names.
@Controller('/acct')
class Renamed {
  @Get('/{id}')
  byId(@Param('id') id: string) {
    return id
  }

  @Get('/{uid}')
  @Header('x-v', '2')
  byUid(@Param('uid', { type: Number }) uid: number) {
    return uid
  }

  @Delete('/{uid}')
  drop(@Param('uid') uid: string) {
    void uid
  }
}

const app = createApp({ controllers: [Kinds, Odd, Variants, Renamed] })
const document: OpenApiDocument = await app.openapi()

function operation(path: string, method: string) {
  const found = (document.paths[path] as Record<string, OpenApiDocument['paths'][string]['get']>)?.[method]
  if (found === undefined) throw new Error(`no ${method} ${path} in ${Object.keys(document.paths).join(', ')}`)
  return found
}

describe('buildOpenApi: paths and operations (issue #15 points 1 and 5)', () => {
  it('validates as OpenAPI 3.1', async () => {
    await expectValidOpenApi(document)
  })

  it('names each operation Controller.method and puts {name} captures in the path', () => {
    expect(operation('/kinds/{id}/{slot}', 'put').operationId).toBe('Kinds.every')
    // {slot} is captured but not bound: still a path parameter, a string.
    const slot = operation('/kinds/{id}/{slot}', 'put').parameters?.find((p) => p.name === 'slot')
    expect(slot).toMatchObject({ in: 'path', required: true, schema: { type: 'string' } })
  })

  it('gives @All every method OpenAPI has except HEAD and TRACE, with unique operationIds', () => {
    const item = document.paths['/proxy/*'] as Record<string, { operationId: string }>
    expect(Object.keys(item).sort()).toEqual(['delete', 'get', 'options', 'patch', 'post', 'put'])
    expect(item['get']?.operationId).toBe('Odd.proxy')
    expect(item['post']?.operationId).toBe('Odd.proxy.post')
  })

  it('describes a wildcard pattern exactly in x-albatross-conditions (spec/alb.md §2.0)', () => {
    expect(operation('/proxy/*', 'get')['x-albatross-conditions']).toEqual([
      { route: 'Odd.proxy', priority: expect.any(Number), conditions: [{ type: 'path-pattern', values: ['/proxy/*'] }] },
    ])
  })

  it('reads a RegExp path with named groups as a template, and keeps the regex in the extension', () => {
    const op = operation('/v{major}/items', 'get')
    expect(op.parameters).toEqual([expect.objectContaining({ name: 'major', in: 'path', schema: { type: 'number' } })])
    expect(op['x-albatross-conditions']).toEqual([
      expect.objectContaining({ conditions: [{ type: 'path-pattern', regexValues: ['^\\/v(?<major>[0-9]+)\\/items$'] }] }),
    ])
  })

  it('merges routes that share a path and method into one operation listing each variant in ALB order', () => {
    const op = operation('/same', 'get')
    expect(op.operationId).toBe('Variants.plain')
    const variants = op['x-albatross-conditions'] as { route: string; priority: number; conditions: unknown[] }[]
    expect(variants.map((v) => v.route)).toEqual(['Variants.forA', 'Variants.plain'])
    expect(variants[0]?.priority).toBeLessThan(variants[1]?.priority as number)
    expect(variants[0]?.conditions).toEqual([
      { type: 'host-header', values: ['a.example.com'] },
      { type: 'query-string', values: [{ key: 'mode', value: 'x' }] },
    ])
    // Required by one variant only: not required of the operation.
    expect(op.parameters).toEqual([expect.objectContaining({ name: 'extra', in: 'query', required: false })])
    expect(op.description).toMatch(/1\. `Variants\.forA`.*host-header a\.example\.com.*\n2\. `Variants\.plain`.*otherwise/)
  })

  it('holds one path once however its templates are named (OpenAPI 3.1 §4.8.8), names following the first rule', () => {
    // Renamed.byUid comes first in ALB order (it has a header condition), so its spelling wins.
    expect(Object.keys(document.paths).filter((key) => key.startsWith('/acct/'))).toEqual(['/acct/{uid}'])
    const get = operation('/acct/{uid}', 'get')
    expect((get['x-albatross-conditions'] as { route: string }[]).map((v) => v.route)).toEqual(['Renamed.byUid', 'Renamed.byId'])
    expect(get.parameters?.map((p) => p.name)).toEqual(['uid'])
    expect(operation('/acct/{uid}', 'delete').parameters).toEqual([expect.objectContaining({ name: 'uid', in: 'path' })])
  })

  it('never has two operations for one path and method', () => {
    const seen = Object.entries(document.paths).flatMap(([key, item]) => Object.keys(item).map((m) => `${m} ${key}`))
    expect(new Set(seen).size).toBe(seen.length)
  })

  it('documents source-ip conditions', () => {
    expect(operation('/things/{id}', 'delete')['x-albatross-conditions']).toEqual([
      expect.objectContaining({ conditions: [{ type: 'source-ip', values: ['10.0.0.0/8'] }] }),
    ])
  })
})

describe('buildOpenApi: parameters (issue #15 point 2)', () => {
  const params = Object.fromEntries((operation('/kinds/{id}/{slot}', 'put').parameters ?? []).map((p) => [`${p.in} ${p.name}`, p]))

  it('types each value as the binder converts it', () => {
    expect(params['path id']?.schema).toEqual({ type: 'number' })
    expect(params['query on']?.schema).toEqual({ type: 'boolean' })
    expect(params['query since']?.schema).toEqual({ type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] })
    expect(params['cookie session']).toMatchObject({ in: 'cookie', required: true, schema: { type: 'string' } })
  })

  it('takes required from optional', () => {
    expect(params['query on']?.required).toBe(true)
    expect(params['query since']?.required).toBe(false)
    expect(params['header x-trace']?.required).toBe(false)
  })

  it('documents arrays as repeated keys, with the multi-value note (spec/alb.md §4.2)', () => {
    expect(params['query n']).toMatchObject({ style: 'form', explode: true, schema: { type: 'array', items: { type: 'number' } } })
    expect(params['query n']?.description).toMatch(/lambda\.multi_value_headers\.enabled/)
    // OpenAPI allows only `simple` for headers.
    expect(params['header x-flag']).toMatchObject({ style: 'simple', schema: { type: 'array' } })
    expect(document['x-albatross-multi-value-headers']).toBe(true)
  })

  it('expands query and header DTOs into one parameter per property, under the names the binder reads', () => {
    expect(params['query limit']).toMatchObject({ required: false, schema: { type: 'integer', minimum: 1 } })
    expect(params['query tag']).toMatchObject({ required: true, style: 'form', explode: true, schema: { type: 'array', items: { type: 'string' } } })
    expect(params['header x-tenant-id']).toMatchObject({ required: true, schema: { type: 'string' } })
  })

  it('leaves out @Req, @Event, @Ctx and custom parameters, which no client sends', () => {
    expect(Object.keys(params).sort()).toEqual([
      'cookie session', 'header x-flag', 'header x-tenant-id', 'header x-trace', 'path id', 'path slot',
      'query limit', 'query n', 'query on', 'query since', 'query tag',
    ])
  })

  it('describes bodies by declared type', () => {
    expect(operation('/kinds/{id}/{slot}', 'put').requestBody).toEqual({
      required: true,
      content: {
        'application/json': { schema: { $ref: '#/components/schemas/Note' } },
        'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/Note' } },
      },
    })
    expect(operation('/kinds/raw', 'post').requestBody?.content).toEqual({ 'text/plain': { schema: { type: 'string' } } })
    expect(operation('/kinds/bytes', 'post').requestBody?.required).toBe(false)
    expect(operation('/kinds/many', 'post').requestBody?.content).toEqual({
      'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Note' } } },
    })
  })
})

describe('buildOpenApi: responses (issue #15 point 4)', () => {
  it('answers @HttpCode, with the shared 400 problem+json where input is validated', () => {
    const responses = operation('/kinds/{id}/{slot}', 'put').responses
    expect(Object.keys(responses)).toEqual(['202', '400', '415'])
    expect(responses['400']).toEqual({ $ref: '#/components/responses/ValidationFailed' })
    expect(document.components.responses?.['ValidationFailed']?.content?.['application/problem+json']?.schema).toEqual({
      $ref: '#/components/schemas/ValidationProblem',
    })
  })

  it('answers 204 for a method that returns nothing, 200 otherwise, and no 400 without parameters', () => {
    expect(Object.keys(operation('/things/{id}', 'delete').responses)).toEqual(['204', '400'])
    expect(Object.keys(operation('/things', 'post').responses)).toEqual(['200'])
  })

  it('documents a fixed response with its exact body', () => {
    expect(operation('/teapot', 'get').responses).toEqual({
      '418': expect.objectContaining({
        content: { 'application/json': { schema: { const: { short: 'and stout' } }, example: { short: 'and stout' } } },
      }),
    })
    expect(operation('/empty', 'get').responses['503']).not.toHaveProperty('content')
  })

  it('documents a redirect with its status and Location', () => {
    const response = operation('/old/*', 'get').responses['302'] as { headers: Record<string, { description: string }> }
    expect(response.headers['Location']?.description).toContain('#{protocol}://new.example.com:#{port}/#{path}?#{query}')
  })
})

describe('buildOpenApi: a 200-route app (issue #15 point 7)', () => {
  it('validates, and every route is an operation or a variant of one', async () => {
    class Big {}
    const methods = [Get, Post, Put, Delete]
    for (let i = 0; i < 200; i++) {
      const name = `r${i}`
      Object.defineProperty(Big.prototype, name, { value: () => i, configurable: true, writable: true })
      const descriptor = Object.getOwnPropertyDescriptor(Big.prototype, name) as PropertyDescriptor
      const target = Big.prototype as object
      // Every fourth route repeats an earlier path and method behind a header: a variant.
      const path = i % 4 === 3 ? `/r${i - 3}/{id}` : `/r${i}/{id}`
      const method = (methods[i % 4 === 3 ? 0 : i % 4] as typeof Get)(path)
      method(target, name, descriptor)
      if (i % 4 === 3) Header('x-version', `v${i}`)(target, name, descriptor)
      Param('id', { type: Number })(target, name, 0)
      Query('q', { type: String, optional: true })(target, name, 1)
    }
    Controller('/big')(Big)
    const big = createApp({ controllers: [Big] })
    const doc = await big.openapi({ title: 'big', version: '1' })
    await expectValidOpenApi(doc)
    const operations = Object.values(doc.paths).flatMap((item) => Object.values(item))
    expect(operations).toHaveLength(150)
    const documented = new Set(
      operations.flatMap((op) => [op.operationId, ...((op['x-albatross-conditions'] as { route: string }[] | undefined) ?? []).map((v) => v.route)]),
    )
    expect(big.routes().filter((r) => !documented.has(r.source))).toEqual([])
  })
})
