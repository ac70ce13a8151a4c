import { Validator } from '@seriousme/openapi-schema-validator'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { expect } from 'vitest'
import type { JsonSchema, OpenApiDocument } from '../../src/openapi/index.js'

// Point 7 of issue #15: every document the tests produce validates against the OpenAPI 3.1
// schema (@seriousme/openapi-schema-validator, the official schema), every component schema
// compiles as JSON Schema 2020-12 (Ajv), and the rules the schema cannot check hold: unique
// operationIds and one path parameter per `{name}` template.

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

export async function expectValidOpenApi(document: OpenApiDocument): Promise<void> {
  // The validator keeps state per document: one instance each.
  const result = await new Validator().validate(structuredClone(document) as never)
  expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([])
  expect(result.valid).toBe(true)
  schemaValidator(document)
  const ids: string[] = []
  for (const [key, item] of Object.entries(document.paths)) {
    const templates = [...key.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])
    for (const method of HTTP_METHODS) {
      const operation = (item as Record<string, { operationId: string; parameters?: { in: string; name: string }[] }>)[method]
      if (operation === undefined) continue
      ids.push(operation.operationId)
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name)
      expect(declared.sort(), `${method} ${key}`).toEqual([...templates].sort())
      const keys = (operation.parameters ?? []).map((p) => `${p.in} ${p.in === 'header' ? p.name.toLowerCase() : p.name}`)
      expect(new Set(keys).size, `${method} ${key} repeats a parameter`).toBe(keys.length)
    }
  }
  expect(new Set(ids).size, 'operationIds are unique').toBe(ids.length)
}

/** Validates a value against `components.schemas[name]` of the document, resolving its `$ref`s. */
export function schemaValidator(document: OpenApiDocument): (name: string, value: unknown) => boolean {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true })
  ajv.addSchema({ $id: 'https://albatross.test/doc', components: document.components } as JsonSchema)
  for (const name of Object.keys(document.components.schemas ?? {})) {
    expect(ajv.getSchema(`https://albatross.test/doc#/components/schemas/${name}`), name).toBeDefined()
  }
  return (name, value) => (ajv.getSchema(`https://albatross.test/doc#/components/schemas/${name}`) as (v: unknown) => boolean)(value)
}
