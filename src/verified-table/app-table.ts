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
export function appRuleTable(specs: readonly RouteSpec[], options: AppTableOptions, problems: RouteProblem[]): RuleTable | undefined {
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
    const mismatch = tableMismatch(options.table, specs, options)
    if (mismatch !== undefined) throw new StaleTableError(mismatch, (options.table as Partial<VerifiedTable> | null)?.command)
  }
  return table
}

/** Leaves the CLI its CheckReport on the app (only when the CLI loaded it: nothing is computed in a Lambda). */
export function attachCheckReport<T extends object>(app: T, specs: readonly RouteSpec[], table: RuleTable, options: AppTableOptions, compiled: () => unknown): T {
  if (checkMode() !== 'cli') return app
  const report: CheckReport = {
    table: { ...verifiedTableOf(specs, table, options, ''), compiled: compiled() },
    given: options.table === undefined ? undefined : { mismatch: tableMismatch(options.table, specs, options) },
  }
  return Object.defineProperty(app, CHECK_REPORT, { value: report })
}
