import { copyPlain, isCopyable, skippedBy } from './plain-to-instance.js'

/**
 * class-transformer (0.5) de-duplicates an object's keys with `keys.filter((k, i) =>
 * keys.indexOf(k) === i)`, quadratic in the keys of every object it converts: a 1 MB body of
 * unknown keys took 10–60 s. So the root of a DTO conversion keeps for class-transformer only the
 * keys it has a use for; the rest are copied onto the instance here, as its executor copies a key
 * without metadata (plain-to-instance.ts mirrors that). Objects below the root that
 * class-transformer still converts are bounded instead (CONVERTED_OBJECT_KEYS_MAX).
 */

/** Below this many keys the split saves nothing worth its walk. */
const SPLIT_MIN_KEYS = 64

/** Keys class-transformer may see on one object below the root of a converted DTO. */
export const CONVERTED_OBJECT_KEYS_MAX = 1000

export interface SplitObject {
  /** What class-transformer converts: the known keys, the full object as its prototype. */
  readonly reduced: object
  /** Keys left out, in the client's order, with their values. */
  readonly rest: ReadonlyArray<readonly [string, unknown]>
}

/**
 * `plain` without the keys that are not in `known` (and whose values the mirror copies), or
 * undefined when there are too few to matter. The reduced object inherits from `plain`, so a
 * @Transform reading `obj.other` still finds it.
 */
export function splitUnknownKeys(plain: object, known: ReadonlySet<string>): SplitObject | undefined {
  const keys = Object.keys(plain)
  if (keys.length < SPLIT_MIN_KEYS) return undefined
  const source = plain as Record<string, unknown>
  const reduced: Record<string, unknown> = Object.create(plain) as Record<string, unknown>
  const rest: Array<readonly [string, unknown]> = []
  for (const key of keys) {
    const value = source[key]
    if (key === '__proto__' || key === 'constructor') continue
    if (known.has(key) || (typeof value === 'object' && value !== null && !isCopyable(value))) {
      // Defined, not assigned: a key named like an accessor of the prototype stays data.
      Object.defineProperty(reduced, key, { value, enumerable: true, writable: true, configurable: true })
    } else {
      rest.push([key, value])
    }
  }
  return rest.length === 0 ? undefined : { reduced, rest }
}

/** Copies the keys left out by splitUnknownKeys onto `instance`, skipping what the executor skips. */
export function reattach(instance: object, rest: SplitObject['rest']): void {
  const target = instance as Record<string, unknown>
  for (const [key, value] of rest) {
    if (skippedBy(target, key)) continue
    target[key] = copyPlain(value)
  }
}

/**
 * The location of the first object below `value` with more than CONVERTED_OBJECT_KEYS_MAX keys,
 * or undefined. Linear in the value; `location` names the root.
 */
export function overwideObject(value: unknown, location: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = overwideObject(value[i], `${location}[${i}]`)
      if (found !== undefined) return found
    }
    return undefined
  }
  const keys = Object.keys(value)
  if (keys.length > CONVERTED_OBJECT_KEYS_MAX) return location
  for (const key of keys) {
    const found = overwideObject((value as Record<string, unknown>)[key], `${location}.${key}`)
    if (found !== undefined) return found
  }
  return undefined
}
