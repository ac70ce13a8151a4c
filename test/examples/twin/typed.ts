import '../../../src/dto.js' // DTO support: class-validator, class-transformer, reflect-metadata
// Every parameter decorator with its type in the decorator: a tsc build and an esbuild build of
// this file must answer every request identically (test/examples/twin-build.test.ts).
import type { Context } from 'aws-lambda'
import { Body, Controller, Cookie, Ctx, Event, Get, Header, Param, Post, Query, Req, createApp } from '../../../src/index.js'
import type { ALBEvent, AlbRequest, VerifiedTable } from '../../../src/index.js'
import { Filter, Line, Order, Settings, Tenant } from './dtos.js'

@Controller('/t')
class Typed {
  @Get('/p/{id}')
  param(@Param('id', { type: Number }) id: number, @Query('n', { type: Number, optional: true }) n?: number, @Query('tags', { type: [String], optional: true }) tags?: string[]) {
    return { id, n, tags }
  }
  @Get('/h')
  header(@Header('x-n', { type: Number }) n: number, @Header('x-flag', { type: Boolean, optional: true }) flag?: boolean, @Cookie('c', { type: Date, optional: true }) c?: Date) {
    return { n, flag, c }
  }
  @Get('/dto')
  dto(@Query({ type: Filter }) filter: Filter, @Header({ type: Tenant }) tenant: Tenant) {
    return { filter, tenant: tenant['x-tenant'] }
  }
  @Post('/order') order(@Body({ type: Order }) order: Order) { return { order, isOrder: order instanceof Order } }
  @Post('/settings') settings(@Body({ type: Settings }) settings: Settings) { return { settings } }
  @Post('/lines') lines(@Body({ type: [Line] }) lines: Line[]) { return { lines } }
  @Post('/text') text(@Body({ type: String }) text: string) { return { text } }
  @Post('/bytes') bytes(@Body({ type: Buffer }) bytes: Buffer) { return { length: bytes.length } }
  @Post('/any') any(@Body({ type: Object }) body: unknown) { return { body } }
  @Get('/raw') raw(@Req() req: AlbRequest, @Event() event: ALBEvent, @Ctx() ctx: Context | undefined) {
    return { path: req.path, method: event.httpMethod, ctx: ctx === undefined }
  }
}

/** `table`: the verified table of this build or the other (test/examples/twin-build.test.ts). */
export function build(table?: VerifiedTable) {
  return createApp({ controllers: [Typed], onError: () => {}, ...(table === undefined ? {} : { table }) })
}
