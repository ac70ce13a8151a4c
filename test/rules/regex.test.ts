import { describe, expect, it } from 'vitest'
import { checkAlbRegex, compileRegex, compileRegexes } from '../../src/rules/regex.js'

function problemsOf(source: string | RegExp): string {
  return checkAlbRegex(source).join('\n')
}

describe('checkAlbRegex', () => {
  it.each([
    '^/api/(.*)$',
    '^(.*)\\.example\\.com$',
    '.+',
    '^/v[0-9]+/orders(/[^?]*)?(\\?.*)?$',
    '^/lang/(en|fr|de)/(.*)$',
    '^/users/(?<id>[0-9]+)$',
    '^(?:a|b){2,3}?\\d\\w\\s\\b\\B\\D\\W\\S$',
    '^a{3}b{1,}c{0,1000}$',
    '[\\]\\[\\-a-z\\d]',
    '\\x41\\n\\t\\r\\f\\v\\/\\.',
    'a{',
    'a*?b+?c??',
  ])('accepts %j, which ALB and JS read alike', (source) => {
    expect(checkAlbRegex(source)).toEqual([])
  })

  // spec/alb.md §1.4, §2.7: constructs ALB lists as unsupported
  it.each([
    ['(?=a)', 'lookahead'],
    ['(?!a)', 'lookahead'],
    ['(?<=a)b', 'lookbehind'],
    ['(?<!a)b', 'lookbehind'],
    ['(a)\\1', 'backreference'],
    ['(?<n>a)\\k<n>', 'named backreference'],
    ['(?P<n>a)(?P=n)', 'named backreference'],
    ['(?>a+)b', 'atomic group'],
    ['a*+b', 'possessive'],
    ['a++b', 'possessive'],
    ['a?+b', 'possessive'],
    ['a{2}+b', 'possessive'],
    ['(a)(?1)', 'subroutine'],
    ['(?<n>a)(?&n)', 'subroutine'],
    ['(?<n>a)(?P>n)', 'subroutine'],
    ['a(?R)?b', 'recursion'],
    ['\\p{L}+', 'Unicode property'],
    ['\\P{Lu}', 'Unicode property'],
    ['[\\p{L}]', 'Unicode property'],
  ])('rejects %j (%s)', (source, what) => {
    const problems = problemsOf(source)
    expect(problems).toContain(what)
    expect(problems).toContain('listener-rules.html')
  })

  // spec/alb.md §6 #4: syntax JS and an RE2-class engine read differently
  it.each([
    ['(?P<n>a)', 'write (?<name>…)'],
    ['(?i)abc', 'inline flags'],
    ['(?i:abc)', 'inline flags'],
    ['(?s)a.b', 'inline flags'],
    ['\\u0041', '"\\u" escape'],
    ['\\x{41}', 'two hex digits'],
    ['\\x4', 'two hex digits'],
    ['\\cJ', 'escape "\\c"'],
    ['\\Aabc\\z', 'escape "\\A"'],
    ['\\Qa.b\\E', 'escape "\\Q"'],
    ['\\e', 'escape "\\e"'],
    ['[\\b]', 'escape "\\b"'],
    ['\\0', 'octal'],
    ['[^]', '"[^]"'],
    ['[]a]', '"[]"'],
    ['[[:alpha:]]', 'unescaped "["'],
    ['a{,3}', 'quantifier "{,3}"'],
    ['a{1001}', 'above 1000'],
    ['(?#comment)', 'group syntax'],
    ['(?<a-b>x)', 'group name'],
    ['(?<$x>x)', 'group name'],
    ['caf\u00e9', 'visible ASCII'],
    ['[\u{1f600}]', 'visible ASCII'],
    ['a\tb', 'visible ASCII'],
  ])('rejects %j (%s)', (source, what) => {
    expect(problemsOf(source)).toContain(what)
  })

  it('rejects a regex that does not compile', () => {
    expect(problemsOf('(a')).toContain('does not compile')
    expect(problemsOf('*a')).toContain('does not compile')
  })

  it('rejects flags on a RegExp: ALB has none', () => {
    expect(problemsOf(/abc/i)).toContain('take no flags')
    expect(checkAlbRegex(/^\/api$/)).toEqual([])
  })

  it('allows 128 characters and refuses 129', () => {
    expect(checkAlbRegex('a'.repeat(128))).toEqual([])
    expect(problemsOf('a'.repeat(129))).toContain('at most 128')
  })

  it('refuses an empty regex', () => {
    expect(problemsOf('')).toContain('empty')
  })

  it('reports a non-string instead of throwing', () => {
    expect(checkAlbRegex(5 as unknown as string)).toHaveLength(1)
  })

  it('reports each kind of problem once', () => {
    expect(checkAlbRegex('(?=a)(?=b)(?=c)')).toHaveLength(1)
  })
})

describe('compileRegexes', () => {
  // spec/alb.md §6 #4
  it('searches unanchored, without flags', () => {
    const test = compileRegexes(['b+'])
    expect(test('abbbc')).toBe(true)
    expect(test('ABC')).toBe(false)
  })

  it('ORs several regexes and matches nothing when empty', () => {
    const test = compileRegexes(['^a$', '^b$'])
    expect(test('b')).toBe(true)
    expect(test('c')).toBe(false)
    expect(compileRegexes([])('a')).toBe(false)
  })

  it('gives the same answer on repeated calls (no lastIndex state)', () => {
    const test = compileRegexes(['a'])
    expect([test('a'), test('a'), test('a')]).toEqual([true, true, true])
  })

  it('throws a clear error for a regex that does not compile', () => {
    expect(() => compileRegex('(')).toThrow(/regex "\(" does not compile/)
  })
})
