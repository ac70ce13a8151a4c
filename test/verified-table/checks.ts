import type { App, VerifiedTable } from '../../src/index.js'

// The check mode createApp reads (src/verified-table/mode.ts). Test files share a process's
// globals, and importing albatross/testing asks for the full checks, so each test sets its own.
const CHECKS = Symbol.for('albatross.checks')
const CHECK_REPORT = Symbol.for('albatross.checkReport')

/** Runs `build` as a deployed Lambda (`trust`), as tests (`full`) or as the CLI (`cli`) would. */
export function under<T>(mode: 'trust' | 'full' | 'cli', build: () => T): T {
  const global = globalThis as Record<symbol, unknown>
  const before = global[CHECKS]
  global[CHECKS] = mode === 'trust' ? undefined : mode
  try {
    return build()
  } finally {
    global[CHECKS] = before
  }
}

/** What `albatross check --out` writes for the app `build` creates (every check runs). */
export function checkedTable(build: () => App | object): VerifiedTable {
  const report = (under('cli', build) as Record<symbol, { table: VerifiedTable } | undefined>)[CHECK_REPORT]
  if (report === undefined) throw new Error('the CLI mode left no check report')
  return { ...report.table, command: 'albatross check app.ts --out table.ts' }
}

/** What `albatross check` reads about the app's own table. */
export function givenTable(app: object): { mismatch: string | undefined } | undefined {
  return (app as Record<symbol, { given: { mismatch: string | undefined } | undefined } | undefined>)[CHECK_REPORT]?.given
}

/** The error `build` throws (createApp's refusal); fails the test when it throws none. */
export function thrown(build: () => unknown): Error & { code?: string } {
  try {
    build()
  } catch (error) {
    return error as Error & { code?: string }
  }
  throw new Error('createApp did not throw')
}
