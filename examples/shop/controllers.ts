import {
  Body,
  Controller,
  Cookie,
  Delete,
  FixedResponse,
  Get,
  Header,
  Host,
  HttpCode,
  NotFoundError,
  Param,
  Post,
  Priority,
  Query,
  Redirect,
  SourceIp,
  reply,
} from '../../src/index.js'
import { ClientHeaders, CreateOrder, ProductQuery } from './dto.js'

const PRODUCTS = [
  { sku: 'tee-1', name: 'Albatross tee', price: 25, tags: ['apparel', 'birds'] },
  { sku: 'mug-2', name: 'Gliding mug', price: 12, tags: ['kitchen', 'birds'] },
  { sku: 'map-3', name: 'Southern Ocean map', price: 40, tags: ['maps'] },
]

// Types are given in the decorators so the app behaves the same bundled by esbuild (no
// decorator metadata) and compiled by tsc.
@Controller('/products', { target: 'catalog' })
export class Products {
  @Get()
  list(@Query({ type: ProductQuery }) query: ProductQuery, @Header({ type: ClientHeaders }) headers: ClientHeaders) {
    const tags = query.tag ?? []
    const items = PRODUCTS.filter((p) => tags.every((t) => p.tags.includes(t)))
    return { page: query.page ?? 1, sort: query.sort ?? 'name', features: headers['x-feature'] ?? [], items }
  }

  @Get('/{sku}')
  get(@Param('sku', { type: String }) sku: string) {
    const product = PRODUCTS.find((p) => p.sku === sku)
    if (product === undefined) throw new NotFoundError(`No product ${sku}`)
    return product
  }

  /** Only for the beta header: ALB http-header condition, tried before the plain route. */
  @Get('/{sku}')
  @Header('x-beta', 'on', 'true')
  getBeta(@Param('sku', { type: String }) sku: string) {
    return { sku, beta: true }
  }
}

@Controller('/orders', { target: 'orders' })
export class Orders {
  @Post()
  @HttpCode(201)
  create(@Body({ type: CreateOrder }) order: CreateOrder, @Cookie('session', { type: String, optional: true }) session?: string) {
    const total = order.items.reduce((sum, line) => sum + line.qty, 0)
    return reply({ id: 'ord-1', items: order.items.length, total, session: session !== undefined }, {
      headers: { location: '/orders/ord-1' },
      cookies: ['last-order=ord-1; Path=/; HttpOnly'],
    })
  }

  @Get('/{id}')
  get(@Param('id', { type: String }) id: string, @Query('expand', { type: [String], optional: true }) expand?: string[]) {
    return { id, expand: expand ?? [] }
  }

  @Delete('/{id}')
  @SourceIp('10.0.0.0/8', '2001:db8::/32')
  remove(@Param('id', { type: String }) id: string) {
    void id // deleted: answered 204
  }
}

/** Same paths, another host: ALB host-header condition (case-insensitive, `*` spans dots). */
@Controller('/', { target: 'admin' })
@Host('admin.example.com', '*.admin.example.com')
export class Admin {
  @Get('/products/*')
  @Priority(10)
  inspect(@Header('host', { type: String }) host: string) {
    return { admin: true, host }
  }
}

@Controller('/')
export class Site {
  @Get('/health')
  health() {
    return 'ok'
  }

  @Get('/robots.txt')
  @FixedResponse(200, 'User-agent: *\nDisallow: /admin', 'text/plain')
  robots() {}

  @Get('/old-shop/*')
  @Redirect({ path: '/products', statusCode: 301 })
  oldShop() {}

  /** Static assets by extension: a `*` that spans `/`. */
  @Get('/static/*.css')
  css() {
    return reply('body{}', { headers: { 'content-type': 'text/css' } })
  }

  @Get('/search')
  @Query('q')
  search(@Query('q', { type: String }) q: string, @Query('page', { type: Number, optional: true }) page?: number) {
    return { q, page: page ?? 1 }
  }
}
