import { describe, expect, it } from 'vitest'
import { Host, Header, Priority, Query, SourceIp } from '../../src/decorators/conditions.js'
import { Controller } from '../../src/decorators/controller.js'
import { All, Get, Post } from '../../src/decorators/methods.js'
import { Body, Param } from '../../src/decorators/params.js'
import { arrayBindings, joinPath, readControllers } from '../../src/metadata/read-controller.js'

describe('joinPath', () => {
  // DESIGN.md § Paths: exactly one "/" between prefix and path; omitted, '' or '/' is the prefix itself.
  it.each([
    ['/users', undefined, '/users'],
    ['/users', '', '/users'],
    ['/users', '/', '/users'],
    ['/users/', '/{id}', '/users/{id}'],
    ['users', '{id}', '/users/{id}'],
    ['', '/a', '/a'],
    ['/', undefined, '/'],
    ['', undefined, '/'],
    ['/users', '/{id}/', '/users/{id}/'],
    ['/api', '*', '/api/*'],
    ['/api', '//x', '/api/x'],
    ['/api/', '/x', '/api/x'],
    ['api', 'x', '/api/x'],
    ['//api//', 'x', '/api/x'],
    ['///', undefined, '/'],
  ])('joins %j and %j as %j', (prefix, path, joined) => {
    expect(joinPath(prefix, path)).toBe(joined)
  })

  it('keeps a trailing slash other than the bare "/" (ALB: /a and /a/ differ, spec/alb.md §2.4)', () => {
    expect(joinPath('/a', 'b/')).toBe('/a/b/')
  })

  it('joins a prefix into an anchored RegExp path', () => {
    expect((joinPath('/api', /^\/v(\d+)$/) as RegExp).source).toBe('^\\/api\\/v(\\d+)$')
  })

  it('refuses an unanchored RegExp under a prefix', () => {
    expect(joinPath('/api', /v\d+/)).toEqual({ problem: expect.stringMatching(/must start with \^/) })
  })
})

describe('readControllers', () => {
  it('applies class conditions to every route, class ones first', () => {
    @Controller('/admin', { target: 'admin' })
    @Host('admin.example.com')
    class Admin {
      @Get('/a') @Header('x-role', 'ops') a() {}
      @Post('/b') b() {}
    }
    const { routes } = readControllers([Admin])
    expect(routes.map((r) => [r.source, r.conditions.map((c) => c.type)])).toEqual([
      ['Admin.a', ['host-header', 'http-header']],
      ['Admin.b', ['host-header']],
    ])
    expect(routes[0]?.action).toEqual({ type: 'forward', target: 'admin' })
  })

  it('keeps method conditions in source order', () => {
    @Controller()
    class C {
      @Get() @Header('x-a', 'a') @Header('x-b', 'b') @Query('q') @SourceIp('10.0.0.0/8') @Priority(5) m() {}
    }
    const [route] = readControllers([C]).routes
    expect(route?.conditions).toEqual([
      { type: 'http-header', name: 'x-a', values: ['a'], regexValues: [] },
      { type: 'http-header', name: 'x-b', values: ['b'], regexValues: [] },
      { type: 'query-string', values: [{ key: 'q', value: '*' }] },
      { type: 'source-ip', values: ['10.0.0.0/8'] },
    ])
    expect(route?.priority).toBe(5)
  })

  it("makes @Query('*', v) ALB's key-less form and RegExp values regex values", () => {
    @Controller()
    class C {
      @All() @Query('*', 'x*') @Header('user-agent', '*Chrome*', /^curl\//) m() {}
    }
    const [route] = readControllers([C]).routes
    expect(route?.conditions).toEqual([
      { type: 'query-string', values: [{ value: 'x*' }] },
      { type: 'http-header', name: 'user-agent', values: ['*Chrome*'], regexValues: ['^curl\\/'] },
    ])
    expect(route?.methods).toBeUndefined()
  })

  it('reports a class without @Controller', () => {
    class Plain {}
    expect(readControllers([Plain]).problems).toEqual([{ source: 'Plain', message: expect.stringMatching(/@Controller/) }])
  })

  it('keeps two apps apart: metadata lives on each class, not in a global registry', () => {
    @Controller('/one') class One { @Get() a() {} }
    @Controller('/two') class Two { @Get() b() {} }
    expect(readControllers([One]).routes.map((r) => r.source)).toEqual(['One.a'])
    expect(readControllers([Two]).routes.map((r) => r.source)).toEqual(['Two.b'])
  })

  it('gives a method with two route decorators two routes', () => {
    @Controller() class C { @Get('/a') @Post('/a') m() {} }
    expect(readControllers([C]).routes.map((r) => r.methods)).toEqual([['GET', 'HEAD'], ['POST']])
  })

  it('reads parameters in parameter order, whatever order their decorators ran in', () => {
    @Controller()
    class C {
      @Post('/{id}') m(@Param('id') _id: string, @Query('q') _q: string, @Body() _body: unknown, @Header('x-a') _a: string) {}
    }
    const [route] = readControllers([C]).routes
    expect(route?.params.map((p) => [p.index, p.source])).toEqual([[0, 'path'], [1, 'query'], [2, 'body'], [3, 'header']])
  })

  it('keeps two decorators on one parameter in the order they ran (the nearest first), as a stable sort would', () => {
    @Controller()
    class C {
      @Get('/{id}') m(@Query('b') @Param('id') _x: string, @Query('c') _y: string) {}
    }
    const [route] = readControllers([C]).routes
    expect(route?.params.map((p) => [p.index, p.name])).toEqual([[0, 'id'], [0, 'b'], [1, 'c']])
  })

  it('gives the routes of one decorator one frozen list of methods, which their rules share', () => {
    @Controller() class C { @Get('/a') a() {} @Get('/b') b() {} }
    const [a, b] = readControllers([C]).routes
    expect(a?.methods).toBe(b?.methods)
    expect(Object.isFrozen(a?.methods)).toBe(true)
  })
})

describe('arrayBindings', () => {
  it('lists the parameters that receive every value of a repeated key, in route and parameter order', () => {
    @Controller()
    class C {
      @Get('/a') a(@Query('tag', { type: [String] }) _t: string[], @Query('page', { type: Number }) _p: number, @Header('x-id', { type: String }) _x: string) {}
      @Get('/b') b(@Header('x-many', { type: [Number] }) _m: number[], @Query({ type: Object }) _q: unknown, @Header({ type: Object }) _h: unknown) {}
      @Get('/c') c(@Param('id', { type: String }) _id: string) {}
    }
    expect(arrayBindings(readControllers([C]).routes)).toEqual([
      { source: 'C.a', name: 'tag' },
      { source: 'C.b', name: 'x-many' },
      { source: 'C.b', name: 'the query' },
      { source: 'C.b', name: 'the headers' },
    ])
  })
})
