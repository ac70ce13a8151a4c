import { describe, expect, it } from 'vitest'
import { Controller, Get, Header, albEvent, createApp, type ErrorInfo } from '../../src/index.js'

// issue #13 point 5: @Header on a class or method is ALB's http-header condition. NestJS and
// routing-controllers users write @Header('cache-control', 'no-store') meaning a response header;
// the route would then match only requests carrying it. createApp warns once, naming the fix.

describe('@Header(name, value) that looks like a response header', () => {
  @Controller('/c')
  @Header('x-frame-options', 'DENY')
  class Looks {
    @Get('/a')
    @Header('cache-control', 'no-store')
    a() {
      return 'a'
    }

    @Get('/b')
    @Header('Cache-Control', 'max-age=3600')
    b() {
      return 'b'
    }

    @Get('/tenant')
    @Header('x-tenant', 'acme')
    tenant() {
      return 't'
    }

    @Get('/revalidate')
    @Header('cache-control', 'no-cache')
    revalidate() {
      return 'r'
    }
  }

  it('is reported once per condition at createApp as a WARN_HEADER_CONDITION warning naming @ResponseHeader', () => {
    const reports: { error: Error; info: ErrorInfo }[] = []
    createApp({ controllers: [Looks], onError: (error, info) => reports.push({ error: error as Error, info }) })
    expect(reports.map((r) => [r.info.code, r.info.level, r.info.source])).toEqual([
      ['WARN_HEADER_CONDITION', 'warning', 'Looks.a'],
      ['WARN_HEADER_CONDITION', 'warning', 'Looks.a'],
      ['WARN_HEADER_CONDITION', 'warning', 'Looks.b'],
    ])
    expect(reports.map((r) => r.error.message)).toEqual([
      'Looks.a: @Header("x-frame-options", "DENY") is an ALB routing condition: the route only matches requests that carry x-frame-options: DENY. For a response header write @ResponseHeader("x-frame-options", "DENY").',
      'Looks.a: @Header("cache-control", "no-store") is an ALB routing condition: the route only matches requests that carry cache-control: no-store. For a response header write @ResponseHeader("cache-control", "no-store").',
      'Looks.b: @Header("Cache-Control", "max-age=3600") is an ALB routing condition: the route only matches requests that carry Cache-Control: max-age=3600. For a response header write @ResponseHeader("Cache-Control", "max-age=3600").',
    ])
  })

  it('stays a routing condition all the same (spec/alb.md §2.2): a request without the header does not match', async () => {
    const app = createApp({ controllers: [Looks], onError: () => {} })
    expect((await app.handler(albEvent({ path: '/c/a' }))).statusCode).toBe(404)
    const matched = await app.handler(albEvent({ path: '/c/a', headers: { 'cache-control': 'no-store', 'x-frame-options': 'deny' } }))
    expect(matched.statusCode).toBe(200)
  })

  it('says nothing about ordinary request conditions, including a request cache-control: no-cache', () => {
    @Controller()
    class Fine {
      @Get('/t') @Header('x-tenant', 'acme') t() {}
      @Get('/n') @Header('cache-control', 'no-cache') n() {}
      @Get('/j') @Header('content-type', 'application/json') j() {}
    }
    const reports: unknown[] = []
    createApp({ controllers: [Fine], onError: (error) => reports.push(error) })
    expect(reports).toEqual([])
  })
})
