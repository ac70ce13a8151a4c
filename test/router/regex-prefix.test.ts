import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { regexLiteralAffixes, regexLiteralPrefix } from '../../src/router/regex-prefix.js'

// ALB regex values are an unanchored, flagless search of the path (spec/alb.md §2.7, §6 #4), so
// the index may file a regex under text only when every path it matches starts with that text.

describe('regexLiteralPrefix', () => {
  it.each([
    ['^/users/[^/]+$', '/users/'],
    ['^\\/users\\/(?<id>[^\\/]+)$', '/users/'],
    ['^/v[0-9]+/orders', '/v'],
    ['^/users?/x', '/user'],
    ['^/ab*c', '/a'],
    ['^/ab+c', '/a'],
    ['^/ab{2}', '/a'],
    ['^/a.b', '/a'],
    ['^/api/(.*)$', '/api/'],
    ['^/health$', '/health'],
    ['^/a\\.css', '/a.css'],
    ['^/a\\d', '/a'],
    ['^/a\\x41', '/a'],
  ])('%s starts every match with %j', (source, prefix) => {
    expect(regexLiteralPrefix(source)).toBe(prefix)
  })

  it.each([
    ['/users/[^/]+$', 'not anchored: an unanchored search matches anywhere'],
    ['^/a|/b', 'a top-level alternative is not anchored'],
    ['(^/a)', 'the anchor is inside a group'],
    ['^(/a|/b)', 'a group comes first'],
    ['^[/]a', 'a class comes first'],
    ['', 'empty'],
  ])('%s has no prefix (%s)', (source) => {
    expect(regexLiteralPrefix(source)).toBe('')
  })

  it('keeps alternation inside a group or class after the prefix', () => {
    expect(regexLiteralPrefix('^/lang/(en|fr)/')).toBe('/lang/')
    expect(regexLiteralPrefix('^/x[|]')).toBe('/x')
  })

  // Built from pieces that exercise every stop rule; checked against the RegExp itself.
  it('never claims a prefix a matching path lacks (3,000 generated regexes)', () => {
    const piece = fc.constantFrom('/', 'a', 'b', 'users', '\\/', '\\.', '.', 'a?', 'b*', 'a+', '[^/]+', '(a|b)', '|', 'x{1,2}', '$', '\\d', '-')
    const regex = fc.tuple(fc.boolean(), fc.array(piece, { maxLength: 6 })).map(([anchored, p]) => (anchored ? '^' : '') + p.join(''))
    const path = fc.array(fc.constantFrom('/', 'a', 'b', 'users', '.', '1', '-', 'x'), { maxLength: 8 }).map((p) => p.join(''))
    fc.assert(
      fc.property(regex, fc.array(path, { maxLength: 10 }), (source, paths) => {
        const prefix = regexLiteralPrefix(source)
        const re = new RegExp(source)
        for (const p of paths) if (re.test(p)) expect(p.startsWith(prefix)).toBe(true)
        // And the regex's own shortest matches: the prefix itself followed by anything.
        for (const p of [prefix, `${prefix}a`, `${prefix}/`]) if (re.test(p)) expect(p.startsWith(prefix)).toBe(true)
      }),
      { numRuns: 3_000 },
    )
  })

  // `$` without flags is the end of the path (spec/alb.md §2.7: no flags), so a regex that is one
  // sequence (no top-level `|`) ending in plain characters and `$` only matches paths ending in them.
  it.each([
    ['^/users/(?<id>[^/]+)/orders$', '/users/', '/orders'],
    ['^\\/users\\/(?<id>[^\\/]+)\\/orders$', '/users/', '/orders'],
    ['^/users/[^/]+$', '/users/', ''],
    ['^/health$', '/health', ''],
    ['^/a.*\\.css$', '/a', '.css'],
    ['^/a.*b\\$', '/a', ''],
    ['^/a.*\\\\$', '/a', '\\'],
    ['^/a.*x?$', '/a', ''],
    ['^/a.*(b)$', '/a', ''],
    ['^/a.*[b]$', '/a', ''],
    ['^/a.*b{2}$', '/a', ''],
    ['^/a.*\\d$', '/a', ''],
    ['^/ab|cd$', '', ''],
    ['css$', '', 'css'],
  ])('%s starts with %j and ends with %j', (source, prefix, suffix) => {
    expect(regexLiteralAffixes(source)).toEqual({ prefix, suffix })
  })

  it('never claims a suffix a matching path lacks, nor one overlapping the prefix (3,000 generated regexes)', () => {
    const piece = fc.constantFrom('/', 'a', 'b', 'ab', '\\/', '\\.', '\\\\', '\\$', '.', 'a?', 'b*', '[^/]+', '(a|b)', '|', 'x{1,2}', '\\d', '-', '([^/]*)')
    const regex = fc
      .tuple(fc.boolean(), fc.array(piece, { maxLength: 6 }), fc.boolean())
      .map(([anchored, p, end]) => (anchored ? '^' : '') + p.join('') + (end ? '$' : ''))
    const path = fc.array(fc.constantFrom('/', 'a', 'b', 'ab', '.', '\\', '$', '1', '-', 'x'), { maxLength: 8 }).map((p) => p.join(''))
    fc.assert(
      fc.property(regex, fc.array(path, { maxLength: 10 }), (source, paths) => {
        const { prefix, suffix } = regexLiteralAffixes(source)
        const re = new RegExp(source)
        for (const p of [...paths, prefix + suffix, `${prefix}a${suffix}`, `${prefix}/${suffix}`, suffix]) {
          if (!re.test(p)) continue
          expect(p.startsWith(prefix)).toBe(true)
          expect(p.endsWith(suffix)).toBe(true)
          expect(p.length).toBeGreaterThanOrEqual(prefix.length + suffix.length)
        }
      }),
      { numRuns: 3_000 },
    )
  })
})
