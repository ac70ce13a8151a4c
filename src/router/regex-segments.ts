/**
 * The one-segment RegExp users write because ALB's `*`, and so `{name}`, spans `/`:
 * `^/users/(?<id>[^/]+)$`, `^/orgs/(?<org>[^/]+)/members/(?<id>[^/]+)$`. For such a regex the
 * router needs no RegExp: a `[^/]+` capture followed by text starting with `/` (or by the end of
 * the path) can only stop at the next `/`, so the match is one left-to-right scan, and the same
 * scan yields the groups. Running the RegExp and reading its groups object cost more than the
 * rest of the match at 1,000 routes.
 *
 * Strict on purpose: anything else in the source (a quantified literal, a class other than
 * `[^/]`, `.`, alternation, a group followed by text not starting with `/`, two groups side by
 * side) is not a segment pattern, and the router keeps the RegExp for it.
 */
export interface SegmentPattern {
  /** `literals[0]` before the first group, `literals[i]` after group `i - 1`; the last may be ''. */
  readonly literals: readonly string[]
  /** Each group's name; null for an unnamed `([^/]+)`. */
  readonly groups: readonly (string | null)[]
}

const META = '^$.|?*+()[]{}\\'
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const CLASS_BODIES = ['[^/]+)', '[^\\/]+)']

/** The pattern of an anchored one-segment regex with at least one group, or undefined. */
export function regexSegments(source: string): SegmentPattern | undefined {
  if (source[0] !== '^' || source.length < 2 || source[source.length - 1] !== '$') return undefined
  const end = source.length - 1
  const literals: string[] = []
  const groups: (string | null)[] = []
  let literal = ''
  let i = 1
  while (i < end) {
    const c = source[i] as string
    if (c === '(') {
      let name: string | null = null
      let at = i + 1
      if (source[at] === '?') {
        const close = source.indexOf('>', at)
        if (source[at + 1] !== '<' || close < 0) return undefined
        name = source.slice(at + 2, close)
        if (!NAME.test(name)) return undefined
        at = close + 1
      }
      const body = CLASS_BODIES.find((b) => source.startsWith(b, at))
      if (body === undefined) return undefined
      // The text before this group: the first literal, or one that stops the previous group's
      // `[^/]+`, which it does only at a `/`.
      if (groups.length > 0 && !literal.startsWith('/')) return undefined
      literals.push(literal)
      groups.push(name)
      literal = ''
      i = at + body.length
    } else if (c === '\\') {
      const escaped = source[i + 1]
      // `\/`, `\.`, `\-`: escaped punctuation is itself; `\d`, `\b`, `\1`… are not literal text.
      if (escaped === undefined || !isVisible(escaped) || /[A-Za-z0-9]/.test(escaped)) return undefined
      literal += escaped
      i += 2
    } else {
      if (META.includes(c) || !isVisible(c)) return undefined
      literal += c
      i++
    }
  }
  // A `$` escaped as `\$` was read as the last character's escape above, so `end` is the anchor.
  if (i !== end || groups.length === 0) return undefined
  if (literal !== '' && !literal.startsWith('/')) return undefined
  literals.push(literal)
  return { literals, groups }
}

/**
 * Where each group's text ends in `path` (its start is where the literal before it ends), or
 * undefined when the path does not match. `path` must start with `literals[0]` (the index
 * checked it) unless `checkPrefix`.
 */
export function segmentEnds(pattern: SegmentPattern, path: string, checkPrefix: boolean): number[] | undefined {
  const { literals } = pattern
  const first = literals[0] as string
  if (checkPrefix && !path.startsWith(first)) return undefined
  return segmentEndsFrom(literals, path, first.length)
}

/**
 * segmentEnds for a path whose first `head` characters matched `literals[0]`, which is not read:
 * patterns that differ in their first literal alone can share the scan.
 */
export function segmentEndsFrom(literals: readonly string[], path: string, head: number): number[] | undefined {
  const ends: number[] = []
  let at = head
  for (let g = 1; g < literals.length; g++) {
    const slash = path.indexOf('/', at)
    const stop = slash < 0 ? path.length : slash
    if (stop === at) return undefined
    ends.push(stop)
    const next = literals[g] as string
    if (!path.startsWith(next, stop)) return undefined
    at = stop + next.length
  }
  return at === path.length ? ends : undefined
}

function isVisible(c: string): boolean {
  const code = c.charCodeAt(0)
  return code > 0x20 && code < 0x7f
}
