import 'reflect-metadata'
import { container, type DependencyContainer } from 'tsyringe'
import { createApp } from '../../src/index.js'
import { Admin, Orders, Products, Site } from './controllers.js'
import { InMemoryOrderRepo, ORDER_REPO } from './orders-repo.js'
import { correlationId } from './pipeline.js'

// Production wiring; a test registers a fake in a child container instead (test/examples/shop.test.ts).
container.register(ORDER_REPO, { useClass: InMemoryOrderRepo })

/** The shop, its controllers built by `di` (each class once): Orders gets its OrderRepo injected. */
export function createShopApp(di: DependencyContainer = container) {
  return createApp({
    controllers: [Products, Orders, Admin, Site],
    resolve: (cls) => di.resolve(cls as new () => object),
    use: [correlationId],
    cors: { origins: ['https://shop.example.com'], credentials: true, maxAge: 600 },
  })
}

export const app = createShopApp()
export const handler = app.handler
export default app
