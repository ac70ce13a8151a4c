import { describe, expect, it } from 'vitest'
import { composeChain, type Endpoint } from '../../src/pipeline/compose.js'
import type { AppResponse, Guard, Middleware, RequestContext } from '../../src/pipeline/types.js'

// The chain alone, without an app: order, reach around next(), and the errors a broken
// middleware gets instead of a hang.

const ctx = () => ({ state: {} }) as unknown as RequestContext
const ok: Endpoint = async (c) => ({ status: 200, body: JSON.stringify(c.state) })

function tracing(name: string, log: string[]): Middleware {
  const middleware: Middleware = async (_ctx, next) => {
    log.push(`${name} before`)
    const response = await next()
    log.push(`${name} after`)
    return response
  }
  Object.defineProperty(middleware, 'name', { value: name })
  return middleware
}

describe('composeChain', () => {
  it('runs middleware outermost first, each before and after next()', async () => {
    const log: string[] = []
    const chain = composeChain('C.m', [], [tracing('a', log), tracing('b', log), tracing('c', log)], async () => {
      log.push('route')
      return { status: 204 }
    })
    expect(await chain(ctx())).toEqual({ status: 204 })
    expect(log).toEqual(['a before', 'b before', 'c before', 'route', 'c after', 'b after', 'a after'])
  })

  it('lets a middleware replace the response it got from next()', async () => {
    const wrap: Middleware = async (_c, next) => {
      const response = await next()
      return { ...response, status: 201, headers: { ...response.headers, 'x-wrapped': '1' } }
    }
    expect(await composeChain('C.m', [], [wrap], ok)(ctx())).toEqual({ status: 201, headers: { 'x-wrapped': '1' }, body: '{}' })
  })

  it('lets a middleware answer without calling next(): the route never runs', async () => {
    let ran = false
    const stop: Middleware = () => ({ status: 403, body: 'no' })
    const response = await composeChain('C.m', [], [stop], async () => {
      ran = true
      return { status: 200 }
    })(ctx())
    expect(response).toEqual({ status: 403, body: 'no' })
    expect(ran).toBe(false)
  })

  it('rejects next() with what the route threw, so a middleware can map it', async () => {
    class Missing extends Error {}
    const map: Middleware = async (_c, next) => {
      try {
        return await next()
      } catch (error) {
        if (error instanceof Missing) return { status: 404 }
        throw error
      }
    }
    const chain = composeChain('C.m', [], [map], async () => {
      throw new Missing()
    })
    expect(await chain(ctx())).toEqual({ status: 404 })
  })

  it('refuses a second next(): the route runs once and the error names the middleware and route', async () => {
    let runs = 0
    const twice: Middleware = async function twice(_c, next) {
      await next()
      return next()
    }
    const chain = composeChain('Orders.get', [], [twice], async () => {
      runs++
      return { status: 200 }
    })
    await expect(chain(ctx())).rejects.toMatchObject({
      code: 'ERR_MIDDLEWARE_NEXT',
      message: expect.stringMatching(/twice on Orders\.get called next\(\) twice/),
    })
    expect(runs).toBe(1)
  })

  it.each([
    ['nothing', undefined, /returned undefined: return the response of next\(\)/],
    ['a string', 'ok', /returned a string, not a response/],
    ['a bad status', { status: 42 }, /status 42 is not an integer from 200 to 599/],
    ['an object body', { status: 200, body: { a: 1 } }, /body is a object: a body is a string or bytes/],
    ['cookies that are not an array', { status: 200, cookies: 'a=1' }, /cookies are not an array/],
  ])('turns a middleware that returns %s into a clear error, not a hang', async (_what, value, message) => {
    const broken = (() => value) as unknown as Middleware
    Object.defineProperty(broken, 'name', { value: 'broken' })
    await expect(composeChain('C.m', [], [broken], ok)(ctx())).rejects.toMatchObject({
      code: 'ERR_MIDDLEWARE_RESPONSE',
      message: expect.stringMatching(message),
    })
  })

  it('leaves no unhandled rejection when a middleware calls next() without awaiting it and answers itself', async () => {
    const unhandled: unknown[] = []
    const listener = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', listener)
    try {
      const careless: Middleware = (_c, next) => {
        void next()
        return { status: 202 }
      }
      const response = await composeChain('C.m', [], [careless], async () => {
        throw new Error('route failed')
      })(ctx())
      expect(response).toEqual({ status: 202 })
      await new Promise((resolve) => setTimeout(resolve, 10))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', listener)
    }
  })

  it('runs guards before every middleware; a guard that throws stops the request before any of them', async () => {
    const log: string[] = []
    const guard: Guard = {
      name: 'auth',
      check: async (c) => {
        log.push('guard')
        if (c.state['deny'] === true) throw new Error('denied')
        c.state['user'] = 'alice'
      },
    }
    const chain = composeChain('C.m', [guard], [tracing('a', log)], ok)
    const allowed = ctx()
    expect(await chain(allowed)).toEqual({ status: 200, body: '{"user":"alice"}' })
    expect(log).toEqual(['guard', 'a before', 'a after'])
    log.length = 0
    const denied = ctx()
    denied.state['deny'] = true
    await expect(chain(denied)).rejects.toThrow('denied')
    expect(log).toEqual(['guard'])
  })

  it('returns the endpoint itself when there is nothing to compose', () => {
    expect(composeChain('C.m', [], [], ok)).toBe(ok)
  })
})

// Type-level: the pinned Middleware form accepts sync and async answers.
const _sync: Middleware = (_c, next) => next()
const _answer: Middleware = (): AppResponse => ({ status: 204 })
void _sync
void _answer
