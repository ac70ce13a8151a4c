import { describe, expect, it } from 'vitest'
import { compileCondition } from '../../src/rules/condition.js'
import {
  capturePath,
  checkPathPattern,
  compilePathCapture,
  compilePathMatcher,
} from '../../src/rules/path-pattern.js'
import type { PathPatternCondition } from '../../src/rules/types.js'
import { ruleRequest } from './rule-request.js'

function path(values: string[], regexValues: string[] = []): PathPatternCondition {
  return { type: 'path-pattern', values, regexValues }
}

function matches(pattern: string, value: string): boolean {
  return compilePathMatcher(path([pattern]))(value)
}

// spec/alb.md §2.8, one `it` per path row
describe('compilePathMatcher (spec/alb.md §2.8 examples)', () => {
  it('matches /img/* against paths under /img/ but not /img, /IMG/… or /static/img/…', () => {
    for (const p of ['/img/', '/img/a.jpg', '/img/a/b/c.png']) expect(matches('/img/*', p)).toBe(true)
    for (const p of ['/img', '/IMG/a.jpg', '/static/img/a.jpg']) expect(matches('/img/*', p)).toBe(false)
  })

  it('ignores the query string: /img/* matches /img/x?y=1', () => {
    // spec/alb.md §2.4: the comparand is the path only
    const test = compileCondition(path(['/img/*']))
    expect(test(ruleRequest({ path: '/img/x?y=1' }))).toBe(true)
    expect(test(ruleRequest({ path: '/img?y=/img/x' }))).toBe(false)
  })

  it('matches /api exactly: /api and /api?x=1, never /api/, /api/v1 or /API', () => {
    const test = compileCondition(path(['/api']))
    expect(test(ruleRequest({ path: '/api' }))).toBe(true)
    expect(test(ruleRequest({ path: '/api?x=1' }))).toBe(true)
    for (const p of ['/api/', '/api/v1', '/API']) expect(test(ruleRequest({ path: p }))).toBe(false)
  })

  it('matches / only against /', () => {
    expect(matches('/', '/')).toBe(true)
    expect(matches('/', '/index.html')).toBe(false)
  })

  it('matches /* against every path', () => {
    for (const p of ['/', '/a/b', '/a.b/c?d', '/%20']) expect(matches('/*', p)).toBe(true)
  })

  it('matches /v?/users with exactly one character for ?', () => {
    expect(matches('/v?/users', '/v1/users')).toBe(true)
    expect(matches('/v?/users', '/vX/users')).toBe(true)
    expect(matches('/v?/users', '/v10/users')).toBe(false)
    expect(matches('/v?/users', '/v/users')).toBe(false)
  })

  it('lets the * in /img/*/pics span segments or be empty, but keeps both slashes', () => {
    for (const p of ['/img/a/pics', '/img/a/b/pics', '/img//pics']) expect(matches('/img/*/pics', p)).toBe(true)
    expect(matches('/img/*/pics', '/img/pics')).toBe(false)
  })

  it('matches *.css against /a/b.css but not /a/b.css.map', () => {
    expect(matches('*.css', '/a/b.css')).toBe(true)
    expect(matches('*.css', '/a/b.css.map')).toBe(false)
  })

  it('matches the path regex ^/lang/(en|fr|de)/(.*)$ against /lang/en/about, not /lang/es/about', () => {
    const test = compilePathMatcher(path([], ['^/lang/(en|fr|de)/(.*)$']))
    expect(test('/lang/en/about')).toBe(true)
    expect(test('/lang/es/about')).toBe(false)
  })
})

describe('compilePathMatcher', () => {
  // spec/alb.md §2.4
  it('matches path-pattern case-sensitively', () => {
    expect(matches('/Users/*', '/users/1')).toBe(false)
    expect(matches('/Users/*', '/Users/1')).toBe(true)
  })

  // spec/alb.md §2.4: trailing slash is significant
  it('treats /api and /api/ as different paths', () => {
    expect(matches('/api/', '/api')).toBe(false)
    expect(matches('/api/*', '/api')).toBe(false)
  })

  // spec/alb.md §1.2
  it('ORs values and regex values', () => {
    const test = compilePathMatcher(path(['/a', '/b/*'], ['^/c$', '^/d']))
    for (const p of ['/a', '/b/x', '/c', '/d/e']) expect(test(p)).toBe(true)
    for (const p of ['/ab', '/c/', '/x/d']) expect(test(p)).toBe(false)
  })

  // spec/alb.md §6 #4: regex values are searched unanchored and without flags
  it('searches regex values unanchored and case-sensitively', () => {
    const test = compilePathMatcher(path([], ['users']))
    expect(test('/api/users/1')).toBe(true)
    expect(test('/api/USERS/1')).toBe(false)
  })

  it('matches nothing with no values at all', () => {
    expect(compilePathMatcher(path([]))('/')).toBe(false)
  })
})

describe('checkPathPattern', () => {
  it('accepts every character ALB allows', () => {
    // spec/alb.md §2.4
    expect(checkPathPattern(`/AZaz09_-.$/~"'@:+&*?`)).toEqual([])
    expect(checkPathPattern('*.css')).toEqual([])
  })

  it.each([' ', '%', '=', ';', ',', '(', ')', '!', '#', '[', ']', '\\', 'é'])(
    'rejects %j, which ALB path patterns do not allow',
    (c) => {
      const problems = checkPathPattern(`/a${c}b`)
      expect(problems).toHaveLength(1)
      expect(problems[0]).toContain('ALB path patterns do not allow')
      expect(problems[0]).toContain('rule-condition-types.html')
    },
  )

  it('names a refused space the way the CLI prints it', () => {
    expect(checkPathPattern('/a b')).toEqual([
      `path pattern "/a b" has ' ', which ALB path patterns do not allow (allowed: A-Z a-z 0-9 _ - . $ / ~ " ' @ : + & * ?; https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html); match such paths with * or a regex`,
    ])
  })

  it('lists each refused character once', () => {
    expect(checkPathPattern('/a b%c d%')[0]).toContain(`has ' ', '%',`)
  })

  it('allows 128 characters and refuses 129', () => {
    // spec/alb.md §1.4
    expect(checkPathPattern('/' + 'a'.repeat(127))).toEqual([])
    expect(checkPathPattern('/' + 'a'.repeat(128))[0]).toContain('at most 128')
  })

  it('refuses an empty pattern', () => {
    expect(checkPathPattern('')).toHaveLength(1)
  })

  it('refuses a pattern that cannot start a path', () => {
    expect(checkPathPattern('api/*')[0]).toContain('does not start with / or *')
    expect(checkPathPattern('?api')[0]).toContain('does not start with / or *')
  })

  it('reports a non-string instead of throwing', () => {
    expect(checkPathPattern(42 as unknown as string)).toHaveLength(1)
  })
})

describe('compilePathCapture', () => {
  it('returns the text each * matched, in order', () => {
    expect(capturePath('/users/*/posts/*', '/users/42/posts/7')).toEqual(['42', '7'])
  })

  it('gives the leftmost * the longest text', () => {
    expect(capturePath('/a/*/*', '/a/b/c/d')).toEqual(['b/c', 'd'])
    expect(capturePath('/*-*', '/x-y-z')).toEqual(['x-y', 'z'])
  })

  it('captures empty text where * matched nothing', () => {
    expect(capturePath('/img/*/pics', '/img//pics')).toEqual([''])
  })

  it('does not capture ? and keeps it to one character', () => {
    expect(capturePath('/v?/*', '/v1/users')).toEqual(['users'])
    expect(capturePath('/v?/*', '/v12/users')).toBeUndefined()
  })

  it('returns undefined when the path does not match', () => {
    expect(capturePath('/users/*', '/posts/1')).toBeUndefined()
  })

  it('returns an empty list for a pattern without *', () => {
    expect(compilePathCapture('/users')('/users')).toEqual([])
  })

  it('treats regex metacharacters in the pattern literally', () => {
    expect(capturePath('/a.b/$*', '/a.b/$x')).toEqual(['x'])
    expect(capturePath('/a.b/*', '/axb/x')).toBeUndefined()
  })
})
