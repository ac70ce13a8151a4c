/**
 * `albatross/compiled`: the createApp with the smallest cold start, for an app whose routes
 * `albatross check --out` could compile. The table it writes then also holds the decorator
 * records as checked and the rule table built from them; this createApp compares the records with
 * the controllers' (ERR_STALE_TABLE when they differ) and routes with those rules, so a cold start
 * reads no route definitions, builds no rule table and carries none of the checks. Requests are
 * answered by the same code as albatross/lambda's.
 *
 * It runs routes with nothing between request and method: their paths and methods, header, query,
 * host and source-ip conditions (routed by the matchers albatross/lambda uses, which the
 * decorators that declare them bring into the bundle), `@ResponseHeader`, `@FixedResponse` and
 * `@Redirect`. An app with middleware (`use`, `@Use`), CORS, `@Authenticate`, RegExp paths,
 * custom or `@Claims` parameters, or `@Controller`'s `host` option (declare it with `@Host`, which
 * brings its matcher) is refused (`albatross check` says which declaration): import createApp
 * from `albatross/lambda` for the others.
 *
 * @example
 * import { createApp } from 'albatross/compiled'
 * import table from './albatross.table.js' // albatross check src/app.ts --out src/albatross.table.ts
 *
 * export const app = createApp({ controllers: [Users], table })
 * export const handler = app.handler
 * @module
 */
import type { App } from './app-types.js'
import { compiledApp } from './compiled/app.js'
import type { LambdaAppOptions } from './lambda.js'
import { checkedApp } from './verified-table/checked-app.js'
import { MODE_MODULE_URL, checkMode } from './verified-table/mode.js'
import { StaleTableError } from './verified-table/table.js'

export type { AlbHandler, App, AppOptions, DefaultAction, ErrorCode, ErrorInfo } from './app-types.js'
export type { LambdaAppOptions } from './lambda.js'
export type { VerifiedTable } from './verified-table/table.js'

/** Builds the app from its controllers and the compiled table `albatross check --out` wrote. */
export function createApp(options: LambdaAppOptions): App {
  if (options.table === undefined) {
    throw new StaleTableError("no table was given: albatross/compiled's createApp needs the one `albatross check --out` writes (the createApp of the main entry point, albatross, checks the routes without one)", undefined)
  }
  // Under the CLI and in tests every check runs (the checking createApp), and an app this one
  // cannot run is refused there too, so it never reaches a Lambda.
  if (checkMode() !== 'trust') return checkedApp(options, compiledApp, UNBUNDLED, 'compiled')
  return compiledApp(options)
}

// As in lambda.ts: this module as published or compiled, not inside a bundle.
const UNBUNDLED = /\/compiled\.[cm]?[jt]s(?:\?.*)?$/.test(import.meta.url) && import.meta.url !== MODE_MODULE_URL
