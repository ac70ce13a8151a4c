import type { AppOptions } from '../app-types.js'
import type { AuthGate } from '../auth/gate.js'
import { readControllers } from '../metadata/read-controller.js'
import type { RouteDefinition } from '../metadata/types.js'
import { checkPipeline } from '../pipeline/app-pipeline.js'
import { collectControllers, type ControllerSet } from '../pipeline/controllers.js'
import type { Middleware } from '../pipeline/types.js'
import type { RouteProblem } from '../rules/errors.js'
import type { FixedResponseAction, RouteSpec } from '../rules/types.js'
import { firstFreePriority, preflightRuleSpec } from '../cors.js'

const DEFAULT_NOT_FOUND: FixedResponseAction = {
  type: 'fixed-response',
  statusCode: 404,
  contentType: 'application/json',
  messageBody: '{"type":"about:blank","title":"Not Found","status":404}',
}

/** An app's declarations as read from its controllers and options, with what is wrong with them. */
export interface AppDeclarations {
  readonly controllers: ControllerSet
  readonly routes: readonly RouteDefinition[]
  readonly use: readonly Middleware[]
  readonly defaultAction: FixedResponseAction
  readonly authGate: AuthGate | undefined
  /** The routes as rule specs, the CORS preflight rule last when the app has CORS. */
  readonly specs: readonly RouteSpec[]
  /** Every problem found so far; the rule table's own are added by whoever builds it. */
  readonly problems: RouteProblem[]
}

/**
 * Reads the controllers and the options, and checks what a verified table does not stand for
 * (the pipeline, `auth`). The caller adds the route checks (`checkRoutes`: all of them in
 * createApp, only the CORS ones when `albatross check` ran the rest at build time) and the default
 * action's (`checkAction`, which a verified table stands for too).
 */
export function readAppDeclarations(
  options: AppOptions,
  checkRoutes: (routes: readonly RouteDefinition[]) => RouteProblem[],
  checkAction?: (action: FixedResponseAction) => readonly string[],
): AppDeclarations {
  const given: RouteProblem[] = []
  const controllers = collectControllers(options.controllers, options.resolve, given)
  const { routes, problems } = readControllers(controllers.classes)
  const use = options.use ?? []
  problems.unshift(...given)
  problems.push(...checkPipeline(use, routes, controllers), ...checkRoutes(routes))
  const defaultAction = defaultActionOf(options)
  // The default rule's action is an ALB fixed-response too (spec/alb.md §1.6); a verified table
  // stands for its check (verified-table/declaration-key.ts).
  if (checkAction !== undefined) for (const message of checkAction(defaultAction)) problems.push({ source: 'createApp({ defaultAction })', message })
  // Present only when a route declares @Authenticate, which brings the auth code with it.
  const authGate = routes.find((r) => r.authSupport !== undefined)?.authSupport?.createGate(routes, options.auth, problems) as AuthGate | undefined
  // A RouteDefinition is a RouteSpec; the table is built from the routes themselves.
  const specs: RouteSpec[] = [...routes]
  if (options.cors !== undefined) specs.push(preflightRuleSpec(firstFreePriority(routes)))
  return { controllers, routes, use, defaultAction, authGate, specs, problems }
}

/** The default rule's action: `createApp({ defaultAction })` as an ALB fixed-response, or the 404 problem. */
export function defaultActionOf(options: AppOptions): FixedResponseAction {
  return options.defaultAction
    ? {
        type: 'fixed-response',
        statusCode: options.defaultAction.status,
        ...(options.defaultAction.body === undefined ? {} : { messageBody: options.defaultAction.body }),
        ...(options.defaultAction.contentType === undefined ? {} : { contentType: options.defaultAction.contentType }),
      }
    : DEFAULT_NOT_FOUND
}
