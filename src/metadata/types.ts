import type { AuthAction, RouteSpec } from '../rules/types.js'

/** A constructor: a DTO class, or one of String/Number/Boolean/Date. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ClassType<T = unknown> = abstract new (...args: any[]) => T

/** `opts.type`: a scalar or DTO class, or `[T]` for every value of a repeated key. */
export type ParamType = ClassType | readonly [ClassType]

export interface ParamOptions {
  /** Wins over decorator metadata; needed when the app is bundled without it (esbuild). */
  readonly type?: ParamType
  /** A missing value is `undefined` instead of a 400. */
  readonly optional?: boolean
}

export type ParamSource =
  | 'path'
  | 'query'
  | 'header'
  | 'cookie'
  | 'query-object'
  | 'header-object'
  | 'body'
  | 'request'
  | 'event'
  | 'context'
  | 'claims'
  | 'custom'

/** The decorator that declares each parameter source, for messages. */
export const PARAM_DECORATOR: Readonly<Record<ParamSource, string>> = {
  path: 'Param', query: 'Query', header: 'Header', cookie: 'Cookie', 'query-object': 'Query',
  'header-object': 'Header', body: 'Body', request: 'Req', event: 'Event', context: 'Ctx',
  custom: 'createParamDecorator', claims: 'Claims',
}

/**
 * A parameter made by `createParamDecorator`: `read(ctx, ...args)` gives its value from the
 * request context (typed there; metadata/ does not know the pipeline's types).
 */
export interface CustomParam {
  /** The decorator's name (the function given to createParamDecorator), for messages. */
  readonly name: string
  readonly read: (ctx: never, ...args: never[]) => unknown
  /** The arguments given to the decorator: `@Tenant('strict')` → `['strict']`. */
  readonly args: readonly unknown[]
}

/** One decorated parameter, as written by the decorators. */
export interface ParamDefinition {
  readonly index: number
  readonly source: ParamSource
  /** Key for path/query/header/cookie sources (header names as declared). */
  readonly name: string | undefined
  readonly options: ParamOptions
  /** `design:paramtypes[index]` when the compiler emitted it, else undefined. */
  readonly designType: unknown
  /** Set for `custom` parameters. */
  readonly custom?: CustomParam
}

export interface RouteDeclaration {
  readonly methodName: string
  readonly httpMethods: readonly string[] | undefined
  readonly path: string | RegExp | undefined
}

/**
 * A method route read from a controller class: the route as rules/ sees it (`RouteSpec`: source,
 * path, methods, conditions, priority, action) plus everything createApp needs to call it.
 */
export interface RouteDefinition extends RouteSpec {
  readonly controller: ClassType
  readonly controllerName: string
  readonly methodName: string
  readonly httpCode: number | undefined
  readonly params: readonly ParamDefinition[]
  /** Per-controller CORS override, when the controller declares one. */
  readonly cors: unknown
  /** `@Use` middleware, class then method, outermost first (checked at createApp). */
  readonly use: readonly unknown[]
  /** `@ResponseHeader` pairs, class then method (a later one of the same name wins). */
  readonly responseHeaders: readonly ResponseHeaderDeclaration[]
  /** Set with `auth`: how createApp checks `createApp({ auth })` and loads the verifier. */
  readonly authSupport?: AuthSupport
}

export interface ResponseHeaderDeclaration {
  readonly name: string
  readonly value: string
}

/**
 * What `@Authenticate` hands createApp besides the action, so that only an app that declares it
 * carries the checks and the verifier (and its library) in its bundle.
 */
export interface AuthSupport {
  /**
   * Checks `createApp({ auth })` against the authenticated routes (problems are pushed) and
   * returns the gate createApp verifies with (auth/gate.ts), its verifier loading from then on.
   */
  createGate(routes: readonly RouteDefinition[], options: unknown, problems: { source: string; message: string }[]): unknown
}

/** `@Authenticate` as recorded on a class or a method. */
export interface AuthRecord {
  /** Undefined when the declaration has problems. */
  readonly action: AuthAction | undefined
  /** Each names the option and the AWS field. */
  readonly problems: readonly string[]
  readonly support: AuthSupport
}
