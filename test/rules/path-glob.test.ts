import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileGlobs } from '../../src/rules/glob.js'
import { compileGlobTail, compilePathGlob, type PathGlob } from '../../src/rules/path-glob.js'
import { compilePathCapture } from '../../src/rules/path-pattern.js'

/** The whole test a router runs: the index's prefix check, then what the glob leaves. */
function matches(glob: PathGlob, path: string): boolean {
  if (!path.startsWith(glob.prefix)) return false
  switch (glob.shape) {
    case 'literal':
      return path === glob.prefix
    case 'star':
      return path.length - glob.suffix.length >= glob.prefix.length && path.endsWith(glob.suffix)
    case 'glob':
      return glob.matchesRest(path)
  }
}

function capture(glob: PathGlob, path: string): string[] {
  if (glob.shape === 'literal') return []
  if (glob.shape === 'star') return [path.slice(glob.prefix.length, path.length - glob.suffix.length)]
  return glob.capture(path)
}

// A small alphabet, so that generated paths often match generated patterns, and overlap with
// themselves (`/a/a/`), which is where a greedy placement of a piece could go wrong.
const patternChar = fc.constantFrom('/', 'a', 'b', '.', '*', '?')
const pathChar = fc.constantFrom('/', 'a', 'b', '.', '?', '*')
const pattern = fc.array(patternChar, { maxLength: 10 }).map((cs) => cs.join(''))
const path = fc.array(pathChar, { maxLength: 14 }).map((cs) => cs.join(''))
/** A pattern and a path it matches: each `*` filled with a run, each `?` with one character. */
const matched = pattern.chain((p) =>
  fc
    .tuple(...[...p].map((c) => (c === '*' ? path : c === '?' ? pathChar : fc.constant(c))))
    .map((parts) => ({ pattern: p, path: parts.join('') })),
)

// The router shares one tail among patterns that differ in their prefix alone (router/candidate.ts).
describe('compileGlobTail', () => {
  it('tests and captures what compilePathGlob does, given the prefix length (fast-check)', () => {
    // Patterns whose prefix is all their text before the first `*`, with a path each matches.
    const tailed = matched.filter(({ pattern: p }) => /^[^*?]*\*/.test(p))
    fc.assert(
      fc.property(tailed, path, ({ pattern: p, path: hit }, rest) => {
        const glob = compilePathGlob(p)
        const head = glob.prefix.length
        const tail = compileGlobTail(p.slice(head))
        if (glob.shape !== 'glob') return
        // A path the index would hand over (it starts with the prefix), and one that matches.
        const value = glob.prefix + rest
        expect(tail.matches(value, head)).toBe(glob.matchesRest(value))
        expect(tail.matches(hit, head)).toBe(true)
        expect(tail.capture(hit, head)).toEqual(glob.capture(hit))
      }),
      { numRuns: 20_000 },
    )
  })

  it('refuses a tail that does not start at a *', () => {
    expect(() => compileGlobTail('/a/*')).toThrow(/starts with its first \*/)
  })
})

describe('compilePathGlob', () => {
  // spec/alb.md §2.0: `*` any run across `/`, `?` one character, the whole path, case-sensitive
  it('agrees with the value-pattern matcher on every control-free path (fast-check)', () => {
    fc.assert(
      fc.property(pattern, path, (p, value) => {
        expect(matches(compilePathGlob(p), value)).toBe(compileGlobs([p])(value))
      }),
      { numRuns: 20_000 },
    )
  })

  it('captures what a backtracking RegExp captures: leftmost * longest (fast-check)', () => {
    fc.assert(
      fc.property(matched, ({ pattern: p, path: value }) => {
        const glob = compilePathGlob(p)
        expect(matches(glob, value)).toBe(true)
        expect(capture(glob, value)).toEqual(compilePathCapture(p)(value))
      }),
      { numRuns: 10_000 },
    )
  })

  it('sorts patterns into the shapes the router tests inline', () => {
    expect(compilePathGlob('/users')).toEqual({ shape: 'literal', prefix: '/users' })
    expect(compilePathGlob('/users/*')).toEqual({ shape: 'star', prefix: '/users/', suffix: '' })
    expect(compilePathGlob('/users/*/orders')).toEqual({ shape: 'star', prefix: '/users/', suffix: '/orders' })
    expect(compilePathGlob('*.css')).toEqual({ shape: 'star', prefix: '', suffix: '.css' })
    expect(compilePathGlob('/users/*/orders/*').shape).toBe('glob')
    expect(compilePathGlob('/v?/users/*').shape).toBe('glob')
  })

  it('keeps the prefix to the text before the first wildcard, ? included', () => {
    expect(compilePathGlob('/v?/users').prefix).toBe('/v')
    expect(compilePathGlob('*').prefix).toBe('')
  })

  it('lets the end of a star pattern not overlap its prefix: /ab*b does not match /ab', () => {
    expect(matches(compilePathGlob('/ab*b'), '/ab')).toBe(false)
    expect(matches(compilePathGlob('/ab*b'), '/abb')).toBe(true)
  })

  it('matches /img/*/pics with the * spanning segments or empty (spec/alb.md §2.8)', () => {
    const glob = compilePathGlob('/img/*/pics/*')
    expect(matches(glob, '/img//pics/')).toBe(true)
    expect(capture(glob, '/img/a/pics/b/pics/c')).toEqual(['a/pics/b', 'c'])
    expect(matches(glob, '/img/pics/')).toBe(false)
  })

  it('gives ? exactly one character and captures only the stars', () => {
    const glob = compilePathGlob('/v?/*/x?')
    expect(matches(glob, '/v1/a/b/xy')).toBe(true)
    expect(capture(glob, '/v1/a/b/xy')).toEqual(['a/b'])
    expect(matches(glob, '/v12/a/xy')).toBe(false)
    expect(matches(compilePathGlob('/v?'), '/v')).toBe(false)
  })

  // Same bound as rules/glob.ts's matcher: each piece is searched once, no backtracking.
  it('answers /w/*/*/*/*/x against 16 K of slashes without backtracking', () => {
    const glob = compilePathGlob('/w/*/*/*/*/x')
    expect(matches(glob, `/w${'/'.repeat(16_000)}`)).toBe(false)
    expect(matches(glob, `/w${'/'.repeat(16_000)}x`)).toBe(true)
    expect(capture(glob, `/w/////x`)).toEqual(['', '', '', ''])
  })
})
