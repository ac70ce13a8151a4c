import type { Context } from 'aws-lambda'
import type { ValidatorOptions } from 'class-validator'
import { carriesBody, isValidStatus } from '../alb/status.js'
import { serializeResult } from '../binding/result.js'
import type { AlbRequest } from '../alb/types.js'
import { bindingProblems, createBinder, type Binder } from '../binding/binder.js'
import type { ParamDefinition, RouteDefinition } from '../metadata/types.js'
import type { RouteProblem } from '../rules/errors.js'
import type { AlbRule, RuleMatch } from '../rules/types.js'
import { composeChain, middlewareName, type Endpoint } from './compose.js'
import type { ControllerSet } from './controllers.js'
import { boundByDeclaration } from '../binding/bound-by-declaration.js'
import { concatenated, NONE } from '../metadata/none.js'
import type { GuardProvider } from './guards.js'
import { mergeResponseHeaders, responseHeaderDeclarationProblem, withResponseHeaders } from './response-headers.js'
import type { AppResponse, Guard, Middleware, RequestContext, RouteInfo } from './types.js'

/** Everything createApp precomputes for one forwarded route. */
export interface RouteEntry {
  readonly route: RouteDefinition
  readonly info: RouteInfo
  /**
   * The controller method and its instance, called through `Reflect.apply` rather than as a bound
   * function: at 1,000 routes each route's objects are cold in the CPU caches, and a bound
   * function is one more of them on every request.
   */
  readonly method: (...args: unknown[]) => unknown
  readonly instance: object
  readonly binder: Binder
  /** The status of a plain JSON answer, when formatJsonResult may build it (valid, no extra headers). */
  readonly jsonStatus: number | undefined
  readonly responseHeaders: Readonly<Record<string, string>> | undefined
  /** True when a custom parameter reads the RequestContext, so the binder is given one. */
  readonly contextual: boolean
  /** The composed guards and middleware around the method; undefined keeps the synchronous path. */
  readonly chain: Endpoint | undefined
  /** Guard and middleware names, outermost first, for `routes` and `explain`. */
  readonly chainNames: readonly string[]
}

export interface EntryOptions {
  readonly use: readonly Middleware[]
  /** The route's guards (pipeline/guards.ts), run before any middleware. */
  readonly guardsFor: GuardProvider
  readonly validation: ValidatorOptions | undefined
  /**
   * Set when a verified table stands for the declaration checks: a route's binder is built on its
   * first request when its binding depends on its declaration alone, and the others' binding
   * problems (a DTO's, a custom parameter's), which the table does not cover, are reported here.
   */
  readonly lazyBinders?: boolean
  readonly controllers: ControllerSet
  /** Adds CORS headers to a normal return (the app's `cors`), when configured. */
  readonly decorate: ((request: AlbRequest, response: AppResponse, route: RouteDefinition) => AppResponse) | undefined
}

/** A normal return as the response: serialised, with the route's @ResponseHeaders, then CORS. */
export function routeResponse(value: unknown, entry: Pick<RouteEntry, 'route' | 'responseHeaders'>, request: AlbRequest, options: Pick<EntryOptions, 'decorate'>): AppResponse {
  let response = serializeResult(value, entry.route, request.method)
  if (entry.responseHeaders !== undefined) response = withResponseHeaders(response, entry.responseHeaders)
  return options.decorate === undefined ? response : options.decorate(request, response, entry.route)
}

/** A HEAD or 204/304 answer carries no body, whoever built it (RFC 9110 §9.3.2, §15.3.5, §15.4.5). */
export function withoutForbiddenBody(response: AppResponse, method: string): AppResponse {
  if (response.body === undefined || carriesBody(response.status, method)) return response
  const { body: _dropped, ...rest } = response
  return rest
}

/**
 * Builds a forwarded route's entry: its controller instance, bound method, binder and — only
 * when it has guards or middleware — its composed chain. Undefined after a reported problem.
 */
export function buildRouteEntry(
  route: RouteDefinition,
  rule: AlbRule,
  options: EntryOptions,
  problems: RouteProblem[],
): RouteEntry | undefined {
  const bindLater = options.lazyBinders === true && boundByDeclaration(route.params)
  if (options.lazyBinders === true && !bindLater && reportBindingProblems(route, options.validation, problems)) return undefined
  const instance = options.controllers.instanceOf(route.controller, problems)
  if (instance === undefined) return undefined
  const method = methodOf(instance, route.methodName, route.source, problems)
  if (method === undefined) return undefined
  const httpCode = route.httpCode ?? 200
  const responseHeaders = mergeResponseHeaders(route.responseHeaders)
  const middleware = concatenated(options.use, route.use as readonly Middleware[])
  const guards = options.guardsFor(route)
  const entry: LazyEntry = {
    route,
    info: Object.freeze({ source: route.source, rule }),
    method: method as (...args: unknown[]) => unknown,
    instance,
    // Replaced by the real binder on the first call, so later requests pay nothing for it; a
    // bound function of one shared one rather than closures of each route's own (a cold start
    // makes one per route).
    binder: bindLater ? undefined : createBinder(route, { validation: options.validation }),
    jsonStatus: responseHeaders === undefined && isValidStatus(httpCode) ? httpCode : undefined,
    responseHeaders,
    contextual: bindsCustom(route.params),
    chain:
      guards.length === 0 && middleware.length === 0
        ? undefined
        : composeChain(route.source, guards, middleware, (ctx) => endpoint(entry as RouteEntry, ctx, options)),
    chainNames: chainNames(guards, middleware),
    validation: options.validation,
  }
  if (entry.binder === undefined) entry.binder = bindOnFirstCall.bind(entry)
  return entry as RouteEntry
}

/**
 * With lazy binders, a route that binds DTOs or custom parameters gets its binder at once, its
 * problems reported with the others. Apart from buildRouteEntry, which runs for every route: V8
 * keeps the machine code of what ran that often for good (Sparkplug code is never flushed).
 */
/**
 * Reports the binding problems of a route whose binding a verified table does not stand for (a
 * DTO's, a custom parameter's); true when it has any. Also albatross/compiled's (compiled/app.ts).
 */
export function reportBindingProblems(route: { readonly source: string; readonly params: readonly ParamDefinition[] }, validation: ValidatorOptions | undefined, problems: RouteProblem[]): boolean {
  const unbound = bindingProblems(route, { validation })
  for (const message of unbound) problems.push({ source: route.source, message })
  return unbound.length > 0
}

/** The route's method on its controller instance, or undefined with the problem reported. */
export function methodOf(instance: Record<string, unknown>, methodName: string, source: string, problems: RouteProblem[]): ((...args: unknown[]) => unknown) | undefined {
  const method = instance[methodName]
  if (typeof method === 'function') return method as (...args: unknown[]) => unknown
  problems.push({ source, message: `${source} is not a method of the controller instance` })
  return undefined
}

/** A RouteEntry while it is built, and until its first request builds its binder. */
interface LazyEntry extends Omit<RouteEntry, 'binder'> {
  binder: Binder | undefined
  readonly validation: ValidatorOptions | undefined
}

function bindOnFirstCall(this: LazyEntry, ...args: Parameters<Binder>): ReturnType<Binder> {
  const binder = createBinder(this.route, { validation: this.validation })
  this.binder = binder
  return binder(...args)
}

function bindsCustom(params: readonly ParamDefinition[]): boolean {
  for (let i = 0; i < params.length; i++) if ((params[i] as ParamDefinition).source === 'custom') return true
  return false
}

/** The innermost layer: bind, call, serialise. Whatever it throws rejects `next()`. */
function endpoint(entry: RouteEntry, ctx: RequestContext, options: EntryOptions): Promise<AppResponse> {
  try {
    const args = entry.binder(ctx.request, ctx.params, ctx.context, ctx)
    if (args instanceof Promise) return args.then((bound) => invoke(entry, bound, ctx, options))
    return invoke(entry, args, ctx, options)
  } catch (error) {
    return Promise.reject(error)
  }
}

function invoke(entry: RouteEntry, args: unknown[], ctx: RequestContext, options: EntryOptions): Promise<AppResponse> {
  const value: unknown = Reflect.apply(entry.method, entry.instance, args)
  if (value instanceof Promise) return value.then((resolved: unknown) => routeResponse(resolved, entry, ctx.request, options))
  return Promise.resolve(routeResponse(value, entry, ctx.request, options))
}

/** One request's context; `state` is a fresh object each time. */
export function createContext(
  request: AlbRequest,
  match: RuleMatch,
  context: Context | undefined,
  route: RouteInfo,
): RequestContext {
  return { request, event: request.event, context, route, params: match.params, state: {} }
}

/** The chain's names as `routes`/`explain` print them: guards, then middleware, outermost first. */
export function chainNames(guards: readonly Guard[], middleware: readonly Middleware[]): readonly string[] {
  if (guards.length === 0 && middleware.length === 0) return NONE
  return [...guards.map((guard) => guard.name), ...middleware.map(middlewareName)]
}

/**
 * Pipeline declarations that cannot work: `use`/`@Use` entries that are not functions, and
 * `@ResponseHeader`s that could never be sent; each names where it was given.
 */
export function pipelineProblems(appUse: readonly unknown[], routes: readonly RouteDefinition[]): RouteProblem[] {
  const problems: RouteProblem[] = []
  appUse.forEach((m, i) => {
    if (typeof m !== 'function') problems.push({ source: 'createApp({ use })', message: `use[${i}] is a ${m === null ? 'null' : typeof m}, not a middleware function (ctx, next) => response` })
  })
  const seen = new Set<string>()
  for (let i = 0; i < routes.length; i++) {
    const route = routes[i] as RouteDefinition
    // Most routes declare neither: nothing to look at, nor to remember.
    if ((route.use.length === 0 && route.responseHeaders.length === 0) || seen.has(route.source)) continue
    seen.add(route.source)
    for (const m of route.use) {
      if (typeof m !== 'function') problems.push({ source: route.source, message: `@Use got a ${m === null ? 'null' : typeof m}, not a middleware function (ctx, next) => response` })
    }
    for (const header of route.responseHeaders) {
      const problem = responseHeaderDeclarationProblem(header)
      if (problem !== undefined) problems.push({ source: route.source, message: problem })
    }
  }
  return problems
}
