import 'albatross/dto' // DTO support: class-validator, class-transformer, reflect-metadata
import { IsString, Length } from 'class-validator'
import { Body, Controller, Get, HttpCode, Post, Query } from 'albatross'
// The createApp that trusts the table below and bundles none of the checks it stands for.
import { createApp } from 'albatross/lambda'
// The routes as `npm run check` verified them (albatross check --out): createApp skips those
// checks at cold start, and refuses to start if this table no longer matches the routes.
import table from './albatross.table.js'

class NewUser {
  @IsString() @Length(1, 100) name!: string
}

@Controller()
class Hello {
  // GET /lambda?query=1234ABCD → { "query": "1234ABCD" }
  @Get('/lambda')
  lambda(@Query('query', { type: String }) query: string) {
    return { query }
  }

  // GET /todos?tag=a&tag=b → { "tags": ["a", "b"] } (every value needs multi-value headers, which
  // the manifest turns on for the target group)
  @Get('/todos')
  todos(@Query('tag', { type: [String], optional: true }) tags: string[] = []) {
    return { tags }
  }

  // POST /users {"name":"Ada"} → 201 { "created": "Ada" }; an empty name → 400 problem+json
  @Post('/users')
  @HttpCode(201)
  create(@Body({ type: NewUser }) user: NewUser) {
    return { created: user.name }
  }
}

export const app = createApp({ controllers: [Hello], table })
export const handler = app.handler
