import type { AppOptions } from '../app-types.js'
import { readRecord, type MemberRecord } from '../metadata/store.js'
import type { ClassType, ParamDefinition, RouteDefinition } from '../metadata/types.js'
import type { AlbRule, RuleTable } from '../rules/types.js'
import { headKey, typeKey } from '../verified-table/declaration-key.js'

/**
 * What `albatross check --out` adds to the verified table for `albatross/compiled`: the decorator
 * records as they were checked, and the rule table the checks built from them. createApp from
 * albatross/compiled compares the records with the controllers' own (compiled/records.ts) and, when
 * they match, routes with these rules: it reads no route definitions, builds no rule table and
 * checks nothing the table stands for. Plain JSON data, like the rest of the table.
 */
export interface CompiledTable {
  readonly version: typeof COMPILED_VERSION
  /** headKey(options): the checks' version and the app options they read. */
  readonly head: string
  /** Per controller, in `controllers` order: its prefix, its forward target, its routed members. */
  readonly controllers: readonly CompiledController[]
  /** The rule table in ALB's order (ascending priority). */
  readonly rules: readonly CompiledRule[]
}

export const COMPILED_VERSION = 1

/** `[prefix, target | null, members]` */
export type CompiledController = readonly [string, string | null, readonly CompiledMember[]]

/**
 * A member of the controller's record as the decorators left it: `[name, routes, priority,
 * httpCode, params]`, each route `[path, methods]` (null for undefined), each parameter
 * `[index, source, name, optional, type]` with the type as the declaration key holds it
 * (verified-table/declaration-key.ts).
 */
export type CompiledMember = readonly [string, readonly CompiledRoute[], number | null, number | null, readonly CompiledParam[]]
export type CompiledRoute = readonly [string | null, readonly string[] | null]
export type CompiledParam = readonly [number, string, string | null, 0 | 1, unknown]

/**
 * `[id, priority, glob, captures, methods, controller, member]`: a route's rule, `glob` its path
 * value (null: any path), `methods` its http-request-method values (null: any method),
 * `controller` the index in `controllers` and `member` the method's name.
 */
export type CompiledRule = readonly [number, number, string | null, readonly (string | null)[], readonly string[] | null, number, string]

/**
 * Why albatross/compiled cannot run this app, naming the first declaration it leaves out, or
 * undefined when it can. It runs the routes the checks passed with nothing between request and
 * method: no middleware, guards or authentication, no CORS, no response headers, and routes on
 * path and method alone.
 */
export function compiledRefusal(options: AppOptions, routes: readonly RouteDefinition[]): string | undefined {
  const refused = optionsRefusal(options)
  if (refused !== undefined) return refused
  for (const route of routes) {
    const why = routeRefusal(route)
    if (why !== undefined) return `${route.source} ${why}`
  }
  return undefined
}

/** The app options albatross/compiled does not run (middleware, CORS), or undefined. */
export function optionsRefusal(options: AppOptions): string | undefined {
  if (options.use !== undefined && options.use.length > 0) return 'createApp({ use }) has middleware'
  if (options.cors !== undefined) return 'createApp({ cors }) has CORS'
  return undefined
}

function routeRefusal(route: RouteDefinition): string | undefined {
  if (route.action.type !== 'forward') return `is a ${route.action.type} action`
  if (route.auth !== undefined) return 'has @Authenticate'
  if (route.use.length > 0) return 'has @Use middleware'
  if (route.responseHeaders.length > 0) return 'has @ResponseHeader'
  if (route.conditions.length > 0) return `has a ${route.conditions[0]?.type} condition`
  if (route.path instanceof RegExp) return 'has a RegExp path'
  if (route.cors !== undefined) return 'has a CORS option'
  const custom = route.params.find((p) => p.source === 'custom' || p.source === 'claims')
  if (custom !== undefined) return `has a ${custom.source === 'claims' ? '@Claims' : 'custom'} parameter`
  return undefined
}

/** The compiled table of routes the checks passed, numbered as `table`; undefined when compiledRefusal has a reason. */
export function compiledTableOf(options: AppOptions, classes: readonly ClassType[], routes: readonly RouteDefinition[], table: RuleTable): CompiledTable | undefined {
  if (compiledRefusal(options, routes) !== undefined) return undefined
  const controllers: CompiledController[] = []
  const at = new Map<ClassType, number>()
  for (const controller of classes) {
    const record = readRecord(controller)
    if (record?.controller === undefined) return undefined
    const members: CompiledMember[] = []
    record.members.forEach((member, name) => {
      if (member.routes.length > 0) members.push(memberData(name, member))
    })
    // In no rule and not in the verified table's key (compiled/records.ts routedClasses).
    if (members.length === 0) continue
    at.set(controller, controllers.length)
    controllers.push([record.controller.prefix, record.controller.target ?? null, members])
  }
  const rules = table.rules.map((rule) => ruleData(rule, routes[rule.id] as RouteDefinition, at))
  return { version: COMPILED_VERSION, head: headKey(options), controllers, rules }
}

export function memberData(name: string, member: MemberRecord): CompiledMember {
  return [
    name,
    member.routes.map((route) => [typeof route.path === 'string' ? route.path : null, route.httpMethods ?? null]),
    member.priority ?? null,
    member.httpCode ?? null,
    member.params.map(paramData),
  ]
}

export function paramData(param: ParamDefinition): CompiledParam {
  return [param.index, param.source, param.name ?? null, param.options.optional === true ? 1 : 0, typeKey(param.options.type ?? param.designType)]
}

function ruleData(rule: AlbRule, route: RouteDefinition, at: ReadonlyMap<ClassType, number>): CompiledRule {
  let glob: string | null = null
  let methods: readonly string[] | null = null
  for (const condition of rule.conditions) {
    if (condition.type === 'path-pattern') glob = condition.values[0] ?? null
    else if (condition.type === 'http-request-method') methods = condition.values
  }
  return [rule.id, rule.priority, glob, rule.captures, methods, at.get(route.controller) as number, route.methodName]
}
