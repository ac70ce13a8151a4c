/**
 * A path value pattern taken apart for an index: its literal prefix, then a test and a capture for
 * the rest that run without RegExps. The compiled router finds candidates by prefix, so each test
 * here may assume the prefix already matched.
 *
 * Same semantics as compileGlobs on a path (spec/alb.md §2.0, §2.4): case-sensitive, no escapes,
 * `*` any run (across `/`), `?` one character, whole path. The caller must have refused paths
 * holding control characters, which no wildcard takes (§6 #8): nothing here looks for them.
 */
export type PathGlob =
  /** No wildcard: the pattern matches `prefix` and nothing else. */
  | { readonly shape: 'literal'; readonly prefix: string }
  /**
   * `prefix*suffix` without `?` (`/users/*`, `/users/*\/orders`, `*.css`), the shape nearly every
   * route has: a path starting with `prefix` matches when it ends with `suffix` clear of the
   * prefix, and the `*` took what lies between.
   */
  | { readonly shape: 'star'; readonly prefix: string; readonly suffix: string }
  | {
      readonly shape: 'glob'
      /** The text before the first wildcard. */
      readonly prefix: string
      /** Whether a path that starts with `prefix` matches. */
      readonly matchesRest: (path: string) => boolean
      /** The text each `*` took in a matching path, leftmost longest, as a backtracking RegExp. */
      readonly capture: (path: string) => string[]
    }

/** A run of pattern text between two `*`; `?` in it stands for any one character. */
interface Piece {
  readonly text: string
  readonly hasAny: boolean
}

export function compilePathGlob(pattern: string): PathGlob {
  const wildcard = pattern.search(/[*?]/)
  if (wildcard < 0) return { shape: 'literal', prefix: pattern }
  const prefix = pattern.slice(0, wildcard)
  const pieces: Piece[] = pattern.split('*').map((text) => ({ text, hasAny: text.includes('?') }))
  const first = pieces[0] as Piece
  const last = pieces[pieces.length - 1] as Piece
  if (pieces.length === 2 && !first.hasAny && !last.hasAny) {
    return { shape: 'star', prefix, suffix: last.text }
  }
  if (pieces.length === 1) {
    // `/v?/users`: wildcards, but no `*`, so a fixed length.
    const matchesRest = (path: string) => path.length === first.text.length && pieceAt(first, path, 0)
    return { shape: 'glob', prefix, matchesRest, capture: () => [] }
  }
  return {
    shape: 'glob',
    prefix,
    matchesRest: (path) => placeFirst(pieces, path, prefix.length, first.text.length),
    capture: (path) => captureStars(pieces, path, first.text.length),
  }
}

/**
 * The part of a `glob` pattern from its first `*` on, for a pattern whose literal prefix is all
 * of its text before that `*` (no `?` in it): the test and the capture take the prefix's length,
 * so one compiled tail serves every pattern that ends alike (`/a/*\/items/*`, `/b/*\/items/*`).
 * Each assumes the prefix already matched, as the index guarantees.
 */
export interface GlobTail {
  /** Whether a path whose first `head` characters are the prefix matches. */
  readonly matches: (path: string, head: number) => boolean
  /** The text each `*` took in a matching path, as compilePathGlob's capture. */
  readonly capture: (path: string, head: number) => string[]
}

/** `tail`: the pattern from its first `*` on (`*\/items/*`). */
export function compileGlobTail(tail: string): GlobTail {
  if (tail[0] !== '*') throw new Error(`a glob tail starts with its first *, not "${tail}"`)
  // The first piece is the prefix, '' here: the floor of every search is the prefix's length.
  const pieces: Piece[] = tail.split('*').map((text) => ({ text, hasAny: text.includes('?') }))
  return {
    matches: (path, head) => placeFirst(pieces, path, head, head),
    capture: (path, head) => captureStars(pieces, path, head),
  }
}

function pieceAt(piece: Piece, path: string, at: number): boolean {
  if (!piece.hasAny) return path.startsWith(piece.text, at)
  const text = piece.text
  if (at < 0 || at + text.length > path.length) return false
  for (let k = 0; k < text.length; k++) {
    const code = text.charCodeAt(k)
    if (code !== 63 /* ? */ && code !== path.charCodeAt(at + k)) return false
  }
  return true
}

/** Leftmost `at >= from` where `piece` fits and ends by `end`, or -1. */
function findPiece(piece: Piece, path: string, from: number, end: number): number {
  const last = end - piece.text.length
  if (!piece.hasAny) {
    const at = path.indexOf(piece.text, from)
    return at >= 0 && at <= last ? at : -1
  }
  for (let at = from; at <= last; at++) if (pieceAt(piece, path, at)) return at
  return -1
}

/** Rightmost `at <= before` where `piece` fits, not before `floor`, or -1. */
function findPieceLast(piece: Piece, path: string, before: number, floor: number): number {
  if (!piece.hasAny) {
    const at = before < 0 ? -1 : path.lastIndexOf(piece.text, before)
    return at >= floor ? at : -1
  }
  for (let at = before; at >= floor; at--) if (pieceAt(piece, path, at)) return at
  return -1
}

/**
 * Whole-pattern test, from `checked` on (the literal prefix is known to match): the first piece
 * at the start, the last at the end, the ones between each at its leftmost fit. Taking the
 * leftmost fit never loses a match, since it leaves the most room to the later pieces; each piece
 * is searched once, so the work is bounded by pattern length × path length with no backtracking.
 * `floor`: where the first piece ends (its length; a tail's caller gives the prefix's).
 */
function placeFirst(pieces: readonly Piece[], path: string, checked: number, floor: number): boolean {
  const first = pieces[0] as Piece
  const last = pieces[pieces.length - 1] as Piece
  const end = path.length - last.text.length
  if (end < floor) return false
  if (first.text.length > checked && !pieceAt(first, path, 0)) return false
  if (!pieceAt(last, path, end)) return false
  let at = floor
  for (let k = 1; k < pieces.length - 1; k++) {
    const piece = pieces[k] as Piece
    const found = findPiece(piece, path, at, end)
    if (found < 0) return false
    at = found + piece.text.length
  }
  return true
}

/**
 * The stars' texts for a matching path. A backtracking RegExp gives the leftmost `*` the most it
 * can keep while the rest still matches, then the next one: that is every piece at its rightmost
 * fit, found right to left (`/a/*\/*` on `/a/b/c/d` → `b/c`, `d`).
 */
function captureStars(pieces: readonly Piece[], path: string, floor: number): string[] {
  const texts: string[] = []
  let end = path.length - (pieces[pieces.length - 1] as Piece).text.length
  for (let k = pieces.length - 2; k >= 1; k--) {
    const piece = pieces[k] as Piece
    const at = findPieceLast(piece, path, end - piece.text.length, floor)
    if (at < 0) return []
    texts.push(path.slice(at + piece.text.length, end))
    end = at
  }
  texts.push(path.slice(floor, end))
  return texts.reverse()
}
