import { describe, expect, it } from 'vitest'
import { describeMultiValueNeed, multiValueNeed } from '../../src/rules/header-mode.js'
import { header, makeTable, pathIs, query } from '../manifest/factories.js'

// Issue #11 item 1: ALB's http-header and query-string conditions match when any occurrence of a
// repeated header or key matches (spec/alb.md §2.2, §2.5); single-value events keep only the last
// (§4.2, §6 #9). So any such condition, or an array parameter, needs multi-value mode.
describe('multiValueNeed', () => {
  it('needs multi-value mode for an http-header condition, with no array parameter anywhere (spec/alb.md §2.2, §6 #9)', () => {
    const need = multiValueNeed(makeTable({ source: 'Bots.block', conditions: [pathIs('/*'), header('X-Bot', ['yes'])] }))
    expect(need).toEqual({ needed: true, reasons: [{ kind: 'http-header', source: 'Bots.block', name: 'x-bot' }] })
  })

  it('needs multi-value mode for a query-string condition, keyed or key-less (spec/alb.md §2.5)', () => {
    const need = multiValueNeed(makeTable({ source: 'S.q', conditions: [query({ key: 'q', value: '*' }, { value: 'a' }, { key: 'q', value: 'b' })] }))
    expect(need.reasons).toEqual([
      { kind: 'query-string', source: 'S.q', name: 'q' },
      { kind: 'query-string', source: 'S.q', name: '*' },
    ])
  })

  it('needs multi-value mode for array parameters the table cannot show', () => {
    const need = multiValueNeed(makeTable({ source: 'A.b' }), [{ source: 'A.b', name: 'tag' }])
    expect(need).toEqual({ needed: true, reasons: [{ kind: 'binds-arrays', source: 'A.b', name: 'tag' }] })
    expect(describeMultiValueNeed(need)).toBe('A.b binds every value of tag')
  })

  it('leaves either mode exact for paths, methods, hosts and source IPs only', () => {
    expect(multiValueNeed(makeTable({ conditions: [pathIs('/a')] }))).toEqual({ needed: false, reasons: [] })
  })
})
