// The public shape of an app and its options: what `createApp` takes and returns (app.ts builds it).
import type { Context } from 'aws-lambda'
import type { ValidatorOptions } from 'class-validator'
import type { ALBEvent, ALBResult } from './alb/types.js'
import type { AuthOptions } from './auth/gate.js'
import type { CorsOptions } from './cors.js'
import type { OnError } from './error-report.js'
import type { ManifestOptions } from './manifest/index.js'
import type { ClassType } from './metadata/types.js'
import type { OpenApiDocument, OpenApiOptions } from './openapi/index.js'
import type { Resolve } from './pipeline/controllers.js'
import type { Middleware } from './pipeline/types.js'
import type { MultiValueNeed } from './rules/header-mode.js'
import type { AlbRule, FixedResponseAction, PriorityOptions, RuleTable } from './rules/types.js'
import type { VerifiedTable } from './verified-table/table.js'

export interface DefaultAction {
  readonly status: number
  readonly body?: string
  readonly contentType?: FixedResponseAction['contentType']
}

export interface AppOptions {
  /** Controller classes (built once, by `resolve` or `new cls()`) or instances. */
  readonly controllers: readonly (ClassType | object)[]
  /** Middleware for every forwarded request (and the CORS preflight), outermost first. */
  readonly use?: readonly Middleware[]
  /** Builds a controller class: a DI container's lookup, e.g. `(cls) => container.resolve(cls)`. */
  readonly resolve?: Resolve
  /** The fixed response when no rule matches, like an ALB default rule (default 404 JSON). */
  readonly defaultAction?: DefaultAction
  /** class-validator options (defaults `whitelist: true`). */
  readonly validation?: ValidatorOptions
  readonly cors?: CorsOptions
  /** `'ok'` (default): ALB health checks get 200 without running a route; `'route'`: routed like any request. */
  readonly healthCheck?: 'ok' | 'route'
  /** Automatic priority numbering (default start 1000, step 10). */
  readonly priorities?: PriorityOptions
  /**
   * Called with every unexpected error (answered 500) and response problem; `info.code` says
   * which, `info.level` whether the client got a 500. Defaults to console.error / console.warn.
   */
  readonly onError?: OnError
  /** `@Authenticate`: which load balancer signs `x-amzn-oidc-data`, and where its keys come from. */
  readonly auth?: AuthOptions
  /**
   * The table `albatross check <entry> --out <file>` wrote (`import table from './<file>.js'`):
   * the declaration and ALB checks then ran at build time, and createApp only makes sure the
   * table still matches the controllers (it throws `ERR_STALE_TABLE` naming the first route that
   * differs otherwise). The CLI, `albatross dev` and `albatross/testing` still run every check.
   */
  readonly table?: VerifiedTable
}

export type { ErrorCode, ErrorInfo } from './error-report.js'

export type AlbHandler = (event: ALBEvent, context?: Context) => Promise<ALBResult>

export interface App {
  /** The Lambda handler: `export const handler = app.handler`. */
  readonly handler: AlbHandler
  /** The ordered rule table, as ALB evaluates it. */
  routes(): readonly AlbRule[]
  /**
   * The listener-rule manifest (CloudFormation, Terraform or AWS CLI JSON) as text. Asynchronous
   * because the generator (and its YAML library) loads on demand, keeping it out of Lambda bundles.
   */
  manifest(options?: Partial<ManifestOptions>): Promise<string>
  /** The OpenAPI 3.1 document of the routes; the generator loads on demand, like the manifest's. */
  openapi(options?: OpenApiOptions): Promise<OpenApiDocument>
  /** The rule's guards and middleware by function name, outermost first (none for fixed-response/redirect). */
  middleware(rule: AlbRule): readonly string[]
  /** The rule table and what the manifest needs to know about the app. */
  readonly table: RuleTable
  /**
   * True when the target group needs `lambda.multi_value_headers.enabled`: a rule has an
   * http-header or query-string condition (ALB matches any occurrence, spec/alb.md §2.2, §2.5), or
   * a route binds every value of a repeated header or query key. `multiValue` says why.
   */
  readonly needsMultiValueHeaders: boolean
  readonly multiValue: MultiValueNeed
  readonly defaultAction: FixedResponseAction
}
