import type { Context } from 'aws-lambda'
import type { ValidatorOptions } from 'class-validator'
import { headerModeOf, parseEvent } from './alb/parse-event.js'
import { formatResult, responseHeaderProblem } from './alb/format-result.js'
import { responseLimitProblem } from './alb/limits.js'
import type { ALBEvent, ALBResult, AlbRequest, AlbResponse, HeaderMode } from './alb/types.js'
import { createBinder, type Binder } from './binding/binder.js'
import { internalErrorResponse, problemResponse, serializeResult } from './binding/result.js'
import { HttpError, isHttpError } from './http-error.js'
import type { ManifestOptions } from './manifest/index.js'
import { readControllers } from './metadata/read-controller.js'
import type { ClassType, RouteDefinition } from './metadata/types.js'
import { compileRouter } from './router/compile.js'
import { checkAction } from './rules/action.js'
import { buildRuleTable } from './rules/build-table.js'
import { RouteDeclarationError } from './rules/errors.js'
import type { AlbRule, FixedResponseAction, PriorityOptions, RouteSpec, RuleTable } from './rules/types.js'
import { fixedResponse, redirect } from './native-actions.js'
import { compileCors, preflightRuleSpec, type CompiledCors, type CorsOptions } from './cors.js'

export interface DefaultAction {
  readonly status: number
  readonly body?: string
  readonly contentType?: FixedResponseAction['contentType']
}

export interface AppOptions {
  readonly controllers: readonly ClassType[]
  /** The fixed response when no rule matches, like an ALB default rule (default 404 JSON). */
  readonly defaultAction?: DefaultAction
  /** class-validator options (defaults `whitelist: true`). */
  readonly validation?: ValidatorOptions
  readonly cors?: CorsOptions
  /** `'ok'` (default): ALB health checks get 200 without running a route; `'route'`: routed like any request. */
  readonly healthCheck?: 'ok' | 'route'
  /** Automatic priority numbering (default start 1000, step 10). */
  readonly priorities?: PriorityOptions
  /** Called with every unexpected error (answered 500) and response problem; defaults to console.error. */
  readonly onError?: (error: unknown, info: ErrorInfo) => void
}

export interface ErrorInfo {
  /** `Controller.method`, when the error came from a route. */
  readonly source?: string
  readonly request?: AlbRequest
}

export type AlbHandler = (event: ALBEvent, context?: Context) => Promise<ALBResult>

export interface App {
  /** The Lambda handler: `export const handler = app.handler`. */
  readonly handler: AlbHandler
  /** The ordered rule table, as ALB evaluates it. */
  routes(): readonly AlbRule[]
  /**
   * The listener-rule manifest (CloudFormation, Terraform or AWS CLI JSON) as text. Asynchronous
   * because the generator (and its YAML library) loads on demand, keeping it out of Lambda bundles.
   */
  manifest(options?: Partial<ManifestOptions>): Promise<string>
  /** The rule table and what the manifest needs to know about the app. */
  readonly table: RuleTable
  /** True when a route binds every value of a repeated header or query key (needs multi-value mode). */
  readonly needsMultiValueHeaders: boolean
  readonly defaultAction: FixedResponseAction
}

interface RouteEntry {
  readonly route: RouteDefinition
  readonly call: ((...args: unknown[]) => unknown) | undefined
  readonly binder: Binder | undefined
}

const DEFAULT_NOT_FOUND: FixedResponseAction = {
  type: 'fixed-response',
  statusCode: 404,
  contentType: 'application/json',
  messageBody: '{"type":"about:blank","title":"Not Found","status":404}',
}

/**
 * Builds the app: reads the controllers' metadata, validates every route against ALB's rules
 * (one error listing all problems), orders and numbers them, compiles the router and the
 * parameter binders. All reflection happens here, in Lambda's init phase.
 *
 * @example
 * export const app = createApp({ controllers: [Users] })
 * export const handler = app.handler
 */
export function createApp(options: AppOptions): App {
  const { routes, problems } = readControllers(options.controllers)
  const defaultAction: FixedResponseAction = options.defaultAction
    ? {
        type: 'fixed-response',
        statusCode: options.defaultAction.status,
        ...(options.defaultAction.body === undefined ? {} : { messageBody: options.defaultAction.body }),
        ...(options.defaultAction.contentType === undefined ? {} : { contentType: options.defaultAction.contentType }),
      }
    : DEFAULT_NOT_FOUND
  // The default rule's action is an ALB fixed-response too (spec/alb.md §1.6).
  for (const message of checkAction(defaultAction)) problems.push({ source: 'createApp({ defaultAction })', message })
  if (problems.length > 0) throw new RouteDeclarationError(problems)
  // A RouteDefinition is a RouteSpec; the table is built from the routes themselves.
  const specs: RouteSpec[] = [...routes]
  if (options.cors !== undefined) specs.push(preflightRuleSpec(firstFreePriority(routes)))
  const table = buildRuleTable(specs, options.priorities)
  const onError = guardHook(options.onError ?? defaultOnError)
  const instances = new Map<ClassType, Record<string, unknown>>()
  const entries: RouteEntry[] = routes.map((route) => {
    if (route.action.type !== 'forward') return { route, call: undefined, binder: undefined }
    let instance = instances.get(route.controller)
    if (instance === undefined) {
      instance = new (route.controller as new () => Record<string, unknown>)()
      instances.set(route.controller, instance)
    }
    const method = instance[route.methodName] as (...args: unknown[]) => unknown
    return {
      route,
      call: method.bind(instance),
      binder: createBinder({ source: route.source, params: route.params }, { validation: options.validation }),
    }
  })
  const router = compileRouter(table)
  const cors = compileCors(options.cors)
  const routeOf = (id: number) => routes[id]
  const routeHealthChecks = options.healthCheck === 'route'
  const needsMultiValueHeaders = routes.some(bindsEveryValue)

  async function respond(request: AlbRequest, context: Context | undefined): Promise<AlbResponse> {
    if (request.isHealthCheck && !routeHealthChecks) {
      return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'ok' }
    }
    const match = router.match(request)
    if (match === undefined) return fixedResponse(defaultAction)
    const entry = entries[match.rule.id]
    if (entry === undefined) return (cors as CompiledCors).preflight(request, router, routeOf)
    const action = match.rule.action
    if (action.type === 'fixed-response') return fixedResponse(action)
    if (action.type === 'redirect') return redirect(action, request)
    try {
      let args = (entry.binder as Binder)({ request, params: match.params, context })
      if (args instanceof Promise) args = await args
      let value = (entry.call as (...a: unknown[]) => unknown)(...(args as unknown[]))
      if (value instanceof Promise) value = await value
      const response = serializeResult(value, entry.route, request.method)
      return cors === undefined ? response : cors.decorate(request, response, entry.route)
    } catch (error) {
      if (isHttpError(error)) return problemResponse(error, request.method)
      onError(error, { source: entry.route.source, request })
      return internalErrorResponse(request.method)
    }
  }

  const handler: AlbHandler = async (event, context) => {
    let mode: HeaderMode = 'single'
    try {
      mode = headerModeOf(event)
      const request = parseEvent(event)
      if ('error' in request) return formatResult(problemResponse(new HttpError(request.status, request.error)), mode)
      mode = request.mode
      const response = await respond(request, context)
      return finish(response, mode, request)
    } catch (error) {
      onError(error, {})
      return formatResult(internalErrorResponse(), mode)
    }
  }

  function finish(response: AlbResponse, mode: HeaderMode, request: AlbRequest): ALBResult {
    const problem = responseHeaderProblem(response)
    if (problem !== undefined) {
      onError(new Error(problem), { request })
      return formatResult(internalErrorResponse(), mode)
    }
    const result = formatResult(response, mode, { onWarning: (message) => onError(new Error(message), { request }) })
    // ALB answers 502 to a response over 1 MB or 32 K of header (spec/alb.md §4.7); a clear 500 is kinder.
    const tooLarge = responseLimitProblem(result)
    if (tooLarge !== undefined) {
      onError(new Error(`${tooLarge}; answered 500 instead of ALB's 502`), { request })
      return formatResult(internalErrorResponse(), mode)
    }
    return result
  }

  return {
    handler,
    routes: () => table.rules,
    manifest: async (manifestOptions = {}) =>
      (await loadManifestModule()).renderManifest(table, {
        format: 'cloudformation',
        mode: 'catch-all',
        multiValueHeaders: needsMultiValueHeaders,
        defaultAction,
        ...manifestOptions,
      } as ManifestOptions),
    table,
    needsMultiValueHeaders,
    defaultAction,
  }
}

// A specifier bundlers cannot follow: a Lambda bundle never carries the manifest generator and
// the YAML library (about 135 KB minified), which only the CLI and build scripts need.
const MANIFEST_MODULE = './manifest/index.js'

function loadManifestModule(): Promise<typeof import('./manifest/index.js')> {
  return import(/* @vite-ignore */ MANIFEST_MODULE) as Promise<typeof import('./manifest/index.js')>
}

/** The preflight rule goes first: the lowest priority no explicit @Priority holds. */
function firstFreePriority(routes: readonly RouteDefinition[]): number {
  const taken = new Set(routes.map((r) => r.priority))
  let priority = 1
  while (taken.has(priority)) priority++
  return priority
}

function bindsEveryValue(route: RouteDefinition): boolean {
  return route.params.some(
    (p) =>
      (p.source === 'query' || p.source === 'header' || p.source === 'query-object' || p.source === 'header-object') &&
      (Array.isArray(p.options.type) || p.designType === Array || p.source.endsWith('-object')),
  )
}

/** A throwing onError (a logger that is down) must not turn an answer into a Lambda error (ALB 502). */
function guardHook(hook: (error: unknown, info: ErrorInfo) => void): (error: unknown, info: ErrorInfo) => void {
  return (error, info) => {
    try {
      hook(error, info)
    } catch {
      // Nothing left to report to.
    }
  }
}

function defaultOnError(error: unknown, info: ErrorInfo): void {
  console.error('[albatross]', info.source ?? '', error)
}
