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

/**
 * On the options albatross/compiled's createApp hands the checking createApp: what it needs of
 * the app (`'compiled'`), which the checking createApp then checks with the rest.
 */
export const REQUIRES = Symbol.for('albatross.requires')

/** Where createApp leaves what `albatross check` needs to know about a table (see CheckReport). */
export const CHECK_REPORT = Symbol.for('albatross.checkReport')

/**
 * Set instead on an app that `albatross/lambda` built inside a bundle under the CLI: it trusted
 * its table and has no checks to run, so `albatross check` asks for the entry it was built from.
 */
export const TRUSTED_BUNDLE = Symbol.for('albatross.trustedBundle')

/**
 * The checking createApp (app.ts) of this copy of albatross, once `albatross/testing` loaded it:
 * `albatross/lambda`'s createApp, which bundles none of the checks, hands an app to it whenever
 * the checks are asked for. Module state on purpose: it must be this copy's, whose decorators
 * recorded the controllers.
 */
let checkingCreateApp: ((options: never) => unknown) | undefined

export function registerCheckingApp(createApp: (options: never) => unknown): void {
  checkingCreateApp = createApp
}

export function registeredCheckingApp(): ((options: never) => unknown) | undefined {
  return checkingCreateApp
}

/**
 * compiled/mismatch.ts's compiledChecks, registered beside the checking createApp by the modules
 * through which albatross/compiled's createApp reaches it (testing.ts, lambda-checks.ts): app.ts
 * does not import it, so an app bundled from `albatross` carries none of it (5.8 KB, issue #18).
 */
let compiledChecks: unknown

export function registerCompiledChecks(checks: unknown): void {
  compiledChecks = checks
}

export function registeredCompiledChecks(): unknown {
  return compiledChecks
}

/** This module's URL: albatross/lambda tells by it whether it was bundled (see lambda.ts). */
export const MODE_MODULE_URL: string | undefined = import.meta.url

/**
 * Apps still loading their checks (`albatross/lambda` under the CLI, whose tsx loads the entry
 * apart from the CLI's own modules): the CLI awaits them after the entry's import.
 */
const PENDING = Symbol.for('albatross.pendingApps')

export function addPendingApp(loading: Promise<unknown>): void {
  const global = globalThis as Record<symbol, Promise<unknown>[] | undefined>
  ;(global[PENDING] ??= []).push(loading)
}

/** The apps that started loading since the last call, settled (the first failure rethrown). */
export async function settlePendingApps(): Promise<void> {
  const global = globalThis as Record<symbol, Promise<unknown>[] | undefined>
  const pending = global[PENDING] ?? []
  global[PENDING] = []
  await Promise.all(pending)
}
