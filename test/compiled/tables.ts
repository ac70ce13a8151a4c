import { createApp, type App, type AppOptions, type VerifiedTable } from '../../src/index.js'
import type { CompiledTable } from '../../src/compiled/format.js'
import { compiledChecks } from '../../src/compiled/mismatch.js'
import { REQUIRES, registerCompiledChecks } from '../../src/verified-table/mode.js'
import { checkedTable } from '../verified-table/checks.js'

// As albatross/testing and lambda-checks.ts do before albatross/compiled's createApp hands an app
// to the checking createApp (app.ts imports none of the compiled checks: verified-table/mode.ts).
registerCompiledChecks(compiledChecks)

/**
 * The verified table `albatross check --out` writes for an entry that imports albatross/compiled:
 * the checking createApp asked for an app albatross/compiled can run (as compiled.ts's createApp
 * asks it under the CLI), and the compiled part as the table module holds it, JSON text
 * (cli/commands/check.ts tableModule).
 */
export function compiledTable(options: AppOptions): VerifiedTable {
  const table = checkedTable(() => createApp(forCompiled(options)))
  const compiled = table.compiled
  return { ...table, compiled: typeof compiled === 'object' ? JSON.stringify(compiled) : compiled }
}

/** The compiled part of compiledTable(options), parsed. */
export function compiledPart(options: AppOptions): CompiledTable {
  const compiled = compiledTable(options).compiled
  if (typeof compiled !== 'string' || !compiled.startsWith('{')) throw new Error(`no compiled part: ${String(compiled)}`)
  return JSON.parse(compiled) as CompiledTable
}

/** The options albatross/compiled's createApp hands the checking createApp. */
export function forCompiled(options: AppOptions): AppOptions {
  return { ...options, [REQUIRES]: 'compiled' } as AppOptions
}

export type { App }
