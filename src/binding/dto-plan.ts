import { getMetadataStorage } from 'class-validator'
import { readDesignMetadata } from '../metadata/design-metadata.js'
import type { ClassType } from '../metadata/types.js'
import type { ScalarKind } from './coerce.js'
import { isDtoClass } from './dto-support.js'
import { declaredType, exposedKeys } from './transformer-metadata.js'
import type { Discriminator } from './transformer-metadata.js'
import type { LocationNames } from './validation-details.js'

/** What the binder knows about one DTO property, read once from the decorators' metadata. */
export interface PropertyPlan {
  readonly name: string
  /** The key clients send: the `@Expose({ name })` name, else the property name. */
  readonly key: string
  /** Receives every value of a repeated query key, header or form field. */
  readonly array: boolean
  /** What string values (query, header, form) are converted to; undefined = left as strings. */
  readonly kind: ScalarKind | undefined
  /** The nested DTO's plan (`@Type(() => Item)` or `design:type`), for JSON bodies. */
  readonly nested: DtoPlan | undefined
  /**
   * What a JSON value of this property is converted to, by the same strict rule as a query
   * string (convert.ts `convertJson`): the scalar `@Type` names (class-transformer would
   * otherwise apply its lenient `Boolean()`, `Number()`, `new Date()`), or `date` for any Date
   * property (JSON has no dates). Undefined: JSON values are left as they are.
   */
  readonly jsonKind: ScalarKind | undefined
  /** A polymorphic `@Type(…, { discriminator })` property's subtypes; undefined otherwise. */
  readonly subtypes: SubtypePlans | undefined
}

/** How a polymorphic property's value names its subtype, and that subtype's plan. */
export interface SubtypePlans {
  /** The key of the value's object that names the subtype. */
  readonly property: string
  /** The names, when known (class-transformer's metadata store), for the answer's message. */
  readonly names: readonly string[] | undefined
  /** The subtype a name selects (`plan` undefined for a class that is not a DTO), or undefined. */
  readonly resolve: (name: unknown) => { readonly plan: DtoPlan | undefined } | undefined
}

export interface DtoPlan extends LocationNames {
  readonly type: ClassType
  readonly properties: readonly PropertyPlan[]
  /** Client key → property; a null-prototype object. */
  readonly byKey: Readonly<Record<string, PropertyPlan>>
  /** Has class-validator metadata; without any, `forbidUnknownValues` fails every instance. */
  readonly validated: boolean
  /** Some validator here or in a nested DTO is async, so `validateSync` would skip it. */
  readonly async: boolean
  /** Some property here or nested has a `jsonKind` or subtypes: JSON bodies are walked first. */
  readonly convertsJson: boolean
}

type MetadataStorage = ReturnType<typeof getMetadataStorage>
type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number]

const KINDS = new Map<unknown, ScalarKind>([
  [String, 'string'],
  [Number, 'number'],
  [Boolean, 'boolean'],
  [Date, 'date'],
])
// prettier-ignore
const ARRAY_CONSTRAINTS = new Set([
  'isArray', 'arrayMinSize', 'arrayMaxSize', 'arrayNotEmpty', 'arrayContains', 'arrayNotContains',
  'arrayUnique',
])
// Without @Type or design:type (esbuild emits no metadata), a validator that only a number,
// boolean or Date passes says what the client's string must become.
// prettier-ignore
const KIND_OF_CONSTRAINT: Readonly<Record<string, ScalarKind>> = {
  isInt: 'number', isNumber: 'number', isPositive: 'number', isNegative: 'number', min: 'number',
  max: 'number', isDivisibleBy: 'number', isBoolean: 'boolean', isDate: 'date', minDate: 'date',
  maxDate: 'date', isString: 'string',
}
// class-transformer skips these keys itself; a DTO cannot meaningfully declare them.
const RESERVED = new Set(['__proto__', 'constructor'])

const plans = new WeakMap<ClassType, DtoPlan>()

/** The plan of a DTO class and the DTOs nested in it; built once per class, at createApp. */
export function planDto(type: ClassType): DtoPlan {
  const cached = plans.get(type)
  if (cached !== undefined) return cached
  const building = new Map<ClassType, Draft>()
  const plan = draft(type, building)
  // Flags are settled after the whole graph exists, since DTOs may nest each other in cycles.
  for (const item of building.values()) {
    item.async = reaches(item, (d) => d.ownAsync, building)
    item.convertsJson = reaches(item, (d) => d.ownConverts, building)
    plans.set(item.type, item)
  }
  return plan
}

interface Draft extends DtoPlan {
  async: boolean
  convertsJson: boolean
  ownAsync: boolean
  ownConverts: boolean
  nestedTypes: ClassType[]
}

function draft(type: ClassType, building: Map<ClassType, Draft>): Draft {
  const existing = building.get(type) ?? (plans.get(type) as Draft | undefined)
  if (existing !== undefined) return existing
  const properties: PropertyPlan[] = []
  const byKey: Record<string, PropertyPlan> = Object.create(null)
  const byName: Record<string, PropertyPlan> = Object.create(null)
  const locationNames: Record<string, string> = Object.create(null)
  const metadata = getMetadataStorage().getTargetValidationMetadatas(type, '', false, false)
  const plan: Draft = {
    type,
    properties,
    byKey,
    locationNames,
    validated: metadata.length > 0,
    async: false,
    convertsJson: false,
    ownAsync: false,
    ownConverts: false,
    nestedTypes: [],
    nestedOf: (property) => byName[property]?.nested,
  }
  building.set(type, plan)

  const byProperty = new Map<string, ValidationMetadata[]>()
  for (const meta of metadata) {
    if (typeof meta.propertyName !== 'string' || RESERVED.has(meta.propertyName)) continue
    const list = byProperty.get(meta.propertyName)
    if (list === undefined) byProperty.set(meta.propertyName, [meta])
    else list.push(meta)
  }
  const exposedAs = exposedKeys(type)
  for (const name of exposedAs.keys()) {
    if (!RESERVED.has(name) && !byProperty.has(name)) byProperty.set(name, [])
  }

  for (const [name, metas] of byProperty) {
    const property = analyse(type, name, metas, building, plan)
    const key = exposedAs.get(name) ?? name
    if (RESERVED.has(key)) continue
    const item: PropertyPlan = { ...property, name, key }
    properties.push(item)
    byKey[key] = item
    byName[name] = item
    if (key !== name) locationNames[name] = key
    if (item.jsonKind !== undefined || item.subtypes !== undefined) plan.ownConverts = true
  }
  return plan
}

function analyse(
  type: ClassType,
  name: string,
  metas: readonly ValidationMetadata[],
  building: Map<ClassType, Draft>,
  owner: Draft,
): Omit<PropertyPlan, 'name' | 'key'> {
  const designType = readDesignType(type, name)
  // @Type's reflectedType is this same design:type, read when the decorator ran.
  const typeMeta = declaredType(type, name)
  let array = designType === Array
  let declared: unknown
  let subtypes: SubtypePlans | undefined
  if (typeMeta?.polymorphic) {
    // Polymorphic nesting: subtypes are only known per value, so assume they may validate async.
    owner.ownAsync = true
    if (typeMeta.discriminator !== undefined) subtypes = subtypePlans(typeMeta.discriminator)
  } else if (typeMeta?.typeFunction !== undefined) {
    declared = callTypeFunction(typeMeta.typeFunction, name)
  }
  // Only @Type makes class-transformer convert a JSON value (implicit conversion is off).
  const typedKind = KINDS.get(declared)
  if (declared === undefined && designType !== Array) declared = designType
  let kind = KINDS.get(declared)
  let nested: DtoPlan | undefined
  if (kind === undefined && isDtoClass(declared)) {
    nested = draft(declared, building)
    owner.nestedTypes.push(declared)
  }
  for (const meta of metas) {
    if (meta.each || (meta.name !== undefined && ARRAY_CONSTRAINTS.has(meta.name))) array = true
    if (kind === undefined && nested === undefined) kind = inferKind(meta)
    if (meta.type === 'promiseValidation' || isAsyncConstraint(meta.constraintCls)) {
      owner.ownAsync = true
    }
  }
  return { array, kind, nested, jsonKind: typedKind ?? (kind === 'date' ? 'date' : undefined), subtypes }
}

function subtypePlans(discriminator: Discriminator): SubtypePlans {
  return {
    property: discriminator.property,
    names: discriminator.names,
    // Planned when first seen in a request: a probed discriminator learns its classes that way.
    resolve: (name) => {
      const type = discriminator.classFor(name)
      if (type === undefined) return undefined
      return { plan: isDtoClass(type) ? planDto(type) : undefined }
    },
  }
}

function inferKind(meta: ValidationMetadata): ScalarKind | undefined {
  if (meta.name === 'isEnum') return isNumericEnum(meta.constraints?.[0]) ? 'number' : undefined
  return meta.name === undefined ? undefined : KIND_OF_CONSTRAINT[meta.name]
}

/** A TypeScript numeric enum: number values, plus reverse-mapping names pointing back to them. */
function isNumericEnum(entity: unknown): boolean {
  if (typeof entity !== 'object' || entity === null) return false
  const record = entity as Record<string, unknown>
  const values = Object.values(record)
  return (
    values.some((value) => typeof value === 'number') &&
    values.every(
      (value) => typeof value === 'number' || typeof record[value as string] === 'number',
    )
  )
}

function isAsyncConstraint(constraintCls: unknown): boolean {
  if (typeof constraintCls !== 'function') return false
  return getMetadataStorage()
    .getTargetValidatorConstraints(constraintCls)
    .some((constraint) => constraint.async)
}

function callTypeFunction(typeFunction: (options?: object) => unknown, property: string): unknown {
  // @Type's function normally ignores its argument; one that needs the object cannot be
  // resolved ahead of time and is left to class-transformer per request.
  try {
    return typeFunction({ newObject: {}, object: {}, property })
  } catch {
    return undefined
  }
}

/**
 * Why a DTO cannot be bound with these options, if it cannot: class-validator's
 * `forbidUnknownValues` (on by default) rejects every instance of a class it has no metadata for.
 */
export function unboundDtoReason(
  plan: DtoPlan,
  options: { readonly forbidUnknownValues?: boolean | undefined },
): string | undefined {
  if (plan.validated || options.forbidUnknownValues === false) return undefined
  return (
    `; ${plan.type.name} has no class-validator decorators, ` +
    'so forbidUnknownValues would reject every request'
  )
}

export { isDtoClass }

function readDesignType(type: ClassType, property: string): unknown {
  return readDesignMetadata('design:type', type.prototype as object, property)
}

function reaches(
  start: Draft,
  test: (draft: Draft) => boolean,
  building: Map<ClassType, Draft>,
): boolean {
  const seen = new Set<Draft>()
  const stack = [start]
  while (stack.length > 0) {
    const item = stack.pop() as Draft
    if (seen.has(item)) continue
    seen.add(item)
    if (test(item)) return true
    for (const type of item.nestedTypes) {
      const next = building.get(type) ?? (plans.get(type) as Draft | undefined)
      if (next !== undefined) stack.push(next)
    }
  }
  return false
}
