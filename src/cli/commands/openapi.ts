import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { renderOpenApi, type OpenApiDocument, type OpenApiOptions } from '../../openapi/index.js'
import { CliError, type LoadedApp } from '../load-entry.js'

export interface OpenApiCommandOptions {
  readonly format?: 'json' | 'yaml'
  readonly title?: string
  readonly apiVersion?: string
  readonly server?: readonly string[]
}

/** `albatross openapi`: the app's OpenAPI 3.1 document as JSON or YAML text. */
export async function openApiOutput(entry: string, app: LoadedApp, options: OpenApiCommandOptions): Promise<string> {
  return renderOpenApi(await openApiDocument(entry, app, options), options.format ?? 'json')
}

/**
 * The document from the entry's own app (its copy of albatross reads its own metadata). Title and
 * version default to the nearest package.json above the entry.
 */
export async function openApiDocument(entry: string, app: LoadedApp, options: OpenApiCommandOptions): Promise<OpenApiDocument> {
  if (typeof app.openapi !== 'function') {
    throw new CliError(`${entry} was built with an albatross version without app.openapi(); update albatross`)
  }
  const found = nearestPackage(dirname(resolve(entry)))
  const title = options.title ?? found?.name
  const version = options.apiVersion ?? found?.version
  const documentOptions: OpenApiOptions = {
    ...(title === undefined ? {} : { title }),
    ...(version === undefined ? {} : { version }),
    ...(options.server === undefined ? {} : { servers: options.server }),
  }
  return (await app.openapi(documentOptions)) as OpenApiDocument
}

function nearestPackage(dir: string): { name?: string; version?: string } | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const file = join(at, 'package.json')
    if (existsSync(file)) {
      try {
        const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown }
        return {
          ...(typeof json.name === 'string' ? { name: json.name } : {}),
          ...(typeof json.version === 'string' ? { version: json.version } : {}),
        }
      } catch {
        return undefined
      }
    }
    if (dirname(at) === at) return undefined
  }
}
