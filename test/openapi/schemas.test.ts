// DTO support (class-transformer, class-validator, reflect-metadata), as an app with DTOs imports it.
import '../../src/dto.js'
import { Expose, Type } from 'class-transformer'
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, Equals, IsAlpha, IsDefined, IsEmail, IsEnum, IsIn, IsInt, IsIP,
  IsNotEmpty, IsOptional, IsPositive, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, MinLength,
  IsISBN, ValidateNested,
} from 'class-validator'
import { describe, expect, it } from 'vitest'
import { Body, Controller, Post, createApp } from '../../src/index.js'
import type { JsonSchema, OpenApiDocument } from '../../src/openapi/index.js'
import { expectValidOpenApi, schemaValidator } from './valid-openapi.js'

enum Color { Red = 'red', Blue = 'blue' }
enum Level { Low, High }

class Tag {
  @IsString() @Length(1, 20) name!: string
}

class Tree {
  @IsString() label!: string
  // A recursive DTO: a $ref to itself.
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Tree) children?: Tree[]
}

class Everything {
  @IsString() @MinLength(2) @MaxLength(10) @Matches(/^[a-z]+$/) slug!: string
  @IsString() @Matches(/^abc$/i) caseless!: string
  @IsInt() @Min(1) @Max(5) @IsPositive() stars!: number
  @IsEnum(Color) color!: Color
  @IsEnum(Level) level!: Level
  @IsIn(['a', 'b']) letter!: string
  @Equals('yes') consent!: string
  @IsEmail() email!: string
  @IsUUID() id!: string
  @IsIP('4') ip!: string
  @IsAlpha() word!: string
  @IsNotEmpty() filled!: string
  @IsISBN() isbn!: string
  @IsOptional() @IsString() nickname?: string
  @IsDefined() anything!: unknown
  @ValidateNested() @Type(() => Tag) main!: Tag
  @ArrayMinSize(1) @ArrayMaxSize(3) @ArrayUnique() @ValidateNested({ each: true }) @Type(() => Tag) tags!: Tag[]
  @IsString({ each: true }) @MaxLength(5, { each: true }) codes!: string[]
  @Expose({ name: 'when' }) @IsString() whenText!: string
  @ValidateNested() @Type(() => Tree) tree!: Tree
  // No validator: whitelist (the default) strips it, so a client cannot send it.
  stripped?: string
}

@Controller('/')
class Sink {
  @Post('/everything')
  take(@Body({ type: Everything }) body: Everything) {
    return body
  }
}

const document: OpenApiDocument = await createApp({ controllers: [Sink] }).openapi()
const schemas = document.components.schemas as Record<string, JsonSchema>
const everything = schemas['Everything'] as { properties: Record<string, JsonSchema>; required: string[] }
const prop = (name: string) => everything.properties[name]

describe('DTO schemas from class-validator metadata (issue #15 point 3)', () => {
  it('validates, and every component compiles as JSON Schema 2020-12', async () => {
    await expectValidOpenApi(document)
  })

  it('maps string constraints', () => {
    expect(prop('slug')).toEqual({ type: 'string', minLength: 2, maxLength: 10, pattern: '^[a-z]+$' })
    expect(prop('email')).toEqual({ type: 'string', format: 'email' })
    expect(prop('id')).toEqual({ type: 'string', format: 'uuid' })
    expect(prop('ip')).toEqual({ type: 'string', format: 'ipv4' })
    expect(prop('word')).toEqual({ type: 'string', pattern: '^[A-Za-z]+$' })
  })

  it('does not write a pattern with flags, which JSON Schema cannot say; the constraint is listed by name', () => {
    expect(prop('caseless')).toEqual({ type: 'string', 'x-albatross-constraints': ['matches'] })
    expect(prop('isbn')).toMatchObject({ 'x-albatross-constraints': ['isIsbn'] })
    expect(prop('isbn')).not.toHaveProperty('pattern')
  })

  it('maps number constraints, keeping the integer type', () => {
    expect(prop('stars')).toEqual({ type: 'integer', minimum: 1, maximum: 5, exclusiveMinimum: 0 })
  })

  it('maps enums (string and numeric TypeScript enums), isIn and equals', () => {
    expect(prop('color')).toEqual({ type: 'string', enum: ['red', 'blue'] })
    expect(prop('level')).toEqual({ type: 'number', enum: [0, 1] })
    expect(prop('letter')).toEqual({ type: 'string', enum: ['a', 'b'] })
    expect(prop('consent')).toEqual({ type: 'string', const: 'yes' })
  })

  it('makes IsOptional properties optional and nullable (class-validator skips null too), the rest required', () => {
    expect(everything.required).not.toContain('nickname')
    expect(prop('nickname')).toEqual({ type: ['string', 'null'] })
    expect(everything.required).toEqual(expect.arrayContaining(['slug', 'anything', 'main', 'tags', 'when']))
  })

  it('references nested DTOs, arrays of them, and recursive ones by $ref', () => {
    expect(prop('main')).toEqual({ $ref: '#/components/schemas/Tag' })
    expect(prop('tags')).toEqual({ type: 'array', items: { $ref: '#/components/schemas/Tag' }, minItems: 1, maxItems: 3, uniqueItems: true })
    expect(schemas['Tree']).toEqual({
      type: 'object',
      properties: {
        label: { type: 'string' },
        children: { type: ['array', 'null'], items: { $ref: '#/components/schemas/Tree' } },
      },
      required: ['label'],
    })
  })

  it('applies each: true constraints to the items', () => {
    expect(prop('codes')).toEqual({ type: 'array', items: { type: 'string', maxLength: 5 } })
  })

  it('uses the @Expose name clients send, and leaves out properties whitelist strips', () => {
    expect(prop('when')).toEqual({ type: 'string' })
    expect(prop('whenText')).toBeUndefined()
    expect(prop('stripped')).toBeUndefined()
  })

  it('agrees with the validator on a valid and an invalid value', () => {
    const valid = schemaValidator(document)
    expect(valid('Tree', { label: 'a', children: [{ label: 'b', children: null }] })).toBe(true)
    expect(valid('Tree', { label: 'a', children: [{ children: [] }] })).toBe(false)
  })

  it('closes the object when forbidNonWhitelisted refuses unknown properties', async () => {
    const strict = await createApp({ controllers: [Sink], validation: { whitelist: true, forbidNonWhitelisted: true } }).openapi()
    expect((strict.components.schemas as Record<string, JsonSchema>)['Tag']).toMatchObject({ additionalProperties: false })
    expect(schemas['Tag']).not.toHaveProperty('additionalProperties')
  })

  it('names two DTO classes of one name apart', async () => {
    const make = () => {
      class Item {
        @IsString() name!: string
      }
      return Item
    }
    const [A, B] = [make(), make()]
    @Controller('/')
    class Two {
      @Post('/a') a(@Body({ type: A }) a: unknown) { return a }
      @Post('/b') b(@Body({ type: B }) b: unknown) { return b }
    }
    const doc = await createApp({ controllers: [Two] }).openapi()
    expect(Object.keys(doc.components.schemas ?? {})).toEqual(expect.arrayContaining(['Item', 'Item2']))
    await expectValidOpenApi(doc)
  })
})
