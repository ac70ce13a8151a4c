import 'reflect-metadata'
import { IsString } from 'class-validator'
import { describe, expect, it } from 'vitest'
import { recordMismatch } from '../../src/compiled/records.js'
import type { CompiledTable } from '../../src/compiled/format.js'
import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Priority, Query, ResponseHeader, Use, type AppOptions } from '../../src/index.js'
import type { ClassType } from '../../src/metadata/types.js'
import { compiledPart } from './tables.js'

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
const names = (c: number) => ['Users', 'Orders'][c] ?? `controller ${c + 1}`
const mismatch = (...controllers: ClassType[]) => recordMismatch(controllers, table, names)

const CHANGED = /^Users\.(\w+) changed since the check \(its path, methods, priority, @HttpCode, parameters or other decorators\)$/

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

    it('a @Header condition on the class', () => {
      @Controller('/users')
      @Header('x-beta', 'on')
      class Users {
        @Get('/{id}') get(@Param('id', { type: Number }) id: number, @Query('q', { type: String, optional: true }) q?: string) { return { id, q } }
        @Post() @HttpCode(201) create(@Body({ type: Object }) body: object) { return body }
        @Delete('/{id}') remove(@Param('id', { type: Number }) id: number) { return { id } }
      }
      expect(mismatch(Users)).toBe('Users has class decorators albatross/compiled leaves out')
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
