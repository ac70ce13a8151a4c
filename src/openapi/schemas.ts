import { getMetadataStorage } from 'class-validator'
import type { ValidatorOptions } from 'class-validator'
import { planDto } from '../binding/dto-plan.js'
import type { DtoPlan, PropertyPlan } from '../binding/dto-plan.js'
import type { ScalarKind } from '../binding/coerce.js'
import type { ClassType } from '../metadata/types.js'
import { ARRAY_CONSTRAINTS, STRUCTURAL, TYPE_CONSTRAINTS, VALUE_CONSTRAINTS } from './constraints.js'
import type { JsonSchema } from './types.js'

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number]

/** One DTO property as a schema, and whether a request must carry it. */
export interface PropertySchema {
  /** The key clients send (`@Expose({ name })`, else the property name). */
  readonly key: string
  readonly schema: JsonSchema
  readonly required: boolean
  /** Receives every value of a repeated query key or header. */
  readonly array: boolean
}

/**
 * DTO classes as `components.schemas`, read from the same plans the binder uses (binding/dto-plan:
 * `@Type`, `design:type`, `@Expose` names, types inferred from validators when a bundle carries no
 * metadata) and class-validator's constraints. Each class is written once and referenced by `$ref`,
 * so nested and recursive DTOs need nothing special.
 */
export class SchemaRegistry {
  readonly schemas: Record<string, JsonSchema> = {}
  readonly #names = new Map<ClassType, string>()
  readonly #validation: ValidatorOptions

  constructor(validation: ValidatorOptions | undefined) {
    this.#validation = { whitelist: true, ...validation }
  }

  /** `{ $ref }` to the class's schema, written on first use. Two classes of one name get `Name2`. */
  ref(type: ClassType): JsonSchema {
    let name = this.#names.get(type)
    if (name === undefined) {
      const base = (type.name || 'Anonymous').replace(/[^\w.-]/g, '_')
      name = base
      for (let n = 2; Object.hasOwn(this.schemas, name); n++) name = `${base}${n}`
      this.#names.set(type, name)
      this.schemas[name] = {} // Reserved before the properties, which may refer back to it.
      this.schemas[name] = this.#objectSchema(planDto(type))
    }
    return { $ref: `#/components/schemas/${name}` }
  }

  /** The properties of a query or header DTO, each to become one parameter. */
  properties(type: ClassType): PropertySchema[] {
    const plan = planDto(type)
    return this.#accepted(plan).map((property) => this.#property(plan, property, false))
  }

  /** whitelist (the default) strips a property without validators: clients cannot send it. */
  #accepted(plan: DtoPlan): PropertyPlan[] {
    if (this.#validation.whitelist !== true) return [...plan.properties]
    return plan.properties.filter((property) => metadataOf(plan.type, property.name).length > 0)
  }

  #objectSchema(plan: DtoPlan): JsonSchema {
    const properties: Record<string, JsonSchema> = {}
    const required: string[] = []
    for (const property of this.#accepted(plan)) {
      const described = this.#property(plan, property, true)
      properties[described.key] = described.schema
      if (described.required) required.push(described.key)
    }
    const schema: JsonSchema = { type: 'object', properties }
    if (required.length > 0) schema['required'] = required
    // whitelist strips unknown properties; forbidNonWhitelisted refuses them (a 400).
    if (this.#validation.whitelist === true && this.#validation.forbidNonWhitelisted === true) {
      schema['additionalProperties'] = false
    }
    return schema
  }

  /** `json`: a JSON body property, where an optional value may also be `null` (IsOptional skips it). */
  #property(plan: DtoPlan, property: PropertyPlan, json: boolean): PropertySchema {
    const metas = metadataOf(plan.type, property.name)
    const optional =
      this.#validation.skipMissingProperties === true ||
      metas.length === 0 ||
      metas.some((m) => m.type === 'conditionalValidation')
    const item = this.#base(property)
    const array: JsonSchema = { type: 'array', items: item }
    const unmapped: string[] = []
    for (const meta of metas) {
      const name = meta.name
      if (meta.type === 'conditionalValidation' || meta.type === 'nestedValidation' || meta.type === 'isDefined') continue
      if (name === undefined || meta.type === 'whitelistValidation') continue
      const target = property.array && meta.each === true ? item : property.array ? array : item
      const arrayMapper = property.array && meta.each !== true ? ARRAY_CONSTRAINTS[name] : undefined
      if (arrayMapper !== undefined) {
        const keywords = arrayMapper(meta.constraints)
        if (keywords === undefined) unmapped.push(name)
        else Object.assign(array, keywords)
        continue
      }
      const typed = TYPE_CONSTRAINTS[name]
      if (typed !== undefined) {
        // The binder's date conversion (any ISO date) already says more than isDate's date-time.
        const known = '$ref' in target || target === array || (name === 'isDate' && target['type'] === 'string')
        if (!known) Object.assign(target, typed)
        continue
      }
      const keywords = VALUE_CONSTRAINTS[name]?.(meta.constraints)
      if (keywords === undefined) {
        if (!STRUCTURAL.has(name)) unmapped.push(name)
      } else if ('$ref' in target) {
        // A $ref with siblings is fine in 3.1 (JSON Schema 2020-12), but stays readable as allOf.
        unmapped.push(name)
      } else {
        mergeKeywords(target, keywords)
      }
    }
    let schema = property.array ? array : item
    if (unmapped.length > 0) {
      schema = { ...schema, 'x-albatross-constraints': [...new Set(unmapped)] }
    }
    if (json && optional) schema = nullable(schema)
    return { key: property.key, schema, required: !optional, array: property.array }
  }

  #base(property: PropertyPlan): JsonSchema {
    if (property.nested !== undefined) return this.ref(property.nested.type)
    return scalarSchema(property.kind)
  }
}

/** The schema of a value converted to `kind` (query, header, cookie, path and form values). */
export function scalarSchema(kind: ScalarKind | undefined): JsonSchema {
  switch (kind) {
    case 'string':
      return { type: 'string' }
    case 'number':
      return { type: 'number' }
    case 'boolean':
      return { type: 'boolean' }
    case 'date':
      // binding/coerce.ts takes a calendar date, or a date-time with its offset.
      return { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] }
    case undefined:
      return {}
  }
}

function metadataOf(type: ClassType, property: string): ValidationMetadata[] {
  return getMetadataStorage()
    .getTargetValidationMetadatas(type, '', false, false)
    .filter((meta) => meta.propertyName === property)
}

/** Keywords of several constraints on one value: two enums intersect, two bounds keep the tighter. */
function mergeKeywords(target: JsonSchema, keywords: JsonSchema): void {
  for (const [keyword, value] of Object.entries(keywords)) {
    if (!(keyword in target)) target[keyword] = value
    else if (keyword === 'type') continue // The declared or validated type already says it.
    else if (keyword === 'minimum' || keyword === 'minLength' || keyword === 'minItems') {
      target[keyword] = Math.max(target[keyword] as number, value as number)
    } else if (keyword === 'maximum' || keyword === 'maxLength' || keyword === 'maxItems') {
      target[keyword] = Math.min(target[keyword] as number, value as number)
    } else {
      const all = (target['allOf'] as JsonSchema[] | undefined) ?? []
      target['allOf'] = [...all, { [keyword]: value }]
    }
  }
}

/** A JSON property that may also be `null`. */
function nullable(schema: JsonSchema): JsonSchema {
  if ('$ref' in schema || 'const' in schema || 'allOf' in schema || 'not' in schema) {
    return { anyOf: [schema, { type: 'null' }] }
  }
  const out = { ...schema }
  if (typeof out['type'] === 'string') out['type'] = [out['type'], 'null']
  if (Array.isArray(out['enum'])) out['enum'] = [...(out['enum'] as unknown[]), null]
  return out
}
