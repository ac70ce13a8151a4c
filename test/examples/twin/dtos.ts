import { Type } from 'class-transformer'
import { IsArray, IsBoolean, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator'

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
