import { Type } from 'class-transformer'
import { IsArray, IsBoolean, IsDate, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator'

export class Filter {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number
  @IsOptional() @IsArray() @IsString({ each: true }) tag?: string[]
}

export class Tenant {
  @IsString() 'x-tenant'!: string
}

export class Line {
  @IsString() sku!: string
  @IsInt() @Min(1) qty!: number
}

export class Order {
  @IsArray() @ValidateNested({ each: true }) @Type(() => Line) lines!: Line[]
  @IsOptional() @IsBoolean() gift?: boolean
}

// Issue #12 § 3: scalar @Type conversions of JSON strings and a polymorphic @Type.
export class Shape {
  @IsString() kind!: string
}
export class Circle extends Shape {
  @Type(() => Number) @IsInt() radius!: number
}
export class Settings {
  @IsOptional() @Type(() => Boolean) @IsBoolean() admin?: boolean
  @IsOptional() @Type(() => Number) @IsInt() limit?: number
  @IsOptional() @Type(() => Date) @IsDate() since?: Date
  @IsOptional() @ValidateNested()
  @Type(() => Shape, { discriminator: { property: 'kind', subTypes: [{ name: 'circle', value: Circle }] }, keepDiscriminatorProperty: true })
  shape?: Shape
}
