// DTO support (class-transformer, class-validator, reflect-metadata), as an app with DTOs imports it.
import '../../src/dto.js'
import { Exclude, Expose, Type } from 'class-transformer'
import { describe, expect, it } from 'vitest'
import { internalErrorResponse, problemResponse, serializeResult } from '../../src/binding/result.js'
import { HttpError, NotFoundError } from '../../src/http-error.js'
import { isReply, reply } from '../../src/reply.js'

const route = { httpCode: undefined }
const json = (response: { body?: string | Uint8Array }) => JSON.parse(response.body as string) as unknown

class Address {
  city = 'Oslo'
  @Exclude() door = '4B'
}

class User {
  id = 1
  @Exclude() password = 'hunter2'
  @Expose({ name: 'display_name' }) displayName = 'Ada'
  @Type(() => Address) address = new Address()
  created = new Date('2024-01-02T03:04:05Z')
}

describe('serializeResult', () => {
  it('answers undefined with 204 and no body, or the route @HttpCode', () => {
    expect(serializeResult(undefined, route, 'GET')).toEqual({ status: 204 })
    expect(serializeResult(undefined, { httpCode: 202 }, 'POST')).toEqual({ status: 202 })
  })

  it('sends strings as text/plain UTF-8', () => {
    expect(serializeResult('héllo', route, 'GET')).toEqual({
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: 'héllo',
    })
  })

  it('sends Buffer and Uint8Array as application/octet-stream bytes', () => {
    const bytes = new Uint8Array([1, 2, 255])
    for (const value of [bytes, Buffer.from(bytes)]) {
      const response = serializeResult(value, route, 'GET')
      expect(response.headers).toEqual({ 'content-type': 'application/octet-stream' })
      expect(Buffer.from(response.body as Uint8Array)).toEqual(Buffer.from(bytes))
    }
  })

  it.each([
    [{ a: 1, b: [true, null] }, '{"a":1,"b":[true,null]}'],
    [[1, 'x'], '[1,"x"]'],
    [42, '42'],
    [false, 'false'],
    [null, 'null'],
  ])('sends %j as JSON', (value, body) => {
    expect(serializeResult(value, { httpCode: 201 }, 'POST')).toEqual({
      status: 201,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body,
    })
  })

  it('serialises class instances through instanceToPlain: @Exclude and @Expose apply, nested and in arrays', () => {
    const expected = { id: 1, display_name: 'Ada', address: { city: 'Oslo' }, created: '2024-01-02T03:04:05.000Z' }
    expect(json(serializeResult(new User(), route, 'GET'))).toEqual(expected)
    expect(json(serializeResult([new User()], route, 'GET'))).toEqual([expected])
    expect(json(serializeResult({ user: new User(), count: 1 }, route, 'GET'))).toEqual({ user: expected, count: 1 })
    expect(serializeResult({ user: new User() }, route, 'GET').body).not.toContain('hunter2')
  })

  // RFC 9110 §9.3.2: HEAD gets the GET answer's status and headers without the body.
  it('drops the body of a HEAD answer and keeps status and headers', () => {
    expect(serializeResult({ a: 1 }, route, 'HEAD')).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    })
  })

  it('never sends a body with 204 or 304', () => {
    expect(serializeResult({ a: 1 }, { httpCode: 204 }, 'GET')).not.toHaveProperty('body')
    expect(serializeResult(reply('x', { status: 304 }), route, 'GET')).not.toHaveProperty('body')
  })

  it('throws for a value with no JSON form (the app answers 500)', () => {
    expect(() => serializeResult(Symbol('x'), route, 'GET')).toThrow(TypeError)
    expect(() => serializeResult(10n, route, 'GET')).toThrow(TypeError)
  })
})

describe('reply', () => {
  it('sets status, headers and cookies; the body serialises as usual', () => {
    const response = serializeResult(
      reply(new User(), { status: 201, headers: { Location: '/users/1', 'x-tags': ['a', 'b'] }, cookies: ['s=1; HttpOnly'] }),
      { httpCode: 200 },
      'POST',
    )
    expect(response.status).toBe(201)
    expect({ ...response.headers }).toEqual({
      Location: '/users/1',
      'x-tags': ['a', 'b'],
      'content-type': 'application/json; charset=utf-8',
    })
    expect(response.cookies).toEqual(['s=1; HttpOnly'])
    expect(json(response)).toMatchObject({ id: 1 })
  })

  it('keeps a content-type the method set, in any case', () => {
    const response = serializeResult(reply('<p/>', { headers: { 'Content-Type': 'text/html' } }), route, 'GET')
    expect({ ...response.headers }).toEqual({ 'Content-Type': 'text/html' })
  })

  it('defaults to the route @HttpCode, then 200, then 204 without a body', () => {
    expect(serializeResult(reply({ a: 1 }), { httpCode: 202 }, 'GET').status).toBe(202)
    expect(serializeResult(reply({ a: 1 }), route, 'GET').status).toBe(200)
    expect(serializeResult(reply(undefined, { cookies: ['a=1'] }), route, 'GET')).toEqual({ status: 204, cookies: ['a=1'] })
  })

  // spec/alb.md §4.7: a non-string header value is a 502.
  it('stringifies header values that are not strings, and keeps a __proto__ header as a header', () => {
    const headers = JSON.parse('{"__proto__":"x","x-n":5}') as Record<string, string>
    const response = serializeResult(reply('ok', { headers }), route, 'GET')
    expect(response.headers?.['x-n']).toBe('5')
    expect(Object.hasOwn(response.headers as object, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>)['x-n']).toBeUndefined()
  })

  it('rejects a status outside 200-599', () => {
    expect(() => reply('x', { status: 99 })).toThrow(RangeError)
    expect(() => reply('x', { status: 200.5 })).toThrow(RangeError)
  })

  it('is recognised by isReply, also from another copy of the package', () => {
    expect(isReply(reply())).toBe(true)
    expect(isReply({ body: 1, status: 200 })).toBe(false)
    expect(isReply({ [Symbol.for('albatross.reply')]: true, body: 1 })).toBe(true)
    expect(isReply(null)).toBe(false)
  })
})

describe('problemResponse', () => {
  it('writes RFC 9457 problem+json with the details as extension members', () => {
    const error = new HttpError(400, 'Request validation failed', {
      details: { errors: [{ location: 'query.page', message: 'm', constraint: 'isInt' }] },
    })
    const response = problemResponse(error)
    expect(response.status).toBe(400)
    expect(response.headers).toEqual({ 'content-type': 'application/problem+json' })
    expect(json(response)).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'Request validation failed',
      errors: [{ location: 'query.page', message: 'm', constraint: 'isInt' }],
    })
  })

  it('does not let details replace type, title, status or detail', () => {
    const error = new NotFoundError('No user 7', {
      details: { type: 'https://evil', title: 'x', status: 200, detail: 'y', userId: 7 },
    })
    expect(json(problemResponse(error))).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No user 7',
      userId: 7,
    })
  })

  it('uses the registered reason phrase as title, e.g. 413 Content Too Large', () => {
    expect(json(problemResponse(new HttpError(413, 'big')))).toMatchObject({ title: 'Content Too Large', status: 413 })
  })

  it('has no body for HEAD', () => {
    expect(problemResponse(new HttpError(404), 'HEAD')).toEqual({
      status: 404,
      headers: { 'content-type': 'application/problem+json' },
    })
  })
})

describe('internalErrorResponse', () => {
  it('is a 500 problem without any detail from the error', () => {
    const response = internalErrorResponse()
    expect(response.status).toBe(500)
    expect(json(response)).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500 })
  })
})
