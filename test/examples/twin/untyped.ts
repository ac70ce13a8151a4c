import '../../../src/dto.js' // DTO support: class-validator, class-transformer, reflect-metadata
// The same parameters with the types only in TypeScript: tsc (decorator metadata) can bind them,
// esbuild cannot know them, so its build must refuse at createApp, naming each one, instead of
// binding "7" to a number or an unvalidated body to a DTO (issue #12 § 1).
import { Body, Controller, Cookie, Get, Header, Param, Post, Query, createApp } from '../../../src/index.js'
import { Filter, Line, Order, Tenant } from './dtos.js'
import type { VerifiedTable } from '../../../src/index.js'

@Controller('/u')
class Untyped {
  @Get('/p/{id}') param(@Param('id') id: number, @Query('tags') tags: string[]) { return { id, tags } }
  @Get('/h') header(@Header('x-n') n: number, @Cookie('c') c: Date) { return { n, c } }
  @Get('/dto') dto(@Query() filter: Filter, @Header() tenant: Tenant) { return { filter, tenant } }
  @Post('/order') order(@Body() order: Order) { return { isOrder: order instanceof Order } }
  @Post('/text') text(@Body() text: string) { return { text } }
  @Post('/line') line(@Body() line: Line) { return { line } }
}

/** `table`: the verified table of this build or the other (test/examples/twin-build.test.ts). */
export function build(table?: VerifiedTable) {
  return createApp({ controllers: [Untyped], onError: () => {}, ...(table === undefined ? {} : { table }) })
}
