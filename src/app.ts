import { corsProblems, declarationProblems } from './declaration-checks.js'
import { headerConditionHints } from './pipeline/header-hint.js'
import { checkAction } from './rules/action.js'
import { RouteDeclarationError } from './rules/errors.js'
import { assembleApp } from './runtime/assemble-app.js'
import { installAllFeatures } from './runtime/features.js'
import { readAppDeclarations } from './runtime/declarations.js'
import { appRuleTable, attachCheckReport, trustsTable } from './verified-table/app-table.js'
import type { compiledChecks } from './compiled/mismatch.js'
import { REQUIRES, registeredCompiledChecks } from './verified-table/mode.js'

import type { App, AppOptions } from './app-types.js'

export type { AlbHandler, App, AppOptions, DefaultAction, ErrorCode, ErrorInfo } from './app-types.js'

/**
 * Builds the app: reads the controllers' metadata, validates every route against ALB's rules
 * (one error listing all problems), orders and numbers them, compiles the router and the
 * parameter binders. All reflection happens here, in Lambda's init phase.
 *
 * Given the verified table `albatross check --out` wrote, it skips the checks that table stands
 * for once it matches the controllers; `albatross/lambda`'s createApp does the same without
 * bundling the checks at all.
 *
 * @example
 * export const app = createApp({ controllers: [Users] })
 * export const handler = app.handler
 */
export function createApp(options: AppOptions): App {
  // Routes may be declared any way here: no feature's code may be missing (runtime/features.ts).
  installAllFeatures()
  const trusted = trustsTable(options)
  const declared = readAppDeclarations(options, (routes) => (trusted ? [] : declarationProblems(routes, options)), checkAction)
  const { routes, specs, problems } = declared
  // albatross/compiled asks for an app it can run, its table compared as its Lambda compares it.
  const compiled = requiresCompiled(options) ? checksOfCompiled()(options, declared.controllers.classes, routes, problems) : undefined
  const table = appRuleTable(specs, options, problems, compiled?.compare)
  // With a table, after it named the routes as they were checked (a minifier may have renamed a class).
  if (trusted) problems.push(...corsProblems(routes, options.cors))
  if (problems.length > 0 || table === undefined) throw new RouteDeclarationError(problems)
  const app = assembleApp({ ...declared, options, table, checkedAtBuild: trusted, hints: headerConditionHints(routes) })
  // The compiled part only for an entry that runs it (albatross/compiled): the others' bundles would carry it for nothing.
  return attachCheckReport(app, specs, table, options, compiled)
}

function requiresCompiled(options: AppOptions): boolean {
  return (options as { readonly [REQUIRES]?: unknown })[REQUIRES] === 'compiled'
}

/** Registered by the modules that hand albatross/compiled's apps to this createApp (see mode.ts). */
function checksOfCompiled(): typeof compiledChecks {
  const checks = registeredCompiledChecks() as typeof compiledChecks | undefined
  // Unreachable through albatross/compiled (testing.ts and lambda-checks.ts register them); fail
  // closed all the same rather than write a table the compiled Lambda would refuse.
  if (checks === undefined) throw new RouteDeclarationError([{ source: 'albatross/compiled', message: "the checks of albatross/compiled are not loaded: import createApp from 'albatross/compiled' (albatross check and albatross/testing load them)" }])
  return checks
}
