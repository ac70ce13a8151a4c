import type { Context } from 'aws-lambda'
import type { ValidatorOptions } from 'class-validator'
import { headerModeOf, parseEvent } from './alb/parse-event.js'
import { formatJsonResult, formatResult, responseHeaderProblem } from './alb/format-result.js'
import { isValidStatus } from './alb/status.js'
import { responseLimitProblem } from './alb/limits.js'
import type { ALBEvent, ALBResult, AlbRequest, AlbResponse, HeaderMode } from './alb/types.js'
import { createBinder, type Binder } from './binding/binder.js'
import { internalErrorResponse, jsonResponse, plainJson, problemResponse, serializeResult } from './binding/result.js'
import { AlbatrossError, HttpError, isHttpError } from './http-error.js'
import { defaultOnError, guardHook, levelOf, type ErrorCode, type ErrorInfo, type OnError } from './error-report.js'
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
import type { AuthGate, AuthOptions } from './auth/gate.js'
import type { RuleMatch } from './rules/types.js'

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
  /**
   * Called with every unexpected error (answered 500) and response problem; `info.code` says
   * which, `info.level` whether the client got a 500. Defaults to console.error / console.warn.
   */
  readonly onError?: OnError
  /** `@Authenticate`: which load balancer signs `x-amzn-oidc-data`, and where its keys come from. */
  readonly auth?: AuthOptions
}

export type { ErrorCode, ErrorInfo } from './error-report.js'

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
  /** The status of a plain JSON answer, when formatJsonResult may build it (a valid status). */
  readonly jsonStatus: number | undefined
}

// Frozen, so the response checks look at its headers once, not on every health check.
const HEALTH_OK: AlbResponse = Object.freeze({
  status: 200,
  headers: Object.freeze({ 'content-type': 'text/plain; charset=utf-8' }),
  body: 'ok',
})

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
  // Present only when a route declares @Authenticate, which brings the auth code with it.
  const authGate = routes.find((r) => r.authSupport !== undefined)?.authSupport?.createGate(routes, options.auth, problems) as AuthGate | undefined
  if (problems.length > 0) throw new RouteDeclarationError(problems)
  // A RouteDefinition is a RouteSpec; the table is built from the routes themselves.
  const specs: RouteSpec[] = [...routes]
  if (options.cors !== undefined) specs.push(preflightRuleSpec(firstFreePriority(routes)))
  const table = buildRuleTable(specs, options.priorities)
  const onError = guardHook(options.onError ?? defaultOnError)
  const instances = new Map<ClassType, Record<string, unknown>>()
  const entries: RouteEntry[] = routes.map((route) => {
    if (route.action.type !== 'forward') return { route, call: undefined, binder: undefined, jsonStatus: undefined }
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
      jsonStatus: isValidStatus(route.httpCode ?? 200) ? (route.httpCode ?? 200) : undefined,
    }
  })
  const router = compileRouter(table)
  const cors = compileCors(options.cors)
  const routeOf = (id: number) => routes[id]
  const routeHealthChecks = options.healthCheck === 'route'
  const needsMultiValueHeaders = routes.some(bindsEveryValue)

  // Everything below runs per request. Answers are built synchronously whenever the binder and
  // the route are synchronous, so a plain request costs no promise beyond the handler's own.
  function respond(request: AlbRequest, context: Context | undefined): ALBResult | Promise<ALBResult> {
    if (request.isHealthCheck && !routeHealthChecks) return finish(HEALTH_OK, request)
    const match = router.match(request)
    if (match === undefined) return finish(fixedResponse(defaultAction), request)
    const auth = match.rule.auth
    if (auth !== undefined && authGate !== undefined) {
      // Before anything of the route runs: ALB runs the auth action before the rule's forward.
      return authGate.verify(request, auth).then((outcome) => {
        if (outcome.ok) return dispatch(match, request, context, outcome.claims)
        const source = match.rule.source
        const reason = new AlbatrossError(outcome.status === 401 ? 'WARN_AUTH_REFUSED' : 'ERR_AUTH_UNAVAILABLE', `${source}: answered ${outcome.status}: ${outcome.reason}`, { cause: outcome.cause })
        onError(reason, { source, request, code: reason.code as ErrorCode, level: levelOf(reason.code as ErrorCode) })
        return finish(authGate.refusal(outcome, auth, request.method), request)
      })
    }
    return dispatch(match, request, context, undefined)
  }

  function dispatch(match: RuleMatch, request: AlbRequest, context: Context | undefined, claims: unknown): ALBResult | Promise<ALBResult> {
    const entry = entries[match.rule.id]
    if (entry === undefined) return finish((cors as CompiledCors).preflight(request, router, routeOf), request)
    const action = match.rule.action
    if (action.type === 'fixed-response') return finish(fixedResponse(action), request)
    if (action.type === 'redirect') return finish(redirect(action, request), request)
    try {
      const args = (entry.binder as Binder)({ request, params: match.params, context, claims })
      if (args instanceof Promise) {
        return args.then(
          (bound) => invoke(entry, bound, request),
          (error: unknown) => failed(error, entry, request),
        )
      }
      return invoke(entry, args, request)
    } catch (error) {
      return failed(error, entry, request)
    }
  }

  function invoke(entry: RouteEntry, args: unknown[], request: AlbRequest): ALBResult | Promise<ALBResult> {
    let value: unknown
    try {
      value = (entry.call as (...a: unknown[]) => unknown)(...args)
    } catch (error) {
      return failed(error, entry, request)
    }
    if (value instanceof Promise) {
      return value.then(
        (resolved: unknown) => answer(resolved, entry, request),
        (error: unknown) => failed(error, entry, request),
      )
    }
    return answer(value, entry, request)
  }

  function answer(value: unknown, entry: RouteEntry, request: AlbRequest): ALBResult {
    try {
      // The common case — plain data answered as JSON with no CORS headers — skips the generic
      // response model: its only header is a constant the response checks have nothing to find in.
      if (cors === undefined && entry.jsonStatus !== undefined) {
        const json = plainJson(value)
        if (json !== undefined) {
          return (
            formatJsonResult(entry.jsonStatus, json, request.method, request.mode) ??
            finish(jsonResponse(entry.jsonStatus, json, request.method), request)
          )
        }
      }
      const response = serializeResult(value, entry.route, request.method)
      return finish(cors === undefined ? response : cors.decorate(request, response, entry.route), request)
    } catch (error) {
      return failed(error, entry, request)
    }
  }

  function failed(error: unknown, entry: RouteEntry, request: AlbRequest): ALBResult {
    if (isHttpError(error)) return finish(problemResponse(error, request.method), request)
    onError(error, { source: entry.route.source, request, code: 'ERR_ROUTE_FAILED', level: 'error' })
    return finish(internalErrorResponse(request.method), request)
  }

  const handler: AlbHandler = async (event, context) => {
    try {
      const request = parseEvent(event)
      if ('error' in request) {
        return formatResult(problemResponse(new HttpError(request.status, request.error)), headerModeOf(event))
      }
      const result = respond(request, context)
      return result instanceof Promise ? await result : result
    } catch (error) {
      onError(error, { code: 'ERR_HANDLER_FAILED', level: 'error' })
      return formatResult(internalErrorResponse(), safeHeaderModeOf(event))
    }
  }

  function finish(response: AlbResponse, request: AlbRequest): ALBResult {
    const mode = request.mode
    const problem = responseHeaderProblem(response)
    if (problem !== undefined) {
      report('ERR_RESPONSE_HEADER', problem, request)
      return formatResult(internalErrorResponse(), mode)
    }
    const result = formatResult(response, mode, { onWarning: (message, code) => report(code, message, request) })
    // ALB answers 502 to a response over 1 MB or 32 K of header (spec/alb.md §4.7); a clear 500 is kinder.
    const tooLarge = responseLimitProblem(result)
    if (tooLarge !== undefined) {
      report('ERR_RESPONSE_TOO_LARGE', `${tooLarge}; answered 500 instead of ALB's 502`, request)
      return formatResult(internalErrorResponse(), mode)
    }
    return result
  }

  /** A response problem albatross found itself, reported as an error carrying its code. */
  function report(code: ErrorCode, message: string, request: AlbRequest): void {
    onError(new AlbatrossError(code, message), { request, code, level: levelOf(code) })
  }

  const app: App = {
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
  return authGate === undefined ? app : authGate.attach(app)
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

/** The answer's mode for an event that may be hostile (a Proxy throwing on every read): single, then. */
function safeHeaderModeOf(event: unknown): HeaderMode {
  try {
    return headerModeOf(event)
  } catch {
    return 'single'
  }
}
