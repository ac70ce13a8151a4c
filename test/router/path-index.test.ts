import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PathIndex } from '../../src/router/path-index.js'

interface Entry {
  readonly order: number
  readonly prefix: string
  readonly exact: boolean
}

function indexOf(entries: readonly Entry[], always: readonly Entry[] = []): PathIndex<Entry> {
  const index = new PathIndex<Entry>()
  for (const entry of entries) index.add(entry.prefix, entry, entry.exact)
  index.build(always)
  return index
}

/** What the index must return: every entry the path could match, in order. */
function expected(entries: readonly Entry[], always: readonly Entry[], path: string): number[] {
  return [...entries, ...always]
    .filter((e) => (e.exact ? path === e.prefix : path.startsWith(e.prefix)) || always.includes(e))
    .map((e) => e.order)
    .sort((a, b) => a - b)
}

const orders = (list: readonly Entry[] | undefined) => list?.map((e) => e.order)

// Prefixes over a few characters, so that they share, split and nest edges often.
const ascii = fc.constantFrom('/', 'a', 'b', 'ab', 'users', '-')
// The same with another case (paths are case-sensitive), characters whose codes lie far apart (a
// node's children are kept by code, from the lowest), UTF-16 surrogates (paired and lone, split
// anywhere by the labels) and a long run (a label longer than a path that stops inside it).
const wide = fc.oneof(
  { weight: 6, arbitrary: ascii },
  { weight: 1, arbitrary: fc.constantFrom('A', 'Users', '~', ' ', '\u00e9', '\u{1F985}', '\u{1F986}', '\uD83E', '\uDD85', '\uFFFF', 'x'.repeat(40)) },
)
const textOf = (piece: fc.Arbitrary<string>) => fc.array(piece, { maxLength: 5 }).map((s) => s.join(''))
const pathOf = (text: fc.Arbitrary<string>) =>
  fc.oneof(
    text,
    text.map((t) => `/${t}`),
    fc.tuple(text, fc.constantFrom('\x00', '\t', '\x7f'), text).map((parts) => parts.join('')),
  )

describe('PathIndex', () => {
  it.each([
    ['ASCII prefixes', ascii, 5_000],
    ['prefixes with other cases, far-apart codes, surrogates and long labels', wide, 1_000],
  ])('returns the entries whose prefix starts the path or whose exact text is it, in order: %s (fast-check)', (_name, piece, numRuns) => {
    const text = textOf(piece)
    const entries = fc.array(fc.record({ prefix: text.map((t) => `/${t}`), exact: fc.boolean() }), { maxLength: 30 })
    const alwaysCount = fc.integer({ min: 0, max: 3 })
    fc.assert(
      fc.property(entries, alwaysCount, fc.array(pathOf(text), { maxLength: 10 }), (specs, alwaysCount, paths) => {
        // Entries are added in evaluation order, the always ones interleaved by order number.
        const all = specs.map((s, order) => ({ ...s, order: order * 2 }))
        const always = Array.from({ length: alwaysCount }, (_, i) => ({ prefix: '', exact: false, order: i * 7 + 1 }))
        const index = indexOf(all, always)
        for (const p of paths) {
          if (/[\x00-\x1f\x7f]/.test(p)) expect(index.lookup(p)).toBeUndefined()
          else expect(orders(index.lookup(p))).toEqual(expected(all, always, p))
        }
      }),
      { numRuns },
    )
  })

  it('keeps many children of one node apart, and 10,000 entries in order', () => {
    // Every visible ASCII character and a few far beyond it start a child of `/`; each has a
    // subtree of its own, some nested in others, as a 10,000-route table's prefixes are.
    const firsts = [...Array.from({ length: 0x7f - 0x21 }, (_, i) => String.fromCharCode(0x21 + i)), '\u00e9', '\u4e00', '\uD83E', '\uFFFF']
    const entries: Entry[] = []
    for (let i = 0; entries.length < 10_000; i++) {
      const first = firsts[i % firsts.length] as string
      const depth = Math.floor(i / firsts.length)
      entries.push({ order: entries.length, prefix: `/${first}${'/n'.repeat(depth % 7)}${depth}`, exact: i % 3 === 0 })
    }
    const index = indexOf(entries)
    const sample = (p: string) => expect(orders(index.lookup(p))).toEqual(expected(entries, [], p))
    for (let i = 0; i < entries.length; i += 101) {
      const { prefix } = entries[i] as Entry
      for (const p of [prefix, `${prefix}/`, `${prefix}0`, prefix.slice(0, -1), prefix.toUpperCase(), `${prefix}\u{1F985}`]) sample(p)
    }
    sample('/')
    sample('')
  })

  it('splits an edge when a shorter prefix arrives after a longer one', () => {
    const index = indexOf([
      { order: 0, prefix: '/users/', exact: false },
      { order: 1, prefix: '/us', exact: false },
      { order: 2, prefix: '/users-archive/', exact: false },
    ])
    expect(orders(index.lookup('/users/1'))).toEqual([0, 1])
    expect(orders(index.lookup('/users-archive/1'))).toEqual([1, 2])
    expect(orders(index.lookup('/usx'))).toEqual([1])
    expect(orders(index.lookup('/u'))).toEqual([])
  })

  it('uses exact entries only when the whole path is their text', () => {
    const index = indexOf([
      { order: 0, prefix: '/users', exact: true },
      { order: 1, prefix: '/users', exact: false },
    ])
    expect(orders(index.lookup('/users'))).toEqual([0, 1])
    expect(orders(index.lookup('/users/'))).toEqual([1])
    expect(orders(index.lookup('/user'))).toEqual([])
  })

  it('files an empty prefix (a value starting with a wildcard, *.css) under every path', () => {
    const index = indexOf([
      { order: 0, prefix: '/a/', exact: false },
      { order: 1, prefix: '', exact: false },
    ])
    expect(orders(index.lookup('/a/b.css'))).toEqual([0, 1])
    expect(orders(index.lookup(''))).toEqual([1])
  })

  // spec/alb.md §6 #8: no value pattern matches a path holding a control character
  it('refuses a path holding a control character, even after an exact match for its start', () => {
    const index = indexOf([{ order: 0, prefix: '/a', exact: true }])
    expect(index.lookup('/a\n')).toBeUndefined()
    expect(() => new PathIndex().add('/a\x00', { order: 0 }, false)).toThrow(/control character/)
  })

  // build() lets the tree go (lookups read the flat arrays), so entries must all come first
  it('is built once, from every entry added before: a later add or a second build is refused', () => {
    const index = indexOf([{ order: 0, prefix: '/a', exact: false }])
    expect(() => index.add('/b', { order: 1, prefix: '/b', exact: false }, false)).toThrow(/add after build/)
    expect(() => index.build([])).toThrow(/built twice/)
    expect(orders(index.lookup('/a/b'))).toEqual([0])
  })
})
