import { existsSync, writeFileSync } from 'node:fs'
import { findShadowedRules } from '../../rules/shadow.js'
import { TRUSTED_BUNDLE } from '../../verified-table/mode.js'
import type { VerifiedTable } from '../../verified-table/table.js'
import { CliError, checkReportOf, type LoadedApp } from '../load-entry.js'

export interface CheckResult {
  readonly stdout: string
  /** Shadowed rules, as `routes` warns about them; never a failure. */
  readonly warnings: readonly string[]
  /** 0: every check passed (and the table was written, or the app's table matches); 1: the app's table is stale. */
  readonly exitCode: 0 | 1
}

/**
 * Before `albatross check <entry> --out <file>` loads an entry that imports `<file>` for the
 * first time: a stand-in table, so the import resolves. createApp refuses it outside the CLI
 * and tests (it says `check` has not passed), so a failed first check never deploys silently.
 */
export function writeStandInTable(out: string, command: string): boolean {
  if (existsSync(out)) return false
  writeFileSync(out, tableModule({ albatross: 'unverified', command, priorities: [], sources: [], checked: '' }, command))
  return true
}

/** `albatross check`: the outcome for an app that loaded, so every declaration and ALB check passed. */
export function checkOutput(app: LoadedApp, entry: string, options: { out?: string; command: string }): CheckResult {
  const report = checkReportOf(app)
  if (report === undefined) {
    if ((app as unknown as Record<symbol, unknown>)[TRUSTED_BUNDLE] === true) {
      throw new CliError(
        `${entry} is a bundle of an albatross/lambda app: it trusts the verified table it was built with and carries none of the checks, ` +
          'so run `albatross check` on the entry it was built from (its source, e.g. src/app.ts)',
      )
    }
    throw new CliError(`${entry}'s app was built by an albatross without verified tables: update the albatross it imports`)
  }
  const warnings = findShadowedRules(app.table).map(
    ({ shadowed, by }) =>
      `warning: ${shadowed.source} (priority ${shadowed.priority}) can never match: ${by.source} (priority ${by.priority}) matches every request it would. Give it a lower @Priority or narrow ${by.source}.`,
  )
  const count = app.table.rules.length
  const passed = `${entry}: ${count} rule${count === 1 ? '' : 's'} pass every declaration and ALB check`
  if (options.out !== undefined) {
    writeFileSync(options.out, tableModule({ ...report.table, command: options.command }, options.command))
    const compiled = report.table.compiled
    const runs = compiled === undefined ? '' : typeof compiled === 'string' ? `; albatross/compiled cannot run it (${compiled}): import createApp from albatross/lambda` : ', with the compiled routes albatross/compiled runs'
    return { stdout: `${passed}; wrote the verified table to ${options.out}${runs}\n`, warnings, exitCode: 0 }
  }
  const mismatch = report.given?.mismatch
  if (mismatch !== undefined) {
    return {
      stdout: `${passed}, but the table the app is given is stale: ${mismatch}. A Lambda would refuse it: run \`albatross check ${entry} --out <its table file>\`\n`,
      warnings,
      exitCode: 1,
    }
  }
  return { stdout: `${passed}${report.given === undefined ? '' : '; its verified table matches'}\n`, warnings, exitCode: 0 }
}

/**
 * The table as a module whose default export is the table: plain data, so the same text is valid
 * TypeScript and JavaScript (ESM), for tsc, tsx and esbuild alike, without a type import.
 */
export function tableModule(table: VerifiedTable, command: string): string {
  // Single-quoted, so the JSON of `checked` reads without a backslash before every quote.
  const q = (text: string) => `'${JSON.stringify(text).slice(1, -1).replaceAll('\\"', '"').replaceAll("'", "\\'")}'`
  return (
    `// Written by \`${command}\`${table.albatross === 'unverified' ? ' as a stand-in: the check has not passed yet' : ' once every declaration and ALB check passed'}.\n` +
    '// createApp({ table }) skips those checks while this table matches the controllers, and refuses\n' +
    '// it otherwise: run the command again after changing a route or the app options. Do not edit.\n' +
    'export default {\n' +
    `  albatross: ${q(table.albatross)},\n` +
    `  command: ${q(table.command)},\n` +
    `  priorities: [${table.priorities.join(', ')}],\n` +
    `  sources: [${table.sources.map(q).join(', ')}],\n` +
    `  checked: ${q(table.checked)},\n` +
    (table.compiled === undefined ? '' : `  compiled: ${q(typeof table.compiled === 'string' ? table.compiled : JSON.stringify(table.compiled))},\n`) +
    '}\n'
  )
}
