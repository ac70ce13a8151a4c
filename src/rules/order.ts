import type { AlbCondition } from './types.js'

/** What the specificity order looks at; build-table derives it from each route. */
export interface OrderKey {
  /** 0 literal path, 1 wildcard path, 2 regex path, 3 no path condition. */
  readonly pathKind: 0 | 1 | 2 | 3
  /** Characters before the first wildcard. */
  readonly literalPrefix: number
  /** Non-wildcard characters in the whole pattern. */
  readonly literalChars: number
  readonly conditionCount: number
  readonly declarationIndex: number
}

/**
 * The documented specificity order for routes without @Priority: literal paths before wildcard
 * ones, longer literal prefix first, then more literal characters overall (so `/users/{id}/posts`
 * is tried before `/users/{id}`, which ALB's `*` would let swallow it), more conditions first,
 * then declaration order. Returns a new array; ties keep declaration order.
 */
export function orderBySpecificity<T extends { readonly key: OrderKey }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareKeys(a.key, b.key))
}

function compareKeys(a: OrderKey, b: OrderKey): number {
  return (
    a.pathKind - b.pathKind ||
    b.literalPrefix - a.literalPrefix ||
    b.literalChars - a.literalChars ||
    b.conditionCount - a.conditionCount ||
    a.declarationIndex - b.declarationIndex
  )
}

export function orderKeyOf(conditions: readonly AlbCondition[], declarationIndex: number): OrderKey {
  const path = conditions.find((c) => c.type === 'path-pattern')
  let pathKind: OrderKey['pathKind'] = 3
  let literalPrefix = 0
  let literalChars = 0
  if (path !== undefined) {
    const [first] = path.values
    if (first === undefined || path.regexValues.length > 0) {
      pathKind = 2
    } else {
      const wildcard = first.search(/[*?]/)
      pathKind = wildcard < 0 && path.values.length === 1 ? 0 : 1
      literalPrefix = wildcard < 0 ? first.length : wildcard
      literalChars = first.replace(/[*?]/g, '').length
    }
  }
  return { pathKind, literalPrefix, literalChars, conditionCount: conditions.length, declarationIndex }
}
