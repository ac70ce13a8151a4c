import { inject, injectable } from 'tsyringe'
import { Authenticate, Claims } from '../../src/auth/index.js'
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
  ResponseHeader,
  SourceIp,
  Use,
  reply,
} from '../../src/index.js'
import { AccountClaims, ClientHeaders, CreateOrder, ProductQuery } from './dto.js'
import { ORDER_REPO, type OrderRepo } from './orders-repo.js'
import { Tenant, requireTenant } from './pipeline.js'

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

/**
 * Built by the DI container (createApp's `resolve`) with its repository injected; the explicit
 * @inject token works without decorator metadata, so esbuild and tsc builds behave the same.
 */
@injectable()
@Controller('/orders', { target: 'orders' })
@ResponseHeader('cache-control', 'no-store')
export class Orders {
  constructor(@inject(ORDER_REPO) private readonly repo: OrderRepo) {}

  @Post()
  @HttpCode(201)
  create(@Body({ type: CreateOrder }) order: CreateOrder, @Cookie('session', { type: String, optional: true }) session?: string) {
    const total = order.items.reduce((sum, line) => sum + line.qty, 0)
    return reply({ id: 'ord-1', items: order.items.length, total, session: session !== undefined }, {
      headers: { location: '/orders/ord-1' },
      cookies: ['last-order=ord-1; Path=/; HttpOnly'],
    })
  }

  /** Tenant-scoped: the guard answers 401 without `x-tenant`; the method gets the verified tenant. */
  @Get('/{id}')
  @Use(requireTenant)
  get(
    @Param('id', { type: String }) id: string,
    @Tenant() tenant: string,
    @Query('expand', { type: [String], optional: true }) expand?: string[],
  ) {
    const order = this.repo.find(tenant, id)
    if (order === undefined) throw new NotFoundError(`No order ${id}`)
    return { ...order, expand: expand ?? [] }
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

/**
 * Signed-in customers. ALB logs the user in through the Cognito user pool before it forwards
 * (the manifest puts `authenticate-cognito` before the rule's `forward`); the Lambda verifies
 * the `x-amzn-oidc-data` ALB signed and hands its claims to `@Claims()`.
 */
@Controller('/account')
@Authenticate({
  type: 'cognito',
  userPoolArn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Shop12345',
  userPoolClientId: 'shop-web-client',
  userPoolDomain: 'shop-login',
  sessionTimeout: 86400,
})
export class Account {
  @Get()
  @Priority(2000)
  profile(@Claims({ type: AccountClaims }) claims: AccountClaims) {
    return { sub: claims.sub, email: claims.email ?? null }
  }

  /** A partner system's machine token instead: ALB's jwt-validation, replacing the class's login. */
  @Get('/partner-orders')
  @Priority(2010)
  @Authenticate({
    type: 'jwt',
    jwksEndpoint: 'https://auth.partner.example.com/.well-known/jwks.json',
    issuer: 'https://auth.partner.example.com',
    claims: [{ name: 'scope', format: 'space-separated-values', values: ['orders:read'] }],
  })
  partnerOrders(@Claims() claims: { sub: string }) {
    return { partner: claims.sub, orders: [] }
  }
}
