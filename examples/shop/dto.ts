import { Type } from 'class-transformer'
import {
  ArrayMaxSize,
  IsEmail,
  IsArray,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator'
// DTO support: class-transformer and class-validator come into an app through this import.
import '../../src/dto.js'

export enum Sort {
  Price = 'price',
  Name = 'name',
}

/** `GET /products?tag=a&tag=b&page=2`: repeated `tag` keys arrive as an array in multi-value mode. */
export class ProductQuery {
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @Type(() => String)
  tag?: string[]

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number

  @IsOptional()
  @IsEnum(Sort)
  sort?: Sort
}

/** Headers bound as a whole: `x-feature` may be sent several times. */
export class ClientHeaders {
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @Type(() => String)
  'x-feature'?: string[]

  @IsOptional()
  @IsString()
  'x-request-id'?: string
}

export class OrderLine {
  @IsString()
  @Length(1, 40)
  sku!: string

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(99)
  qty!: number
}

export class CreateOrder {
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OrderLine)
  items!: OrderLine[]

  @IsOptional()
  @IsIn(['standard', 'express'])
  shipping?: 'standard' | 'express'
}

/** The user-info claims ALB signs into x-amzn-oidc-data after the Cognito login. */
export class AccountClaims {
  @IsString()
  sub!: string

  @IsOptional()
  @IsEmail()
  email?: string
}
