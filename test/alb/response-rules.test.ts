import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatResult } from '../../src/alb/format-result.js'
import { isFinalStatus, isHeaderValue } from '../../src/alb/response-rules.js'
import { originForm } from '../../src/dev/http-exchange.js'
import { checkAlbResult } from '../../src/dev/validate-result.js'
import { Controller, Get, albEvent, createApp, reply } from '../../src/index.js'

// Issue #11 item 11: the handler and `albatross dev` (which mirrors ALB) apply one response rule.
// spec/alb.md §4.7: an invalid result is a 502 LambdaInvalidResponse; §6 #13: a final status is
// an integer 200–599 (1xx is interim, RFC 9110 §15.2); RFC 9110 §5.5: field values hold no
// control characters but tab.

describe('one response rule for the handler and albatross dev', () => {
  it('refuses 1xx statuses in both: the handler answers 500 + onError, dev would answer 502', () => {
    expect(isFinalStatus(101)).toBe(false)
    expect(checkAlbResult({ statusCode: 101 }, 'single').ok).toBe(false)
    const warnings: string[] = []
    const result = formatResult({ status: 103 }, 'single', { onWarning: (m) => warnings.push(m) })
    expect(result.statusCode).toBe(500)
    expect(warnings[0]).toMatch(/200 to 599/)
    expect(() => reply('x', { status: 101 })).toThrow(/200-599/)
  })

  it('refuses control characters other than CR, LF and NUL in header values, as dev does', async () => {
    for (const c of ['\x01', '\x08', '\x0b', '\x1b', '\x7f']) {
      const value = `a${c}b`
      expect(isHeaderValue(value), JSON.stringify(value)).toBe(false)
      expect(checkAlbResult({ statusCode: 200, headers: { 'x-a': value } }, 'single').ok).toBe(false)
      @Controller()
      class Echo {
        @Get('/e')
        e() {
          return reply('ok', { headers: { 'x-a': value } })
        }
      }
      const reported: unknown[] = []
      const app = createApp({ controllers: [Echo], onError: (e) => reported.push(e) })
      const answer = await app.handler(albEvent({ path: '/e' }))
      expect(answer.statusCode, JSON.stringify(value)).toBe(500)
      expect(reported).toHaveLength(1)
      expect(checkAlbResult(answer, 'single').ok).toBe(true)
    }
  })

  it('never formats a result dev would refuse, for any status and header value (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 700 }), fc.double()),
        fc.string({ maxLength: 12, unit: fc.oneof(fc.constantFrom('\t', '\r', '\n', '\0', '\x01', '\x1f', '\x7f', 'é', ' '), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) }),
        fc.constantFrom('single' as const, 'multi' as const),
        (status, value, mode) => {
          const result = formatResult({ status, headers: { 'x-v': value } }, mode)
          const checked = checkAlbResult(result, mode)
          expect(checked.ok, JSON.stringify({ status, value, result })).toBe(true)
          // The value survives exactly when the one rule accepts it.
          const sent = mode === 'multi' ? result.multiValueHeaders?.['x-v']?.[0] : result.headers?.['x-v']
          expect(sent === value).toBe(isHeaderValue(value))
          expect(result.statusCode === status).toBe(isFinalStatus(status))
        },
      ),
      { numRuns: 500 },
    )
  })
})

describe('originForm (albatross dev)', () => {
  // RFC 9112 §3.2.2 absolute-form; RFC 3986 §3.2: the authority ends at `/`, `?` or `#`.
  it('keeps the query of an absolute-form target with no path', () => {
    expect(originForm('http://host?q=1')).toBe('/?q=1')
    expect(originForm('http://host:8080?q=1&r=2')).toBe('/?q=1&r=2')
    expect(originForm('http://host/a?q=1')).toBe('/a?q=1')
    expect(originForm('http://host')).toBe('/')
    expect(originForm('/a?b')).toBe('/a?b')
  })
})
