import type { Bind } from './param-plan.js'

/**
 * Binds that depend only on their declaration — a path, query, header or cookie value of a given
 * type, the untyped body, the request — exist once per process, and `createBinder` gives routes
 * whose parameters plan to the same binds one binder. A 1,000-route app otherwise has a binder
 * and a few closures per route: each request reaches its own route's, cold in the CPU caches,
 * and the calls inside see a different closure each time (1,000-route benchmark app: +15%
 * requests per second, bench/compare.mjs). Binds made per route (DTOs, custom decorators) are
 * not shared, nor are binders that use them.
 */
const binds = new Map<string, Bind>()
const keys = new WeakMap<Bind, string>()

/** The one bind for `key`, made by `make` the first time it is asked for. */
export function sharedBind(key: string, make: () => Bind): Bind {
  let bind = binds.get(key)
  if (bind === undefined) {
    bind = make()
    binds.set(key, bind)
    keys.set(bind, key)
  }
  return bind
}

/** The key `sharedBind` made `bind` for; undefined for a bind made for one route. */
export function sharedBindKey(bind: Bind): string | undefined {
  return keys.get(bind)
}
