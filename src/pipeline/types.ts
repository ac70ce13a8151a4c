import type { Context } from 'aws-lambda'
import type { ALBEvent, AlbRequest } from '../alb/types.js'
import type { AlbRule } from '../rules/types.js'

/**
 * The normalised response the pipeline passes outward: what `reply()` builds and what
 * `formatResult` turns into the event's header mode. Headers are `string` or `string[]`
 * (sent as repeated headers in multi-value mode); `body` is text or bytes (sent base64).
 */
export interface AppResponse {
  readonly status: number
  readonly headers?: Readonly<Record<string, string | readonly string[]>>
  /** `Set-Cookie` values, one cookie each. */
  readonly cookies?: readonly string[]
  readonly body?: string | Uint8Array
}

/** The route a request reached: `Controller.method` and its rule as ALB evaluates it. */
export interface RouteInfo {
  readonly source: string
  readonly rule: AlbRule
}

/**
 * One request as the pipeline sees it. Built only for routes that have middleware, guards or
 * custom parameters; `state` is a fresh object on every request.
 */
export interface RequestContext {
  readonly request: AlbRequest
  readonly event: ALBEvent
  /** The Lambda context (undefined when the handler is called without one, as in tests). */
  readonly context: Context | undefined
  readonly route: RouteInfo
  /** The router's `{name}` captures as they appear in the path (still URL-encoded, as ALB sends it). */
  readonly params: Readonly<Record<string, string>>
  /** Per-request state: what middleware leaves here, custom parameters read. */
  readonly state: Record<string, unknown>
}

/**
 * Onion middleware. It may act before and after `next()`, replace the response, or answer
 * without calling `next()` (return a response or throw an `HttpError`). `next()` resolves with
 * the route's response, or rejects with what the route (or an inner middleware) threw.
 *
 * @example
 * const timing: Middleware = async (ctx, next) => {
 *   const started = performance.now()
 *   const response = await next()
 *   return { ...response, headers: { ...response.headers, 'server-timing': `app;dur=${performance.now() - started}` } }
 * }
 */
export type Middleware = (ctx: RequestContext, next: () => Promise<AppResponse>) => AppResponse | Promise<AppResponse>

/**
 * A per-route check that runs before any middleware (internal hook; see pipeline/guards.ts).
 * It passes by returning, and stops the request by throwing: an `HttpError` is answered as
 * problem+json without reaching middleware or the method. It may leave values in `ctx.state`
 * for custom parameters (the verified claims of ALB authentication).
 */
export interface Guard {
  /** Shown by `albatross routes` / `explain` before the middleware names. */
  readonly name: string
  check(ctx: RequestContext): void | Promise<void>
}
