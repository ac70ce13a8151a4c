import { buildRuleTable } from '../rules/build-table.js'
import { RouteDeclarationError, type RouteProblem } from '../rules/errors.js'
import type { RouteSpec, RuleTable } from '../rules/types.js'
import type { KeyOptions } from './declaration-key.js'
import { CHECK_REPORT, checkMode } from './mode.js'
import { StaleTableError, tableMismatch, trustedRuleTable, verifiedTableOf, type VerifiedTable } from './table.js'

/** What `albatross check` reads from an app the CLI loaded (every check ran). */
export interface CheckReport {
  /** The verified table of these routes, to write (`command` left empty for the CLI to fill in). */
  readonly table: VerifiedTable
  /** Set when the app was given a table: why it does not match, or undefined when it does. */
  readonly given: { readonly mismatch: string | undefined } | undefined
}

/**
 * Why a given table is not the one of these routes (numbered as `table`), or undefined: tableMismatch
 * by default; for an albatross/compiled entry, whose table has no declaration key, compiled/mismatch.ts.
 */
export type TableComparison = (given: VerifiedTable, specs: readonly RouteSpec[], table: RuleTable) => string | undefined

export interface AppTableOptions extends KeyOptions {
  readonly table?: VerifiedTable | undefined
}

/** True when createApp skips the checks a matching table stands for (see mode.ts). */
export function trustsTable(options: AppTableOptions): boolean {
  return options.table !== undefined && checkMode() === 'trust'
}

/**
 * The app's rule table: from a verified table when trusted (a StaleTableError when it does not
 * match), else built and checked, its problems added to the others (undefined then). A table that
 * was not trusted is still compared: refused in tests, reported to the CLI.
 */
export function appRuleTable(specs: readonly RouteSpec[], options: AppTableOptions, problems: RouteProblem[], compare: TableComparison | undefined): RuleTable | undefined {
  if (options.table !== undefined && trustsTable(options)) return trustedRuleTable(options.table, specs, options)
  let table: RuleTable
  try {
    table = buildRuleTable(specs, options.priorities)
  } catch (error) {
    if (!(error instanceof RouteDeclarationError)) throw error
    problems.push(...error.problems)
    return undefined
  }
  if (options.table !== undefined && checkMode() === 'full' && problems.length === 0) {
    const mismatch = (compare ?? keyComparison(options))(options.table, specs, table)
    if (mismatch !== undefined) throw new StaleTableError(mismatch, (options.table as Partial<VerifiedTable> | null)?.command)
  }
  return table
}

/**
 * Leaves the CLI its CheckReport on the app (only when the CLI loaded it: nothing is computed in a
 * Lambda). `compiled`: for an albatross/compiled entry, the compiled part of its table and how a
 * given one is compared; its table then carries no declaration key (`checked` empty, 11 KB of the
 * bench app's bundle), which its Lambda never reads.
 */
export function attachCheckReport<T extends object>(app: T, specs: readonly RouteSpec[], table: RuleTable, options: AppTableOptions, compiled: { readonly part: (table: RuleTable) => unknown; readonly compare: TableComparison } | undefined): T {
  if (checkMode() !== 'cli') return app
  const written = verifiedTableOf(specs, table, options, '')
  const report: CheckReport = {
    table: compiled === undefined ? { ...written, compiled: undefined } : { ...written, checked: '', compiled: compiled.part(table) },
    given: options.table === undefined ? undefined : { mismatch: (compiled?.compare ?? keyComparison(options))(options.table, specs, table) },
  }
  return Object.defineProperty(app, CHECK_REPORT, { value: report })
}

function keyComparison(options: KeyOptions): TableComparison {
  return (given, specs) => tableMismatch(given, specs, options)
}
