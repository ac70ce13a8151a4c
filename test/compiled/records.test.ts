import 'reflect-metadata'
import { IsString } from 'class-validator'
import { describe, expect, it } from 'vitest'
import { recordMismatch } from '../../src/compiled/records.js'
import type { CompiledTable } from '../../src/compiled/format.js'
import { Body, Controller, Delete, FixedResponse, Get, Header, Host, HttpCode, Param, Patch, Post, Priority, Query, Redirect, ResponseHeader, SourceIp, Use, type AppOptions } from '../../src/index.js'
import type { ClassType } from '../../src/metadata/types.js'
import { compiledTableMismatch } from '../../src/compiled/mismatch.js'
import { compiledPart, compiledTable } from './tables.js'

/*
 * albatross/compiled's createApp routes with the rules the table holds, so the controllers it is
 * given must be the ones the table was checked with: recordMismatch (src/compiled/records.ts)
 * compares the decorator records field by field with the ones the check wrote, and names the
 * first member that differs. Every change below is made to a class declared after the check (a
 * class of the same name, as a rebuilt Lambda without a new check would load).
 */

const options = (...controllers: ClassType[]): AppOptions => ({ controllers, onError: () => undefined })

class CreateUser {
  @IsString()
  name!: string
}

/** The app as it was checked: three routes, each kind of parameter the records hold. */
function checked() {
  @Controller('/users')
  class Users {
    @Get('/{id}')
    get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) {
      return { id, q }
    }

    @Post()
    @HttpCode(201)
    create(@Body({ type: Object }) body: object) {
      return body
    }

    @Delete('/{id}')
    remove(@Param('id', { type: Number }) id: number) {
      return { id }
    }
  }
  return Users
}

@Controller('/orders')
class Orders {
  @Get()
  list() {
    return []
  }
}

const table: CompiledTable = compiledPart(options(checked()))
/** The whole verified table, as an albatross/compiled entry is given it. */
const given = compiledTable(options(checked()))
const names = (c: number) => ['Users', 'Orders'][c] ?? `controller ${c + 1}`
const mismatch = (...controllers: ClassType[]) => recordMismatch(controllers, table, names)

const CHANGED = /^Users\.(\w+) changed since the check \(its path, methods, conditions, priority, @HttpCode, parameters or other decorators\)$/

describe('recordMismatch', () => {
  it('matches the controllers the table was checked with, and a class declared the same way again', () => {
    expect(mismatch(checked())).toBeUndefined()
    expect(mismatch(checked())).toBeUndefined()
  })

  describe('names the route whose declaration changed', () => {
    const cases: Record<string, { member: string; build: () => ClassType }> = {
      'its path': {
        member: 'get',
        build: () => {
          @Controller('/users')
          class Users {
            @Get('/{id}/profile') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
            @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
            @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
          }
          return Users
        },
      },
      'its path made a RegExp': {
        member: 'get',
        build: () => {
          @Controller('/users')
          class Users {
            @Get(/^\/(?<id>[0-9]+)$/) get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
            @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
            @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
          }
          return Users
        },
      },
      'a second route on the method': {
        member: 'remove',
        build: () => {
          @Controller('/users')
          class Users {
            @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
            @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
            @Delete('/{id}') @Post('/{id}/delete') remove(@Param('id', { type: Number }) id: number) { return { id } }
          }
          return Users
        },
      },
      'its methods': {
        member: 'remove',
        build: () => {
          @Controller('/users')
          class Users {
            @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
            @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
            @Patch('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
          }
          return Users
        },
      },
      'a priority declared': {
        member: 'remove',
        build: () => {
          @Controller('/users')
          class Users {
            @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
            @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
            @Delete('/{id}') @Priority(5) remove(@Param('id', { type: Number }) id: number) { return { id } }
          }
          return Users
        },
      },
      // The checks refuse NaN; the table's "not declared" (null) must not stand for it.
      'a NaN priority where none was declared': {
        member: 'remove',
        build: () => {
          @Controller('/users')
          class Users {
            @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
            @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
            @Delete('/{id}') @Priority(Number.NaN) remove(@Param('id', { type: Number }) id: number) { return { id } }
          }
          return Users
        },
      },
      'its @HttpCode': {
        member: 'create',
        build: () => {
          @Controller('/users')
          class Users {
            @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
            @Post() @HttpCode(202) create(@Body({ type: Object }) body: object) { return body }
            @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
          }
          return Users
        },
      },
      'its @HttpCode removed': {
        member: 'create',
        build: () => {
          @Controller('/users')
          class Users {
            @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
            @Post() create(@Body({ type: Object }) body: object) { return body }
            @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
          }
          return Users
        },
      },
      "a parameter's index (parameters swapped)": {
        member: 'get',
        build: () => {
          @Controller('/users')
          class Users {
            @Get('/{id}') get(@Query('q', { type: String, optional: true }) q: string | undefined, @Param('id', { type: Number }) id: number) { return { id, q } }
            @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
            @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
          }
          return Users
        },
      },
      "a parameter's source (@Query → @Header)": {
        member: 'get',
        build: () => {
          @Controller('/users')
          class Users {
            @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Header('q', { type: String, optional: true }) q?: string) { return { id, q } }
            @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
            @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
          }
          return Users
        },
      },
      "a parameter's name": {
        member: 'get',
        build: () => {
          @Controller('/users')
          class Users {
            @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('search', { type: String, optional: true }) q?: string) { return { id, q } }
            @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
            @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
          }
          return Users
        },
      },
      'a parameter made required': {
        member: 'get',
        build: () => {
          @Controller('/users')
          class Users {
            @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String }) q: string) { return { id, q } }
            @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
            @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
          }
          return Users
        },
      },
      "a parameter's type String → Number": {
        member: 'get',
        build: () => {
          @Controller('/users')
          class Users {
            @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: Number, optional: true }) q?: number) { return { id, q } }
            @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
            @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
          }
          return Users
        },
      },
      "a parameter's type String → [String]": {
        member: 'get',
        build: () => {
          @Controller('/users')
          class Users {
            @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: [String], optional: true }) q?: string[]) { return { id, q } }
            @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
            @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
          }
          return Users
        },
      },
      "a body's type Object → a DTO class": {
        member: 'create',
        build: () => {
          @Controller('/users')
          class Users {
            @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
            @Post() @HttpCode(201) create(@Body({ type: CreateUser }) body: CreateUser) { return body }
            @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
          }
          return Users
        },
      },
      'a parameter added': {
        member: 'remove',
        build: () => {
          @Controller('/users')
          class Users {
            @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
            @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
            @Delete('/{id}') remove(@Param('id', { type: Number }) id: number, @Query('hard', { type: Boolean, optional: true }) hard?: boolean) { return { id, hard } }
          }
          return Users
        },
      },
      // What albatross/compiled does not run, on a route: the member's record holds it, not its rule.
      'a routing condition (@Header) on the route': {
        member: 'get',
        build: () => {
          @Controller('/users')
          class Users {
            @Get('/{id}') @Header('x-beta', 'on') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
            @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
            @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
          }
          return Users
        },
      },
      '@Use on the route': {
        member: 'create',
        build: () => {
          @Controller('/users')
          class Users {
            @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
            @Post() @HttpCode(201) @Use((_request, next) => next()) create(@Body({ type: Object }) body: object) { return body }
            @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
          }
          return Users
        },
      },
      '@ResponseHeader on the route': {
        member: 'remove',
        build: () => {
          @Controller('/users')
          class Users {
            @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
            @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
            @Delete('/{id}') @ResponseHeader('cache-control', 'no-store') remove(@Param('id', { type: Number }) id: number) { return { id } }
          }
          return Users
        },
      },
    }
    for (const [change, { member, build }] of Object.entries(cases)) {
      it(change, () => {
        const found = mismatch(build())
        expect(found).toMatch(CHANGED)
        expect(found?.match(CHANGED)?.[1]).toBe(member)
        // Tests and `albatross check` compare the table as the Lambda does (compiled/mismatch.ts), with its words.
        const cls = build()
        expect(compiledTableMismatch(given, options(cls), [cls], undefined, given.sources)).toBe(found)
      })
    }
  })

  describe('names the route that was added, removed or moved', () => {
    it('a route added at the end', () => {
      @Controller('/users')
      class Users {
        @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
        @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
        @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
        @Get('/me') me() { return {} }
      }
      expect(mismatch(Users)).toBe('Users.me is not where the table has it (a route added, removed or reordered since the check)')
    })

    it('a route added between two others', () => {
      @Controller('/users')
      class Users {
        @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
        @Get('/me') me() { return {} }
        @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
        @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
      }
      expect(mismatch(Users)).toMatch(/^Users\.me is not where the table has it/)
    })

    it('the last route removed', () => {
      @Controller('/users')
      class Users {
        @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
        @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
      }
      expect(mismatch(Users)).toBe('Users.remove is in the table but no longer declared')
    })

    it('a route removed from the middle', () => {
      @Controller('/users')
      class Users {
        @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
        @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
      }
      expect(mismatch(Users)).toMatch(/^Users\.remove is not where the table has it/)
    })

    it('two routes reordered', () => {
      @Controller('/users')
      class Users {
        @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
        @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
        @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
      }
      expect(mismatch(Users)).toMatch(/^Users\.create is not where the table has it/)
    })

    it('a method without a route that gained a routing decorator', () => {
      @Controller('/users')
      class Users {
        @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
        @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
        @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
        @Priority(3) helper() { return 1 }
      }
      expect(mismatch(Users)).toBe('Users.helper has routing decorators but no route')
    })
  })

  // The checks' key holds each route's path joined with its prefix (metadata/read-controller.ts
  // joinPath): the same joined path split another way is the same rule, accepted by both.
  describe('accepts the same routes with their paths split or written another way', () => {
    it('the prefix moved into the paths, or the paths into the prefix', () => {
      @Controller('')
      class Users {
        @Get('/users/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
        @Post('/users') @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
        @Delete('users/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
      }
      expect(mismatch(Users)).toBeUndefined()
    })

    it("'/' or '' for no path, slashes the join drops", () => {
      @Controller('users/')
      class Users {
        @Get('{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
        @Post('/') @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
        @Delete('//{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
      }
      expect(mismatch(Users)).toBeUndefined()
    })
  })

  describe('names the controller whose class-level declaration changed', () => {
    // The prefix is compared joined with each route's path, as the checks' key holds it: the first
    // route is named.
    it('its prefix', () => {
      @Controller('/people')
      class Users {
        @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
        @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
        @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
      }
      expect(mismatch(Users)).toMatch(CHANGED)
      expect(mismatch(Users)).toMatch(/^Users\.get /)
    })

    it('its forward target', () => {
      @Controller('/users', { target: 'users' })
      class Users {
        @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
        @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
        @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
      }
      expect(mismatch(Users)).toBe("Users's @Controller changed")
    })

    it('@Use on the class', () => {
      @Controller('/users')
      @Use((_request, next) => next())
      class Users {
        @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
        @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
        @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
      }
      expect(mismatch(Users)).toBe('Users has class decorators albatross/compiled leaves out')
    })

    it('a @Header condition on the class: its first route is named', () => {
      @Controller('/users')
      @Header('x-beta', 'on')
      class Users {
        @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
        @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
        @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
      }
      expect(mismatch(Users)).toBe("Users.get changed since the check (its class's conditions or @ResponseHeader)")
    })

    it('a controller added', () => {
      expect(mismatch(checked(), Orders)).toBe('the app has 2 controllers, the table 1')
    })

    it('a controller removed', () => {
      const two = compiledPart(options(checked(), Orders))
      expect(recordMismatch([checked(), Orders], two, names)).toBeUndefined()
      expect(recordMismatch([checked()], two, names)).toBe('the app has 1 controllers, the table 2')
    })

    it('a class that is no longer a controller', () => {
      class Users {}
      expect(mismatch(Users)).toBe('Users is no longer a controller')
    })

    it('two controllers swapped', () => {
      const two = compiledPart(options(checked(), Orders))
      expect(recordMismatch([Orders, checked()], two, names)).toMatch(/^Users\.list is not where the table has it/)
    })
  })
})

/*
 * Routing conditions, response headers and native actions: the compiled table holds each member's
 * and each class's as the exact JSON text the declaration key uses (compiled/format.ts
 * memberExtra, classExtra), so any change to one, however small, is a stale table naming the
 * member (a class's: its first route). The rules were built from exactly these declarations.
 */
describe('recordMismatch: conditions, response headers and native actions', () => {
  interface ShopDeclaration {
    readonly host?: (string | RegExp)[]
    readonly classHeader?: string
    readonly classCache?: string
    readonly betaName?: string
    readonly beta?: (string | RegExp)[]
    readonly query?: string[]
    readonly adminHeader?: string
    readonly ip?: string[]
    readonly cache?: string
    readonly redirect?: string
    readonly gone?: string
  }

  /** A controller with each kind, declared as `d` says: the decorators applied as TypeScript applies them. */
  function shop(d: ShopDeclaration): ClassType {
    @Controller('/shop')
    class Shop {
      @Get('/items') list() { return [] }
      @Get('/admin') admin() { return {} }
      @Get('/old') old() {}
      @Get('/gone') gone() {}
    }
    const on = (decorator: MethodDecorator, key: 'list' | 'admin' | 'old' | 'gone') => decorator(Shop.prototype, key, Object.getOwnPropertyDescriptor(Shop.prototype, key) as PropertyDescriptor)
    // Bottom-up, as `@Header(…) @Query(…) list()` applies them.
    if (d.query !== undefined) on(Query('v', ...d.query), 'list')
    if (d.beta !== undefined) on(Header(d.betaName ?? 'x-beta', ...d.beta), 'list')
    if (d.adminHeader !== undefined) on(Header('x-admin', d.adminHeader), 'admin')
    if (d.ip !== undefined) on(SourceIp(...d.ip), 'admin')
    if (d.cache !== undefined) on(ResponseHeader('cache-control', d.cache), 'admin')
    if (d.redirect !== undefined) on(Redirect({ path: d.redirect, statusCode: 301 }), 'old')
    if (d.gone !== undefined) on(FixedResponse(410, d.gone), 'gone')
    if (d.host !== undefined) Host(...d.host)(Shop)
    if (d.classHeader !== undefined) (Header('x-tenant', d.classHeader) as ClassDecorator)(Shop)
    if (d.classCache !== undefined) ResponseHeader('x-shop', d.classCache)(Shop)
    return Shop
  }

  const CHECKED: ShopDeclaration = { host: ['api.example.com'], beta: ['on'], query: ['1'], ip: ['10.0.0.0/8'], cache: 'no-store', redirect: '/new', gone: 'gone' }
  const shopTable = compiledPart(options(shop(CHECKED)))
  const shopMismatch = (d: ShopDeclaration) => recordMismatch([shop(d)], shopTable, () => 'Shop')
  const MEMBER = /^Shop\.(\w+) changed since the check \(its path, methods, conditions, priority, @HttpCode, parameters or other decorators\)$/

  it('holds them: the rules their conditions and actions, the records their exact text', () => {
    const [list, admin, old, gone] = ['list', 'admin', 'old', 'gone'].map((member) => shopTable.rules.find((rule) => rule[6] === member))
    expect(list?.[7]).toEqual([
      { type: 'host-header', values: ['api.example.com'], regexValues: [] },
      { type: 'http-header', name: 'x-beta', values: ['on'], regexValues: [] },
      { type: 'query-string', values: [{ key: 'v', value: '1' }] },
    ])
    expect(admin?.[7]).toEqual([{ type: 'host-header', values: ['api.example.com'], regexValues: [] }, { type: 'source-ip', values: ['10.0.0.0/8'] }])
    expect(old?.[8]).toEqual({ type: 'redirect', statusCode: 301, path: '/new' })
    expect(gone?.[8]).toEqual({ type: 'fixed-response', statusCode: 410, messageBody: 'gone' })
    // Merged as route-entry.ts merges them, for the compiled app to read.
    expect(admin?.[9]).toEqual({ 'cache-control': 'no-store' })
    expect(list?.length).toBe(8)
    expect(shopTable.controllers[0]?.[3]).toBe('[[{"type":"host-header","values":["api.example.com"],"regexValues":[]}],[],null]')
    expect(shopMismatch(CHECKED)).toBeUndefined()
  })

  const memberCases: Record<string, { member: string; declared: ShopDeclaration }> = {
    'a condition added to a route': { member: 'admin', declared: { ...CHECKED, adminHeader: 'yes' } },
    'a condition removed': { member: 'list', declared: { ...CHECKED, query: undefined } },
    "a condition's value changed": { member: 'list', declared: { ...CHECKED, beta: ['off'] } },
    'a value OR-ed to a condition': { member: 'list', declared: { ...CHECKED, beta: ['on', 'beta'] } },
    'a value made a regex': { member: 'list', declared: { ...CHECKED, beta: [/^on$/] } },
    "a header name's case (ALB reads it either way; the table holds it as declared)": { member: 'list', declared: { ...CHECKED, betaName: 'X-Beta' } },
    "a query-string condition's value": { member: 'list', declared: { ...CHECKED, query: ['2'] } },
    "a source-ip condition's block": { member: 'admin', declared: { ...CHECKED, ip: ['10.0.0.0/16'] } },
    "a @ResponseHeader's value": { member: 'admin', declared: { ...CHECKED, cache: 'no-cache' } },
    'a @ResponseHeader removed': { member: 'admin', declared: { ...CHECKED, cache: undefined } },
    "a redirect's path": { member: 'old', declared: { ...CHECKED, redirect: '/newer' } },
    'a redirect removed (the method now forwards)': { member: 'old', declared: { ...CHECKED, redirect: undefined } },
    "a fixed response's body": { member: 'gone', declared: { ...CHECKED, gone: 'really gone' } },
  }
  for (const [change, { member, declared }] of Object.entries(memberCases)) {
    it(`names the route: ${change}`, () => {
      const found = shopMismatch(declared)
      expect(found).toMatch(MEMBER)
      expect(found?.match(MEMBER)?.[1]).toBe(member)
    })
  }

  const classCases: Record<string, ShopDeclaration> = {
    "the class's @Host changed": { ...CHECKED, host: ['www.example.com'] },
    "the class's @Host made a regex": { ...CHECKED, host: [/^api\.example\.com$/] },
    "the class's @Host removed": { ...CHECKED, host: undefined },
    'a @Header condition added to the class': { ...CHECKED, classHeader: 'acme' },
    'a @ResponseHeader added to the class': { ...CHECKED, classCache: 'yes' },
  }
  for (const [change, declared] of Object.entries(classCases)) {
    it(`names the class's first route: ${change}`, () => {
      expect(shopMismatch(declared)).toBe("Shop.list changed since the check (its class's conditions or @ResponseHeader)")
    })
  }
})

/*
 * @Controller's host option records the same host-header condition as @Host on the class, but
 * albatross/compiled refuses the option (compiled/format.ts: the option brings no matcher, only
 * @Host does): a table checked with @Host must not pass for a class that moved it into the option,
 * or a Lambda whose tests refuse the app would start and answer that class's routes 500 (no host
 * matcher installed).
 */
describe("recordMismatch: @Controller's host option", () => {
  function declare(how: 'decorator' | 'option'): ClassType {
    @Controller('/hosted', how === 'option' ? { host: 'api.example.com' } : {})
    class Hosted {
      @Get() get() { return 1 }
    }
    if (how === 'decorator') Host('api.example.com')(Hosted)
    return Hosted
  }
  const hostedTable = compiledPart(options(declare('decorator')))

  it('refuses a class whose @Host became the host option, naming the class', () => {
    expect(recordMismatch([declare('decorator')], hostedTable, () => 'Hosted')).toBeUndefined()
    expect(recordMismatch([declare('option')], hostedTable, () => 'Hosted')).toBe("Hosted's @Controller has the host option, which albatross/compiled leaves out (declare it with @Host on the class)")
  })
})

/*
 * The rules are trusted once the records match, but a rule's conditions and native action are
 * what keeps a request from its route: a table whose rule lost them (edited or merged by hand)
 * would route without them, wider than ALB. Each rule's are compared with its route's records
 * (class conditions first, then the member's, as read-controller.ts joins them): any difference is
 * a table albatross check did not write.
 */
describe('recordMismatch: rules that lost their conditions or action', () => {
  function declare(): ClassType {
    @Controller('/guarded')
    @Host('api.example.com')
    class Guarded {
      @Get('/beta') @Header('x-beta', 'on') beta() { return 1 }
      @Get('/open') open() { return 2 }
      @Get('/gone') @FixedResponse(410, 'gone') gone() {}
    }
    return Guarded
  }
  const guardedTable = compiledPart(options(declare()))
  const edit = (member: string, change: (rule: unknown[]) => unknown[]): CompiledTable => ({
    ...guardedTable,
    rules: guardedTable.rules.map((rule) => (rule[6] === member ? change([...rule]) : rule)) as unknown as CompiledTable['rules'],
  })
  const guardedMismatch = (table: CompiledTable) => recordMismatch([declare()], table, () => 'Guarded')
  const EDITED = /^Guarded\.(\w+): its rule's conditions or action are not the ones declared \(the table was edited by hand\)$/

  it('accepts the rules as the check wrote them', () => {
    expect(guardedMismatch(guardedTable)).toBeUndefined()
  })

  const cases: Record<string, [string, (rule: unknown[]) => unknown[]]> = {
    'a rule without its conditions': ['beta', (rule) => rule.slice(0, 7)],
    'a rule without its conditions, null in their place': ['beta', (rule) => [...rule.slice(0, 7), null, ...rule.slice(8)]],
    'a rule without its method condition (the class one kept)': ['beta', (rule) => [...rule.slice(0, 7), (rule[7] as unknown[]).slice(0, 1), ...rule.slice(8)]],
    'a rule without its class condition': ['open', (rule) => rule.slice(0, 7)],
    "a condition's value widened": ['beta', (rule) => [...rule.slice(0, 7), [(rule[7] as unknown[])[0], { type: 'http-header', name: 'x-beta', values: ['*'], regexValues: [] }], ...rule.slice(8)]],
    'a native action removed (the rule would forward)': ['gone', (rule) => [...rule.slice(0, 8), null, ...rule.slice(9)]],
    'a rule pointing at a member that is not declared': ['open', (rule) => [...rule.slice(0, 6), 'nothing', ...rule.slice(7)]],
    'a rule pointing at a controller that is not there': ['open', (rule) => [rule[0], rule[1], rule[2], rule[3], rule[4], 7, ...rule.slice(6)]],
  }
  for (const [change, [member, edited]] of Object.entries(cases)) {
    it(`refuses ${change}`, () => {
      const found = guardedMismatch(edit(member, edited))
      expect(found).toMatch(EDITED)
      expect(found?.match(EDITED)?.[1]).toBe(member === 'open' && change.includes('member') ? 'nothing' : member)
    })
  }
})

/*
 * compiledTableMismatch: what the checking createApp (tests) and `albatross check` say of an
 * albatross/compiled entry's table, whose declaration key is empty. The Lambda's comparison
 * first, then the rules and the route names as the checks build them now.
 */
describe('compiledTableMismatch', () => {
  const fresh = JSON.parse(given.compiled as string) as CompiledTable

  it('matches the table the checks write, with no declaration key in it', () => {
    expect(given.checked).toBe('')
    expect(compiledTableMismatch(given, options(checked()), [checked()], fresh, given.sources)).toBeUndefined()
  })

  it("gives the Lambda's refusals: format, compiled part, head key, records", () => {
    expect(compiledTableMismatch({ ...given, albatross: 'unverified' }, options(checked()), [checked()], fresh, given.sources)).toBe('the table is a stand-in: `albatross check` has not passed since it was created')
    expect(compiledTableMismatch({ ...given, compiled: undefined }, options(checked()), [checked()], fresh, given.sources)).toMatch(/^the table holds no compiled routes/)
    expect(compiledTableMismatch({ ...given, compiled: '{"version":2}' }, options(checked()), [checked()], fresh, given.sources)).toBe('its compiled routes are not what `albatross check` writes')
    expect(compiledTableMismatch(given, { ...options(checked()), defaultAction: { status: 410, body: '', contentType: 'text/plain' } }, [checked()], fresh, given.sources)).toMatch(/^the app options the checks read/)
    expect(compiledTableMismatch(given, options(checked(), Orders), [checked(), Orders], fresh, given.sources)).toBe('the app has 2 controllers, the table 1')
  })

  it('refuses, beyond the Lambda, rules or route names that are not the ones the checks build now', () => {
    const moved = { ...fresh, rules: fresh.rules.map((rule) => [rule[0], rule[1] + 1, ...rule.slice(2)]) }
    expect(recordMismatch([checked()], moved as unknown as CompiledTable, names)).toBeUndefined()
    expect(compiledTableMismatch({ ...given, compiled: JSON.stringify(moved) }, options(checked()), [checked()], fresh, given.sources)).toBe('its compiled routes are not the ones the checks build now')
    expect(compiledTableMismatch(given, options(checked()), [checked()], 'Users.get has @Use middleware', given.sources)).toBe('its compiled routes are not the ones the checks build now')
    expect(compiledTableMismatch(given, options(checked()), [checked()], fresh, ['People.get', 'People.create', 'People.remove'])).toBe('its route names (sources) are not the ones the checks give now')
  })
})
