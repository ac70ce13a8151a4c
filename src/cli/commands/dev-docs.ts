import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createDocs, docsShadows, DocsError, DOCS_PREFIX, normalisePrefix, type Docs } from '../../dev/docs.js'
import { CliError, type LoadedApp } from '../load-entry.js'
import { openApiDocument } from './openapi.js'

export interface DevDocs {
  readonly docs: Docs
  readonly prefix: string
  /** After a reload: the new app's document, and a warning line if a route now falls under the prefix. */
  reload(app: LoadedApp): string | undefined
}

/**
 * `albatross dev --docs [prefix]`: the OpenAPI document and a Swagger UI reference page, served by
 * the dev server under `prefix` (default `/__albatross`) in front of the app. Refuses to start when
 * a route could match a path under the prefix, since the docs would shadow it.
 */
export function openDevDocs(entry: string, app: LoadedApp, docs: true | string, serverUrl: () => string): DevDocs {
  let prefix: string
  try {
    prefix = normalisePrefix(docs === true ? DOCS_PREFIX : docs)
  } catch (error) {
    throw new CliError((error as Error).message)
  }
  const conflict = shadowMessage(app, prefix)
  if (conflict !== undefined) throw new CliError(conflict)
  let current = app
  try {
    const served = createDocs({
      prefix,
      // The servers entry points "Try it out" at this dev server.
      document: () => openApiDocument(entry, current, {}).then((doc) => ({ ...doc, servers: [{ url: serverUrl(), description: 'albatross dev' }] })),
      searchFrom: [dirname(resolve(entry)), process.cwd(), dirname(fileURLToPath(import.meta.url))],
    })
    return {
      docs: served,
      prefix,
      reload(next) {
        current = next
        served.reset()
        return shadowMessage(next, prefix)
      },
    }
  } catch (error) {
    if (error instanceof DocsError) throw new CliError(error.message)
    throw error
  }
}

function shadowMessage(app: LoadedApp, prefix: string): string | undefined {
  const shadowed = docsShadows(app.table.rules, prefix)
  if (shadowed.length === 0) return undefined
  const names = shadowed.map((rule) => rule.source).join(', ')
  return `--docs would answer GET ${prefix}/… in front of the app and shadow ${names}, which can match there; choose a free prefix with --docs <prefix>`
}
