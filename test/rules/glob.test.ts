import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileGlobs, countWildcards, globToRegExp, quoteChars } from '../../src/rules/glob.js'

describe('globToRegExp', () => {
  // spec/alb.md §2.0
  it('anchors the pattern at both ends', () => {
    const re = globToRegExp('*Chrome*')
    expect(re.test('Mozilla Chrome/120')).toBe(true)
    expect(globToRegExp('Chrome').test('Mozilla Chrome/120')).toBe(false)
    expect(globToRegExp('/foo/*').test('/foo')).toBe(false)
  })

  it('lets * match zero or more characters across / and .', () => {
    const re = globToRegExp('/img/*')
    expect(re.test('/img/')).toBe(true)
    expect(re.test('/img/a/b.png')).toBe(true)
    expect(re.test('/img/a b')).toBe(true)
  })

  it('lets ? match exactly one character', () => {
    const re = globToRegExp('/v?')
    expect(re.test('/v1')).toBe(true)
    expect(re.test('/v')).toBe(false)
    expect(re.test('/v10')).toBe(false)
  })

  it('treats regex metacharacters in the pattern literally', () => {
    const re = globToRegExp('/a.b+(c)$[d]{2}|^\\')
    expect(re.test('/a.b+(c)$[d]{2}|^\\')).toBe(true)
    expect(re.test('/axb+(c)$[d]{2}|^\\')).toBe(false)
  })

  it('is case-sensitive unless asked otherwise', () => {
    expect(globToRegExp('/API').test('/api')).toBe(false)
    expect(globToRegExp('/API', { caseInsensitive: true }).test('/api')).toBe(true)
  })

  it('never folds a non-ASCII character onto an ASCII one', () => {
    // U+212A KELVIN SIGN lower-cases to "k"; ALB comparands are ASCII, so it must not match "k".
    expect(globToRegExp('k', { caseInsensitive: true }).test('\u212a')).toBe(false)
  })

  // spec/alb.md §2.5: only query-string has escapes
  it('reads \\* and \\? as literals only with allowEscapes', () => {
    const escaped = globToRegExp('a\\*b', { allowEscapes: true })
    expect(escaped.test('a*b')).toBe(true)
    expect(escaped.test('axb')).toBe(false)
    expect(globToRegExp('a\\?b', { allowEscapes: true }).test('a?b')).toBe(true)
    const plain = globToRegExp('a\\*b')
    expect(plain.test('a\\xyzb')).toBe(true)
    expect(plain.test('a*b')).toBe(false)
  })

  it('keeps a backslash before other characters literal even with allowEscapes', () => {
    expect(globToRegExp('a\\b', { allowEscapes: true }).test('a\\b')).toBe(true)
  })
})

describe('countWildcards', () => {
  // spec/alb.md §1.4
  it('counts every * and ?', () => {
    expect(countWildcards('/a/*/b?/*')).toBe(3)
    expect(countWildcards('/plain')).toBe(0)
  })

  it('does not count escaped wildcards when escapes are allowed', () => {
    expect(countWildcards('a\\*b\\?c*', true)).toBe(1)
    expect(countWildcards('a\\*b', false)).toBe(1)
  })
})

describe('compileGlobs', () => {
  it('matches nothing for an empty list', () => {
    expect(compileGlobs([])('')).toBe(false)
  })

  it('ORs literal and wildcard values', () => {
    const test = compileGlobs(['/a', '/b', '/c/*'])
    expect(test('/a')).toBe(true)
    expect(test('/b')).toBe(true)
    expect(test('/c/d')).toBe(true)
    expect(test('/d')).toBe(false)
  })

  it('resolves escapes in literal-only lists', () => {
    const test = compileGlobs(['a\\*b'], { allowEscapes: true })
    expect(test('a*b')).toBe(true)
    expect(test('a\\*b')).toBe(false)
  })

  it('agrees with testing each pattern on its own', () => {
    const char = fc.constantFrom('a', 'B', '/', '.', '*', '?', '\\', '(', '|', '$')
    const text = fc.string({ unit: char, maxLength: 8 })
    fc.assert(
      fc.property(
        fc.array(text, { maxLength: 4 }),
        text,
        fc.boolean(),
        fc.boolean(),
        (patterns, value, caseInsensitive, allowEscapes) => {
          const options = { caseInsensitive, allowEscapes }
          const expected = patterns.some((p) => globToRegExp(p, options).test(value))
          expect(compileGlobs(patterns, options)(value)).toBe(expected)
        },
      ),
      { numRuns: 2000 },
    )
  })
})

describe('quoteChars', () => {
  it('lists each character once, invisible ones by code point', () => {
    expect(quoteChars([' ', '%', ' ', '\t', "'"])).toBe(`' ', '%', U+0009, "'"`)
  })
})

describe('control characters', () => {
  // spec/alb.md §2.0 "rules are applied only to visible ASCII"; §6 #8 recommends treating a
  // comparand with control characters as non-matching.
  it.each(['\x00', '\t', '\n', '\x1f', '\x7f'])('never lets a wildcard match %j', (control) => {
    expect(globToRegExp('/a/*').test(`/a/x${control}y`)).toBe(false)
    expect(globToRegExp('/a/?').test(`/a/${control}`)).toBe(false)
    expect(globToRegExp('/a/*').test('/a/xy')).toBe(true)
  })
})

describe('compileGlobMatcher', () => {
  // The linear-time matcher used for patterns with two or more `*` must agree with the plain
  // RegExp translation of spec/alb.md §2.0 on every input.
  it('agrees with the RegExp translation (fast-check)', async () => {
    const { default: fc } = await import('fast-check')
    const { compileGlobMatcher } = await import('../../src/rules/glob.js')
    const pattern = fc.array(fc.constantFrom('a', 'B', '/', '*', '?', '\\*', '.'), { maxLength: 8 }).map((s) => s.join(''))
    const text = fc.array(fc.constantFrom('a', 'b', 'A', '/', '*', '.', '\n'), { maxLength: 10 }).map((s) => s.join(''))
    fc.assert(
      fc.property(pattern, text, fc.boolean(), fc.boolean(), (p, t, escapes, fold) => {
        const expected = globToRegExp(p, { allowEscapes: escapes, caseInsensitive: fold }).test(t)
        expect(compileGlobMatcher(p, escapes, fold)(t)).toBe(expected)
      }),
      { numRuns: 5000 },
    )
  })

  it('answers a many-star pattern against a hostile comparand (no catastrophic backtracking)', () => {
    const test = compileGlobs(['/a/*/*/*/*/end'])
    expect(test('/a/' + '/'.repeat(16_000) + 'x')).toBe(false)
    expect(test('/a/b/c/d/e/end')).toBe(true)
  })
})
