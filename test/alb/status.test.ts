import { STATUS_CODES } from 'node:http'
import { describe, expect, it } from 'vitest'
import { carriesBody, isValidStatus, reasonPhrase, statusDescription } from '../../src/alb/status.js'

describe('statusDescription', () => {
  // spec/alb.md §4.7: the format is "<code> <reason>".
  it.each([
    [200, '200 OK'],
    [201, '201 Created'],
    [204, '204 No Content'],
    [301, '301 Moved Permanently'],
    [404, '404 Not Found'],
    [413, '413 Content Too Large'],
    [422, '422 Unprocessable Content'],
    [500, '500 Internal Server Error'],
    [502, '502 Bad Gateway'],
    [511, '511 Network Authentication Required'],
  ])('describes %i as %j', (code, description) => {
    expect(statusDescription(code)).toBe(description)
  })

  it('agrees with Node on every code whose IANA name has not changed since', () => {
    const renamed = new Set([413, 418, 422, 509])
    for (const [code, phrase] of Object.entries(STATUS_CODES)) {
      if (renamed.has(Number(code))) continue
      expect(reasonPhrase(Number(code))).toBe(phrase)
    }
  })

  // spec/alb.md §6 #13: ALB accepts any description; an unregistered code gets its class name.
  it.each([
    [299, '299 Successful'],
    [306, '306 Redirection'],
    [418, '418 Client Error'],
    [499, '499 Client Error'],
    [599, '599 Server Error'],
    [150, '150 Informational'],
    [600, '600 Unknown'],
    [99, '99 Unknown'],
    [200.5, '200.5 Unknown'],
  ])('describes unregistered %s as %j', (code, description) => {
    expect(statusDescription(code)).toBe(description)
    expect(reasonPhrase(code)).toBeUndefined()
  })

  it('has a phrase for every code from 100 to 599 in some form', () => {
    for (let code = 100; code <= 599; code++) {
      expect(statusDescription(code)).toMatch(new RegExp(`^${code} [A-Z][A-Za-z -]+$`))
    }
  })
})

describe('isValidStatus', () => {
  it('accepts only the integers 200–599, the final statuses ALB relays (issue #11 item 11)', () => {
    expect([99, 100, 199, 200, 599, 600, 200.5, Number.NaN].map(isValidStatus)).toEqual([false, false, false, true, true, false, false, false])
  })
})

describe('carriesBody', () => {
  it('is false for HEAD answers and for 204 and 304 (RFC 9110 §9.3.2, §15.3.5, §15.4.5)', () => {
    expect(carriesBody(200, 'HEAD')).toBe(false)
    expect(carriesBody(204, 'GET')).toBe(false)
    expect(carriesBody(304, 'GET')).toBe(false)
    expect(carriesBody(200, 'GET')).toBe(true)
    expect(carriesBody(205, 'POST')).toBe(true)
  })
})
