import { describe, expect, it } from 'vitest'
import {
  All,
  Body,
  Controller,
  FixedResponse,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Priority,
  Query,
  Req,
  createApp,
  type AlbRequest,
  type AppOptions,
  type VerifiedTable,
} from '../../src/index.js'
import { albEvent } from '../../src/alb/build-event.js'
import { readControllers } from '../../src/metadata/read-controller.js'
import { buildRuleTable } from '../../src/rules/build-table.js'
import { verifiedTableOf } from '../../src/verified-table/table.js'
import { checkedTable, givenTable, under } from './checks.js'


/*
 * createApp({ table }): a table `albatross check` wrote stands for the declaration and ALB checks
 * while it matches the controllers; any change to what those checks read makes createApp refuse
 * it, naming the route, until the check runs again.
 */

@Controller('/users')
class Users {
  @Get('/{id}')
  get(@Param('id', { type: Number }) id: number, @Query('fields', { type: [String], optional: true }) fields?: string[]) {
    return { id, fields }
  }

  @Post()
  @HttpCode(201)
  create(@Body({ type: Object }) body: { name: string }) {
    return { created: body.name }
  }

  @Get('/beta/{id}')
  @Header('x-beta', 'on')
  beta(@Param('id', { type: String }) id: string) {
    return { beta: id }
  }
}

@Controller()
class Rest {
  @All('/*')
  any(@Req() req: AlbRequest) {
    return { method: req.method, path: req.path }
  }
}

const options: AppOptions = { controllers: [Users, Rest], onError: () => undefined }
const table = checkedTable(() => createApp(options))

function refusal(build: () => unknown): string {
  try {
    build()
  } catch (error) {
    expect(error).toMatchObject({ name: 'StaleTableError', code: 'ERR_STALE_TABLE' })
    return (error as Error).message
  }
  throw new Error('createApp trusted a table that does not match its controllers')
}

describe('a verified table', () => {
  it('holds each route priority and the routes as checked, and gives the same rule table as the checks build', () => {
    expect(table).toMatchObject({ albatross: 'verified-table/2', command: 'albatross check app.ts --out table.ts', sources: ['Users.get', 'Users.create', 'Users.beta', 'Rest.any'] })
    // The key's text, as tables already written hold it: a cheaper way of comparing must not change it.
    expect(table.checked).toBe(
      '[3,null,null,null,' +
        '["get","/users/{id}",["GET","HEAD"],[],null,1020,"default",null,null,[[0,"path","id",0,"Number",null],[1,"query","fields",1,["String"],null]]],' +
        '["create","/users",["POST"],[],null,1000,"default",null,201,[[0,"body",null,0,"Object",null]]],' +
        '["beta","/users/beta/{id}",["GET","HEAD"],"[{\\"type\\":\\"http-header\\",\\"name\\":\\"x-beta\\",\\"values\\":[\\"on\\"],\\"regexValues\\":[]}]",null,1010,"default",null,null,[[0,"path","id",0,"String",null]]],' +
        '["any","/*",null,[],null,1030,"default",null,null,[[0,"request",null,0,null,null]]]]',
    )
    const checked = under('full', () => createApp(options))
    expect(table.priorities).toEqual([...checked.routes()].sort((a, b) => a.id - b.id).map((r) => r.priority))
    const trusted = under('trust', () => createApp({ ...options, table }))
    expect(trusted.routes()).toEqual(checked.routes())
    expect(trusted.needsMultiValueHeaders).toBe(checked.needsMultiValueHeaders)
  })

  it('survives being written as a module and read back: plain strings and numbers', () => {
    const copy = JSON.parse(JSON.stringify(table)) as VerifiedTable
    expect(() => under('trust', () => createApp({ ...options, table: copy }))).not.toThrow()
  })

  it('answers every request as the app that runs the checks does', async () => {
    const checked = under('full', () => createApp(options))
    const trusted = under('trust', () => createApp({ ...options, table }))
    const requests = [
      albEvent({ path: '/users/42?fields=a&fields=b', multiValue: true }),
      albEvent({ path: '/users/x' }),
      albEvent({ method: 'POST', path: '/users', body: { name: 'Ada' } }),
      albEvent({ method: 'POST', path: '/users', body: '{', headers: { 'content-type': 'application/json' } }),
      albEvent({ path: '/users/beta/7', headers: { 'x-beta': 'on' } }),
      albEvent({ method: 'DELETE', path: '/elsewhere' }),
    ]
    for (const event of requests) {
      // Twice: the first request builds the route's binder, the second uses it.
      for (let i = 0; i < 2; i++) expect(await trusted.handler(structuredClone(event))).toEqual(await checked.handler(structuredClone(event)))
    }
  })
})

describe('createApp refuses a table that does not match its controllers, naming the first route that differs', () => {
  // Each case declares the changed app under the same class names, as an edit of the source would.
  const cases: [string, () => AppOptions, RegExp][] = [
    [
      'a path',
      () => {
        @Controller('/users')
        class Users {
          @Get('/by-id/{id}') get(@Param('id', { type: Number }) id: number) { return id }
          @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
          @Get('/beta/{id}') @Header('x-beta', 'on') beta(@Param('id', { type: String }) id: string) { return id }
        }
        return { ...options, controllers: [Users, Rest] }
      },
      /Users\.get changed since the check/,
    ],
    [
      'a method',
      () => {
        @Controller('/users')
        class Users {
          @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('fields', { type: [String], optional: true }) fields?: string[]) { return { id, fields } }
          @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
          @Post('/beta/{id}') @Header('x-beta', 'on') beta(@Param('id', { type: String }) id: string) { return id }
        }
        return { ...options, controllers: [Users, Rest] }
      },
      /Users\.beta changed since the check/,
    ],
    [
      'a condition',
      () => {
        @Controller('/users')
        class Users {
          @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('fields', { type: [String], optional: true }) fields?: string[]) { return { id, fields } }
          @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
          @Get('/beta/{id}') @Header('x-beta', 'yes') beta(@Param('id', { type: String }) id: string) { return id }
        }
        return { ...options, controllers: [Users, Rest] }
      },
      /Users\.beta changed since the check/,
    ],
    [
      'a priority',
      () => {
        @Controller('/users')
        class Users {
          @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('fields', { type: [String], optional: true }) fields?: string[]) { return { id, fields } }
          @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
          @Get('/beta/{id}') @Header('x-beta', 'on') @Priority(5) beta(@Param('id', { type: String }) id: string) { return id }
        }
        return { ...options, controllers: [Users, Rest] }
      },
      /Users\.beta changed since the check/,
    ],
    [
      "a parameter's type",
      () => {
        @Controller('/users')
        class Users {
          @Get('/{id}') get(@Param('id', { type: String }) id: string, @Query('fields', { type: [String], optional: true }) fields?: string[]) { return { id, fields } }
          @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
          @Get('/beta/{id}') @Header('x-beta', 'on') beta(@Param('id', { type: String }) id: string) { return id }
        }
        return { ...options, controllers: [Users, Rest] }
      },
      /Users\.get changed since the check/,
    ],
    [
      "a parameter's options",
      () => {
        @Controller('/users')
        class Users {
          @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('fields', { type: [String] }) fields: string[]) { return { id, fields } }
          @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
          @Get('/beta/{id}') @Header('x-beta', 'on') beta(@Param('id', { type: String }) id: string) { return id }
        }
        return { ...options, controllers: [Users, Rest] }
      },
      /Users\.get changed since the check/,
    ],
    [
      'an @HttpCode',
      () => {
        @Controller('/users')
        class Users {
          @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('fields', { type: [String], optional: true }) fields?: string[]) { return { id, fields } }
          @Post() @HttpCode(200) create(@Body({ type: Object }) body: object) { return body }
          @Get('/beta/{id}') @Header('x-beta', 'on') beta(@Param('id', { type: String }) id: string) { return id }
        }
        return { ...options, controllers: [Users, Rest] }
      },
      /Users\.create changed since the check/,
    ],
    [
      'an added route',
      () => {
        @Controller('/users')
        class Users {
          @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('fields', { type: [String], optional: true }) fields?: string[]) { return { id, fields } }
          @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
          @Get('/beta/{id}') @Header('x-beta', 'on') beta(@Param('id', { type: String }) id: string) { return id }
          @Get('/me') me() { return 'me' }
        }
        return { ...options, controllers: [Users, Rest] }
      },
      /Users\.me is not in the table \(a route added since the check\)/,
    ],
    [
      'a removed route',
      () => {
        @Controller('/users')
        class Users {
          @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('fields', { type: [String], optional: true }) fields?: string[]) { return { id, fields } }
          @Get('/beta/{id}') @Header('x-beta', 'on') beta(@Param('id', { type: String }) id: string) { return id }
        }
        return { ...options, controllers: [Users, Rest] }
      },
      /Users\.create is in the table but no longer declared/,
    ],
    ['a removed controller', () => ({ ...options, controllers: [Users] }), /Rest\.any is in the table but no longer declared/],
    ['reordered controllers', () => ({ ...options, controllers: [Rest, Users] }), /Rest\.any is not where the table has it/],
    ['the automatic priorities', () => ({ ...options, priorities: { start: 2000 } }), /the app options the checks read \(priorities, defaultAction\) or the checks themselves changed: checked with \[3,null,null,null\], now \[3,2000,null,null\]/],
    // The default rule's fixed-response is checked with the routes (spec/alb.md §1.6): a table
    // stands for it, so another one needs a new check.
    ['the default action', () => ({ ...options, defaultAction: { status: 410 } }), /the app options the checks read \(priorities, defaultAction\).*now \[3,null,null,"\{\\"status\\":410\}"\]/],
    ['CORS (its preflight rule)', () => ({ ...options, cors: { origins: ['https://a.example'] } }), /cors\.preflight is not in the table/],
  ]

  // What a bundle minified without esbuild's --keep-names does to every class: the key holds no
  // class name, so the table matches, and the routes take the names they were checked under.
  it('a controller class renamed, as a minifier does, still matches: its routes keep their checked names', () => {
    @Controller('/users')
    class Ab {
      @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('fields', { type: [String], optional: true }) fields?: string[]) { return { id, fields } }
      @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
      @Get('/beta/{id}') @Header('x-beta', 'on') beta(@Param('id', { type: String }) id: string) { return id }
    }
    const renamed = under('trust', () => createApp({ ...options, controllers: [Ab, Rest], table }))
    expect(renamed.routes().map((r) => r.source).sort()).toEqual(['Rest.any', 'Users.beta', 'Users.create', 'Users.get'])
    expect(renamed.routes()).toEqual(under('trust', () => createApp({ ...options, table })).routes())
  })

  // CORS is checked at createApp, not by the table (its options may come from the environment):
  // a problem there names the controller as it was checked, not as the minifier renamed it.
  it("a renamed controller's CORS problem names the controller as it was checked", async () => {
    const cors = { origins: ['https://a.example'] }
    const withCors = { ...options, cors }
    const corsTable = checkedTable(() => createApp(withCors))
    @Controller('/users', { cors: { origins: '*', credentials: true } })
    class Ab {
      @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('fields', { type: [String], optional: true }) fields?: string[]) { return { id, fields } }
      @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
      @Get('/beta/{id}') @Header('x-beta', 'on') beta(@Param('id', { type: String }) id: string) { return id }
    }
    const lean = await import('../../src/lambda.js')
    for (const make of [createApp, lean.createApp]) {
      const problem = (() => {
        try {
          under('trust', () => make({ ...withCors, controllers: [Ab, Rest], table: corsTable }))
        } catch (error) {
          return error as Error
        }
        throw new Error('createApp accepted credentials for any origin')
      })()
      expect(problem).toMatchObject({ code: 'ERR_ROUTE_DECLARATION' })
      expect(problem.message).toContain("@Controller(Users, { cors }): origins '*' with credentials: true")
      expect(problem.message).not.toContain('Ab')
    }
  })

  it.each(cases)('%s', (_change, changed, reason) => {
    const message = refusal(() => under('trust', () => createApp({ ...changed(), table })))
    expect(message).toMatch(reason)
    expect(message).toContain('Run `albatross check app.ts --out table.ts` again')
    // Tests run every check and refuse the stale table as a Lambda would…
    expect(refusal(() => under('full', () => createApp({ ...changed(), table })))).toMatch(reason)
    // …and the CLI, which must load the app to write its new table, reports it instead.
    expect(givenTable(under('cli', () => createApp({ ...changed(), table })))?.mismatch).toMatch(reason)
  })

  // JSON writes NaN and ±Infinity as null, which is also what a route without @HttpCode or
  // @Priority has: such a value (`@HttpCode(Number(CODE))` with the variable unset)
  // must not pass for the checked declaration, or the Lambda serves a route the checks refuse.
  it.each([
    ['an @HttpCode that is NaN', (code: number) => HttpCode(code), /@HttpCode\(NaN\) is not an HTTP status/, 'Users.get'],
    ['a @Priority that is NaN', (code: number) => Priority(code), /@Priority\(NaN\) is outside ALB's/, 'Users.get'],
  ])('a route given %s where it declared none', (_change, decorate, problem, source) => {
    const changed = (): AppOptions => {
      @Controller('/users')
      class Users {
        @Get('/{id}') @decorate(Number('not a number')) get(@Param('id', { type: Number }) id: number, @Query('fields', { type: [String], optional: true }) fields?: string[]) { return { id, fields } }
        @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
        @Get('/beta/{id}') @Header('x-beta', 'on') beta(@Param('id', { type: String }) id: string) { return id }
      }
      return { ...options, controllers: [Users, Rest] }
    }
    expect(() => under('full', () => createApp(changed()))).toThrow(problem)
    expect(refusal(() => under('trust', () => createApp({ ...changed(), table })))).toMatch(new RegExp(`${source.replace('.', '\\.')} changed since the check`))
  })

  // A JavaScript user's `{ type: 'Number' }` (a string, not the class) is refused by the binder:
  // it must not pass for the Number class the table was checked with, or the Lambda starts and
  // answers every request to the route with a 500.
  it('a parameter whose type is a class name given as a string', () => {
    const changed = (): AppOptions => {
      @Controller('/users')
      class Users {
        @Get('/{id}') get(@Param('id', { type: 'Number' as never }) id: number, @Query('fields', { type: ['String' as never], optional: true }) fields?: string[]) { return { id, fields } }
        @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
        @Get('/beta/{id}') @Header('x-beta', 'on') beta(@Param('id', { type: String }) id: string) { return id }
      }
      return { ...options, controllers: [Users, Rest] }
    }
    expect(() => under('full', () => createApp(changed()))).toThrow(/parameter 0 \(@Param\('id'\)\) has type 'Number' \(a string: give the class itself\); a path value is String, Number/)
    expect(refusal(() => under('trust', () => createApp({ ...changed(), table })))).toMatch(/Users\.get changed since the check/)
  })

  // Likewise a function, symbol or undefined in an action or condition, which JSON drops as if
  // absent (only untyped JavaScript can pass one, but the checks refuse it).
  it('a fixed-response body that is a function where the route declared none', () => {
    const app = (body?: unknown): AppOptions => {
      @Controller('/site')
      class Site {
        @Get('/gone') @FixedResponse(410, body as never) gone() {}
      }
      return { controllers: [Site] }
    }
    const checked = checkedTable(() => createApp(app()))
    const body = () => 'gone'
    expect(() => under('full', () => createApp(app(body)))).toThrow(/Site\.gone: fixed-response body is a function; give a string/)
    expect(refusal(() => under('trust', () => createApp({ ...app(body), table: checked })))).toMatch(/Site\.gone changed since the check/)
  })

  it('automatic priorities that are not numbers (priorities.start NaN)', () => {
    const changed = { ...options, priorities: { start: Number.NaN } }
    expect(() => under('full', () => createApp(changed))).toThrow(/priorities\.start and \.step must be positive integers/)
    expect(refusal(() => under('trust', () => createApp({ ...changed, table })))).toMatch(/the app options the checks read \(priorities, defaultAction\)/)
  })

  it('a table whose priorities were edited by hand', () => {
    const edited = { ...table, priorities: table.priorities.map((p, i) => (i === 0 ? p + 1 : p)) }
    expect(refusal(() => under('trust', () => createApp({ ...options, table: edited })))).toMatch(/Users\.get changed since the check/)
  })

  it('the stand-in `albatross check --out` writes before its first pass, and a table of another format', () => {
    const standIn = { albatross: 'unverified', command: 'albatross check app.ts --out table.ts', priorities: [], sources: [], checked: '' }
    expect(refusal(() => under('trust', () => createApp({ ...options, table: standIn })))).toMatch(/stand-in: `albatross check` has not passed/)
    expect(refusal(() => under('trust', () => createApp({ ...options, table: { ...table, albatross: 'verified-table/0' } })))).toMatch(/format is "verified-table\/0"/)
  })

  it('anything else handed over as a table (null, a string, a number, fields of the wrong type) is refused, never a TypeError', () => {
    for (const given of [null, 'verified-table/2', 42, {}, { albatross: 'verified-table/2', command: 7, priorities: 'x', checked: 1 }, { ...table, command: '', sources: 'Users.get' }, { ...table, command: '', sources: [1, 2, 3, 4] }]) {
      expect(refusal(() => under('trust', () => createApp({ ...options, table: given as never })))).toMatch(/does not match the controllers: the table(?:'s format is undefined, this albatross reads verified-table\/2| is not one `albatross check` wrote)\. Run `albatross check <entry> --out <table file>` again/)
    }
  })

  it('checks the declarations before trusting nothing: without a table, an invalid route is an error as ever', () => {
    @Controller()
    class Broken {
      @Get('/a') @Priority(0) a() { return 'a' }
    }
    expect(() => under('trust', () => createApp({ controllers: [Broken] }))).toThrow(/outside ALB's 1-50000/)
  })

  // An albatross/compiled entry's table carries no declaration key (`checked: ''`, compiled/mismatch.ts
  // compares it): handed to this createApp it is refused as such, never as "changed since the check",
  // and never trusted with nothing compared.
  it('refuses a table with no declaration key (written for an albatross/compiled entry), saying so, in a Lambda, in tests and to the CLI', () => {
    const compiledOnly: VerifiedTable = { ...table, checked: '' }
    for (const mode of ['trust', 'full'] as const) {
      const message = refusal(() => under(mode, () => createApp({ ...options, table: compiledOnly })))
      expect(message).toContain('the table was written for an entry that imports createApp from albatross/compiled')
      expect(message).toContain('Run `albatross check app.ts --out table.ts` again')
    }
    expect(givenTable(under('cli', () => createApp({ ...options, table: compiledOnly })))?.mismatch).toContain('written for an entry that imports createApp from albatross/compiled')
  })

  it('matches: the CLI is told the table is current', () => {
    expect(givenTable(under('cli', () => createApp({ ...options, table })))).toEqual({ mismatch: undefined })
    expect(givenTable(under('cli', () => createApp(options)))).toBeUndefined()
  })
})

describe('what a verified table does not stand for is still checked at createApp', () => {
  class NewUser {
    name!: string
  }
  @Controller('/dto')
  class WithDto {
    @Post() create(@Body({ type: NewUser }) user: NewUser) { return user }
  }
  // This file does not import albatross/dto, so a DTO cannot bind: a problem of the DTO's
  // support, which the table's key (a DTO, whichever) cannot see. The table is made from the same
  // routes as `albatross check` would make it where the DTO binds.
  const routes = readControllers([WithDto]).routes
  const dtoTable = { ...verifiedTableOf(routes, buildRuleTable(routes), {}, ''), command: 'albatross check app.ts --out table.ts' }

  it("a DTO's binding: the route's problem, with the others, in one RouteDeclarationError", () => {
    expect(() => under('trust', () => createApp({ controllers: [WithDto], table: dtoTable }))).toThrow(
      expect.objectContaining({ code: 'ERR_ROUTE_DECLARATION', message: expect.stringMatching(/WithDto\.create: parameter 0 \(@Body\(\)\) has type NewUser, which is a DTO class.*import 'albatross\/dto'/s) }),
    )
  })

  it('CORS that would hand every origin the credentials', () => {
    const cors = { origins: '*' as const, credentials: true }
    const corsTable = checkedTable(() => createApp({ ...options, cors: { origins: ['https://a.example'], credentials: true } }))
    expect(() => under('trust', () => createApp({ ...options, cors, table: corsTable }))).toThrow(/createApp\(\{ cors \}\): origins '\*' with credentials: true/)
  })
})
