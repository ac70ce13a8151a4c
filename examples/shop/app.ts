// tsyringe's container reads constructor types through reflect-metadata.
import 'reflect-metadata'
import { container, type DependencyContainer } from 'tsyringe'
import { createApp } from '../../src/index.js'
import { Account, Admin, Orders, Products, Site } from './controllers.js'
import { InMemoryOrderRepo, ORDER_REPO } from './orders-repo.js'
import { correlationId } from './pipeline.js'

// Production wiring; a test registers a fake in a child container instead (test/examples/shop.test.ts).
container.register(ORDER_REPO, { useClass: InMemoryOrderRepo })

/** The shop, its controllers built by `di` (each class once): Orders gets its OrderRepo injected. */
export function createShopApp(di: DependencyContainer = container) {
  return createApp({
    controllers: [Products, Orders, Admin, Site, Account],
    resolve: (cls) => di.resolve(cls as new () => object),
    use: [correlationId],
    cors: { origins: ['https://shop.example.com'], credentials: true, maxAge: 600 },
    // The load balancer that signs x-amzn-oidc-data for the Account routes (their `signer`).
    auth: { albArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop/50dc6c495c0c9188' },
  })
}

export const app = createShopApp()
export const handler = app.handler
export default app
