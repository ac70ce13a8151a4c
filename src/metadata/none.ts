/**
 * The one empty list every record shares when it has nothing to hold (most routes declare no
 * conditions, middleware or response headers): each empty array would be heap kept for the life
 * of the Lambda. Frozen because it is shared: code that adds to a list replaces it with a copy.
 */
export const NONE: readonly never[] = Object.freeze([])
