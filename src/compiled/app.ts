import type { Context } from 'aws-lambda'
import { isValidStatus } from '../alb/status.js'
import type { ALBResult, AlbRequest } from '../alb/types.js'
import type { App, AppOptions } from '../app-types.js'
import { createBinder, type Binder } from '../binding/binder.js'
import { boundByDeclaration } from '../binding/bound-by-declaration.js'
import { defaultOnError, guardHook } from '../error-report.js'
import { AlbatrossError } from '../http-error.js'
import { NONE } from '../metadata/none.js'
import { arrayBindings } from '../metadata/read-controller.js'
import { readRecord } from '../metadata/store.js'
import type { ClassType, ParamDefinition, RouteDefinition } from '../metadata/types.js'
import { fixedResponse, nativeResponse } from '../native-actions.js'
import { collectControllers } from '../pipeline/controllers.js'
import { lambdaHandler } from '../pipeline/handler.js'
import { methodOf, reportBindingProblems } from '../pipeline/route-entry.js'
import { RouteDeclarationError, type RouteProblem } from '../rules/errors.js'
import { multiValueNeed } from '../rules/header-mode.js'
import type { AlbCondition, AlbRule, RuleTable } from '../rules/types.js'
import { appObject } from '../runtime/app-object.js'
import { defaultActionOf } from '../runtime/declarations.js'
import { HEALTH_OK, createResponder, type Answering } from '../runtime/responder.js'
import { headKey } from '../verified-table/declaration-key.js'
import { StaleTableError, formatProblem, type VerifiedTable } from '../verified-table/table.js'
import { COMPILED_VERSION, optionsRefusal, type CompiledRule, type CompiledTable, type NativeAction } from './format.js'
import { recordMismatch, routedClasses } from './records.js'
import { compileTableRouter } from './router.js'

/** A route as the compiled app calls it. */
interface CompiledEntry extends Answering {
  readonly params: readonly ParamDefinition[]
  binder: Binder | undefined
}

/**
 * The app of albatross/compiled: the controllers' decorator records compared with the ones the
 * table was checked with (ERR_STALE_TABLE otherwise), then the table's rules routed as they are.
 * The request path is the checking app's (runtime/responder.ts, binding/binder.ts,
 * pipeline/handler.ts): only what happens at createApp differs.
 */
export function compiledApp(options: AppOptions & { readonly table: VerifiedTable }): App {
  const given = options.table
  const compiled = compiledPart(given)
  if (headKey(options) !== compiled.head) {
    throw new StaleTableError(`the app options the checks read (priorities, defaultAction) or the checks themselves changed since the check`, given.command)
  }
  if (optionsRefusal(options) !== undefined) {
    throw new RouteDeclarationError([{ source: 'createApp', message: "albatross/compiled runs no middleware and no CORS: import createApp from 'albatross/lambda' for an app with `use` or `cors`" }])
  }
  const problems: RouteProblem[] = []
  const controllers = collectControllers(options.controllers, options.resolve, problems)
  const sources = given.sources
  const rules = compiled.rules
  const classes = routedClasses(controllers.classes)
  const names = controllerNames(rules, sources, classes.length)
  const mismatch = recordMismatch(classes, compiled, (c) => names[c] ?? `controller ${c + 1}`)
  if (mismatch !== undefined) throw new StaleTableError(mismatch, given.command)
  problems.push(...controllers.check(new Set(controllers.classes)))
  if (problems.length > 0) throw new RouteDeclarationError(problems)
  // A native action's rule has no entry: the Lambda answers it as ALB would, calling nothing.
  const entries = rules.map((rule) => (rule[8] == null ? entryOf(rule, sources, classes, controllers, options, problems) : undefined))
  if (problems.length > 0) throw new RouteDeclarationError(problems)

  const onError = guardHook(options.onError ?? defaultOnError)
  const { invoke, invokeLater, failed, finish, report } = createResponder(onError, undefined)
  const defaultAction = defaultActionOf(options)
  const router = compileTableRouter(rules)
  const routeHealthChecks = options.healthCheck === 'route'
  const validation = options.validation

  // As assemble-app.ts warns, with the text the check wrote (compiled/format.ts): none for most apps.
  const singleValue = compiled.singleValue
  let warnedSingleValue = typeof singleValue !== 'string'

  // As runtime/assemble-app.ts answers.
  function respond(request: AlbRequest, context: Context | undefined): ALBResult | Promise<ALBResult> {
    if (request.isHealthCheck && !routeHealthChecks) return finish(HEALTH_OK, request)
    if (!warnedSingleValue && request.mode === 'single') warnSingleValue(request)
    const match = router(request)
    if (match === undefined) return finish(fixedResponse(defaultAction), request)
    const entry = entries[match.index]
    if (entry === undefined) return finish(nativeResponse((rules[match.index] as CompiledRule)[8] as NativeAction, request), request)
    try {
      const binder = (entry.binder ??= createBinder({ source: entry.route.source, params: entry.params }, { validation }))
      const args = binder(request, match.params, context)
      if (args instanceof Promise) return invokeLater(entry, args, request)
      return invoke(entry, args, request)
    } catch (error) {
      return failed(error, entry, request)
    }
  }

  // Said once per execution environment, as the checking app says it (spec/alb.md §6 #9).
  function warnSingleValue(request: AlbRequest): void {
    warnedSingleValue = true
    report('WARN_SINGLE_VALUE_EVENT', singleValue as string, request, undefined)
  }

  const handler = lambdaHandler(respond, (error) => onError(error, { code: 'ERR_HANDLER_FAILED', level: 'error' }))
  return appObject({
    handler,
    table: () => ruleTableOf(compiled, sources),
    routes: () => {
      throw new AlbatrossError('ERR_COMPILED_APP', "app.openapi() needs the route definitions, which albatross/compiled's createApp does not read: run `albatross openapi <entry>`, which reads them")
    },
    validation,
    multiValue: (table) => multiValueNeed(table, arrayBindings(entries.flatMap((entry) => (entry === undefined ? [] : [{ source: entry.route.source, params: entry.params }])))),
    defaultAction,
    middleware: () => NONE,
  })
}

function compiledPart(given: VerifiedTable): CompiledTable {
  const format = formatProblem(given)
  if (format !== undefined) throw new StaleTableError(format, (given as Partial<VerifiedTable> | null)?.command)
  const written = (given as { readonly compiled?: unknown }).compiled
  // JSON text: V8 parses a string literal for next to nothing and JSON.parse natively, where the
  // same data as an object literal cost the bundle's parse about 2 M instructions (issue #18).
  const compiled = typeof written === 'string' && written.startsWith('{') ? parsed(written) : written
  if (typeof compiled === 'string') {
    throw new StaleTableError(`albatross/compiled cannot run this app (${compiled}): import createApp from 'albatross/lambda', which runs every feature`, given.command)
  }
  // Another format (an older albatross's, version 1 before conditions) is refused here too.
  if (typeof compiled !== 'object' || compiled === null || (compiled as Partial<CompiledTable>).version !== COMPILED_VERSION) {
    throw new StaleTableError("the table holds no compiled routes: it was written for an entry that imports createApp from albatross/lambda or albatross, or by another albatross version", given.command)
  }
  // Edited or cut short by hand: refused here, not a TypeError somewhere in the comparison.
  const { head, controllers, rules } = compiled as Partial<CompiledTable>
  if (typeof head !== 'string' || !Array.isArray(controllers) || !controllers.every(Array.isArray) || !Array.isArray(rules) || !rules.every(Array.isArray)) {
    throw new StaleTableError('its compiled routes are not what `albatross check` writes', given.command)
  }
  return compiled as CompiledTable
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** Each controller's name as the table's sources give it (`Users.get` → `Users`). */
function controllerNames(rules: readonly CompiledRule[], sources: readonly string[], count: number): string[] {
  const names: string[] = new Array<string>(count)
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r] as CompiledRule
    const id = rule[0]
    const controller = rule[5]
    const member = rule[6]
    const source = sources[id]
    if (names[controller] === undefined && source !== undefined && source.endsWith(`.${member}`)) names[controller] = source.slice(0, -member.length - 1)
  }
  return names
}

/**
 * A rule's entry: its controller's instance and method, and its parameters as the decorators
 * recorded them (the records matched the table's). As pipeline/route-entry.ts does for a verified
 * table, a route whose binding depends on more than its declaration (a DTO's metadata) is planned
 * here, its problems reported with the others; the rest are bound by their first request.
 */
function entryOf(
  rule: CompiledRule,
  sources: readonly string[],
  classes: readonly ClassType[],
  controllers: ReturnType<typeof collectControllers>,
  options: AppOptions,
  problems: RouteProblem[],
): CompiledEntry {
  // By index, as compiled/records.ts reads tuples.
  const id = rule[0]
  const controller = rule[5]
  const member = rule[6]
  const source = sources[id] as string
  const cls = classes[controller] as ClassType
  const record = readRecord(cls)?.members.get(member)
  const params = record?.params ?? NONE
  const httpCode = record?.httpCode
  const instance = controllers.instanceOf(cls, problems) ?? {}
  const method = methodOf(instance, member, source, problems)
  if (!boundByDeclaration(params)) reportBindingProblems({ source, params }, options.validation, problems)
  // Merged by the check (compiled/format.ts), frozen as route-entry.ts leaves them.
  const headers = rule[9]
  const responseHeaders = headers == null ? undefined : Object.freeze(headers)
  return {
    route: { source, httpCode } as RouteDefinition,
    method: method as (...args: unknown[]) => unknown,
    instance,
    // As route-entry.ts: formatJsonResult's fast path only without response headers.
    jsonStatus: responseHeaders === undefined && isValidStatus(httpCode ?? 200) ? (httpCode ?? 200) : undefined,
    responseHeaders,
    params,
    binder: undefined,
  }
}

/** The rule table the compiled rules stand for, as `app.routes()` and manifests read it. */
function ruleTableOf(compiled: CompiledTable, sources: readonly string[]): RuleTable {
  return {
    rules: compiled.rules.map(([id, priority, glob, captures, methods, controller, , others, action]): AlbRule => {
      const target = compiled.controllers[controller]?.[1] ?? 'default'
      // As rules/build-table.ts orders them: the path, the methods, then the others.
      const conditions: AlbCondition[] = []
      if (glob !== null) conditions.push({ type: 'path-pattern', values: [glob], regexValues: [] })
      if (methods !== null) conditions.push({ type: 'http-request-method', values: methods })
      if (others != null) conditions.push(...others)
      return { id, priority, conditions, action: action ?? { type: 'forward', target }, source: sources[id] as string, captures }
    }),
  }
}
