import type { Context } from 'aws-lambda'
import { formatJsonResult } from '../alb/format-result.js'
import type { ALBResult, AlbRequest, AlbResponse } from '../alb/types.js'
import { isPlainJsonResponse } from '../binding/result.js'
import { isValidStatus } from '../alb/status.js'
import { AlbatrossError } from '../http-error.js'
import { defaultOnError, guardHook } from '../error-report.js'
import type { RouteDefinition } from '../metadata/types.js'
import { arrayBindings } from '../metadata/read-controller.js'
import { buildAppPipeline } from '../pipeline/app-pipeline.js'
import type { ControllerSet } from '../pipeline/controllers.js'
import { combineGuards } from '../pipeline/guards.js'
import type { Middleware } from '../pipeline/types.js'
import { createContext, withoutForbiddenBody } from '../pipeline/route-entry.js'
import { lambdaHandler } from '../pipeline/handler.js'
import { HEALTH_OK, createResponder } from './responder.js'
import { appObject } from './app-object.js'
import { compileRouter } from '../router/compile.js'
import { multiValueNeed, singleValueWarning } from '../rules/header-mode.js'
import type { AlbRule, FixedResponseAction, RedirectAction, RuleTable } from '../rules/types.js'
import { fixedResponse, nativeResponse } from '../native-actions.js'
import { CORS_PREFLIGHT_SOURCE, compileCors, type CompiledCors } from '../cors.js'
import type { AuthGate } from '../auth/gate.js'
import type { AlbHandler, App, AppOptions } from '../app-types.js'

/** What both createApps (app.ts, checking; lambda.ts, trusting a verified table) hand over once the routes are known good. */
export interface AppParts {
  readonly options: AppOptions
  readonly routes: readonly RouteDefinition[]
  readonly table: RuleTable
  readonly controllers: ControllerSet
  readonly use: readonly Middleware[]
  readonly defaultAction: FixedResponseAction
  readonly authGate: AuthGate | undefined
  /** True when `albatross check` ran the checks: binders are then built by each route's first request. */
  readonly checkedAtBuild: boolean
  /** Warnings about declarations, reported through onError as the app is built. */
  readonly hints: readonly { readonly source: string; readonly message: string }[]
}

/**
 * The app from routes whose declarations passed (at createApp, or at build time for a verified
 * table): the pipeline, the router and the request path, everything a request runs through.
 */
export function assembleApp(parts: AppParts): App {
  const { options, routes, table, controllers, use, defaultAction, authGate } = parts
  const onError = guardHook(options.onError ?? defaultOnError)
  const cors = compileCors(options.cors, table)
  const pipeline = buildAppPipeline(routes, table, {
    use,
    // Per-route guards run before any middleware; features such as ALB authentication add their
    // providers here (see pipeline/guards.ts).
    guardsFor: combineGuards(authGate === undefined ? [] : [authGate.guardsFor(onError)]),
    validation: options.validation,
    // Checked at build time: each route's binder is built by its first request (those that bind
    // DTOs or custom parameters at once, their problems reported with the others).
    lazyBinders: parts.checkedAtBuild,
    controllers,
    decorate: cors?.decorate,
    preflight: cors === undefined ? undefined : (request) => cors.preflight(request, routeOf),
    preflightSource: CORS_PREFLIGHT_SOURCE,
  })
  const { entries, preflight, preflightInfo } = pipeline
  const { invoke, invokeLater, failed, finish, report } = createResponder(onError, pipeline.options.decorate)
  const router = compileRouter(table)
  const routeOf = (id: number) => routes[id]
  const routeHealthChecks = options.healthCheck === 'route'
  const multiValue = multiValueNeed(table, arrayBindings(routes))
  const needsMultiValueHeaders = multiValue.needed
  // Array parameters in single-value mode get the one value ALB kept (documented); only routing
  // on a repeated header or key can go wrong there, so only that is warned about.
  let warnedSingleValue = !multiValue.reasons.some((r) => r.kind !== 'binds-arrays')

  // Everything below runs per request. Answers are built synchronously whenever the binder and
  // the route are synchronous, so a plain request costs no promise beyond the handler's own.
  function respond(request: AlbRequest, context: Context | undefined): ALBResult | Promise<ALBResult> {
    if (request.isHealthCheck && !routeHealthChecks) return finish(HEALTH_OK, request)
    if (!warnedSingleValue && request.mode === 'single') warnSingleValue(request)
    const match = router.match(request)
    if (match === undefined) return finish(fixedResponse(defaultAction), request)
    // Only a forwarded rule has an entry (pipeline/app-pipeline.ts), so a request to a route
    // reads no action object, one more that is cold in the CPU caches at 1,000 routes.
    const entry = entries[match.rule.id]
    if (entry === undefined) {
      const action = match.rule.action
      // The ALB itself answers these in a per-route deployment: no middleware runs for them.
      if (action.type !== 'forward') {
        if (match.rule.auth === undefined || authGate === undefined) return finish(nativeResponse(action, request), request)
        return admitNative(authGate, match.rule as AlbRule & { readonly action: typeof action }, request)
      }
      if (preflight === undefined) return finish((cors as CompiledCors).preflight(request, routeOf), request, CORS_PREFLIGHT_SOURCE)
      return settle(preflight(createContext(request, match, context, preflightInfo)), CORS_PREFLIGHT_SOURCE, request)
    }
    if (entry.chain !== undefined) {
      return settle(entry.chain(createContext(request, match, context, entry.info)), entry.route.source, request)
    }
    try {
      const args = entry.binder(request, match.params, context, entry.contextual ? createContext(request, match, context, entry.info) : undefined)
      if (args instanceof Promise) return invokeLater(entry, args, request)
      return invoke(entry, args, request)
    } catch (error) {
      return failed(error, entry, request)
    }
  }

  // The closures of the asynchronous paths live in functions of their own: in respond or invoke,
  // the variables they capture made every call allocate a context object, taken or not.
  function admitNative(gate: AuthGate, rule: AlbRule & { readonly action: FixedResponseAction | RedirectAction }, request: AlbRequest): Promise<ALBResult> {
    // ALB authenticates before it answers these too (spec/alb.md §1.6).
    return gate.admit(request, rule, onError).then((refusal) =>
      refusal === undefined ? finish(nativeResponse(rule.action, request), request) : failed(refusal, { route: rule }, request),
    )
  }

  // Said once per execution environment: in single-value mode the event holds only the last
  // occurrence of a repeated header or query key, so a rule that ALB would match on an earlier one
  // is decided on the last one here (spec/alb.md §6 #9).
  function warnSingleValue(request: AlbRequest): void {
    warnedSingleValue = true
    const code = 'WARN_SINGLE_VALUE_EVENT'
    onError(new AlbatrossError(code, singleValueWarning(multiValue)), { request, code, level: 'warning' })
  }

  /** The end of a guarded or middleware chain. */
  function settle(chain: Promise<AlbResponse>, source: string, request: AlbRequest): Promise<ALBResult> {
    return chain.then((response) => settled(response, source, request), (error: unknown) => failed(error, { route: { source } }, request))
  }

  /** A pass-through chain leaves a route's plain JSON answer as it was: it keeps its fast format. */
  function settled(response: AlbResponse, source: string, request: AlbRequest): ALBResult {
    if (isPlainJsonResponse(response) && isValidStatus(response.status)) {
      const json = formatJsonResult(response.status, response.body, request.method, request.mode)
      if (json !== undefined) return json
    }
    return finish(withoutForbiddenBody(response, request.method), request, source)
  }

  const handler: AlbHandler = lambdaHandler(respond, (error) => onError(error, { code: 'ERR_HANDLER_FAILED', level: 'error' }))

  for (const hint of parts.hints) report('WARN_HEADER_CONDITION', hint.message, undefined, hint.source)

  const app = appObject({ handler, table: () => table, routes: () => routes, validation: options.validation, multiValue: () => multiValue, defaultAction, middleware: pipeline.namesOf })
  return authGate === undefined ? app : authGate.attach(app)
}
