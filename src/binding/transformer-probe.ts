import { isDeepStrictEqual } from 'node:util'
import { instanceToPlain, plainToInstance } from 'class-transformer'
import type { ClassTransformOptions } from 'class-transformer'
import type { ClassType } from '../metadata/types.js'
import { isJsonObject } from './request-body.js'

/**
 * What class-transformer's decorators do to `plainToInstance(type, plain)`, learned through its
 * public functions. A bundler resolving `class-transformer` through `module` (esm5) gives the
 * user's decorators a metadata store that `class-transformer/cjs/storage.js` is not; but our bare
 * `import 'class-transformer'` resolves exactly like theirs, so its functions consult the right
 * store. The probe runs them on Proxies that record which keys the executor reads
 * (TransformOperationExecutor 0.5.1: each key of the plain object twice — the value, then
 * `Array.isArray` on it — plus every exposed client name it adds itself) and compares the
 * instances it builds with what no metadata would build.
 */
export interface TransformerProbe {
  /** Undefined when nothing class-transformer does for `names` differs from no metadata. */
  readonly blocker: string | undefined
  /** Property → client key of each exposed property whose key the executor reads unasked. */
  readonly exposed: ReadonlyMap<string, string>
  /** Property → what @Type converts it to: String, Number, Boolean, Date or a class. */
  readonly types: ReadonlyMap<string, unknown>
  /** Properties whose key is read more than twice (a @Type discriminator, or a @Transform). */
  readonly polymorphic: ReadonlySet<string>
}

const TRANSFORM: ClassTransformOptions = { enableImplicitConversion: false }
// Keys the executor reads on the root itself (isPromise) or never copies.
const UNPROBED = new Set(['then', 'constructor', '__proto__'])

type Marker = (key: string) => unknown
// A mix no conversion or common @Transform (trim, case, Number, `?? default`, '' → undefined,
// 'true' → true, split) leaves as it is; strings and objects carry their key so values can be
// traced. A @Transform that is the identity on all of them is beyond any probe's sight.
// prettier-ignore
const ROUNDS: readonly Marker[] = [
  (key) => ` Marker ${key} `, () => 7.5, () => '', () => '1', () => 'false', () => true,
  () => null, () => undefined, (key) => ({ marker: key }), (key) => [{ marker: key }],
  () => function marker() {},
]

/**
 * Probes `type` for the property `names` (class-validator's, which the compiled transform is
 * limited to) plus every exposed client name the executor reveals. Throwing anywhere — a
 * @Transform that cannot take a marker — leaves it a blocker.
 */
export function probeTransformer(type: ClassType, names: readonly string[]): TransformerProbe {
  const result = { blocker: undefined as string | undefined, exposed: new Map<string, string>(),
    types: new Map<string, unknown>(), polymorphic: new Set<string>() }
  const Type = type as new () => object
  try {
    if (names.some((name) => UNPROBED.has(name))) result.blocker = 'a property named then/constructor'
    const quiet: ClassTransformOptions = { ...TRANSFORM, exposeUnsetFields: false }
    const base = plainToInstance(Type, record([], () => undefined).proxy, quiet)
    // Exposed client names are read although no key was presented; each one's property is
    // the one that changes when only that name has a value.
    const first = record(names, ROUNDS[0] as Marker)
    plainToInstance(Type, first.proxy, TRANSFORM)
    if (first.listed === 0) result.blocker ??= 'class-level @Exclude'
    const clientNames = [...first.reads.keys()].filter((key) => !names.includes(key))
    const source = new Map(names.map((name) => [name, name]))
    for (const key of clientNames) {
      const only = record([], (read) => (read === key ? { marker: key } : undefined)).proxy
      const instance = plainToInstance(Type, only, quiet)
      const changed = changedKeys(base, instance)
      if (changed.length !== 1) {
        result.blocker ??= `cannot tell which property @Expose({ name: '${key}' }) fills`
        continue
      }
      const property = changed[0] as string
      source.set(property, key)
      result.exposed.set(property, key)
      result.blocker ??= `@Expose on ${property}`
    }
    const presented = [...names, ...clientNames]
    const propertyOf = new Map([...source].map(([property, key]) => [key, property]))
    const outcomes = new Map<string, { marker: unknown; value: unknown }[]>()
    for (const round of ROUNDS) {
      const probe = record(presented, round)
      const instance = plainToInstance(Type, probe.proxy, TRANSFORM) as Record<string, unknown>
      for (const key of presented) {
        const reads = probe.reads.get(key) ?? 0
        if (reads === 0) result.blocker ??= `${key} is excluded (@Exclude or @Expose groups)`
        if (reads > 2) result.polymorphic.add(propertyOf.get(key) ?? key)
      }
      for (const key of Object.keys(instance)) {
        if (!source.has(key) && !(key in base)) result.blocker ??= `${key} is filled by a rename`
      }
      for (const [property, key] of source) {
        if (skipped(base, property)) continue
        const list = outcomes.get(property) ?? []
        list.push({ marker: probe.values.get(key), value: instance[property] })
        outcomes.set(property, list)
      }
    }
    for (const property of result.polymorphic) {
      result.blocker ??= `${property} is read more than twice`
    }
    for (const [property, list] of outcomes) {
      const declared = classify(list)
      if (declared === NONE) continue
      result.blocker ??= `@Type or @Transform on ${property}`
      if (declared !== UNKNOWN) result.types.set(property, declared)
    }
    // Renames that apply only to output (`toPlainOnly`) still map that name on input.
    const output = instanceToPlain(record(names, ROUNDS[0] as Marker, type).proxy)
    for (const key of Object.keys(output)) {
      if (!names.includes(key)) result.blocker ??= `@Expose renames ${key} on output`
    }
  } catch (error) {
    result.blocker ??= `probing class-transformer threw: ${String(error)}`
  }
  return result
}

interface Recorder {
  proxy: Record<string, unknown>
  readonly reads: Map<string, number>
  readonly values: Map<string, unknown>
  listed: number
}

/**
 * A plain object presenting `keys` with `marker(key)` values, and the same marker for any
 * other key the executor reads; `constructor` answers `type` (instanceToPlain's target).
 */
function record(keys: readonly string[], marker: Marker, type?: ClassType): Recorder {
  const values = new Map<string, unknown>()
  const valueOf = (key: string) => {
    if (!values.has(key)) values.set(key, marker(key))
    return values.get(key)
  }
  const state: Recorder = { proxy: {}, reads: new Map(), values, listed: 0 }
  state.proxy = new Proxy({} as Record<string, unknown>, {
    ownKeys: () => {
      state.listed++
      return [...keys]
    },
    getOwnPropertyDescriptor: (_, key) =>
      typeof key === 'string' && keys.includes(key)
        ? { value: valueOf(key), enumerable: true, configurable: true, writable: true }
        : undefined,
    get: (_, key) => {
      if (key === 'constructor') return type ?? Object
      if (typeof key !== 'string' || UNPROBED.has(key)) return undefined
      state.reads.set(key, (state.reads.get(key) ?? 0) + 1)
      return valueOf(key)
    },
  })
  return state
}

function changedKeys(base: object, instance: object): string[] {
  const before = base as Record<string, unknown>
  const after = instance as Record<string, unknown>
  return Object.keys(after).filter(
    (key) => !(key in before) || !isDeepStrictEqual(before[key], after[key]),
  )
}

/** The executor's own skip test: a name the prototype defines without a setter, or a function. */
function skipped(base: object, key: string): boolean {
  const prototype = (base.constructor as { prototype?: object }).prototype
  const descriptor = prototype && Object.getOwnPropertyDescriptor(prototype, key)
  if (descriptor !== undefined && descriptor.set === undefined) return true
  return (base as Record<string, unknown>)[key] instanceof Function
}

const NONE = Symbol('no metadata')
const UNKNOWN = Symbol('changed, not by a plain @Type')
const SCALARS: readonly [unknown, (value: unknown) => unknown][] = [
  [String, String],
  [Number, Number],
  [Boolean, Boolean],
  [Date, (value) => new Date(value as string)],
]

/**
 * What turned each marker into its value: nothing (objects and arrays copied), a scalar @Type
 * (the executor's String(), Number(), Boolean(), new Date(), applied to arrays element by
 * element), a class @Type (objects become its instances, other values pass), or else UNKNOWN.
 */
function classify(list: readonly { marker: unknown; value: unknown }[]): unknown {
  const fits = (expect: (marker: unknown, value: unknown) => boolean) =>
    list.every(({ marker, value }) => fitsEach(marker, value, expect))
  const copied = (marker: unknown, value: unknown) =>
    isJsonObject(marker)
      ? value !== marker &&
        Object.getPrototypeOf(value) === Object.prototype &&
        isDeepStrictEqual(value, marker)
      : isDeepStrictEqual(value, marker)
  if (fits(copied)) return NONE
  for (const [declared, convert] of SCALARS) {
    const converted = (marker: unknown, value: unknown) =>
      same(value, marker === null || marker === undefined ? marker : convert(marker))
    if (fits(converted)) return declared
  }
  const object = list.find(({ marker }) => isJsonObject(marker))?.value
  const declared: unknown = isJsonObject(object) ? Object.getPrototypeOf(object).constructor : undefined
  if (typeof declared !== 'function' || declared === Object) return UNKNOWN
  const instance = (marker: unknown, value: unknown) =>
    isJsonObject(marker)
      ? isJsonObject(value) && Object.getPrototypeOf(value) === declared.prototype
      : isDeepStrictEqual(value, marker)
  return fits(instance) ? declared : UNKNOWN
}

/** `expect` on the marker and value, or on each element when the marker is an array. */
function fitsEach(
  marker: unknown,
  value: unknown,
  expect: (marker: unknown, value: unknown) => boolean,
): boolean {
  if (!Array.isArray(marker)) return expect(marker, value)
  return (
    Array.isArray(value) &&
    value !== marker &&
    value.length === marker.length &&
    marker.every((item, i) => expect(item, value[i]))
  )
}

/** Deep equality in which two invalid Dates are equal, as two NaNs are. */
function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return Object.is(a.getTime(), b.getTime())
  return isDeepStrictEqual(a, b)
}

/** How a polymorphic (`@Type(…, { discriminator })`) property's value names its subtype. */
export interface Discriminator {
  /** The key, in the value's object, whose value names the subtype. */
  readonly property: string
  /** The subtype class class-transformer builds for `name`; undefined when no subtype has it. */
  readonly classFor: (name: unknown) => ClassType | undefined
  /** The subtype names, for the answer's message; undefined when learned through the probe. */
  readonly names: readonly string[] | undefined
}

/**
 * The discriminator of `property` on `type`, learned through plainToInstance when the metadata
 * store is out of reach. The executor (0.5.1) first asks `key in value`, which names the key;
 * then `subTypes.find(s => s.name === value[key])` reads `value[key]` once per subtype tried, so
 * the reads before it lists the value's keys say where the search stopped: fewer than for a name
 * no subtype has means a subtype matched. A search that tried every subtype matched the last one
 * only if the class differs from the fallback's (@Type's own class); when the last subtype is
 * that class itself, the name is taken as known if instanceToPlain can name the class — the
 * value can then go out again, which an unknown name's cannot. Undefined if the probe fails.
 */
export function probeDiscriminator(type: ClassType, property: string): Discriminator | undefined {
  const Type = type as new () => Record<string, unknown>
  try {
    const asked: string[] = []
    const look = new Proxy({}, {
      has: (_, key) => {
        if (typeof key === 'string') asked.push(key)
        return false
      },
      ownKeys: () => [],
    })
    plainToInstance(Type, { [property]: look }, TRANSFORM)
    const key = asked[0]
    if (key === undefined) return undefined
    const select = (name: unknown): { tried: number; selected: unknown } => {
      let tried = 0
      let listing = false
      const value = new Proxy({}, {
        has: (_, asked) => asked === key,
        get: (_, asked) => {
          if (asked !== key) return undefined
          if (!listing) tried++
          return name
        },
        ownKeys: () => {
          listing = true
          return []
        },
        getOwnPropertyDescriptor: () => undefined,
        deleteProperty: () => true,
      })
      const instance = plainToInstance(Type, { [property]: value }, TRANSFORM) as Record<string, unknown>
      const built = instance[property]
      return { tried, selected: typeof built === 'object' && built !== null ? built.constructor : undefined }
    }
    const unknown = select(Symbol('no subtype has this name'))
    const fallback = unknown.selected
    let fallbackListed = false
    if (typeof fallback === 'function') {
      try {
        const owner = new Type()
        owner[property] = new (fallback as new () => object)()
        instanceToPlain(owner)
        fallbackListed = true
      } catch {
        fallbackListed = false
      }
    }
    const known = new Map<unknown, ClassType>()
    return {
      property: key,
      names: undefined,
      classFor: (name) => {
        if (known.has(name)) return known.get(name)
        // A subtype name is a primitive: an object or array from JSON is never `===` one.
        if (typeof name === 'object' || typeof name === 'function' || name === undefined) return undefined
        const { tried, selected } = select(name)
        if (typeof selected !== 'function') return undefined
        const found = tried < unknown.tried || selected !== fallback
        // Cached only when a subtype surely matched: at most one entry per subtype name.
        if (found) known.set(name, selected as ClassType)
        return found || fallbackListed ? (selected as ClassType) : undefined
      },
    }
  } catch {
    return undefined
  }
}
