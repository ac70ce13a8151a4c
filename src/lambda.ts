/**
 * `albatross/lambda`: the createApp for a deployed Lambda that was given the verified table
 * `albatross check <entry> --out <file>` writes. It trusts that table once it matches the
 * controllers (ERR_STALE_TABLE otherwise), so the bundle carries none of the declaration and ALB
 * checks, their messages or the rule-table builder: the checks ran at build time. The CLI,
 * `albatross dev` and apps created after an import of `albatross/testing` still run every check,
 * through the checking createApp of the same copy of albatross.
 *
 * @example
 * import { createApp } from 'albatross/lambda'
 * import table from './albatross.table.js' // albatross check src/app.ts --out src/albatross.table.ts
 *
 * export const app = createApp({ controllers: [Users], table })
 * export const handler = app.handler
 * @module
 */
import type { App, AppOptions } from './app-types.js'
import { corsProblems } from './declaration-checks.js'
import { NONE } from './metadata/none.js'
import { RouteDeclarationError } from './rules/errors.js'
import { assembleApp } from './runtime/assemble-app.js'
import { readAppDeclarations } from './runtime/declarations.js'
import { missingFeatures } from './runtime/features.js'
import { checkedApp } from './verified-table/checked-app.js'
import { MODE_MODULE_URL, checkMode } from './verified-table/mode.js'
import { StaleTableError, trustedRuleTable, type VerifiedTable } from './verified-table/table.js'

export type { AlbHandler, App, AppOptions, DefaultAction, ErrorCode, ErrorInfo } from './app-types.js'
export type { VerifiedTable } from './verified-table/table.js'

/** createApp's options, with the verified table required. */
export interface LambdaAppOptions extends AppOptions {
  readonly table: VerifiedTable
}

/**
 * Builds the app from its controllers and the verified table: the same app `createApp` from
 * `albatross` builds with that table, without bundling the checks the table stands for.
 */
export function createApp(options: LambdaAppOptions): App {
  // Refused wherever it runs: a test or `albatross check` that passed without the table would
  // pass an app the Lambda refuses at its first cold start.
  if (options.table === undefined) {
    throw new StaleTableError("no table was given: albatross/lambda's createApp needs the one `albatross check --out` writes (the createApp of the main entry point, albatross, checks the routes without one)", undefined)
  }
  if (checkMode() !== 'trust') return checkedApp(options, trustingApp, UNBUNDLED)
  return trustingApp(options)
}

function trustingApp(options: LambdaAppOptions): App {
  // What the table does not stand for is checked here, as createApp from 'albatross' does with a table.
  const declared = readAppDeclarations(options, () => [])
  const { specs, problems } = declared
  const table = trustedRuleTable(options.table, specs, options)
  // Checked once the table named the routes as they were checked (a minifier may have renamed
  // their classes): CORS, and a route whose feature's code its decorator did not bring
  // (runtime/features.ts), refused rather than routed without it.
  problems.push(...corsProblems(declared.routes, options.cors), ...missingFeatures(declared.routes))
  if (problems.length > 0) throw new RouteDeclarationError(problems)
  // The header-condition hints were reported by `albatross check`.
  return assembleApp({ ...declared, options, table, checkedAtBuild: true, hints: NONE })
}

// This module as published or compiled (src/lambda.ts, dist/lambda.js), not inside a bundle: only
// then is the checking createApp beside it (verified-table/checked-app.ts). The file name alone
// does not tell: serverless-esbuild and SAM name the bundle of a handler in src/lambda.ts
// `lambda.js`. Inside a bundle, this module and mode.ts share one URL (or, in a CommonJS bundle,
// have none).
const UNBUNDLED = /\/lambda\.[cm]?[jt]s(?:\?.*)?$/.test(import.meta.url) && import.meta.url !== MODE_MODULE_URL
