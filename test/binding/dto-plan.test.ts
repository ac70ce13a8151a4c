// DTO support (class-transformer, class-validator, reflect-metadata), as an app with DTOs imports it.
import '../../src/dto.js'
import { Expose, Type } from 'class-transformer'
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Min,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  getMetadataStorage,
} from 'class-validator'
import type { ValidatorConstraintInterface } from 'class-validator'
import { describe, expect, it } from 'vitest'
import { planDto } from '../../src/binding/dto-plan.js'
import { MODES, bindOne, issuesOf, param } from './helpers.js'

/** What esbuild produces: the same decorators, no `design:type` (call before planning). */
function withoutMetadata<T extends abstract new (...args: never[]) => unknown>(type: T): T {
  for (const meta of getMetadataStorage().getTargetValidationMetadatas(type, '', false, false)) {
    Reflect.deleteMetadata('design:type', type.prototype as object, meta.propertyName)
  }
  return type
}

enum Color {
  Red = 'red',
  Blue = 'blue',
}
enum Level {
  Low = 1,
  High = 2,
}

describe('planDto', () => {
  it('finds array properties from design:type, @IsArray, array validators and each: true', () => {
    class Dto {
      @IsString() byDesign!: string[]
      @IsArray() byIsArray!: unknown
      @ArrayMaxSize(3) bySize!: unknown
      @IsInt({ each: true }) byEach!: unknown
      @IsString() scalar!: string
    }
    withoutMetadata(Dto)
    const arrays = Object.fromEntries(planDto(Dto).properties.map((p) => [p.name, p.array]))
    expect(arrays).toEqual({ byDesign: false, byIsArray: true, bySize: true, byEach: true, scalar: false })

    class WithMetadata {
      @IsString({ each: false }) tags!: string[]
    }
    expect(planDto(WithMetadata).byKey['tags']?.array).toBe(true)
  })

  it('takes the element kind from @Type, then design:type, then the validators', () => {
    class Dto {
      @Type(() => Number) @IsOptional() typed!: unknown
      @IsOptional() designed!: Date
      @IsInt() inferredInt!: unknown
      @IsBoolean() inferredBool!: unknown
      @IsDate() inferredDate!: unknown
      @IsEnum(Level) numericEnum!: unknown
      @IsEnum(Color) stringEnum!: unknown
      @IsIn(['a']) unknownKind!: unknown
    }
    const designed = Reflect.getMetadata('design:type', Dto.prototype, 'designed')
    withoutMetadata(Dto)
    Reflect.defineMetadata('design:type', designed, Dto.prototype, 'designed')
    const kinds = Object.fromEntries(planDto(Dto).properties.map((p) => [p.name, p.kind]))
    expect(kinds).toEqual({
      typed: 'number',
      designed: 'date',
      inferredInt: 'number',
      inferredBool: 'boolean',
      inferredDate: 'date',
      numericEnum: 'number',
      stringEnum: undefined,
      unknownKind: undefined,
    })
  })

  it('keys properties by their @Expose name', () => {
    class Dto {
      @Expose({ name: 'page_size' }) @IsInt() pageSize!: number
    }
    const plan = planDto(Dto)
    expect(plan.byKey['page_size']?.name).toBe('pageSize')
    expect(plan.locationNames['pageSize']).toBe('page_size')
  })

  it('plans nested DTOs, also cyclic ones, and marks dates and async validators through them', () => {
    @ValidatorConstraint({ async: true })
    class Later implements ValidatorConstraintInterface {
      validate() {
        return Promise.resolve(true)
      }
    }
    class Leaf {
      @Validate(Later) code!: string
      @IsDate() @Type(() => Date) at!: Date
    }
    class Node {
      @ValidateNested() @Type(() => Node) parent?: Node
      @ValidateNested({ each: true }) @Type(() => Leaf) leaves!: Leaf[]
    }
    const plan = planDto(Node)
    expect(plan.byKey['parent']?.nested).toBe(plan)
    expect(plan.byKey['leaves']?.nested?.type).toBe(Leaf)
    expect(plan.async).toBe(true)
    expect(plan.convertsJson).toBe(true)
    expect(planDto(Leaf)).toBe(plan.byKey['leaves']?.nested)

    class Plain {
      @IsInt() n!: number
    }
    expect(planDto(Plain).async).toBe(false)
    expect(planDto(Plain).convertsJson).toBe(false)
  })
})

describe.each(MODES)('query and header DTOs in %s mode', (_mode, multiValue) => {
  class Search {
    @IsInt() @Min(1) page!: number
    @IsOptional() @IsString({ each: true }) tags?: string[]
    @IsOptional() @IsBoolean() exact?: boolean
    @IsOptional() @IsEnum(Color) color?: Color
    @IsOptional() @IsEnum(Level) level?: Level
  }

  it('gives array properties every value and scalars the last, converted (with metadata)', async () => {
    const dto = await bindOne(param('query-object', undefined, {}, Search), {
      path: '/?page=1&page=3&tags=a&tags=b%20c&exact=true&color=blue&level=2',
      multiValue,
    })
    expect(dto).toBeInstanceOf(Search)
    expect(dto).toEqual(
      Object.assign(new Search(), { page: 3, tags: multiValue ? ['a', 'b c'] : ['b c'], exact: true, color: 'blue', level: 2 }),
    )
  })

  it('works the same without decorator metadata, with the DTO given as opts.type', async () => {
    class Bare {
      @Type(() => Number) @IsInt() @Min(1) page!: number
      @IsInt({ each: true }) ids!: number[]
      @IsOptional() @IsBoolean() exact?: boolean
    }
    withoutMetadata(Bare)
    expect(Reflect.getMetadata('design:type', Bare.prototype, 'ids')).toBeUndefined()
    const dto = await bindOne(param('query-object', undefined, { type: Bare }, undefined), {
      path: '/?page=2&ids=1&ids=2&exact=0',
      multiValue,
    })
    expect(dto).toEqual(Object.assign(new Bare(), { page: 2, ids: multiValue ? [1, 2] : [2], exact: false }))
  })

  it('reports conversions per element and validator failures, each once', async () => {
    const issues = await issuesOf([param('query-object', undefined, {}, Search)], {
      path: '/?page=12abc&exact=yes&color=green&level=9',
      multiValue,
    })
    expect(issues).toEqual([
      { location: 'query.page', message: 'query.page must be a number', constraint: 'isNumber', value: '12abc' },
      {
        location: 'query.exact',
        message: 'query.exact must be a boolean (true, false, 1 or 0)',
        constraint: 'isBoolean',
        value: 'yes',
      },
      { location: 'query.color', message: expect.stringContaining('color must be one of'), constraint: 'isEnum', value: 'green' },
      { location: 'query.level', message: expect.stringContaining('level must be one of'), constraint: 'isEnum', value: '9' },
    ])
  })

  it('reports a missing required property through class-validator', async () => {
    const issues = await issuesOf([param('query-object', undefined, {}, Search)], { multiValue })
    expect(issues.map((issue) => [issue.location, issue.constraint])).toEqual([
      ['query.page', 'min'],
      ['query.page', 'isInt'],
    ])
  })

  it('strips unknown keys by default and rejects them with forbidNonWhitelisted', async () => {
    const request = { path: '/?page=1&debug=true', multiValue }
    const dto = await bindOne(param('query-object', undefined, {}, Search), request)
    expect(dto).not.toHaveProperty('debug')
    const issues = await issuesOf([param('query-object', undefined, {}, Search)], request, {
      validation: { forbidNonWhitelisted: true },
    })
    expect(issues).toEqual([
      { location: 'query.debug', message: 'property debug should not exist', constraint: 'whitelistValidation', value: 'true' },
    ])
  })

  it('maps @Expose names in and out: page_size in, query.page_size in errors', async () => {
    class Paged {
      @Expose({ name: 'page_size' }) @IsInt() @Min(1) pageSize!: number
    }
    expect(await bindOne(param('query-object', undefined, {}, Paged), { path: '/?page_size=5', multiValue })).toEqual(
      Object.assign(new Paged(), { pageSize: 5 }),
    )
    const issues = await issuesOf([param('query-object', undefined, {}, Paged)], { path: '/?page_size=0', multiValue })
    expect(issues.map((issue) => issue.location)).toEqual(['query.page_size'])
  })

  it('binds headers to a DTO by lower-case or camelCase name, never echoing values', async () => {
    class Auth {
      @IsString() authorization!: string
      @IsInt() xTenantId!: number
      @IsOptional() @IsString({ each: true }) 'x-roles'?: string[]
    }
    const headers = [
      ['Authorization', 'Bearer t'],
      ['X-Tenant-Id', '9'],
      ['x-roles', 'admin'],
      ['x-roles', 'dev'],
    ] as Array<[string, string]>
    const dto = await bindOne(param('header-object', undefined, {}, Auth), { headers, multiValue })
    expect(dto).toEqual(
      Object.assign(new Auth(), { authorization: 'Bearer t', xTenantId: 9, 'x-roles': multiValue ? ['admin', 'dev'] : ['dev'] }),
    )
    const issues = await issuesOf([param('header-object', undefined, {}, Auth)], {
      headers: [['x-tenant-id', 'secret']],
      multiValue,
    })
    expect(issues).toEqual([
      { location: 'header.x-tenant-id', message: 'header.x-tenant-id must be a number', constraint: 'isNumber' },
      { location: 'header.authorization', message: 'authorization must be a string', constraint: 'isString' },
    ])
  })

  it('does not reject the headers ALB adds itself under forbidNonWhitelisted', async () => {
    class Only {
      @IsOptional() @IsString() 'x-tenant'?: string
    }
    const dto = await bindOne(param('header-object', undefined, {}, Only), { headers: { 'x-tenant': 't' }, multiValue }, {
      validation: { forbidNonWhitelisted: true },
    })
    expect(dto).toEqual(Object.assign(new Only(), { 'x-tenant': 't' }))
  })

  it('gives untyped query and header objects: one value as a string, repeated as an array', async () => {
    const request = { path: '/?a=1&b=2&b=3', headers: [['x-a', '1'], ['x-b', '2'], ['x-b', '3']] as Array<[string, string]>, multiValue }
    const query = (await bindOne(param('query-object', undefined, {}, Object), request)) as Record<string, unknown>
    expect({ ...query }).toEqual({ a: '1', b: multiValue ? ['2', '3'] : '3' })
    const headers = (await bindOne(param('header-object'), request)) as Record<string, unknown>
    expect(headers['x-b']).toEqual(multiValue ? ['2', '3'] : '3')
    expect(headers['x-forwarded-proto']).toBe('https')
  })
})
