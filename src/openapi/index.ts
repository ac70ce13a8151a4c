import { stringify } from 'yaml'
import type { OpenApiDocument } from './types.js'

export { buildOpenApi } from './document.js'
export type { OpenApiDocument, OpenApiInput, OpenApiOptions, JsonSchema } from './types.js'

/** The document as JSON (two-space indented) or YAML text, ending in a newline. */
export function renderOpenApi(document: OpenApiDocument, format: 'json' | 'yaml' = 'json'): string {
  if (format === 'yaml') return stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 })
  return JSON.stringify(document, null, 2) + '\n'
}
