import { INVALID } from './coerce.js'
import { isFirstPair, orderablePairs, pairValue, suppressMalformed } from './convert.js'
import type { DecodedPairs } from './decode.js'
import type { DtoPlan } from './dto-plan.js'
import { UNSUPPORTED, copyValue } from './plain-to-instance.js'
import type { CompiledTransform } from './plain-to-instance.js'
import type { IssueSink } from './validation-details.js'

/** Query or form pairs → the DTO instance, or UNSUPPORTED: use plainFromPairs and the transform. */
export type PairsToInstance = (pairs: DecodedPairs, base: string, sink: IssueSink) => object | typeof UNSUPPORTED

/**
 * `transform.toInstance(plainFromPairs(plan, pairs, base, sink))` in one pass, for a DTO whose
 * transform is compiled: the same instance, the same issues in the same order. It skips the
 * plain object (null-prototype, so a dictionary on every request), its key list, and the check
 * that its values are copyable, which they always are (strings, arrays of them, converted
 * numbers, booleans and Dates).
 *
 * Why one pass is the same: plainFromPairs converts each key in arrival order and reports only
 * to the sink; the transform then creates the instance and visits the keys in that same order
 * (no key is an array index, orderablePairs sees to that), copying or skipping each exactly as
 * here. The constructor runs before the conversions instead of after, but neither can see the
 * other: conversions touch only the sink, and the instance sees the same reads and writes in
 * the same order. A key whose conversion failed is left out of the plain object, so it is not
 * looked at on the instance either.
 */
export function compilePairsToInstance(plan: DtoPlan, transform: CompiledTransform): PairsToInstance {
  const { Type, copied, keeps } = transform
  return (pairs, base, sink) => {
    if (!orderablePairs(pairs)) return UNSUPPORTED
    const instance = new Type()
    const ownClass = instance.constructor === Type
    // The keys of orderedPairKeys, in its order, without its list (an array per request).
    const count = pairs.count
    for (let pair = 0; pair < count; pair++) {
      const key = pairs.keyAt(pair)
      if (key === undefined || !isFirstPair(pairs, pair)) continue
      const value = pairValue(plan, pairs, key, base, sink)
      if (value === INVALID) continue
      if (ownClass && copied.has(key)) {
        if (!(instance[key] instanceof Function)) instance[key] = copyValue(value)
      } else if (keeps(instance, ownClass, key)) {
        instance[key] = copyValue(value)
      }
    }
    suppressMalformed(pairs, base, sink)
    return instance
  }
}
