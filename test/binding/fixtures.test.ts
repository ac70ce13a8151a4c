import { describe, expect, it } from 'vitest'
import type { ALBEvent } from 'aws-lambda'
import { fixture, fixtureSuite, HAVE_FIXTURES, requestFixtures } from '../alb/fixtures.js'
import { bind, bindOne, param } from './helpers.js'

const event = (file: string) => fixture(file) as unknown as ALBEvent

describe.skipIf(!HAVE_FIXTURES)(fixtureSuite('binding real ALB events'), () => {
  it.each(requestFixtures().map((f) => [f.file, f.json] as const))(
    'binds %s without crashing: arguments or an HttpError',
    async (_file, json) => {
      const defs = [param('query-object'), param('header-object'), param('cookie', 's', { optional: true }), param('body', undefined, { optional: true })]
      const result = await bind(defs, json as unknown as ALBEvent)
      if (result.error !== undefined) expect([400, 413, 415]).toContain(result.error.status)
      else expect(result.args).toHaveLength(4)
    },
  )

  // spec/alb.md §4.2: keys arrive encoded (`date%5Bfrom%5D`); the binder decodes them once.
  it('decodes encoded query keys from a real event', async () => {
    const query = (await bindOne(param('query-object'), event('bref__alb-request-query-encoded-keys.json'))) as Record<string, unknown>
    expect(query['date[from]']).toBe('2019-07-19')
    expect(query['filter[destination][]']).toBe('101')
  })

  it('reads an encoded ISO 8601 date with offset from a real event', async () => {
    const at = await bindOne(param('query', 'testDateTimeOffset', {}, Date), event('aws-lambda-dotnet__alb-request-query-encoded-datetime-bom.json'))
    expect((at as Date).toISOString()).toBe('2019-03-12T16:06:06.549Z')
  })

  // A mixed event: the multi-value field wins (alb/parse-event.ts), so the array has both values.
  it('gives every value of a duplicated encoded key to an array', async () => {
    const file = 'aws-lambda-rust-runtime__alb-request-both-modes-encoded-duplicate-query.json'
    expect(await bindOne(param('query', 'myKey', { type: [String] }), event(file))).toEqual(['?showAll=true', '?showAll=false'])
    expect(await bindOne(param('query', 'myKey', {}, String), event(file))).toBe('?showAll=false')
  })

  it('decodes a base64 form body from a real event', async () => {
    const form = (await bindOne(param('body'), event('elastic-apm-nodejs__alb-request-post-base64-form-body.json'))) as Record<string, unknown>
    expect({ ...form }).toEqual({ ham: 'eggs', myToken: 'sekrit' })
  })
})
