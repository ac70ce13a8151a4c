import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { multiValueNeed, type MultiValueNeed } from '../rules/header-mode.js'

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

/**
 * Imports `<entry>` (TypeScript through tsx, or JavaScript) and returns the app it exports as
 * `default` or `app`. Each call with `fresh` imports a new copy (for --watch).
 */
export async function loadEntry(entry: string, options: { fresh?: boolean } = {}): Promise<LoadedApp> {
  const file = resolve(entry)
  if (!existsSync(file)) throw new CliError(`entry ${entry} does not exist`)
  const url = pathToFileURL(file).href + (options.fresh ? `?albatross-reload=${Date.now()}` : '')
  let module: Record<string, unknown>
  try {
    if (/\.(c|m)?tsx?$/.test(file)) {
      const { tsImport } = await importTsx(entry)
      // The entry's own tsconfig (the one enabling experimentalDecorators), not the working
      // directory's: `albatross routes other/project/app.ts` compiles as that project does.
      const tsconfig = nearestTsconfig(dirname(file))
      module = (await tsImport(url, {
        parentURL: import.meta.url,
        ...(tsconfig === undefined ? {} : { tsconfig }),
        ...(options.fresh ? { namespace: String(Date.now()) } : {}),
      })) as Record<string, unknown>
    } else {
      module = (await import(url)) as Record<string, unknown>
    }
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
  return app
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
