import type { AppOptions } from '../app-types.js'
import { readRecord, type ControllerRecord, type MemberRecord } from '../metadata/store.js'
import type { ClassType, ParamDefinition, RouteDefinition } from '../metadata/types.js'
import { mergeResponseHeaders } from '../pipeline/response-headers.js'
import { multiValueNeed, singleValueWarning } from '../rules/header-mode.js'
import type { AlbCondition, AlbRule, FixedResponseAction, RedirectAction, RuleTable } from '../rules/types.js'
import { exactJson, headKey, typeKey } from '../verified-table/declaration-key.js'

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
  /**
   * The warning the checking app gives the first single-value event (rules/header-mode.ts
   * singleValueWarning), when a rule routes on a header or query value; absent otherwise. Written
   * here, so the compiled app neither computes it at a cold start nor bundles the code that does.
   */
  readonly singleValue?: string
}

/**
 * 2: routing conditions, response headers and native actions (a member's and a class's `extra`,
 * a rule's `conditions` and `action`). A table of another version is refused (ERR_STALE_TABLE).
 */
export const COMPILED_VERSION = 2

/**
 * `[prefix, target | null, members, extra?]`, `extra` the class's conditions and response headers
 * as classExtra writes them, absent when it declares neither.
 */
export type CompiledController = readonly [string, string | null, readonly CompiledMember[], string?]

/**
 * A member of the controller's record as the decorators left it: `[name, routes, priority,
 * httpCode, params, extra?]`, each route `[path, methods]` (null for undefined), each parameter
 * `[index, source, name, optional, type]` with the type as the declaration key holds it
 * (verified-table/declaration-key.ts), `extra` its conditions, response headers and action as
 * memberExtra writes them, absent when it declares none.
 */
export type CompiledMember = readonly [string, readonly CompiledRoute[], number | null, number | null, readonly CompiledParam[], string?]
export type CompiledRoute = readonly [string | null, readonly string[] | null]
export type CompiledParam = readonly [number, string, string | null, 0 | 1, unknown]

/** A route's fixed-response or redirect action, which the Lambda answers as ALB would. */
export type NativeAction = FixedResponseAction | RedirectAction

/**
 * `[id, priority, glob, captures, methods, controller, member, conditions?, action?, headers?]`: a
 * route's rule, `glob` its path value (null: any path), `methods` its http-request-method values
 * (null: any method), `controller` the index in `controllers`, `member` the method's name,
 * `conditions` its other conditions as the rule holds them (class ones first), `action` its
 * native action (else it forwards to the controller's target) and `headers` its `@ResponseHeader`s
 * merged as route-entry.ts merges them. The last three absent or null when the route has none, as
 * most have: derived from the records like the rest, so the compiled app carries no code for
 * them beyond reading them.
 */
export type CompiledRule = readonly [
  number,
  number,
  string | null,
  readonly (string | null)[],
  readonly string[] | null,
  number,
  string,
  (readonly AlbCondition[] | null)?,
  (NativeAction | null)?,
  Readonly<Record<string, string>>?,
]

/**
 * What a member declares beyond its routes, priority, code and parameters, as one exact JSON text
 * (the declaration key's, verified-table/declaration-key.ts): its conditions, response headers and
 * native action; undefined for the many members that declare none, so comparing them costs a cold
 * start three reads per member.
 */
export function memberExtra(member: MemberRecord): string | undefined {
  return extraOf(member.conditions, member.responseHeaders, member.action)
}

/** The same for a class: its conditions and response headers, which each of its routes has. */
export function classExtra(record: ControllerRecord): string | undefined {
  return extraOf(record.classConditions, record.responseHeaders, undefined)
}

/** memberExtra and classExtra: compiled/records.ts calls it only for the few that declare any. */
export function extraOf(conditions: readonly unknown[], headers: readonly unknown[], action: unknown): string | undefined {
  return conditions.length + headers.length === 0 && action === undefined ? undefined : exactJson([conditions, headers, action ?? null])
}

/**
 * Why albatross/compiled cannot run this app, naming the first declaration it leaves out, or
 * undefined when it can. It runs the routes the checks passed with nothing between request and
 * method: no middleware, guards or authentication, no CORS; it routes on string paths and every
 * other condition, answers native actions and adds response headers.
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
  if (route.auth !== undefined) return 'has @Authenticate'
  if (readRecord(route.controller)?.controller?.host !== undefined) return "is in a @Controller with the host option (declare it with @Host on the class instead, whose matcher albatross/compiled bundles)"
  if (route.use.length > 0) return 'has @Use middleware'
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
    const extra = classExtra(record)
    const prefix = record.controller.prefix
    const target = record.controller.target ?? null
    controllers.push(extra === undefined ? [prefix, target, members] : [prefix, target, members, extra])
  }
  const rules = table.rules.map((rule) => ruleData(rule, routes[rule.id] as RouteDefinition, at))
  const compiled: CompiledTable = { version: COMPILED_VERSION, head: headKey(options), controllers, rules }
  // As assemble-app.ts decides it: only routing on a repeated header or query key is warned about.
  const need = multiValueNeed(table)
  return need.needed ? { ...compiled, singleValue: singleValueWarning(need) } : compiled
}

export function memberData(name: string, member: MemberRecord): CompiledMember {
  const routes = member.routes.map((route): CompiledRoute => [typeof route.path === 'string' ? route.path : null, route.httpMethods ?? null])
  const priority = member.priority ?? null
  const httpCode = member.httpCode ?? null
  const params = member.params.map(paramData)
  const extra = memberExtra(member)
  return extra === undefined ? [name, routes, priority, httpCode, params] : [name, routes, priority, httpCode, params, extra]
}

export function paramData(param: ParamDefinition): CompiledParam {
  return [param.index, param.source, param.name ?? null, param.options.optional === true ? 1 : 0, typeKey(param.options.type ?? param.designType)]
}

function ruleData(rule: AlbRule, route: RouteDefinition, at: ReadonlyMap<ClassType, number>): CompiledRule {
  let glob: string | null = null
  let methods: readonly string[] | null = null
  const others: AlbCondition[] = []
  for (const condition of rule.conditions) {
    if (condition.type === 'path-pattern') glob = condition.values[0] ?? null
    else if (condition.type === 'http-request-method') methods = condition.values
    else others.push(condition)
  }
  const { id, priority, captures, action } = rule
  const headers = mergeResponseHeaders(route.responseHeaders)
  const data: CompiledRule = [id, priority, glob, captures, methods, at.get(route.controller) as number, route.methodName, others.length === 0 ? null : others, action.type === 'forward' ? null : action, headers === undefined ? undefined : { ...headers }]
  // Most rules have none of the last three: their entry stays as short as before.
  let length = data.length
  while (length > 7 && data[length - 1] == null) length--
  return data.slice(0, length) as unknown as CompiledRule
}

