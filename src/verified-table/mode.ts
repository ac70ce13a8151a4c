/**
 * Whether createApp may trust a verified table. The CLI (every command, `dev` included) and
 * `albatross/testing` ask for the full checks by setting a global, before the app's module runs:
 * global rather than module state, since the entry the CLI loads may use another copy of the
 * package than the CLI's own.
 */
const CHECKS = Symbol.for('albatross.checks')

/**
 * - `trust`: a table that matches its controllers replaces the checks (a deployed Lambda);
 * - `full`: every check runs, and a table that does not match is refused all the same (tests);
 * - `cli`: every check runs; a table that does not match is reported, not refused, so that
 *   `albatross check --out` can rewrite it and `dev` keeps serving while routes change.
 */
export type CheckMode = 'trust' | 'full' | 'cli'

export function checkMode(): CheckMode {
  const mode = (globalThis as Record<symbol, unknown>)[CHECKS]
  return mode === 'full' || mode === 'cli' ? mode : 'trust'
}

/** `cli` is never lowered to `full` (the CLI may load a module that imports albatross/testing). */
export function requireFullChecks(mode: 'full' | 'cli'): void {
  if (checkMode() !== 'cli') (globalThis as Record<symbol, unknown>)[CHECKS] = mode
}

/** Where createApp leaves what `albatross check` needs to know about a table (see CheckReport). */
export const CHECK_REPORT = Symbol.for('albatross.checkReport')
