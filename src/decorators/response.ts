import { memberOf, prepend, recordOf } from '../metadata/store.js'
import { installRedirect } from '../rules/redirect.js'
import { assertLegacyDecorator } from './legacy.js'
import type { FixedResponseContentType, RedirectAction } from '../rules/types.js'

/**
 * Status for a normal return (default 200, or 204 when the method returns `undefined`).
 *
 * @example
 * @Post('/') @HttpCode(201) create() {}
 */
export function HttpCode(status: number): MethodDecorator {
  return (target, key) => {
    assertLegacyDecorator(key, 'HttpCode')
    memberOf(target.constructor, key).httpCode = status
  }
}

/**
 * Makes the route an ALB `fixed-response` action: the Lambda serves it behind a catch-all rule,
 * the ALB itself serves it in a per-route manifest. The method body is never called.
 *
 * @example
 * @Get('/robots.txt') @FixedResponse(200, 'User-agent: *\nDisallow: /', 'text/plain') robots() {}
 */
export function FixedResponse(
  statusCode: number,
  messageBody?: string,
  contentType?: FixedResponseContentType,
): MethodDecorator {
  return (target, key) => {
    assertLegacyDecorator(key, 'FixedResponse')
    memberOf(target.constructor, key).action = {
      type: 'fixed-response',
      statusCode,
      ...(messageBody === undefined ? {} : { messageBody }),
      ...(contentType === undefined ? {} : { contentType }),
    }
  }
}

export type RedirectOptions = Omit<RedirectAction, 'type' | 'statusCode'> & { readonly statusCode?: 301 | 302 }

/**
 * Makes the route an ALB `redirect` action. Unset components keep the request's; `#{host}`,
 * `#{path}`, `#{port}`, `#{protocol}`, `#{query}` are ALB's placeholders.
 *
 * @example
 * @Get('/old/*') @Redirect({ path: '/new/#{path}', statusCode: 301 }) old() {}
 */
export function Redirect(options: RedirectOptions): MethodDecorator {
  // The redirect's code comes with the decorator: an app that never names @Redirect bundles none.
  installRedirect()
  return (target, key) => {
    assertLegacyDecorator(key, 'Redirect')
    const { statusCode = 302, ...rest } = options
    memberOf(target.constructor, key).action = { type: 'redirect', statusCode, ...rest }
  }
}

/**
 * On a class or method: a response header added to every normal return of its routes (a
 * `reply()` that sets the same header wins; errors and middleware answers do not get it). Not a
 * request condition: `@Header(name, value)` is ALB's http-header condition, which decides
 * whether a route matches a request.
 *
 * @example
 * @Get('/{id}') @ResponseHeader('cache-control', 'no-store') get(@Param('id') id: string) {}
 */
export function ResponseHeader(name: string, value: string): ClassDecorator & MethodDecorator {
  return ((target: object, key?: string | symbol | object) => {
    assertLegacyDecorator(key, 'ResponseHeader')
    // Decorators apply bottom-up; unshifting keeps the written order (the last written wins a tie).
    const record = key === undefined ? recordOf(target) : memberOf((target as { constructor: object }).constructor, key as string | symbol)
    record.responseHeaders = prepend(record.responseHeaders, { name, value })
  }) as ClassDecorator & MethodDecorator
}
