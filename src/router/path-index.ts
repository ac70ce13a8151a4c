import { CONTROL } from '../rules/glob.js'

/**
 * Candidate lists keyed by literal path prefixes, in a radix tree: each edge holds a run of
 * characters, compared in one loop, so a lookup takes a step per branching point
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
  /** Edge text from the parent; empty only at the root. */
  label: string
  readonly children = new Map<number, Node<T>>()
  readonly own: T[] = []
  readonly exactOwn: T[] = []

  constructor(label: string) {
    this.label = label
  }
}

// The built tree is flat: a record of RECORD numbers per node in one Int32Array, children by
// number in another, every label in one string. A lookup at 1,000 routes walks ~5 nodes whose
// objects, child arrays and label strings lay scattered in the heap, cold in the CPU caches
// (~40% of `match`); these few arrays stay cached between requests.
const RECORD = 6
/** Where the node's label starts in `labels`, and its length. */
const LABEL = 0
const LENGTH = 1
/** Char code of the first character of the first child's label; children by it, from there. */
const BASE = 2
/** Where the node's children start in `kids`, and how many slots (-1: no child there). */
const KIDS = 3
const SPAN = 4
/** The node's list in `lists`; the exact one, when it has exact entries, is the next. */
const LIST = 5

export class PathIndex<T extends Ordered> {
  /**
   * The tree `add` grows, until `build` flattens it: then it is let go, since a lookup reads the
   * flat arrays only (its maps and lists held about a third of the router's heap).
   */
  #root: Node<T> | undefined = new Node<T>('')
  #nodes = new Int32Array(RECORD)
  #kids = new Int32Array(0)
  #labels = ''
  /** By node: `all` (own + every ancestor's entries + `always`), then `exact` when it has one. */
  #lists: (readonly T[])[] = [[]]
  /** By node: whether its exact list follows its list. */
  #exact = new Uint8Array(1)

  /**
   * Adds an entry that can match only paths starting with `prefix` (or equal to it, when
   * `exact`). Add entries in ascending order; `build` assumes each node's own lists are sorted.
   */
  add(prefix: string, entry: T, exact: boolean): void {
    if (CONTROL.test(prefix)) throw new Error(`path index: "${prefix}" holds a control character`)
    const root = this.#root
    if (root === undefined) throw new Error('path index: add after build; add every entry first')
    const node = this.#insert(root, prefix)
    ;(exact ? node.exactOwn : node.own).push(entry)
  }

  /** Computes every node's lists; `always` entries are candidates for every path. */
  build(always: readonly T[]): void {
    const root = this.#root
    if (root === undefined) throw new Error('path index: built twice')
    // Parents before children, so each node's list can extend its parent's.
    const order: Node<T>[] = []
    const ids = new Map<Node<T>, number>()
    const parentOf = new Map<Node<T>, Node<T>>()
    const visit = (node: Node<T>): void => {
      ids.set(node, order.length)
      order.push(node)
      node.children.forEach((kid) => {
        parentOf.set(kid, node)
        visit(kid)
      })
    }
    visit(root)
    const nodes = new Int32Array(order.length * RECORD)
    const kids: number[] = []
    const lists: (readonly T[])[] = []
    const exact = new Uint8Array(order.length)
    const all = new Map<Node<T>, readonly T[]>()
    const labels: string[] = []
    let at = 0
    order.forEach((node, id) => {
      const o = id * RECORD
      nodes[o + LABEL] = at
      nodes[o + LENGTH] = node.label.length
      labels.push(node.label)
      at += node.label.length
      // Most nodes hold no entry of their own and share their parent's list instead of copying it.
      const inherited = node === root ? always : (all.get(parentOf.get(node) as Node<T>) as readonly T[])
      const list = node.own.length === 0 ? inherited : merge(node.own, inherited)
      all.set(node, list)
      nodes[o + LIST] = lists.length
      lists.push(list)
      if (node.exactOwn.length > 0) {
        exact[id] = 1
        lists.push(merge(node.exactOwn, list))
      }
      // Map.forEach rather than spreads and a destructuring for…of: this runs once per node of
      // every method's index, and V8 keeps the machine code of what ran that often for good
      // (Sparkplug code is never flushed): shorter bytecode, less heap for the life of a Lambda.
      let base = 0
      let span = 0
      if (node.children.size > 0) {
        let min = Infinity
        let max = -Infinity
        node.children.forEach((_kid, code) => {
          if (code < min) min = code
          if (code > max) max = code
        })
        base = min
        span = max - min + 1
      }
      nodes[o + BASE] = base
      nodes[o + KIDS] = kids.length
      nodes[o + SPAN] = span
      const start = kids.length
      for (let k = 0; k < span; k++) kids.push(-1)
      node.children.forEach((kid, code) => (kids[start + code - base] = ids.get(kid) as number))
    })
    this.#nodes = nodes
    this.#kids = Int32Array.from(kids)
    // One flat string (join, not +=, which would leave a rope of the pieces).
    this.#labels = labels.join('')
    this.#lists = lists
    this.#exact = exact
    this.#root = undefined
  }

  /**
   * Every entry that may match `path`, sorted; undefined when the path holds a control character,
   * which no value pattern matches (spec/alb.md §6 #8, see candidate.ts). Only the part the walk
   * did not compare with edge text needs looking at: the text of indexed values is control-free.
   * Change with care: this runs on every request.
   */
  lookup(path: string): readonly T[] | undefined {
    const nodes = this.#nodes
    const kids = this.#kids
    const labels = this.#labels
    let node = 0
    let i = 0
    const n = path.length
    while (i < n) {
      const o = node * RECORD
      const k = path.charCodeAt(i) - (nodes[o + BASE] as number)
      if (k < 0 || k >= (nodes[o + SPAN] as number)) break
      const next = kids[(nodes[o + KIDS] as number) + k] as number
      if (next < 0) break
      // The label's first character is the one the child was filed under: compare the rest.
      const start = nodes[next * RECORD + LABEL] as number
      const length = nodes[next * RECORD + LENGTH] as number
      if (i + length > n) break
      let j = 1
      while (j < length && labels.charCodeAt(start + j) === path.charCodeAt(i + j)) j++
      if (j < length) break
      i += length
      node = next
    }
    const list = nodes[node * RECORD + LIST] as number
    if (i === n) return this.#lists[this.#exact[node] === 1 ? list + 1 : list]
    for (let k = i; k < n; k++) {
      const code = path.charCodeAt(k)
      if (code < 0x20 || code === 0x7f) return undefined
    }
    return this.#lists[list]
  }

  #insert(root: Node<T>, key: string): Node<T> {
    let node = root
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
  // The index keeps its lists for good: a copy exactly as long (push left room for 16 more).
  return out.slice()
}
