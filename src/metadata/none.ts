/**
 * The one empty list every record shares when it has nothing to hold (most routes declare no
 * conditions, middleware or response headers): each empty array would be heap kept for the life
 * of the Lambda. Frozen because it is shared: code that adds to a list replaces it with a copy.
 */
export const NONE: readonly never[] = Object.freeze([])

/** `a`'s entries then `b`'s: one of them when the other is empty, the shared empty list when both are. */
export function concatenated<T>(a: readonly T[], b: readonly T[]): readonly T[] {
  if (a.length === 0) return b.length === 0 ? NONE : b
  return b.length === 0 ? a : [...a, ...b]
}
