import { parseCidr } from './source-ip.js'
import type { AlbCondition, AlbRule, QueryStringPair, RuleTable } from './types.js'

export interface Shadowing {
  /** The rule that can never match… */
  readonly shadowed: AlbRule
  /** …because this earlier rule matches every request it would. */
  readonly by: AlbRule
}

/**
 * Rules that can never match because an earlier rule covers every request they would match
 * (`albatross routes` warns about them). The test is sufficient, not complete: it reports only
 * coverings it can prove condition by condition, so a warning is always real.
 */
export function findShadowedRules(table: RuleTable): Shadowing[] {
  const found: Shadowing[] = []
  table.rules.forEach((rule, i) => {
    const by = table.rules.slice(0, i).find((earlier) => covers(earlier, rule))
    if (by !== undefined) found.push({ shadowed: rule, by })
  })
  return found
}

/** True when every request matching `b` also matches `a` (AND of conditions, spec/alb.md §1.2). */
export function covers(a: AlbRule, b: AlbRule): boolean {
  return a.conditions.every((ca) => isUniversal(ca) || b.conditions.some((cb) => conditionCovers(ca, cb)))
}

function isUniversal(c: AlbCondition): boolean {
  // Every path ALB evaluates starts with "/", so these patterns match all of them.
  return c.type === 'path-pattern' && c.values.some((v) => v === '*' || v === '/*')
}

function conditionCovers(a: AlbCondition, b: AlbCondition): boolean {
  if (a.type !== b.type) return false
  switch (a.type) {
    case 'path-pattern':
    case 'host-header': {
      const bb = b as typeof a
      return globsCover(a.values, a.regexValues, bb.values, bb.regexValues, a.type === 'host-header')
    }
    case 'http-header': {
      const bb = b as typeof a
      return a.name.toLowerCase() === bb.name.toLowerCase() && globsCover(a.values, a.regexValues, bb.values, bb.regexValues, true)
    }
    case 'http-request-method':
      return (b as typeof a).values.every((m) => a.values.includes(m))
    case 'query-string':
      return (b as typeof a).values.every((pb) => a.values.some((pa) => pairCovers(pa, pb)))
    case 'source-ip':
      return (b as typeof a).values.every((cb) => a.values.some((ca) => cidrCovers(ca, cb)))
  }
}

function globsCover(
  aValues: readonly string[], aRegex: readonly string[], bValues: readonly string[], bRegex: readonly string[], fold: boolean,
): boolean {
  return (
    bRegex.every((r) => aRegex.includes(r)) &&
    bValues.every((vb) => aValues.some((va) => globCovers(va, vb, fold)))
  )
}

function pairCovers(a: QueryStringPair, b: QueryStringPair): boolean {
  const escaped = (s: string | undefined) => s !== undefined && s.includes('\\')
  if ([a.key, a.value, b.key, b.value].some(escaped)) return a.key === b.key && a.value === b.value
  const keyOk = a.key === undefined || (b.key !== undefined && globCovers(a.key, b.key, true))
  return keyOk && globCovers(a.value, b.value, true)
}

/**
 * Does glob `a` match every string glob `b` matches? `a`'s `*` may absorb any run of `b`'s
 * symbols, its `?` one literal or `?` of `b`, its literals only the same literal.
 */
export function globCovers(a: string, b: string, fold: boolean): boolean {
  if (fold) {
    a = a.toLowerCase()
    b = b.toLowerCase()
  }
  const memo = new Map<number, boolean>()
  const at = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j
    const cached = memo.get(key)
    if (cached !== undefined) return cached
    let result: boolean
    if (i === a.length) result = j === b.length
    else if (a[i] === '*') result = at(i + 1, j) || (j < b.length && at(i, j + 1))
    else if (j === b.length) result = false
    else if (a[i] === '?') result = b[j] !== '*' && at(i + 1, j + 1)
    else result = a[i] === b[j] && b[j] !== '*' && b[j] !== '?' && at(i + 1, j + 1)
    memo.set(key, result)
    return result
  }
  return at(0, 0)
}

function cidrCovers(a: string, b: string): boolean {
  const ca = parseCidr(a)
  const cb = parseCidr(b)
  if (typeof ca === 'string' || typeof cb === 'string' || ca.version !== cb.version || ca.prefix > cb.prefix) return false
  const bits = BigInt((ca.version === 6 ? 128 : 32) - ca.prefix)
  return BigInt(ca.network) >> bits === BigInt(cb.network) >> bits
}
