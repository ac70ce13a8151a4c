import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { regexSegments, segmentEnds, type SegmentPattern } from '../../src/router/regex-segments.js'

// ALB regex values are a flagless search of the path (spec/alb.md §2.7); the router tests the
// one-segment ones (`^/users/(?<id>[^/]+)$`) by a scan instead of the RegExp, so the scan must
// accept exactly the paths the RegExp matches and capture exactly its groups.

/** The groups' texts by the scan, or undefined when it finds no match. */
function scan(pattern: SegmentPattern, path: string): string[] | undefined {
  const ends = segmentEnds(pattern, path, true)
  if (ends === undefined) return undefined
  return ends.map((end, g) => {
    const start = g === 0 ? (pattern.literals[0] as string).length : (ends[g - 1] as number) + (pattern.literals[g] as string).length
    return path.slice(start, end)
  })
}

describe('regexSegments', () => {
  it.each([
    ['^/users/(?<id>[^/]+)$', ['/users/', ''], ['id']],
    ['^\\/users\\/(?<id>[^\\/]+)$', ['/users/', ''], ['id']],
    ['^/users/(?<id>[^/]+)/orders$', ['/users/', '/orders'], ['id']],
    ['^/orgs/(?<org>[^/]+)/members/(?<id>[^/]+)$', ['/orgs/', '/members/', ''], ['org', 'id']],
    ['^/a\\.b/([^/]+)$', ['/a.b/', ''], [null]],
  ])('reads %s as literals %j around groups %j', (source, literals, groups) => {
    expect(regexSegments(source)).toEqual({ literals, groups })
  })

  it.each([
    ['/users/(?<id>[^/]+)$', 'not anchored at the start'],
    ['^/users/(?<id>[^/]+)', 'not anchored at the end'],
    ['^/users/(?<id>[^/]+)\\$', 'the last $ is escaped'],
    ['^/users$', 'no group'],
    ['^/users/(?<id>[^/]*)$', 'a group that may be empty'],
    ['^/users/(?<id>[0-9]+)$', 'another class'],
    ['^/users/(?<id>.+)$', 'a dot'],
    ['^/users/(?<id>[^/]+)\\.json$', 'text after a group that does not start with /'],
    ['^/u/(?<a>[^/]+)(?<b>[^/]+)$', 'two groups side by side'],
    ['^/users?/(?<id>[^/]+)$', 'a quantified literal'],
    ['^/a|/b/(?<id>[^/]+)$', 'alternation'],
    ['^/users/(?:[^/]+)$', 'a non-capturing group'],
    ['^/users/(?<1d>[^/]+)$', 'an invalid group name'],
    ['^/\\d/(?<id>[^/]+)$', 'a letter escape'],
    ['^/a b/(?<id>[^/]+)$', 'a space'],
  ])('refuses %s (%s)', (source) => {
    expect(regexSegments(source)).toBeUndefined()
  })

  // Generated from pieces that exercise every rule of the grammar, accepted or not; each accepted
  // source is checked against the RegExp on paths made of the same pieces.
  it('matches and captures exactly as the RegExp does (3,000 generated regexes)', () => {
    const piece = fc.constantFrom(
      '/', 'a', 'users', '\\/', '\\.', '-', '.', 'a?', '(?<id>[^/]+)', '(?<x>[^\\/]+)', '([^/]+)', '[^/]+', '(?<y>[^/]*)',
    )
    const source = fc.array(piece, { minLength: 1, maxLength: 7 }).map((p) => `^${p.join('')}$`)
    const path = fc
      .array(fc.constantFrom('/', 'a', 'users', '.', '-', '42', '', '\t', 'é'), { maxLength: 9 })
      .map((p) => p.join(''))
    let accepted = 0
    fc.assert(
      fc.property(source, fc.array(path, { maxLength: 12 }), (src, paths) => {
        let re: RegExp
        try {
          re = new RegExp(src)
        } catch {
          return
        }
        const pattern = regexSegments(src)
        if (pattern === undefined) return
        accepted++
        const shortest = pattern.literals.join('x')
        for (const p of [...paths, shortest, `${shortest}/`, pattern.literals.join('')]) {
          const found = re.exec(p)
          expect(scan(pattern, p)).toEqual(found === null ? undefined : found.slice(1))
        }
      }),
      { numRuns: 3_000 },
    )
    expect(accepted).toBeGreaterThan(100)
  })
})
