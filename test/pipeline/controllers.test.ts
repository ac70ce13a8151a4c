import 'reflect-metadata'
import { container as rootContainer, inject, injectable } from 'tsyringe'
import { describe, expect, it } from 'vitest'
import { Controller, Get, Param, albEvent, createApp } from '../../src/index.js'

const json = (body: string | undefined) => JSON.parse(body ?? '') as unknown

/** The dependency a controller needs: a store that production backs with a database. */
interface OrderRepo {
  find(id: string): { id: string; source: string } | undefined
}
/** tsyringe's injection token for an interface. */
const ORDER_REPO = 'OrderRepo'
class DatabaseOrderRepo implements OrderRepo {
  find(id: string) {
    return { id, source: 'database' }
  }
}

describe('controllers given as instances, or built once (DESIGN.md § The request pipeline)', () => {
  @Controller('/orders')
  class Orders {
    constructor(private readonly repo: OrderRepo) {}
    @Get('/{id}')
    get(@Param('id') id: string) {
      return this.repo.find(id)
    }
  }

  it('uses an instance as given: its constructor arguments are the caller\'s', async () => {
    const app = createApp({ controllers: [new Orders(new DatabaseOrderRepo())] })
    expect(json((await app.handler(albEvent({ path: '/orders/7' }))).body)).toEqual({ id: '7', source: 'database' })
  })

  it('refuses at createApp a class whose constructor declares parameters, given without an instance or resolve', () => {
    expect(() => createApp({ controllers: [Orders] })).toThrow(
      expect.objectContaining({
        name: 'RouteDeclarationError',
        problems: [
          {
            source: 'Orders',
            message: expect.stringMatching(/Orders's constructor declares 1 parameter\(s\), which new Orders\(\) would leave undefined: give an instance .* or a resolver/),
          },
        ],
      }),
    )
  })

  it('builds a class once with resolve, for every route of it, and never calls resolve per request', async () => {
    const resolved: unknown[] = []
    @Controller()
    class Two {
      constructor(readonly repo: OrderRepo) {}
      @Get('/a') a() { return this.repo.find('a') }
      @Get('/b') b() { return this.repo.find('b') }
    }
    const app = createApp({
      controllers: [Two],
      resolve: (cls) => {
        resolved.push(cls)
        return new Two(new DatabaseOrderRepo())
      },
    })
    await app.handler(albEvent({ path: '/a' }))
    await app.handler(albEvent({ path: '/b' }))
    expect(resolved).toEqual([Two])
  })

  it('builds a class without constructor parameters with new, once', async () => {
    let built = 0
    @Controller()
    class Plain {
      constructor() { built++ }
      @Get('/a') a() { return 'a' }
      @Get('/b') b() { return 'b' }
    }
    const app = createApp({ controllers: [Plain] })
    expect((await app.handler(albEvent({ path: '/b' }))).body).toBe('b')
    expect(built).toBe(1)
  })

  it('reports a resolve that throws, returns nothing or a promise, naming the class', () => {
    @Controller() class A { @Get('/a') a() {} }
    @Controller() class B { @Get('/b') b() {} }
    @Controller() class C { @Get('/c') c() {} }
    const resolve = (cls: unknown) => {
      if (cls === A) throw new Error('no binding for A')
      if (cls === B) return undefined as unknown as object
      return Promise.resolve(new C())
    }
    expect(() => createApp({ controllers: [A, B, C], resolve })).toThrow(
      expect.objectContaining({
        problems: [
          { source: 'A', message: 'resolve(A) threw: no binding for A' },
          { source: 'B', message: expect.stringMatching(/resolve\(B\) returned undefined: it must return the instance itself, synchronously/) },
          { source: 'C', message: expect.stringMatching(/resolve\(C\) returned a promise/) },
        ],
      }),
    )
  })

  it('refuses two instances of one class, and something that is neither class nor instance', () => {
    @Controller() class D { @Get('/d') d() {} }
    expect(() => createApp({ controllers: [new D(), new D(), 42 as unknown as object] })).toThrow(
      expect.objectContaining({
        problems: [
          { source: 'D', message: 'two instances of D are given: give one' },
          { source: 'createApp({ controllers })', message: '42 is neither a controller class nor an instance of one' },
        ],
      }),
    )
  })

  it('does not build a class whose routes the ALB answers itself (no forward route), nor refuse it', () => {
    @Controller()
    class OnlyFixed {
      constructor(readonly repo: OrderRepo) {}
    }
    expect(() => createApp({ controllers: [OnlyFixed] })).not.toThrow()
  })
})

describe('a DI container as resolve (tsyringe)', () => {
  // Explicit @inject tokens: esbuild and vitest emit no design:paramtypes, so the container could
  // not read constructor types from metadata; with a token it works the same under tsc.
  @injectable()
  @Controller('/orders')
  class Orders {
    constructor(@inject(ORDER_REPO) private readonly repo: OrderRepo) {}
    @Get('/{id}')
    get(@Param('id') id: string) {
      return this.repo.find(id) ?? { missing: id }
    }
  }

  it('builds the controller with the production dependency', async () => {
    const container = rootContainer.createChildContainer()
    container.register(ORDER_REPO, { useClass: DatabaseOrderRepo })
    const app = createApp({ controllers: [Orders], resolve: (cls) => container.resolve(cls as new () => object) })
    expect(json((await app.handler(albEvent({ path: '/orders/1' }))).body)).toEqual({ id: '1', source: 'database' })
  })

  it('swaps the dependency for a fake in a test, without touching the controller', async () => {
    const fake: OrderRepo = { find: (id) => (id === '1' ? { id, source: 'fake' } : undefined) }
    const container = rootContainer.createChildContainer()
    container.register(ORDER_REPO, { useValue: fake })
    const app = createApp({ controllers: [Orders], resolve: (cls) => container.resolve(cls as new () => object) })
    expect(json((await app.handler(albEvent({ path: '/orders/1' }))).body)).toEqual({ id: '1', source: 'fake' })
    expect(json((await app.handler(albEvent({ path: '/orders/2' }))).body)).toEqual({ missing: '2' })
  })
})
