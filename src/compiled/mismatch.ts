import type { AppOptions } from '../app-types.js'
import type { ClassType, RouteDefinition } from '../metadata/types.js'
import type { RouteProblem } from '../rules/errors.js'
import type { RouteSpec, RuleTable } from '../rules/types.js'
import { REQUIRES } from '../verified-table/mode.js'
import type { VerifiedTable } from '../verified-table/table.js'
import { compiledRefusal, compiledTableOf, type CompiledTable } from './format.js'
import { readCompiledPart, recordsAgainst } from './part.js'

/**
 * Why `given` is not the table albatross/compiled's Lambda would run for these controllers, or
 * undefined when it is: for an albatross/compiled entry, whose table carries no declaration key
 * (`checked` is empty), the checking createApp (tests) and `albatross check` compare it as
 * compiled/app.ts does, with the same messages (its format, its compiled part, its head key, the
 * decorator records), then more strictly than a cold start: its rules and its sources must be the
 * ones the checks build now (`fresh`, `sources`), so a rule edited by hand (a priority, a glob),
 * which the Lambda would route as written, is refused in tests and reported by `albatross check`.
 */
export function compiledTableMismatch(given: VerifiedTable, options: AppOptions, classes: readonly ClassType[], fresh: unknown, sources: readonly string[]): string | undefined {
  const compiled = readCompiledPart(given, options)
  if ('problem' in compiled) return compiled.problem
  const { mismatch } = recordsAgainst(compiled, given.sources, classes)
  if (mismatch !== undefined) return mismatch
  // The rules as the checks number and build them now: the Lambda trusts them once the records
  // match. The controllers' part is the records, compared above as the Lambda compares them (a
  // path split another way between prefix and route is the same route, as the declaration key has it).
  const now = typeof fresh === 'object' && fresh !== null ? (fresh as CompiledTable) : undefined
  if (now === undefined || JSON.stringify(compiled.rules) !== JSON.stringify(now.rules) || compiled.singleValue !== now.singleValue) return 'its compiled routes are not the ones the checks build now'
  if (given.sources.length !== sources.length || given.sources.some((source, id) => source !== sources[id])) return "its route names (sources) are not the ones the checks give now"
  return undefined
}

/** What the checking createApp (app.ts) does differently for an albatross/compiled entry. */
export interface CompiledChecks {
  /** The compiled part of the table `albatross check --out` writes, numbered as `table`, or why albatross/compiled cannot run the app. */
  readonly part: (table: RuleTable) => unknown
  /** How a given table is compared (verified-table/app-table.ts `TableComparison`): as above. */
  readonly compare: (given: VerifiedTable, specs: readonly RouteSpec[], table: RuleTable) => string | undefined
}

/**
 * For the checking createApp called by albatross/compiled's (`REQUIRES` 'compiled',
 * verified-table/checked-app.ts): refuses what the compiled Lambda would not run (a problem naming
 * the first declaration) and says how its table is written and compared; undefined for other entries.
 */
export function compiledChecks(options: AppOptions, classes: readonly ClassType[], routes: readonly RouteDefinition[], problems: RouteProblem[]): CompiledChecks | undefined {
  if ((options as { readonly [REQUIRES]?: unknown })[REQUIRES] !== 'compiled') return undefined
  const refusal = compiledRefusal(options, routes)
  if (refusal !== undefined) problems.push({ source: 'albatross/compiled', message: `${refusal}, which albatross/compiled does not run: import createApp from 'albatross/lambda'` })
  // Built once: the CLI's report asks for it to write and again to compare a given table with it.
  let built: { readonly table: RuleTable; readonly part: unknown } | undefined
  const part = (table: RuleTable): unknown => {
    if (built?.table !== table) built = { table, part: compiledTableOf(options, classes, routes, table) ?? compiledRefusal(options, routes) }
    return built.part
  }
  return { part, compare: (given, specs, table) => compiledTableMismatch(given, options, classes, part(table), specs.map((spec) => spec.source)) }
}
