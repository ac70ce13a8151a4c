import type { MetadataStorageLike } from 'class-transformer/cjs/storage.js'
import { getMetadataStorage } from 'class-validator'
import type { ClassType } from '../metadata/types.js'
import { probeDiscriminator, probeTransformer } from './transformer-probe.js'
import type { Discriminator, TransformerProbe } from './transformer-probe.js'
import { transformerStorage } from './transformer-storage.js'

export type { Discriminator }

/** What `@Type` declares for one property, as the binder uses it. */
export interface DeclaredType {
  /** `@Type`'s function (call it for the class); undefined for a polymorphic property. */
  readonly typeFunction: ((options?: object) => unknown) | undefined
  /** A `discriminator`: subtypes are known per value only. */
  readonly polymorphic: boolean
  /** How a value names its subtype; undefined when neither the store nor the probe can say. */
  readonly discriminator?: Discriminator | undefined
}

/**
 * Property → client key of every `@Expose`d property of `type` (the key is the property's own
 * name unless `@Expose({ name })` renames it). Exact from the shared store; through the probe,
 * the properties whose client name the executor itself reads on input.
 */
export function exposedKeys(type: ClassType): ReadonlyMap<string, string> {
  if (transformerStorage === undefined) return probeOf(type).exposed
  const keys = new Map<string, string>()
  for (const expose of transformerStorage.getExposedMetadatas(type)) {
    if (expose.propertyName === undefined) continue
    keys.set(expose.propertyName, expose.options?.name ?? expose.propertyName)
  }
  return keys
}

/** `@Type` on `property` of `type` (or an ancestor); through the probe, only what it settled. */
export function declaredType(type: ClassType, property: string): DeclaredType | undefined {
  if (transformerStorage !== undefined) {
    const meta = transformerStorage.findTypeMetadata(type, property)
    if (meta === undefined) return undefined
    const polymorphic = meta.options?.discriminator !== undefined
    if (!polymorphic) return { typeFunction: meta.typeFunction, polymorphic }
    return { typeFunction: undefined, polymorphic, discriminator: storedDiscriminator(meta.options?.discriminator) }
  }
  const probe = probeOf(type)
  if (probe.polymorphic.has(property)) {
    return { typeFunction: undefined, polymorphic: true, discriminator: probeDiscriminator(type, property) }
  }
  if (!probe.types.has(property)) return undefined
  const declared = probe.types.get(property)
  return { typeFunction: () => declared, polymorphic: false }
}

/**
 * The `discriminator` option as class-transformer 0.5.1 applies it on input: the first subtype
 * whose `name` is `=== value[property]` (an unknown name silently falls back to @Type's own class,
 * which `instanceToPlain` then cannot name: a 500 on the way out).
 */
function storedDiscriminator(option: unknown): Discriminator | undefined {
  const { property, subTypes } = (option ?? {}) as { property?: unknown; subTypes?: unknown }
  if (typeof property !== 'string' || !Array.isArray(subTypes)) return undefined
  const listed = subTypes.filter(
    (subType): subType is { name: unknown; value: unknown } => typeof subType === 'object' && subType !== null,
  )
  return {
    property,
    names: listed.map((subType) => String(subType.name)),
    classFor: (name) => {
      const found = listed.find((subType) => subType.name === name)?.value
      return typeof found === 'function' ? (found as ClassType) : undefined
    },
  }
}

/**
 * Why class-transformer may treat `type` differently from a class without its metadata, or
 * undefined. From the shared store: any metadata on the class or an ancestor. Through the probe
 * (class-transformer resolved twice): only the validated properties can be examined, so this
 * answers only when `stripsUnvalidated` — the whitelist then deletes every other key whatever
 * class-transformer made of it.
 */
export function transformerMetadataReason(
  type: ClassType,
  stripsUnvalidated: boolean,
): string | undefined {
  if (transformerStorage !== undefined) {
    for (const cls of classChain(type)) {
      if (hasTransformerMetadata(transformerStorage, cls)) return `${cls.name} has class-transformer metadata`
    }
    return undefined
  }
  if (!stripsUnvalidated) {
    return (
      'class-transformer resolved twice: its metadata is probed, which covers validated ' +
      'properties only, and whitelist stripping is off'
    )
  }
  const blocker = probeOf(type).blocker
  return blocker === undefined ? undefined : `${type.name}: ${blocker} (class-transformer probe)`
}

/** `type` and its ancestors, as class-transformer's MetadataStorage.getAncestors walks them. */
export function classChain(type: ClassType): ClassType[] {
  const chain: ClassType[] = []
  for (
    let cls: unknown = type;
    typeof cls === 'function' && typeof cls.prototype === 'object' && cls.prototype !== null;
    cls = Object.getPrototypeOf((cls.prototype as { constructor: unknown }).constructor)
  ) {
    chain.push(cls as ClassType)
  }
  return chain
}

/** The per-class maps behind a store's @Type, @Transform, @Expose and @Exclude lookups. */
function metadataMaps(storage: MetadataStorageLike): unknown[] {
  return [storage._typeMetadatas, storage._transformMetadatas, storage._exposeMetadatas, storage._excludeMetadatas]
}

function hasTransformerMetadata(storage: MetadataStorageLike, cls: ClassType): boolean {
  const maps = metadataMaps(storage)
  // A storage of another shape (a future class-transformer) counts as "has metadata".
  return maps.some((map) => !(map instanceof Map) || map.has(cls))
}

const probes = new WeakMap<ClassType, TransformerProbe>()

/** The probe of `type` over its class-validator property names (every group); once per class. */
function probeOf(type: ClassType): TransformerProbe {
  let probe = probes.get(type)
  if (probe === undefined) {
    const metadata = getMetadataStorage().getTargetValidationMetadatas(type, '', false, false)
    const names = new Set<string>()
    for (const meta of metadata) {
      if (typeof meta.propertyName === 'string') names.add(meta.propertyName)
    }
    probe = probeTransformer(type, [...names])
    probes.set(type, probe)
  }
  return probe
}

/**
 * Whether the metadata store the decorators write to is readable (transformer-storage.ts): under
 * Node and under bundlers resolving class-transformer through `main` or `module`. Otherwise the
 * metadata is learned through the probe.
 */
export function sharedTransformerStorage(): boolean {
  return transformerStorage !== undefined
}

/**
 * Every key class-transformer treats specially on `type` (or an ancestor): property names with
 * @Type, @Transform, @Expose or @Exclude metadata and the client names @Expose gives them.
 * Through the probe, only what it can see (exposed and typed validated properties).
 */
export function transformerKeys(type: ClassType): ReadonlySet<string> {
  const keys = new Set<string>()
  if (transformerStorage === undefined) {
    const probe = probeOf(type)
    for (const [property, key] of probe.exposed) keys.add(property).add(key)
    for (const property of probe.types.keys()) keys.add(property)
    for (const property of probe.polymorphic) keys.add(property)
    return keys
  }
  const maps = metadataMaps(transformerStorage)
  for (const cls of classChain(type)) {
    for (const map of maps) {
      const perClass: unknown = map instanceof Map ? map.get(cls) : undefined
      if (!(perClass instanceof Map)) continue
      for (const [property, entry] of perClass as Map<unknown, unknown>) {
        if (typeof property === 'string') keys.add(property)
        // @Transform keeps an array per property; the others one entry with options.
        const name = (entry as { options?: { name?: unknown } } | undefined)?.options?.name
        if (typeof name === 'string') keys.add(name)
      }
    }
  }
  return keys
}
