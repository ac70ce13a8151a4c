import { describe, expect, it } from 'vitest'
import { HttpError, NotFoundError, albEvent, createApp, Controller, Get } from '../src/index.js'

describe('HttpError', () => {
  // Issue #12 § 5: HttpError(404) said "Bad Request".
  it.each([
    [400, 'Bad Request'],
    [401, 'Unauthorized'],
    [404, 'Not Found'],
    [409, 'Conflict'],
    [422, 'Unprocessable Content'],
    [429, 'Too Many Requests'],
    [503, 'Service Unavailable'],
  ])('without a message, says status %i\'s own reason phrase (%s)', (status, phrase) => {
    expect(new HttpError(status).message).toBe(phrase)
  })

  it('says the status class for a code without a registered phrase', () => {
    expect(new HttpError(499).message).toBe('Client Error')
    expect(new HttpError(599).message).toBe('Server Error')
  })

  it('answers problem+json whose detail matches the status it carries', async () => {
    @Controller()
    class Missing {
      @Get('/gone') gone() { throw new HttpError(404) }
      @Get('/nf') nf() { throw new NotFoundError() }
    }
    const app = createApp({ controllers: [Missing] })
    for (const path of ['/gone', '/nf']) {
      const result = await app.handler(albEvent({ path }))
      expect(result.statusCode).toBe(404)
      expect(JSON.parse(result.body ?? '')).toMatchObject({ title: 'Not Found', status: 404, detail: 'Not Found' })
    }
  })
})
