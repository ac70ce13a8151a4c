import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileRouter } from '../../src/router/compile.js'
import { regexSegments, segmentEnds, type SegmentPattern } from '../../src/router/regex-segments.js'
import { createNaiveMatcher } from '../../src/rules/evaluate.js'
import type { AlbCondition, AlbRule, RuleTable } from '../../src/rules/types.js'
import { ruleRequest } from '../rules/rule-request.js'

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

// The scan inside the router: the candidate filed under the regex's literal prefix, its single
// group captured inline (router/candidate.ts segmentCandidate, compile.ts), must pick the rule and
// the params the naive evaluator (rules/evaluate.ts, which runs the RegExp) picks, for paths
// that nearly match: empty, doubled and trailing slashes, an encoded slash, a trailing newline,
// another case, non-ASCII and lone surrogates, very long segments.
describe('compileRouter on one-segment regex routes', () => {
  const literal = fc.constantFrom('/users', '/Users', '/u', '/a.b', '/a\\.b', '\\/v1', '/x-y', '/orders', '/')
  const group = fc.constantFrom('(?<id>[^/]+)', '(?<org>[^\\/]+)', '([^/]+)', '(?<n>[^/]+)')
  /** `^` literal (group `/`literal…)* `$`: the grammar regexSegments accepts, and near variants. */
  const source = fc
    .tuple(literal, fc.array(fc.tuple(group, fc.constantFrom('', '/', '/orders', '/me', '/a.b', '\\/x')), { minLength: 1, maxLength: 3 }))
    .map(([head, rest]) => {
      // A group name appears once per regex; later repeats are made unnamed.
      const seen = new Set<string>()
      const body = rest.map(([g, after]) => {
        const name = /\?<(\w+)>/.exec(g)?.[1]
        const unique = name === undefined || !seen.has(name) ? g : '([^/]+)'
        if (name !== undefined) seen.add(name)
        return unique + after
      })
      return `^${head}/${body.join('/')}$`.replace('//(', '/(')
    })
  const text = fc.constantFrom('42', 'me', 'A', '', 'a/b', '%2F', '%2f', 'é', '\u{1F985}', '\uD800', 'x'.repeat(300), '42\n', 'a b', 'orders')
  /** A path the regex is written for, its groups filled with `texts`, then perhaps disturbed. */
  const pathFor = (src: string, texts: readonly string[], twist: number): string => {
    let i = 0
    const filled = src
      .slice(1, -1)
      .replace(/\((?:\?<\w+>)?\[\^\\?\/\]\+\)/g, () => texts[i++ % texts.length] as string)
      .replace(/\\(.)/g, '$1')
    switch (twist) {
      case 1: return `${filled}/`
      case 2: return `${filled}\n`
      case 3: return filled.replace('/', '//')
      case 4: return filled.toUpperCase()
      case 5: return filled.slice(0, -1)
      default: return filled
    }
  }
  const rules = fc.array(fc.record({ sources: fc.array(source, { minLength: 1, maxLength: 2 }), method: fc.boolean() }), { minLength: 1, maxLength: 6 })

  it('picks the rule and params the evaluator picks (1,000 generated tables)', () => {
    fc.assert(
      fc.property(
        rules,
        fc.array(fc.tuple(fc.nat(), fc.array(text, { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 12 }),
        (specs, paths) => {
          const table: RuleTable = {
            rules: specs.map((spec, id): AlbRule => {
              const conditions: AlbCondition[] = [{ type: 'path-pattern', values: [], regexValues: spec.sources }]
              if (spec.method) conditions.push({ type: 'http-request-method', values: ['GET'] })
              const captures = [...(spec.sources[0] as string).matchAll(/\?<(\w+)>/g)].map((m) => m[1] as string)
              return { id, priority: id + 1, conditions, action: { type: 'forward', target: 'default' }, source: `R.r${id}`, captures }
            }),
          }
          const fast = compileRouter(table)
          const naive = createNaiveMatcher(table)
          const sources = specs.flatMap((s) => s.sources)
          for (const [pick, texts, twist] of paths) {
            const path = pathFor(sources[pick % sources.length] as string, texts, twist)
            for (const method of ['GET', 'POST']) {
              const request = ruleRequest({ method })
              const req = { ...request, path }
              const a = fast.match(req)
              const b = naive.match(req)
              expect(a?.rule.id, `${method} ${JSON.stringify(path)}`).toBe(b?.rule.id)
              expect({ ...a?.params }).toEqual({ ...b?.params })
            }
          }
        },
      ),
      { numRuns: 1_000 },
    )
  })
})
