import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

/** What the CLI needs from an entry module's app (duck-typed: the entry may use another copy of the package). */
export interface LoadedApp {
  readonly handler: (event: unknown, context?: unknown) => Promise<unknown>
  readonly table: import('../rules/types.js').RuleTable
  readonly needsMultiValueHeaders: boolean
  readonly defaultAction: import('../rules/types.js').FixedResponseAction
  manifest(options?: Record<string, unknown>): string
  /** Absent in apps built with albatross before 0.1's OpenAPI generator. */
  openapi?(options?: object): Promise<unknown>
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
      const { tsImport } = await import('tsx/esm/api')
      module = (await tsImport(url, { parentURL: import.meta.url, ...(options.fresh ? { namespace: String(Date.now()) } : {}) })) as Record<string, unknown>
    } else {
      module = (await import(url)) as Record<string, unknown>
    }
  } catch (error) {
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
