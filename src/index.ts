// No reflect-metadata here: tsc's `design:paramtypes` is recorded without it
// (metadata/design-metadata.ts), and DTO support, whose class-transformer needs it, comes with
// `import 'albatross/dto'` (src/dto.ts).

/** Controllers and routes. */
export { Controller, type ControllerOptions } from './decorators/controller.js'
export { Get, Post, Put, Patch, Delete, Head, Options, All } from './decorators/methods.js'

/** Routing conditions (class or method) that double as parameter bindings (@Query, @Header). */
export { Host, Header, Query, SourceIp, Priority } from './decorators/conditions.js'

/** Parameter bindings. */
export { Param, Body, Cookie, Req, Event, Ctx } from './decorators/params.js'

/** Responses and native ALB actions. */
export { HttpCode, ResponseHeader, FixedResponse, Redirect, type RedirectOptions } from './decorators/response.js'
export { reply, type ReplyOptions } from './reply.js'

/** ALB authentication: `Authenticate` and `Claims` come from `albatross/auth`; the types also from here. */
export type * from './auth/options.js'

/** The request pipeline: middleware, custom parameters, the request context. */
export { Use, createParamDecorator } from './pipeline/decorators.js'
export type { Middleware, RequestContext, AppResponse, RouteInfo } from './pipeline/types.js'
export type { Resolve } from './pipeline/controllers.js'

/** Errors. */
export {
  HttpError,
  BadRequestError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  AlbatrossError,
  isHttpError,
  type HttpErrorOptions,
} from './http-error.js'
export { RouteDeclarationError, type RouteProblem } from './rules/errors.js'

/** The app. */
export { createApp, type App, type AppOptions, type AlbHandler, type DefaultAction, type ErrorInfo, type ErrorCode } from './app.js'
export type { CorsOptions } from './cors.js'
export type { VerifiedTable } from './verified-table/table.js'
export type { ManifestOptions } from './manifest/index.js'
export type { OpenApiDocument, OpenApiOptions } from './openapi/index.js'

/** Types of the rule table and the request. */
export type { AlbRule, AlbCondition, RuleAction, RuleTable, AuthAction } from './rules/types.js'
export type { AlbRequest, ALBEvent, ALBResult, HeaderMode } from './alb/types.js'
export type { ParamOptions, ParamType } from './metadata/types.js'

/** Realistic ALB events for tests (also at `albatross/testing`). */
export { albEvent, type AlbEventInput } from './alb/build-event.js'
