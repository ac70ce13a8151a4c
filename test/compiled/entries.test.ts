import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/compiled.js'
import { compiledTableOf } from '../../src/compiled/format.js'
import { Body, Controller, FixedResponse, Get, Param, Post, Query, type AppOptions, type VerifiedTable } from '../../src/index.js'
import { readControllers } from '../../src/metadata/read-controller.js'
import { buildRuleTable } from '../../src/rules/build-table.js'
import { verifiedTableOf } from '../../src/verified-table/table.js'
import { albEvent } from '../../src/testing.js'
import { thrown, under } from '../verified-table/checks.js'

/*
 * albatross/compiled builds a route's entry (its binder, its status) on the route's first request,
 * but what cannot work is still refused at createApp, before any request, naming
 * `Controller.method`: a controller that cannot be built, a member that is no method of the
 * instance, a DTO that cannot bind. This file does not import albatross/dto, so a DTO cannot bind
 * here: a problem the table's records cannot see (a DTO, whichever), as a Lambda bundle missing
 * the import would have.
 */

@Controller('/pets')
class Pets {
  @Get('/{id}') get(@Param('id', { type: Number }) id: number) { return { id } }
  @Get() list(@Query('tag', { type: [String], optional: true }) tag?: string[]) { return { tag } }
}

class NewOwner {
  name!: string
}

@Controller('/owners')
class Owners {
  @Post() create(@Body({ type: NewOwner }) owner: NewOwner) { return owner }
  @Get('/{id}') get(@Param('id', { type: String }) id: string) { return { id } }
}

/** The table `albatross check --out` writes for these controllers (as the CLI, which runs every check, would where DTOs bind). */
function tableOf(options: AppOptions): VerifiedTable {
  const classes = options.controllers as readonly (abstract new () => unknown)[]
  const routes = readControllers(classes).routes
  const rules = buildRuleTable(routes)
  const compiled = compiledTableOf(options, classes, routes, rules)
  return { ...verifiedTableOf(routes, rules, options, 'albatross check app.ts --out table.ts'), compiled: JSON.stringify(compiled) }
}

const pets = tableOf({ controllers: [Pets] })

describe('albatross/compiled: what cannot work is refused at createApp, though entries are built by their first request', () => {
  it('starts, and answers each route on its first request (its entry built then)', async () => {
    const app = under('trust', () => createApp({ controllers: [Pets], table: pets }))
    expect(await app.handler(albEvent({ path: '/pets/3' }))).toMatchObject({ statusCode: 200, body: '{"id":3}' })
    expect(await app.handler(albEvent({ path: '/pets/x' }))).toMatchObject({ statusCode: 400 })
    expect(await app.handler(albEvent({ path: '/pets?tag=a&tag=b', multiValue: true }))).toMatchObject({ statusCode: 200, body: '{"tag":["a","b"]}' })
  })

  it('a resolver whose instance lacks a routed method: RouteDeclarationError naming Controller.method, before any request', () => {
    const error = thrown(() => under('trust', () => createApp({ controllers: [Pets], resolve: () => ({ list: () => [] }), table: pets })))
    expect(error).toMatchObject({ code: 'ERR_ROUTE_DECLARATION' })
    expect(error.message).toContain('Pets.get: Pets.get is not a method of the controller instance')
    expect(error.message).not.toContain('Pets.list')
  })

  it('an instance given whose member is no longer a function', () => {
    const instance = new Pets()
    Object.defineProperty(instance, 'list', { value: 'not a function' })
    const error = thrown(() => under('trust', () => createApp({ controllers: [instance], table: pets })))
    expect(error.message).toContain('Pets.list: Pets.list is not a method of the controller instance')
  })

  it('a resolver that throws: the class named, its methods not reported as well', () => {
    const error = thrown(() =>
      under('trust', () =>
        createApp({
          controllers: [Pets],
          resolve: () => {
            throw new Error('no binding')
          },
          table: pets,
        }),
      ),
    )
    expect(error.message).toContain('Pets: resolve(Pets) threw: no binding')
    expect(error.message).not.toContain('is not a method')
  })

  it("a DTO that cannot bind: the route's problem, with every other, in one RouteDeclarationError", () => {
    const table = tableOf({ controllers: [Pets, Owners] })
    const error = thrown(() => under('trust', () => createApp({ controllers: [Pets, Owners], resolve: (cls) => (cls === Pets ? {} : new Owners()), table })))
    expect(error).toMatchObject({ code: 'ERR_ROUTE_DECLARATION' })
    expect(error.message).toMatch(/^3 route declaration problems/)
    expect(error.message).toContain('Pets.get: Pets.get is not a method')
    expect(error.message).toContain('Pets.list: Pets.list is not a method')
    expect(error.message).toMatch(/Owners\.create: parameter 0 \(@Body\(\)\) has type NewOwner, which is a DTO class.*import 'albatross\/dto'/s)
  })

  it('a native action calls nothing: its member is not looked for, nor its controller built when it has only those', async () => {
    @Controller('/static')
    class Static {
      @Get('/teapot') @FixedResponse(418, 'teapot', 'text/plain') teapot() {}
    }
    const table = tableOf({ controllers: [Static, Pets] })
    const app = under('trust', () => createApp({ controllers: [Static, Pets], resolve: (cls) => (cls === Static ? ({} as never) : new Pets()), table }))
    expect(await app.handler(albEvent({ path: '/static/teapot' }))).toMatchObject({ statusCode: 418, body: 'teapot' })
    let built = 0
    const counted = under('trust', () => createApp({ controllers: [Static, Pets], resolve: (cls) => (cls === Static ? (built++, {}) : new Pets()), table }))
    expect(await counted.handler(albEvent({ path: '/pets/1' }))).toMatchObject({ statusCode: 200 })
    expect(built).toBe(0)
  })

  it('needsMultiValueHeaders from every route, requested or not (an array query parameter)', () => {
    const app = under('trust', () => createApp({ controllers: [Pets], table: pets }))
    expect(app.needsMultiValueHeaders).toBe(true)
    @Controller('/plain')
    class Plain {
      @Get() get(@Query('q', { type: String }) q: string) { return { q } }
    }
    expect(under('trust', () => createApp({ controllers: [Plain], table: tableOf({ controllers: [Plain] }) })).needsMultiValueHeaders).toBe(false)
  })
})
