import type { ClassType } from '../metadata/types.js'
import { classChain, transformerMetadataReason } from './transformer-metadata.js'

/** Returned instead of an instance for input this mirror does not cover; use plainToInstance. */
export const UNSUPPORTED: unique symbol = Symbol('unsupported input')

/** `plain` → an instance exactly as `plainToInstance(type, plain)` builds it, or UNSUPPORTED. */
export type PlainToInstance = (plain: object) => object | typeof UNSUPPORTED

/**
 * A direct `plainToInstance(type, plain, { enableImplicitConversion: false })` for a class
 * class-transformer has no metadata for, or the reason it cannot be one. With no @Type,
 * @Transform, @Expose or @Exclude on the class or its ancestors, TransformOperationExecutor
 * (0.5.1) does the same for every property: `new type()`, then each own enumerable key of the
 * plain object copied — arrays and plain objects rebuilt, Dates cloned, primitives kept — except
 * `__proto__`, `constructor`, names the class's prototype defines, and keys whose current value
 * on the new instance is a function. Doing just that skips its per-key metadata lookups (Map
 * walks over every ancestor), the quadratic key de-duplication and the closures, which were a
 * fifth of a validated request's time. `stripped` names keys that validation's whitelist will
 * delete (CompiledValidator.strips): they are not copied at all.
 */
export function compilePlainToInstance(
  type: ClassType,
  stripped?: (key: string) => boolean,
  kept?: ReadonlySet<string>,
): PlainToInstance | string {
  const transform = compileTransform(type, stripped, kept)
  return typeof transform === 'string' ? transform : transform.toInstance
}

/** A class's transform, compiled: what it settles once, and the transform itself. */
export interface CompiledTransform {
  readonly Type: new () => Record<string, unknown>
  readonly toInstance: PlainToInstance
  /**
   * Keys decided once (names the whitelist never strips, that the executor does not skip by
   * name): for an instance of `type` only its current value can skip them.
   */
  readonly copied: ReadonlySet<string>
  /** The executor's decision for any other key, given the new instance. */
  readonly keeps: (instance: Record<string, unknown>, ownClass: boolean, key: string) => boolean
}

/** compilePlainToInstance, keeping what it compiled for other sources of plain values. */
export function compileTransform(
  type: ClassType,
  stripped?: (key: string) => boolean,
  kept?: ReadonlySet<string>,
): CompiledTransform | string {
  const reason = unsupportedClass(type, stripped !== undefined)
  if (reason !== undefined) return reason
  const Type = type as new () => Record<string, unknown>
  const protoNames = prototypeNames(type)
  const copied = new Set<string>()
  if (stripped !== undefined && kept !== undefined) {
    for (const key of kept) {
      if (key !== '__proto__' && key !== 'constructor' && !protoNames.has(key) && !stripped(key)) copied.add(key)
    }
  }
  const keeps = (instance: Record<string, unknown>, ownClass: boolean, key: string): boolean => {
    if (key === '__proto__' || key === 'constructor') return false
    // Stripped first: either way the key is not copied, and the skip test reads no accessors.
    // (Only for an instance of `type`: validation whitelists by `instance.constructor`.)
    if (ownClass && stripped !== undefined && stripped(key)) return false
    return ownClass ? !(protoNames.has(key) || instance[key] instanceof Function) : !skippedBy(instance, key)
  }
  const toInstance: PlainToInstance = (plain) => {
    // Input shapes are checked before `new Type()`, so falling back never runs a constructor twice.
    const source = plain as Record<string, unknown>
    const keys = Object.keys(source)
    if (!isCopyableRoot(source, keys)) return UNSUPPORTED
    const instance = new Type()
    // The executor checks the prototype of `instance.constructor`, normally `type` itself.
    const ownClass = instance.constructor === Type
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string
      if (ownClass && copied.has(key)) {
        if (instance[key] instanceof Function) continue
        instance[key] = copyValue(source[key])
        continue
      }
      if (keeps(instance, ownClass, key)) instance[key] = copyValue(source[key])
    }
    return instance
  }
  return { Type, toInstance, copied, keeps }
}

/** A plain value as the executor puts it on the instance (objects rebuilt, see copyPlain). */
export function copyValue(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? copyPlain(value) : value
}

/**
 * Why `type` is outside the mirrored case: class-transformer metadata on it or an ancestor
 * (transformer-metadata.ts), or accessors (the executor would call getters and setters).
 */
function unsupportedClass(type: ClassType, stripsUnvalidated: boolean): string | undefined {
  const reason = transformerMetadataReason(type, stripsUnvalidated)
  if (reason !== undefined) return reason
  for (const cls of classChain(type)) {
    const descriptors = Object.getOwnPropertyDescriptors(cls.prototype)
    for (const [name, descriptor] of Object.entries(descriptors)) {
      if (descriptor.get !== undefined || descriptor.set !== undefined) {
        return `${cls.name}.${name} is an accessor`
      }
    }
  }
  return undefined
}

/**
 * Names the executor skips because the class's prototype defines them without a setter: its
 * methods and `constructor` (classes with accessors are refused above).
 */
function prototypeNames(type: ClassType): ReadonlySet<string> {
  return new Set(Object.getOwnPropertyNames(type.prototype))
}

/**
 * The executor's skip test, verbatim, for an instance whose `constructor` is not its class (the
 * constructor reassigned it): a name its prototype defines without a setter, or a function value.
 */
export function skippedBy(instance: Record<string, unknown>, key: string): boolean {
  const prototype = (instance.constructor as { prototype?: object }).prototype
  if (!prototype) return false
  const descriptor = Object.getOwnPropertyDescriptor(prototype, key)
  if (descriptor !== undefined && descriptor.set === undefined) return true
  return instance[key] instanceof Function
}

/**
 * The root object reaches the executor's object branch (not a Date, Buffer, Map, Set, array or
 * thenable), and every value below it is a shape `copy` mirrors.
 */
function isCopyableRoot(value: Record<string, unknown>, keys: readonly string[]): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown
  if (prototype !== Object.prototype && prototype !== null) return false
  if (typeof value.then === 'function') return false
  for (let i = 0; i < keys.length; i++) {
    const item = value[keys[i] as string]
    if (typeof item === 'object' && item !== null && !isCopyable(item)) return false
  }
  return true
}

// Keys the executor drops from a nested plain object: `{}` inherits a function (or
// `__proto__`) under each of them.
const OBJECT_PROTOTYPE_NAMES: ReadonlySet<string> = new Set(
  Object.getOwnPropertyNames(Object.prototype),
)

/** Values `copy` rebuilds as the executor does with no target type: JSON's, plus Dates. */
export function isCopyable(value: object): boolean {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i]
      if (typeof item === 'object' && item !== null && !isCopyable(item)) return false
    }
    return Object.getPrototypeOf(value) === Array.prototype
  }
  if (value instanceof Date) return true
  // An own `constructor` key makes the executor treat its value as the target class (and throw
  // for JSON's strings and objects); a thenable is passed through; Map, Set, Buffer and class
  // instances take other branches.
  if ((value as { constructor?: unknown }).constructor !== Object) return false
  if (typeof (value as { then?: unknown }).then === 'function') return false
  const record = value as Record<string, unknown>
  const keys = Object.keys(record)
  for (let i = 0; i < keys.length; i++) {
    const item = record[keys[i] as string]
    if (typeof item === 'object' && item !== null && !isCopyable(item)) return false
  }
  return true
}

/** Arrays up to this long without holes are copied into an array of their size. */
const PRESIZED_MAX = 64

/** An array as the executor copies it: forEach + push, so holes are skipped and the copy is dense. */
function copyArray(value: readonly unknown[]): unknown[] {
  const length = value.length
  if (length <= PRESIZED_MAX) {
    let dense = true
    for (let i = 0; i < length && dense; i++) dense = i in value
    // The same items in the same places; pushing into `[]` gave even a three-item array room
    // for sixteen (a JSON body's short lists, on every request).
    if (dense) {
      const out = new Array<unknown>(length)
      for (let i = 0; i < length; i++) out[i] = copyPlain(value[i])
      return out
    }
  }
  const out: unknown[] = []
  for (let i = 0; i < length; i++) if (i in value) out.push(copyPlain(value[i]))
  return out
}

/** A value as the executor transforms it with no target type; shapes checked by `isCopyable`. */
export function copyPlain(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return copyArray(value)
  if (value instanceof Date) return new Date(value.valueOf())
  const source = value as Record<string, unknown>
  const out: Record<string, unknown> = {}
  const keys = Object.keys(source)
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string
    if (key === 'constructor' || OBJECT_PROTOTYPE_NAMES.has(key)) continue
    out[key] = copyPlain(source[key])
  }
  return out
}
