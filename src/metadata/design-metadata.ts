/**
 * `design:paramtypes` without reflect-metadata. tsc's `emitDecoratorMetadata` records parameter
 * types by calling `Reflect.metadata(key, value)` when that function exists and silently records
 * nothing when it does not; only reflect-metadata (13 KB minified) defines it. albatross reads one
 * key, so when no `Reflect.metadata` is present it installs a recorder that keeps what tsc emits
 * in a WeakMap, and defines nothing else: libraries that look for reflect-metadata through
 * `Reflect.getMetadata` still find it absent. When reflect-metadata is loaded (by the app, or by
 * `albatross/dto`) it replaces the recorder; reads look in both, so metadata recorded before it
 * loaded is not lost. esbuild emits no decorator metadata, so there the recorder stays idle.
 */

type Decorator = (target: object, property?: string | symbol) => void

interface ReflectMetadata {
  metadata?: (key: unknown, value: unknown) => Decorator
  getOwnMetadata?: (key: unknown, target: object, property?: string | symbol) => unknown
}

const reflect = Reflect as unknown as ReflectMetadata

/** target → property (undefined for the class itself) → key → value. */
const RECORDED = new WeakMap<object, Map<string | symbol | undefined, Map<unknown, unknown>>>()

/** False until the recorder records anything: under esbuild, reads then have nothing to look at. */
let recordedAny = false

function record(key: unknown, value: unknown, target: object, property: string | symbol | undefined): void {
  recordedAny = true
  let byProperty = RECORDED.get(target)
  if (byProperty === undefined) RECORDED.set(target, (byProperty = new Map()))
  let byKey = byProperty.get(property)
  if (byKey === undefined) byProperty.set(property, (byKey = new Map()))
  byKey.set(key, value)
}

/** Installs the recorder unless a `Reflect.metadata` (reflect-metadata's, or ours) is there. */
export function installDesignMetadataRecorder(): void {
  if (typeof reflect.metadata === 'function') return
  const metadata = (key: unknown, value: unknown): Decorator => (target, property) => record(key, value, target, property)
  Object.defineProperty(Reflect, 'metadata', { configurable: true, writable: true, value: metadata })
}

/**
 * Metadata `key` of `property` on `target` or its prototype chain, as reflect-metadata's
 * `getMetadata` reads it, from reflect-metadata when loaded and from the recorder.
 */
export function readDesignMetadata(key: string, target: object, property: string | symbol): unknown {
  if (!recordedAny && reflect.getOwnMetadata === undefined) return undefined
  for (let t: object | null = target; t !== null; t = Object.getPrototypeOf(t) as object | null) {
    const own = reflect.getOwnMetadata?.(key, t, property) ?? RECORDED.get(t)?.get(property)?.get(key)
    if (own !== undefined) return own
  }
  return undefined
}
