import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { multiValueNeed, type MultiValueNeed } from '../rules/header-mode.js'
import type { CheckReport } from '../verified-table/app-table.js'
import { CHECK_REPORT, requireFullChecks, settlePendingApps } from '../verified-table/mode.js'

/** What the CLI needs from an entry module's app (duck-typed: the entry may use another copy of the package). */
export interface LoadedApp {
  readonly handler: (event: unknown, context?: unknown) => Promise<unknown>
  readonly table: import('../rules/types.js').RuleTable
  readonly needsMultiValueHeaders: boolean
  /** Absent in apps built by an older copy of the package: multiValueOf recomputes it. */
  readonly multiValue?: MultiValueNeed
  readonly defaultAction: import('../rules/types.js').FixedResponseAction
  manifest(options?: Record<string, unknown>): string
  /** A rule's guards and middleware by function name (absent in apps built by older copies). */
  middleware?(rule: import('../rules/types.js').AlbRule): readonly string[]
  /** Absent in apps built with albatross before 0.1's OpenAPI generator. */
  openapi?(options?: object): Promise<unknown>
}

/** Why the app needs multi-value headers, from the app or, for an older copy, from its table. */
export function multiValueOf(app: LoadedApp): MultiValueNeed {
  if (app.multiValue !== undefined) return app.multiValue
  const fromTable = multiValueNeed(app.table)
  if (!app.needsMultiValueHeaders || fromTable.needed) return fromTable
  return { needed: true, reasons: [{ kind: 'binds-arrays', source: 'the app', name: 'a repeated key' }] }
}

/** A rule's guards and middleware by name, outermost first; none for apps without a pipeline. */
export function chainOf(app: LoadedApp, rule: import('../rules/types.js').AlbRule): readonly string[] {
  return typeof app.middleware === 'function' ? app.middleware(rule) : []
}

export class CliError extends Error {
  override name = 'CliError'
}

/** An entry that did not finish loading: the CLI exits at once, whatever the entry left running. */
export class LoadTimeoutError extends CliError {
  override name = 'LoadTimeoutError'
}

/** How long an entry may take to load, its top-level await included, unless told otherwise. */
export const LOAD_TIMEOUT_DEFAULT_SECONDS = 30

/**
 * The load timeout in seconds: `--load-timeout`, else the ALBATROSS_LOAD_TIMEOUT environment
 * variable (for deploy pipelines that call several commands), else 30.
 */
export function loadTimeoutSeconds(flag: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  if (flag !== undefined) return flag
  const raw = env['ALBATROSS_LOAD_TIMEOUT']
  if (raw === undefined || raw.trim() === '') return LOAD_TIMEOUT_DEFAULT_SECONDS
  return positiveSeconds(raw, 'ALBATROSS_LOAD_TIMEOUT')
}

/** A number of seconds above 0, or a CliError naming where it came from. */
export function positiveSeconds(raw: string, where: string): number {
  const seconds = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new CliError(`${where} takes a number of seconds above 0, got ${JSON.stringify(raw)}`)
  }
  return seconds
}

/**
 * Imports `<entry>` (TypeScript through tsx, or JavaScript) and returns the app it exports as
 * `default` or `app`. Each call with `fresh` imports a new copy (for --watch).
 */
export async function loadEntry(entry: string, options: { fresh?: boolean; timeoutSeconds?: number; staleTableWarning?: boolean } = {}): Promise<LoadedApp> {
  // The CLI runs every check, even for an app given a verified table (verified-table/mode.ts).
  requireFullChecks('cli')
  const file = resolve(entry)
  if (!existsSync(file)) throw new CliError(`entry ${entry} does not exist`)
  const url = pathToFileURL(file).href + (options.fresh ? `?albatross-reload=${Date.now()}` : '')
  const seconds = options.timeoutSeconds ?? loadTimeoutSeconds(undefined)
  let module: Record<string, unknown>
  try {
    if (/\.(c|m)?tsx?$/.test(file)) {
      const { tsImport } = await importTsx(entry)
      // The entry's own tsconfig (the one enabling experimentalDecorators), not the working
      // directory's: `albatross routes other/project/app.ts` compiles as that project does.
      const tsconfig = nearestTsconfig(dirname(file))
      module = (await settled(entry, seconds, tsImport(url, {
        parentURL: import.meta.url,
        ...(tsconfig === undefined ? {} : { tsconfig }),
        ...(options.fresh ? { namespace: String(Date.now()) } : {}),
      }))) as Record<string, unknown>
    } else {
      module = (await settled(entry, seconds, import(url))) as Record<string, unknown>
    }
    // An app from `albatross/lambda` loads the checks it does not bundle after the entry's import.
    await settled(entry, seconds, settlePendingApps())
  } catch (error) {
    if (error instanceof CliError) throw error
    if (error instanceof Error && error.name === 'RouteDeclarationError') throw new CliError(declarationProblems(entry, error))
    throw new CliError(`could not load ${entry}: ${error instanceof Error ? error.message : String(error)}`)
  }
  const candidates = [module['default'], module['app'], (module['default'] as Record<string, unknown> | undefined)?.['app']]
  const app = candidates.find(isApp)
  if (app === undefined) {
    throw new CliError(`${entry} must export the app from createApp() as "default" or "app"`)
  }
  const mismatch = checkReportOf(app)?.given?.mismatch
  if (mismatch !== undefined && options.staleTableWarning !== false) {
    process.stderr.write(`warning: ${entry}'s verified table is stale (${mismatch}): a Lambda would refuse it; run \`albatross check ${entry} --out <its table file>\`\n`)
  }
  return app
}

/** What createApp left for the CLI about its checks (undefined from an albatross without verified tables). */
export function checkReportOf(app: LoadedApp): CheckReport | undefined {
  return (app as unknown as Record<symbol, CheckReport | undefined>)[CHECK_REPORT]
}

/**
 * The entry's import, or a LoadTimeoutError (#12 § 9): an entry whose top-level await never
 * settles used to let the process run out of work and exit 0 with no output, which a deploy
 * pipeline reads as success. Node leaves a dynamic import of such a module pending forever and
 * empties its event loop, so 'beforeExit' says at once that nothing can settle it; an await that
 * keeps something running (a socket, a timer) is given `seconds`.
 */
function settled<T>(entry: string, seconds: number, loading: Promise<T>): Promise<T> {
  return new Promise<T>((resolvePromise, reject) => {
    const hint = `(--load-timeout <seconds> or ALBATROSS_LOAD_TIMEOUT, default ${LOAD_TIMEOUT_DEFAULT_SECONDS})`
    const fail = (message: string) => {
      done()
      reject(new LoadTimeoutError(message))
    }
    // Unref'd: it must not be what keeps an otherwise idle process alive.
    const timer = setTimeout(
      () => fail(`${entry} did not finish loading within ${seconds} s: a top-level await in it (or in a module it imports) has not settled ${hint}`),
      seconds * 1000,
    )
    timer.unref()
    const idle = () =>
      fail(`${entry} never finishes loading: a top-level await in it (or in a module it imports) waits for something nothing left running will do`)
    process.on('beforeExit', idle)
    const done = () => {
      clearTimeout(timer)
      process.off('beforeExit', idle)
    }
    loading.then(
      (value) => {
        done()
        resolvePromise(value)
      },
      (error: unknown) => {
        done()
        reject(error)
      },
    )
  })
}

function nearestTsconfig(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const candidate = join(at, 'tsconfig.json')
    if (existsSync(candidate)) return candidate
    if (dirname(at) === at) return undefined
  }
}

/**
 * tsx is an optional peer dependency: only the CLI needs it, and only for TypeScript entries, so
 * an app deployed without a bundler does not carry it (nor esbuild's native binary under it).
 */
async function importTsx(entry: string): Promise<typeof import('tsx/esm/api')> {
  try {
    return await import('tsx/esm/api')
  } catch (error) {
    // Node's message for a package that is not installed: "Cannot find package 'tsx' imported from …".
    if (/Cannot find (package|module) ['"]tsx['"/]/.test(String((error as Error | undefined)?.message))) {
      throw new CliError(
        `${entry} is TypeScript, which the CLI loads through tsx: install it with \`npm install --save-dev tsx\`, ` +
          'or give the CLI the compiled JavaScript entry',
      )
    }
    throw error
  }
}

/** RouteDeclarationError lists a problem per line; the CLI says them all in one line. */
function declarationProblems(entry: string, error: Error): string {
  const problems = (error as { problems?: unknown }).problems
  if (!Array.isArray(problems) || problems.length === 0) return error.message
  const list = problems.map((p: { source?: unknown; message?: unknown }) => `${String(p.source)}: ${String(p.message)}`)
  const count = `${problems.length} route declaration problem${problems.length === 1 ? '' : 's'}`
  return `${entry} has ${count}: ${list.join('; ')}`
}

function isApp(value: unknown): value is LoadedApp {
  return (
    typeof value === 'object' && value !== null &&
    typeof (value as { handler?: unknown }).handler === 'function' &&
    typeof (value as { table?: unknown }).table === 'object'
  )
}
