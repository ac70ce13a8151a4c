import { bindParam } from '../decorators/params.js'
import { assertLegacyDecorator } from '../decorators/legacy.js'
import { memberOf, prepend, recordOf } from '../metadata/store.js'
import type { Middleware, RequestContext } from './types.js'

/**
 * Middleware for every route of a class, or for one method. Order: the app's `use`, then the
 * class's, then the method's, outermost first; within one `@Use(a, b)`, and across stacked
 * `@Use`s read top to bottom, the first is the outer one. Runs only where a per-route
 * deployment would invoke the Lambda (never for fixed-response or redirect routes).
 *
 * @example
 * @Controller('/orders') @Use(requireTenant)
 * class Orders { @Get('/{id}') @Use(audit) get(@Param('id') id: string) {} }
 */
export function Use(...middleware: Middleware[]): ClassDecorator & MethodDecorator {
  return ((target: object, key?: string | symbol | object) => {
    assertLegacyDecorator(key, 'Use')
    // Decorators apply bottom-up; unshifting keeps the written (top-down) order.
    const record = key === undefined ? recordOf(target) : memberOf((target as { constructor: object }).constructor, key as string | symbol)
    record.use = prepend(record.use, ...middleware)
  }) as ClassDecorator & MethodDecorator
}

/**
 * Makes a parameter decorator from a function of the request context. The function runs after
 * the route's middleware (so it reads what they left in `ctx.state`), before the method; the
 * decorator's arguments follow the context. A promise it returns is awaited; an `HttpError` it
 * throws is answered as usual.
 *
 * @example
 * const Tenant = createParamDecorator((ctx) => ctx.state.tenant as string)
 * @Get('/orders') list(@Tenant() tenant: string) {}
 */
export function createParamDecorator<A extends unknown[] = []>(
  read: (ctx: RequestContext, ...args: A) => unknown,
): (...args: A) => ParameterDecorator {
  if (typeof read !== 'function') throw new TypeError('createParamDecorator takes a function (ctx, ...args) => value')
  const name = read.name === '' ? 'createParamDecorator' : read.name
  return (...args: A) => bindParam('custom', undefined, {}, { name, read: read as never, args })
}
