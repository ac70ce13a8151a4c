import { describe, expect, it } from 'vitest'
import { attr, blank, block, bool, comment, expr, hclString, keyword, list, num, object, renderHcl, str, toTerraformJson } from '../../src/manifest/hcl.js'

describe('hclString', () => {
  it.each([
    ['plain', '"plain"'],
    ['a\\b', '"a\\\\b"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['${var.x}', '"$${var.x}"'],
    ['%{ if a }', '"%%{ if a }"'],
    ['$1 and #{host} and 100%', '"$1 and #{host} and 100%"'],
    ['$${kept}', '"$$${kept}"'],
    ['tab\there\nnew\u0001', '"tab\\there\\nnew\\u0001"'],
    ['ünïcødé', '"ünïcødé"'],
  ])('quotes %j', (text, expected) => {
    expect(hclString(text)).toBe(expected)
  })
})

describe('renderHcl', () => {
  it('aligns = across consecutive one-line attributes, as terraform fmt does', () => {
    const text = renderHcl([
      block('resource', ['a', 'b'], [
        attr('listener_arn', expr('var.listener_arn')),
        attr('priority', num(10)),
        attr('tags', object([{ key: 'albatross:route', value: str('A.b') }, { key: 'k', value: str('v') }])),
        attr('x', bool(true)),
        blank,
        block('action', [], [attr('type', str('forward')), attr('target_group_arn', expr('var.tg'))]),
      ]),
    ])
    expect(text).toBe(
      [
        'resource "a" "b" {',
        '  listener_arn = var.listener_arn',
        '  priority     = 10',
        '  tags = {',
        '    "albatross:route" = "A.b"',
        '    k                 = "v"',
        '  }',
        '  x = true',
        '',
        '  action {',
        '    type             = "forward"',
        '    target_group_arn = var.tg',
        '  }',
        '}',
        '',
      ].join('\n'),
    )
  })

  it('writes lists on one line and comments with #', () => {
    expect(renderHcl([comment('one\n\ntwo'), attr('depends_on', list([keyword('a.b'), keyword('c.d')]))])).toBe(
      '# one\n#\n# two\ndepends_on = [a.b, c.d]\n',
    )
  })
})

describe('toTerraformJson', () => {
  it('nests labelled blocks, lists nested blocks, and writes references as ${…}', () => {
    const json = toTerraformJson([
      comment('generated'),
      block('variable', ['v'], [attr('type', keyword('string'))]),
      block('resource', ['t', 'n'], [
        attr('a', expr('var.v')),
        attr('s', str('${x}')),
        attr('d', list([keyword('t.m')])),
        block('c', [], [attr('x', num(1))]),
        block('c', [], [attr('x', num(2))]),
      ]),
    ])
    expect(json).toEqual({
      '//': 'generated',
      variable: { v: { type: 'string' } },
      resource: { t: { n: { a: '${var.v}', s: '$${x}', d: ['t.m'], c: [{ x: 1 }, { x: 2 }] } } },
    })
  })
})
