import type { Context } from 'aws-lambda'
import { isValidStatus } from '../alb/status.js'
import type { ALBResult, AlbRequest } from '../alb/types.js'
import type { App, AppOptions } from '../app-types.js'
import { createBinder, type Binder } from '../binding/binder.js'
import { boundByDeclaration } from '../binding/bound-by-declaration.js'
import { declaredBinder } from '../binding/declared-binder.js'
import { defaultOnError, guardHook } from '../error-report.js'
import { AlbatrossError } from '../http-error.js'
import { NONE } from '../metadata/none.js'
import { arrayBindings } from '../metadata/read-controller.js'
import { readRecord, type MemberRecord } from '../metadata/store.js'
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
import { StaleTableError, type VerifiedTable } from '../verified-table/table.js'
import { optionsRefusal, type CompiledController, type CompiledMember, type CompiledRule, type CompiledTable, type NativeAction } from './format.js'
import { readCompiledPart, recordsAgainst } from './part.js'
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
  const compiled = compiledPart(given, options)
  if (optionsRefusal(options) !== undefined) {
    throw new RouteDeclarationError([{ source: 'createApp', message: "albatross/compiled runs no middleware and no CORS: import createApp from 'albatross/lambda' for an app with `use` or `cors`" }])
  }
  const problems: RouteProblem[] = []
  const controllers = collectControllers(options.controllers, options.resolve, problems)
  const sources = given.sources
  const rules = compiled.rules
  const { classes, names, mismatch } = recordsAgainst(compiled, sources, controllers.classes)
  if (mismatch !== undefined) throw new StaleTableError(mismatch, given.command)
  problems.push(...controllers.check(new Set(controllers.classes)))
  if (problems.length > 0) throw new RouteDeclarationError(problems)
  const instances = controllerInstances(compiled, classes, names, controllers, options, problems)
  if (problems.length > 0) throw new RouteDeclarationError(problems)
  // Each rule's entry is built by its first request: a cold start builds one.
  const entries: (CompiledEntry | undefined)[] = new Array<CompiledEntry | undefined>(rules.length)
  const entryAt = (index: number): CompiledEntry => (entries[index] ??= entryOf(rules[index] as CompiledRule, sources, classes, instances))

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
    // A native action's rule has no entry: the Lambda answers it as ALB would, calling nothing.
    const action = (rules[match.index] as CompiledRule)[8]
    if (action != null) return finish(nativeResponse(action, request), request)
    const entry = entryAt(match.index)
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
    multiValue: (table) => multiValueNeed(table, arrayBindings(rules.flatMap((rule) => (rule[8] == null ? [{ source: sources[rule[0]] as string, params: memberRecord(rule, classes)?.params ?? NONE }] : [])))),
    defaultAction,
    middleware: () => NONE,
  })
}

function compiledPart(given: VerifiedTable, options: AppOptions): CompiledTable {
  const compiled = readCompiledPart(given, options)
  if ('problem' in compiled) throw new StaleTableError(compiled.problem, (given as Partial<VerifiedTable> | null)?.command)
  return compiled
}

/**
 * Each controller's instance, by its index in the compiled table, once every declaration that
 * cannot work is reported: an instance that cannot be built, a member that is no method of it
 * (both named `Controller.method`), and, as pipeline/route-entry.ts does for a verified table, the
 * binding problems of a method whose binding depends on more than its declaration (a DTO's
 * metadata, which the records do not hold). One pass per controller and member, the members with
 * a native action left out (their rules call nothing), as is a controller that has only those:
 * the rest of an entry is built by its rule's first request (entryOf).
 */
function controllerInstances(
  compiled: CompiledTable,
  classes: readonly ClassType[],
  names: readonly string[],
  controllers: ReturnType<typeof collectControllers>,
  options: AppOptions,
  problems: RouteProblem[],
): Record<string, unknown>[] {
  const instances = new Array<Record<string, unknown>>(classes.length)
  for (let c = 0; c < classes.length; c++) {
    const cls = classes[c] as ClassType
    const records = readRecord(cls)?.members
    const members = (compiled.controllers[c] as CompiledController)[2]
    let instance: Record<string, unknown> | undefined
    for (let m = 0; m < members.length; m++) {
      const member = (members[m] as CompiledMember)[0]
      const record = records?.get(member)
      if (record?.action !== undefined) continue
      if (instance === undefined) {
        instance = controllers.instanceOf(cls, problems)
        // The problem names the class; its methods cannot be looked for (as route-entry.ts).
        if (instance === undefined) break
        instances[c] = instance
      }
      const source = `${names[c] as string}.${member}`
      methodOf(instance, member, source, problems)
      const params = record?.params ?? NONE
      if (!boundByDeclaration(params)) reportBindingProblems({ source, params }, options.validation, problems)
    }
  }
  return instances
}

/**
 * A forwarding rule's entry, on its first request: its controller's instance and method, and its
 * parameters as the decorators recorded them (the records matched the table's). A route bound by
 * its declaration alone to scalars gets the small binder (binding/declared-binder.ts); the
 * others' binders are planned by the first request that needs one (respond).
 */
function entryOf(rule: CompiledRule, sources: readonly string[], classes: readonly ClassType[], instances: readonly Record<string, unknown>[]): CompiledEntry {
  // By index, as compiled/records.ts reads tuples: the interpreter destructures through the iterator protocol.
  const controller = rule[5]
  const member = rule[6]
  const record = memberRecord(rule, classes)
  const params = record?.params ?? NONE
  const httpCode = record?.httpCode
  const instance = instances[controller] as Record<string, unknown>
  // Merged by the check (compiled/format.ts), frozen as route-entry.ts leaves them.
  const headers = rule[9]
  const responseHeaders = headers == null ? undefined : Object.freeze(headers)
  return {
    route: { source: sources[rule[0]] as string, httpCode } as RouteDefinition,
    // A method: controllerInstances refused the app otherwise.
    method: instance[member] as (...args: unknown[]) => unknown,
    instance,
    // As route-entry.ts: formatJsonResult's fast path only without response headers.
    jsonStatus: responseHeaders === undefined && isValidStatus(httpCode ?? 200) ? (httpCode ?? 200) : undefined,
    responseHeaders,
    params,
    binder: declaredBinder(params),
  }
}

/** The decorator record of a rule's method (the records matched the table's). */
function memberRecord(rule: CompiledRule, classes: readonly ClassType[]): MemberRecord | undefined {
  return readRecord(classes[rule[5]] as ClassType)?.members.get(rule[6])
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
