import type { RouteSpec } from '../rules/types.js'

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

/** The decorator that declares each parameter source, for messages. */
export const PARAM_DECORATOR: Readonly<Record<ParamSource, string>> = {
  path: 'Param', query: 'Query', header: 'Header', cookie: 'Cookie', 'query-object': 'Query',
  'header-object': 'Header', body: 'Body', request: 'Req', event: 'Event', context: 'Ctx',
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
}
