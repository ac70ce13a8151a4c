// tsyringe (the example shop's container) reads constructor types through reflect-metadata.
import 'reflect-metadata'
import { container } from 'tsyringe'
import { describe, expect, it } from 'vitest'
import { All, Controller, Get, Param, Query, Req, createApp, type AlbRequest, type AppOptions, type VerifiedTable } from '../../src/index.js'
import { Account, Admin, Orders, Products, Site } from '../../examples/shop/controllers.js'
import { InMemoryOrderRepo, ORDER_REPO } from '../../examples/shop/orders-repo.js'
import { correlationId } from '../../examples/shop/pipeline.js'
import { fixtureSuite, HAVE_FIXTURES, requestFixtures } from '../alb/fixtures.js'
import { createApp as createLambdaApp } from '../../src/lambda.js'
import { checkedTable, under } from './checks.js'

// An app given its verified table answers every real ALB event exactly as the same app running
// every check does: the table changes how createApp starts, never what the handler answers.

container.register(ORDER_REPO, { useClass: InMemoryOrderRepo })

/** The example shop: DTOs, CORS, middleware, guards, @Authenticate, fixed responses, redirects. */
const shopOptions: AppOptions = {
  controllers: [Products, Orders, Admin, Site, Account],
  resolve: (cls) => container.resolve(cls as new () => object),
  use: [correlationId],
  cors: { origins: ['https://shop.example.com'], credentials: true, maxAge: 600 },
  auth: { albArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop/50dc6c495c0c9188' },
  onError: () => undefined,
}
const shop = (table?: VerifiedTable) => createApp({ ...shopOptions, ...(table === undefined ? {} : { table }) })

@Controller('/items')
class Items {
  @Get('/{id}')
  get(@Param('id', { type: Number }) id: number, @Query('tag', { type: [String], optional: true }) tags?: string[]) {
    return { id, tags }
  }
}

@Controller()
class Rest {
  @All('/*')
  any(@Req() req: AlbRequest) {
    return { method: req.method, path: req.path, mode: req.mode }
  }
}

/** Scalar parameters only: every binder is built by its route's first request. */
const scalar: AppOptions = { controllers: [Items, Rest], healthCheck: 'route', onError: () => undefined }

/** The shop's correlation id is random per request. */
function stable(result: object): unknown {
  const { headers, multiValueHeaders, ...rest } = result as { headers?: object; multiValueHeaders?: object }
  const drop = (h: object | undefined) => (h === undefined ? undefined : Object.fromEntries(Object.entries(h).filter(([k]) => k !== 'x-correlation-id')))
  return { ...rest, headers: drop(headers), multiValueHeaders: drop(multiValueHeaders) }
}

describe(fixtureSuite('every real ALB event, with and without a verified table'), () => {
  const pairs = [
    ['the example shop', () => ({ checked: under('full', () => shop()), trusted: under('trust', () => shop(checkedTable(() => shop()))) })],
    ['an app with scalar parameters', () => ({ checked: under('full', () => createApp(scalar)), trusted: under('trust', () => createApp({ ...scalar, table: checkedTable(() => createApp(scalar)) })) })],
    // albatross/lambda's createApp, which bundles none of the checks, builds the same app.
    ['the example shop from albatross/lambda', () => ({ checked: under('full', () => shop()), trusted: under('trust', () => createLambdaApp({ ...shopOptions, table: checkedTable(() => shop()) })) })],
    ['an app with scalar parameters from albatross/lambda', () => ({ checked: under('full', () => createApp(scalar)), trusted: under('trust', () => createLambdaApp({ ...scalar, table: checkedTable(() => createApp(scalar)) })) })],
  ] as const

  it.skipIf(!HAVE_FIXTURES).each(pairs)('%s answers each event as the checked app does, its first time and its second', async (_name, build) => {
    const { checked, trusted } = build()
    const fixtures = requestFixtures()
    expect(fixtures.length).toBeGreaterThan(10)
    for (const { file, json } of fixtures) {
      for (let i = 0; i < 2; i++) {
        const expected = stable(await checked.handler(structuredClone(json) as never))
        expect(stable(await trusted.handler(structuredClone(json) as never)), file).toEqual(expected)
      }
    }
  })
})
