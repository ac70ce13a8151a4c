// One route per request shape measured by bench/growth.mjs (bodies in bench/growth-bodies.mjs). Every type is given in its decorator
// (esbuild emits no decorator metadata), so the same file runs against any checkout's src/.
// DTO support: class-transformer, class-validator (and reflect-metadata) come with this import.
import '../src/dto.js'
import { Expose, Type } from 'class-transformer'
import { IsArray, IsBoolean, IsDate, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator'
import { Body, Controller, Param, Post, Query, createApp } from '../src/index.js'

class Plain {
  @IsString() name!: string
  @IsOptional() @IsInt() qty?: number
}

class Transformed {
  @Expose({ name: 'full_name' }) @IsString() name!: string
  @IsOptional() @Type(() => Number) @IsInt() qty?: number
}

class Item {
  @IsString() sku!: string
  @IsInt() @Min(1) qty!: number
}

class Order {
  @IsArray() @ValidateNested({ each: true }) @Type(() => Item) items!: Item[]
}

class Numbers {
  @IsArray() @IsInt({ each: true }) values!: number[]
}

class Flags {
  @IsOptional() @Type(() => Boolean) @IsBoolean() admin?: boolean
  @IsOptional() @IsArray() @IsString({ each: true }) tag?: string[]
}

class Dates {
  @IsArray() @Type(() => Date) @IsDate({ each: true }) at!: Date[]
}

// Issue #12 § 3: JSON strings converted by the query's rule, and polymorphic subtypes by name.
class TypedNumbers {
  @IsArray() @Type(() => Number) @IsInt({ each: true }) values!: number[]
}

class Pet {
  @IsString() kind!: string
}

class Cat extends Pet {
  @IsString() meow!: string
}

class Pets {
  @IsArray() @ValidateNested({ each: true })
  @Type(() => Pet, { discriminator: { property: 'kind', subTypes: [{ name: 'cat', value: Cat }] }, keepDiscriminatorProperty: true })
  pets!: Pet[]
}

const ok = { ok: true }

@Controller('/g')
class Growth {
  @Post('/scalar/{id}')
  scalar(@Param('id', { type: String }) id: string, @Query('q', { type: Number, optional: true }) q?: number) { return { id, q } }

  @Post('/json') json(@Body({ type: Object }) body: unknown) { return body === undefined ? ok : ok }
  @Post('/text') text(@Body({ type: String }) body: string) { return { length: body.length } }
  @Post('/binary') binary(@Body({ type: Buffer }) body: Buffer) { return { length: body.length } }
  @Post('/form') form(@Body({ type: Object }) body: unknown) { return body === undefined ? ok : ok }
  @Post('/dto-plain') plain(@Body({ type: Plain }) body: Plain) { return { name: body.name } }
  @Post('/dto-transformed') transformed(@Body({ type: Transformed }) body: Transformed) { return { name: body.name } }
  @Post('/dto-nested') nested(@Body({ type: Order }) body: Order) { return { n: body.items.length } }
  @Post('/dto-array') array(@Body({ type: [Item] }) body: Item[]) { return { n: body.length } }
  @Post('/dto-each') each(@Body({ type: Numbers }) body: Numbers) { return { n: body.values.length } }
  @Post('/dto-dates') dates(@Body({ type: Dates }) body: Dates) { return { n: body.at.length } }
  @Post('/dto-typed') typed(@Body({ type: TypedNumbers }) body: TypedNumbers) { return { n: body.values.length } }
  @Post('/dto-subtypes') subtypes(@Body({ type: Pets }) body: Pets) { return { n: body.pets.length } }
  @Post('/form-dto') formDto(@Body({ type: Flags }) body: Flags) { return { n: body.tag?.length } }
}

export const app = createApp({ controllers: [Growth], onError: () => {} })
export const handler = app.handler
