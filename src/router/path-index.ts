import { CONTROL } from '../rules/glob.js'

/**
 * Candidate lists keyed by literal path prefixes, in a radix tree: each edge holds a run of
 * characters, compared with one `startsWith`, so a lookup takes a step per branching point
 * (`/` → `a` → `ccounts` → `/`) rather than a hash lookup per character. The character trie it
 * replaced spent ~10 % of a 1,000-route request in `Map.get`.
 *
 * Exactness: the nodes whose text is a prefix of a path form one chain from the root, and the
 * lookup follows it to its end (a node's children start with distinct characters, so at most
 * one can continue the path). Each node's list is the union of its own entries and every
 * ancestor's, sorted once at build time, so the list at the end of the chain holds every entry
 * whose prefix starts the path. Exact entries (a literal path) sit on the node for their whole
 * text and count only when the lookup consumed the whole path there.
 */


export interface Ordered {
  /** Evaluation order: lists are sorted ascending by it. */
  readonly order: number
}

class Node<T> {
  // Fields the lookup reads come first, so they share the object's first cache line.
  /** Edge text from the parent; empty only at the root. */
  label: string
  /** Char code of the first character of `kids[0]`'s label. */
  base = 0
  /**
   * Children by the first character of their label, `base` first: a range rather than a
   * 128-slot table per node cuts the 1,000-route GET index from ~14,000 slots to ~650, so more
   * of it stays in the CPU caches between requests.
   */
  kids: readonly (Node<T> | undefined)[] = []
  /** own + every ancestor's entries + the index's `always` entries, sorted. */
  all: readonly T[] = []
  /** exactOwn merged into `all`, when the node has exact entries. */
  exact: readonly T[] | undefined = undefined
  /** Build time only. */
  readonly children = new Map<number, Node<T>>()
  readonly own: T[] = []
  readonly exactOwn: T[] = []

  constructor(label: string) {
    this.label = label
  }
}

export class PathIndex<T extends Ordered> {
  readonly #root = new Node<T>('')

  /**
   * Adds an entry that can match only paths starting with `prefix` (or equal to it, when
   * `exact`). Add entries in ascending order; `build` assumes each node's own lists are sorted.
   */
  add(prefix: string, entry: T, exact: boolean): void {
    if (CONTROL.test(prefix)) throw new Error(`path index: "${prefix}" holds a control character`)
    const node = this.#insert(prefix)
    ;(exact ? node.exactOwn : node.own).push(entry)
  }

  /** Computes every node's lists; `always` entries are candidates for every path. */
  build(always: readonly T[]): void {
    fill(this.#root, always)
  }

  /**
   * Every entry that may match `path`, sorted; undefined when the path holds a control character,
   * which no value pattern matches (spec/alb.md §6 #8, see candidate.ts). Only the part the walk
   * did not compare with edge text needs looking at: the text of indexed values is control-free.
   * Change with care: this runs on every request.
   */
  lookup(path: string): readonly T[] | undefined {
    let node = this.#root
    let i = 0
    const n = path.length
    while (i < n) {
      const kids = node.kids
      const k = path.charCodeAt(i) - node.base
      const next = k >= 0 && k < kids.length ? kids[k] : undefined
      if (next === undefined || !path.startsWith(next.label, i)) break
      i += next.label.length
      node = next
    }
    if (i === n) return node.exact ?? node.all
    for (let k = i; k < n; k++) {
      const code = path.charCodeAt(k)
      if (code < 0x20 || code === 0x7f) return undefined
    }
    return node.all
  }

  #insert(key: string): Node<T> {
    let node = this.#root
    let i = 0
    while (i < key.length) {
      const code = key.charCodeAt(i)
      const child = node.children.get(code)
      if (child === undefined) {
        const leaf = new Node<T>(key.slice(i))
        node.children.set(code, leaf)
        return leaf
      }
      const label = child.label
      let k = 1
      while (k < label.length && i + k < key.length && label.charCodeAt(k) === key.charCodeAt(i + k)) k++
      if (k < label.length) {
        // The key leaves (or ends inside) the edge: split it at the branching point.
        const middle = new Node<T>(label.slice(0, k))
        child.label = label.slice(k)
        middle.children.set(child.label.charCodeAt(0), child)
        node.children.set(code, middle)
        node = middle
      } else node = child
      i += k
    }
    return node
  }
}

function fill<T extends Ordered>(node: Node<T>, inherited: readonly T[]): void {
  // Most nodes hold no entry of their own and share their parent's list instead of copying it.
  node.all = node.own.length === 0 ? inherited : merge(node.own, inherited)
  node.exact = node.exactOwn.length === 0 ? undefined : merge(node.exactOwn, node.all)
  if (node.children.size === 0) return
  let low = Infinity
  let high = -Infinity
  for (const code of node.children.keys()) [low, high] = [Math.min(low, code), Math.max(high, code)]
  node.base = low
  const kids: (Node<T> | undefined)[] = new Array(high - low + 1).fill(undefined)
  for (const [code, kid] of node.children) {
    kids[code - node.base] = kid
    fill(kid, node.all)
  }
  node.kids = kids
}

/** Two sorted lists as one sorted list (entries are distinct objects in disjoint lists). */
function merge<T extends Ordered>(a: readonly T[], b: readonly T[]): T[] {
  const out: T[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    out.push((a[i] as T).order <= (b[j] as T).order ? (a[i++] as T) : (b[j++] as T))
  }
  while (i < a.length) out.push(a[i++] as T)
  while (j < b.length) out.push(b[j++] as T)
  return out
}
