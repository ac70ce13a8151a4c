import { isDtoClass } from '../binding/dto-support.js'
import type { ParamDefinition, RouteDefinition } from '../metadata/types.js'
import type { PriorityOptions, RouteSpec } from '../rules/types.js'

/** The app options the checks read: the priorities' numbering and the default rule's action. */
export interface KeyOptions {
  readonly priorities?: PriorityOptions | undefined
  readonly defaultAction?: object | undefined
}

/**
 * Bump whenever a declaration check is added or changed: a table checked by an albatross whose
 * checks differ then no longer matches, and createApp asks for a new `albatross check`.
 */
export const CHECKS_VERSION = 3

/**
 * The routes as the checks saw them, as one JSON text: the checks' version, the app options they
 * read (priorities, the default action; CORS adds its preflight route), and per route everything
 * the checks a verified table skips read and everything its rule is built from — method name, path, methods,
 * conditions, declared and numbered priority, action, `@Authenticate` action, `@HttpCode`, and
 * each parameter's source, name, options and the type the binder will use. What it leaves out is
 * checked at createApp as before (middleware, response headers, CORS, DTO classes, custom
 * parameters).
 *
 * No name a minifier may change is in it: not the controller's class name (the table keeps the
 * routes' names apart, `sources`, and a trusting createApp names its routes from them), nor a DTO
 * class's or a custom parameter's. So a bundle built without esbuild's `--keep-names` matches the
 * table checked from the sources, and still answers with the routes' checked names.
 *
 * The table stores this text and createApp compares it with `===`: JSON.stringify and string
 * comparison are native. Storing a digest of each route's text instead (issue #18) would take
 * 8.3 KB off the bench's 63-route bundle (its table 12.7 -> 2.4 KB, the hashing +2.3 KB), but
 * every way of hashing measured cost its cold start more than the text does: V8 parses a long
 * string literal for next to nothing (the bundle's parse did not get cheaper), so the hash is
 * pure added work. Over the 63 texts (~11,000 characters), in main-thread instructions under
 * callgrind: a charCodeAt loop in JavaScript +9.4 M, and +6.4 M more on a compiler thread for its
 * optimising compile; reading 4-byte words (TextEncoder.encodeInto, Int32Array) +4.0 M; a 64-bit
 * hash in WebAssembly (a 355-byte module, one encodeInto) +1.5 M in the recipe's bundle (module
 * evaluation +1.4 M, lazy compiles within it +0.5 M, parse +0.1 M), over 0.5 M of it fixed: the
 * module's compiles, the byte array that holds it, TextEncoder's first call. The texts stay until
 * a hash comes without that cost.
 *
 * Nor is the text cheaper to compare any other way measured (issue #18, module evaluation of the
 * recipe's 63-route bench app, callgrind; the check then cost 2.6 M): JSON.parse of the table's
 * text and a walk of it against the routes +0.6 M (the parse alone 0.8 M, as much as the
 * JSON.stringify it saves); the text written with template strings instead of arrays +0.8 M or
 * more (its intermediate strings bring a scavenge into the cold start); a cursor matching each
 * value in place with startsWith +3.2 M (thousands of small calls). What did pay: reading
 * the built-in types' names from a table rather than `Function.prototype.name`, and fewer calls
 * per route and parameter (-0.4 M together); tableMismatch keeping its explanation of a
 * mismatch out of the function a matching cold start compiles (-0.27 M).
 */
export function declarationKey(specs: readonly RouteSpec[], priorities: readonly number[], options: KeyOptions): string {
  const keys: unknown[] = head(options)
  for (let id = 0; id < specs.length; id++) keys.push(routeKey(specs[id] as RouteSpec, priorities[id] as number))
  return JSON.stringify(keys)
}

export interface KeyParts {
  /** The checks' version and the options, as JSON. */
  readonly head: string
  /** Each route's key as JSON, with its source. */
  readonly routes: readonly { readonly source: string; readonly key: string }[]
}

/** A declaration key taken apart, to say what differs (undefined for text that is not one). */
export function keyParts(key: string): KeyParts | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(key)
  } catch {
    return undefined
  }
  if (!Array.isArray(parsed)) return undefined
  return {
    head: JSON.stringify(parsed.slice(0, HEAD_LENGTH)),
    routes: parsed.slice(HEAD_LENGTH).map((route: unknown) => ({ source: String(Array.isArray(route) ? route[0] : route), key: JSON.stringify(route) })),
  }
}

export function headKey(options: KeyOptions): string {
  return JSON.stringify(head(options))
}

const HEAD_LENGTH = 4

// The default action is checked with the routes (an ALB fixed-response, spec/alb.md §1.6), so a
// trusting createApp carries none of the action checks.
function head(options: KeyOptions): unknown[] {
  const { priorities, defaultAction } = options
  return [CHECKS_VERSION, optionalNumber(priorities?.start), optionalNumber(priorities?.step), defaultAction === undefined ? null : exactJson(defaultAction)]
}

/**
 * A route as the key names it: a controller's method by its method name (its class's name is a
 * minifier's to change), a route of albatross's own (the CORS preflight) by its source.
 */
export function keySource(spec: RouteSpec): string {
  return (spec as Partial<RouteDefinition>).methodName ?? spec.source
}

export function routeKeyText(spec: RouteSpec, priority: number): string {
  return JSON.stringify(routeKey(spec, priority))
}

function routeKey(spec: RouteSpec, priority: number): unknown[] {
  const route = spec as Partial<RouteDefinition>
  const action = spec.action
  // Every route of a cold start passes here: keySource inline, and optionalNumber only for a
  // number declared (a call less per value; the key is the same).
  return [
    route.methodName ?? spec.source,
    spec.path instanceof RegExp ? { regex: spec.path.source, flags: spec.path.flags } : (spec.path ?? null),
    spec.methods ?? null,
    spec.conditions.length === 0 ? spec.conditions : exactJson(spec.conditions),
    spec.priority === undefined ? null : optionalNumber(spec.priority),
    priority,
    // A forward action by its target alone (most routes): a string never reads as an action object.
    action.type === 'forward' ? action.target : exactJson(action),
    spec.auth === undefined ? null : exactJson(spec.auth),
    route.httpCode === undefined ? null : optionalNumber(route.httpCode),
    route.params?.map(paramKey) ?? null,
  ]
}

/**
 * Conditions and actions as JSON that tells apart what JSON.stringify alone merges: a property
 * holding a function, symbol or undefined (dropped, as if absent), NaN or ±Infinity (null). A
 * declaration whose option the checks would refuse (`@FixedResponse(200, { body: fn })`) then
 * never matches the table of one that declared none. Only these objects go through the replacer,
 * which costs a call per value: most routes have none (no condition, a forward action).
 */
export function exactJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') return { unjson: typeof v }
    return typeof v === 'number' && !Number.isFinite(v) ? { number: String(v) } : v
  })
}

/**
 * An optional number as the key keeps it apart from "not declared": JSON.stringify writes NaN
 * and ±Infinity as null, so `@HttpCode(Number(CODE))` with an unset variable, or `@Priority(NaN)`,
 * would match the table of a route declaring neither and skip the check that refuses them.
 */
function optionalNumber(value: unknown): unknown {
  if (value === undefined) return null
  return typeof value === 'number' && !Number.isFinite(value) ? { number: String(value) } : value
}

// `opts.type` wins over design:paramtypes, as in the binder: the key holds the type the binder
// uses, so a tsc build (which emits design types) and an esbuild build of the same source differ
// exactly where their bindings would. @Req, @Event, @Ctx and custom parameters bind whatever
// their type (binding/param-plan.ts): theirs is left out.
const UNTYPED_SOURCES: ReadonlySet<string> = new Set(['request', 'event', 'context', 'custom'])

function paramKey(param: ParamDefinition): unknown[] {
  const { source, options, custom } = param
  const declared = options.type ?? param.designType
  const type = UNTYPED_SOURCES.has(source) ? null : (BUILTIN_NAMES.get(declared) ?? typeKey(declared))
  // A custom parameter by its presence: its decorator is checked at createApp, and its name is its
  // function's, which a minifier renames.
  return [param.index, source, param.name ?? null, options.optional === true ? 1 : 0, type, custom === undefined ? null : 1]
}

// The scalars most parameters declare, by name without reading it (a function's `name` is an
// accessor, slow while a cold start's code has no feedback yet) nor looking the class up as a
// global: built-ins, their names are the key. paramKey looks here before calling typeKey.
const BUILTIN_NAMES: ReadonlyMap<unknown, string> = new Map<unknown, string>([
  [String, 'String'],
  [Number, 'Number'],
  [Boolean, 'Boolean'],
  [Object, 'Object'],
])

// A built-in class (String, Number, Date, Map…) by its name, a class of the app's by whether it is
// a DTO, and anything else tagged: a route whose types are all scalars or built-ins skips its
// binding checks, so a key must not take `{ type: 'String' }` (a string, which the binder
// refuses) for the String class, nor the global Map for a DTO named Map. Which DTO class does not
// matter: DTO classes are checked at createApp, and a minifier renames them.
export function typeKey(type: unknown): unknown {
  const name = BUILTIN_NAMES.get(type)
  if (name !== undefined) return name
  if (Array.isArray(type)) return [typeKey(type[0])]
  if (typeof type === 'function') {
    const builtin = (globalThis as Record<string, unknown>)[type.name] === type
    return builtin ? type.name : { dto: isDtoClass(type) ? 1 : 0 }
  }
  return type === undefined ? null : { notAClass: String(type) }
}
