import type { AlbRequest } from '../alb/types.js'
import type { RouteDefinition } from '../metadata/types.js'
import { RouteDeclarationError, type RouteProblem } from '../rules/errors.js'
import type { AlbRule, RuleTable } from '../rules/types.js'
import { composeChain, type Endpoint } from './compose.js'
import type { ControllerSet } from './controllers.js'
import { buildRouteEntry, chainNames, pipelineProblems, type EntryOptions, type RouteEntry } from './route-entry.js'
import type { AppResponse, Middleware, RouteInfo } from './types.js'

/** What createApp's request path needs from the pipeline, all built at createApp. */
export interface AppPipeline {
  /** By rule id: the forwarded routes' entries (undefined for fixed-response, redirect, preflight). */
  readonly entries: readonly (RouteEntry | undefined)[]
  /** The CORS preflight inside the app's middleware; undefined when it needs none. */
  readonly preflight: Endpoint | undefined
  readonly preflightInfo: RouteInfo
  /** A rule's guards and middleware by name, outermost first. */
  namesOf(rule: AlbRule): readonly string[]
  readonly options: EntryOptions
}

/** Declaration problems of the pipeline, checked with the routes, before anything is built. */
export function checkPipeline(use: readonly Middleware[], routes: readonly RouteDefinition[], controllers: ControllerSet): RouteProblem[] {
  const forwarded = new Set<RouteDefinition['controller']>()
  for (let i = 0; i < routes.length; i++) {
    const route = routes[i] as RouteDefinition
    if (route.action.type === 'forward') forwarded.add(route.controller)
  }
  const problems = pipelineProblems(use, routes)
  for (const problem of controllers.check(forwarded)) problems.push(problem)
  return problems
}

/**
 * Builds every forwarded route's entry (its controller instance, binder and chain) and the
 * preflight's chain. Controllers are built here, after the table has been validated; a
 * controller that cannot be built is one aggregated RouteDeclarationError.
 */
export function buildAppPipeline(
  routes: readonly RouteDefinition[],
  table: RuleTable,
  options: EntryOptions & { readonly preflight: ((request: AlbRequest) => AppResponse) | undefined; readonly preflightSource: string },
): AppPipeline {
  // By id: an array, not a Map of [id, rule] pairs (createApp builds this for every rule).
  const ruleOf: (AlbRule | undefined)[] = []
  for (let i = 0; i < table.rules.length; i++) {
    const rule = table.rules[i] as AlbRule
    ruleOf[rule.id] = rule
  }
  const problems: RouteProblem[] = []
  // createApp answers a rule with an entry by calling its method, without reading the rule's
  // action again: only a rule that forwards (in the table, as in its route) gets one.
  const built: (RouteEntry | undefined)[] = []
  for (let id = 0; id < routes.length; id++) {
    const route = routes[id] as RouteDefinition
    const rule = ruleOf[id]
    const forwards = route.action.type === 'forward' && (rule === undefined || rule.action.type === 'forward')
    built.push(forwards ? buildRouteEntry(route, rule as AlbRule, options, problems) : undefined)
  }
  if (problems.length > 0) throw new RouteDeclarationError(problems)
  // Kept for the life of the app: a copy exactly as long (push left room for more).
  const entries = built.slice()
  // The preflight rule forwards to the Lambda in a per-route deployment too, so the app's
  // middleware runs for it. Its rule id is the one after the routes'.
  const { use, preflight: answer, preflightSource } = options
  const preflightInfo: RouteInfo = { source: preflightSource, rule: ruleOf[routes.length] as AlbRule }
  const preflight =
    answer === undefined || use.length === 0 ? undefined : composeChain(preflightSource, [], use, async (ctx) => answer(ctx.request))
  const preflightNames = chainNames([], use)
  return {
    entries,
    preflight,
    preflightInfo,
    options,
    namesOf: (rule) => (rule.source === preflightSource ? preflightNames : (entries[rule.id]?.chainNames ?? [])),
  }
}
