import { isValidStatus } from '../alb/status.js'
import { AlbatrossError } from '../http-error.js'
import type { AppResponse, Guard, Middleware, RequestContext } from './types.js'

/** The inside of a layer: the rest of the chain, down to the route's method. */
export type Endpoint = (ctx: RequestContext) => Promise<AppResponse>

/** A middleware's name as `routes`/`explain` print it and errors name it. */
export function middlewareName(middleware: Middleware): string {
  return middleware.name === '' ? '(anonymous)' : middleware.name
}

/**
 * Composes a route's chain once, at createApp: guards first (they stop a request before any
 * middleware, as an ALB authenticate action would), then the middleware, outermost first, around
 * `endpoint`. The per-request cost is one closure and one promise per layer; nothing is looked
 * up or allocated per middleware beyond that.
 */
export function composeChain(
  source: string,
  guards: readonly Guard[],
  middleware: readonly Middleware[],
  endpoint: Endpoint,
): Endpoint {
  let chain = endpoint
  for (let i = middleware.length - 1; i >= 0; i--) chain = layer(middleware[i] as Middleware, chain, source)
  if (guards.length === 0) return chain
  const inner = chain
  return async (ctx) => {
    for (const guard of guards) {
      const passed = guard.check(ctx)
      if (passed instanceof Promise) await passed
    }
    return inner(ctx)
  }
}

// Plain functions and explicit promises rather than async functions: an async layer costs an
// extra promise and microtask per middleware, measurable on a pass-through chain.
function layer(middleware: Middleware, inner: Endpoint, source: string): Endpoint {
  const name = middlewareName(middleware)
  const checked = (response: unknown): AppResponse => {
    const problem = responseProblem(response)
    if (problem !== undefined) {
      throw new AlbatrossError('ERR_MIDDLEWARE_RESPONSE', `middleware ${name} on ${source} ${problem}`)
    }
    return response as AppResponse
  }
  return (ctx) => {
    let called = false
    const next = (): Promise<AppResponse> => {
      if (called) {
        return Promise.reject(
          new AlbatrossError(
            'ERR_MIDDLEWARE_NEXT',
            `middleware ${name} on ${source} called next() twice, which would run the route twice: call it once and keep its response`,
          ),
        )
      }
      called = true
      const response = inner(ctx)
      // A middleware that answers on its own without awaiting next() must not leave an
      // unhandled rejection behind (it would end the Lambda process); awaiting it still throws.
      response.catch(ignore)
      return response
    }
    try {
      const response: unknown = middleware(ctx, next)
      return response instanceof Promise ? response.then(checked) : Promise.resolve(checked(response))
    } catch (error) {
      return Promise.reject(error)
    }
  }
}

function ignore(): void {}

/** Why `value` is not an AppResponse, as the end of a sentence, or undefined. */
function responseProblem(value: unknown): string | undefined {
  if (value === undefined || value === null) {
    return `returned ${String(value)}: return the response of next(), or a response of its own ({ status, headers?, cookies?, body? })`
  }
  if (typeof value !== 'object') return `returned a ${typeof value}, not a response ({ status, headers?, cookies?, body? })`
  const { status, headers, cookies, body } = value as Record<string, unknown>
  if (typeof status !== 'number' || !isValidStatus(status)) {
    return `returned a response whose status ${String(status)} is not an integer from 200 to 599 (a final status)`
  }
  if (headers !== undefined && (typeof headers !== 'object' || headers === null)) {
    return 'returned a response whose headers are not an object of name → string or string[]'
  }
  if (cookies !== undefined && !Array.isArray(cookies)) return 'returned a response whose cookies are not an array of Set-Cookie values'
  if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)) {
    return `returned a response whose body is a ${body === null ? 'null' : typeof body}: a body is a string or bytes (JSON.stringify it, or throw an HttpError)`
  }
  return undefined
}
