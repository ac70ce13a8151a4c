import { memberOf, prepend } from '../metadata/store.js'
import { assertLegacyDecorator } from './legacy.js'

// Each call is marked pure, so a bundle keeps only the decorators the app uses (issue #18).
function route(methods: readonly string[] | undefined) {
  // Frozen: every route of the decorator, and its rule's http-request-method condition, share it.
  const httpMethods = methods === undefined ? undefined : Object.freeze(methods)
  return (path?: string | RegExp): MethodDecorator =>
    (target, key) => {
      // A string or symbol key on every legacy use: only an object (a TC39 context) needs the check.
      if (typeof key === 'object') assertLegacyDecorator(key, 'Get/Post/…')
      const member = memberOf(target.constructor, key)
      member.routes = prepend(member.routes, { methodName: String(key), httpMethods, path })
    }
}

/**
 * Routes `GET` and `HEAD` (AWS advises routing them alike; a HEAD answer has no body).
 * `path` is an ALB path pattern (`*`, `?`) with `{name}` captures, or a RegExp.
 *
 * @example
 * @Get('/{id}') get(@Param('id') id: string) {}
 */
export const Get = /* @__PURE__ */ route(['GET', 'HEAD'])
/** Routes `POST`. @example @Post('/') create(@Body() dto: CreateUser) {} */
export const Post = /* @__PURE__ */ route(['POST'])
/** Routes `PUT`. @example @Put('/{id}') replace() {} */
export const Put = /* @__PURE__ */ route(['PUT'])
/** Routes `PATCH`. @example @Patch('/{id}') update() {} */
export const Patch = /* @__PURE__ */ route(['PATCH'])
/** Routes `DELETE`. @example @Delete('/{id}') remove() {} */
export const Delete = /* @__PURE__ */ route(['DELETE'])
/** Routes `HEAD` only. @example @Head('/{id}') exists() {} */
export const Head = /* @__PURE__ */ route(['HEAD'])
/** Routes `OPTIONS`. @example @Options('/') preflight() {} */
export const Options = /* @__PURE__ */ route(['OPTIONS'])
/** Routes every method (no http-request-method condition). @example @All('/*') proxy() {} */
export const All = /* @__PURE__ */ route(undefined)
