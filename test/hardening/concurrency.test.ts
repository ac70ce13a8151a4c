// DTO support (class-transformer, class-validator, reflect-metadata), as an app with DTOs imports it.
import '../../src/dto.js'
import type { ALBResult } from 'aws-lambda'
import { Type } from 'class-transformer'
import { IsInt, IsString, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  Body,
  Controller,
  Cookie,
  Get,
  Header,
  HttpError,
  Param,
  Post,
  Query,
  Req,
  albEvent,
  createApp,
  reply,
  type AlbRequest,
} from '../../src/index.js'
import { assertAlbResult, headerOf, jsonBody } from './alb-result.js'

/** Whatever the current test wants a method to wait on, so invocations overlap in its order. */
let pause: () => Promise<void> = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 4))

@ValidatorConstraint({ async: true })
class SlowCheck implements ValidatorConstraintInterface {
  async validate(value: unknown) {
    await pause()
    return typeof value === 'string' && !value.includes('bad')
  }
  defaultMessage() {
    return 'tag is bad'
  }
}

class Payload {
  @IsString() id!: string
  @Type(() => Number) @IsInt() n!: number
  @Validate(SlowCheck) tag!: string
}

const seen: AlbRequest[] = []

@Controller('/c')
class Echo {
  @Post('/{id}')
  async echo(
    @Param('id') id: string,
    @Query('q') q: string,
    @Header('x-id') header: string,
    @Cookie('id') cookie: string,
    @Body({ type: Payload }) body: Payload,
    @Req() req: AlbRequest,
  ) {
    seen.push(req)
    await pause()
    if (id.startsWith('throw')) throw new Error(`boom ${id}`)
    if (id.startsWith('http')) throw new HttpError(409, `conflict ${id}`)
    await pause()
    return reply(
      { id, q, header, cookie, body: { id: body.id, n: body.n, tag: body.tag }, headers: req.header('x-id'), ip: req.sourceIp },
      { headers: { 'x-echo': id }, cookies: [`id=${id}`] },
    )
  }

  @Get('/plain') plain() { return { ok: true } }
}

const errors: string[] = []
const app = createApp({ controllers: [Echo], onError: (error) => void errors.push(String(error)) })

type Kind = 'ok' | 'throw' | 'http' | 'bad-json' | 'bad-tag' | 'bad-number'

/** One request whose every part carries `id`, so a response can be checked against it alone. */
function request(id: string, kind: Kind, multiValue: boolean) {
  const pathId = kind === 'throw' || kind === 'http' ? `${kind}-${id}` : id
  const body =
    kind === 'bad-json'
      ? `{"id":"${id}",`
      : JSON.stringify({ id, n: kind === 'bad-number' ? `x${id}` : Number(id.replace(/\D/g, '') || 0), tag: kind === 'bad-tag' ? `bad-${id}` : `t-${id}` })
  return albEvent({
    method: 'POST',
    path: `/c/${pathId}?q=${id}`,
    headers: { 'x-id': id, cookie: `id=${id}`, 'content-type': 'application/json' },
    body,
    sourceIp: `10.0.${Number(id.replace(/\D/g, '') || 0) % 256}.1`,
    multiValue,
  })
}

/** Everything a response must say about its own request, and nothing about another's. */
function expectOwnResponse(result: ALBResult, id: string, kind: Kind, multiValue: boolean): void {
  assertAlbResult(result, multiValue ? 'multi' : 'single')
  const n = Number(id.replace(/\D/g, '') || 0)
  switch (kind) {
    case 'ok':
      expect(result.statusCode).toBe(200)
      expect(jsonBody(result)).toEqual({
        id, q: id, header: id, cookie: id, body: { id, n, tag: `t-${id}` }, headers: id, ip: `10.0.${n % 256}.1`,
      })
      expect(headerOf(result, 'x-echo')).toBe(id)
      expect(headerOf(result, 'set-cookie')).toBe(`id=${id}`)
      return
    case 'throw':
      expect(result.statusCode).toBe(500)
      expect(result.body).not.toContain(id)
      return
    case 'http':
      expect(result.statusCode).toBe(409)
      expect(jsonBody(result)['detail']).toBe(`conflict http-${id}`)
      return
    case 'bad-json':
      expect(result.statusCode).toBe(400)
      expect(JSON.stringify(jsonBody(result)['errors'])).toMatch(/not valid JSON/)
      return
    case 'bad-tag':
      expect(result.statusCode).toBe(400)
      expect(jsonBody(result)['errors']).toEqual([{ location: 'body.tag', message: 'tag is bad', constraint: 'SlowCheck', value: `bad-${id}` }])
      return
    case 'bad-number':
      expect(result.statusCode).toBe(400)
      // The strict rule refuses the string before class-transformer's Number() sees it (#12 § 3).
      expect(jsonBody(result)['errors']).toEqual([expect.objectContaining({ location: 'body.n', constraint: 'isNumber' })])
      return
  }
}

const KINDS: Kind[] = ['ok', 'ok', 'ok', 'throw', 'http', 'bad-json', 'bad-tag', 'bad-number']

describe('concurrent invocations', () => {
  it('keeps 2,000 overlapping invocations apart: no response carries another request\'s data', async () => {
    const jobs = Array.from({ length: 2_000 }, (_, i) => ({
      id: `r${i}`,
      kind: KINDS[i % KINDS.length] as Kind,
      multiValue: i % 3 === 0,
    }))
    const results = await Promise.all(jobs.map((job) => app.handler(request(job.id, job.kind, job.multiValue))))
    results.forEach((result, i) => {
      const job = jobs[i] as (typeof jobs)[number]
      expectOwnResponse(result, job.id, job.kind, job.multiValue)
    })
  })

  it('keeps invocations apart under every interleaving fast-check schedules', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.record({ kind: fc.constantFrom(...KINDS), multiValue: fc.boolean() }), { minLength: 2, maxLength: 12 }),
        async (s, jobs) => {
          pause = () => s.schedule(Promise.resolve())
          try {
            const pending = jobs.map((job, i) => app.handler(request(`s${i}`, job.kind, job.multiValue)))
            await s.waitFor(Promise.all(pending))
            const results = await Promise.all(pending)
            results.forEach((result, i) => expectOwnResponse(result, `s${i}`, jobs[i]!.kind, jobs[i]!.multiValue))
          } finally {
            pause = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 4))
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it('gives every invocation its own request object', async () => {
    seen.length = 0
    await Promise.all(Array.from({ length: 50 }, (_, i) => app.handler(request(`o${i}`, 'ok', false))))
    expect(new Set(seen).size).toBe(50)
    expect(new Set(seen.map((r) => r.header('x-id'))).size).toBe(50)
  })
})

describe('state between invocations', () => {
  it('answers the same request identically before and after a barrage of failing ones', async () => {
    const probe = () => app.handler(request('p1', 'ok', true))
    const before = await probe()
    const bad: unknown[] = [
      null, 42, 'event', [], {}, { httpMethod: 'POST' },
      { ...request('x', 'ok', false), body: 'x'.repeat(1_000_001) },
      { ...request('x', 'ok', false), isBase64Encoded: true, body: '!!' },
      { ...request('x', 'ok', true), path: `/c/${'a'.repeat(20_000)}` },
      request('x1', 'throw', false), request('x2', 'http', true), request('x3', 'bad-json', false),
      request('x4', 'bad-tag', true), request('x5', 'bad-number', false),
    ]
    for (let round = 0; round < 20; round++) {
      for (const event of bad) {
        const result = await app.handler(event as never)
        expect(result.statusCode).toBeGreaterThanOrEqual(400)
      }
    }
    const after = await probe()
    expect(after).toEqual(before)
  })

  it('does not let a caller\'s change to one result leak into the next', async () => {
    const first = await app.handler(albEvent({ path: '/c/plain' }))
    ;(first.headers as Record<string, string>)['content-type'] = 'text/evil'
    first.body = 'changed'
    const second = await app.handler(albEvent({ path: '/c/plain' }))
    expect(second.headers?.['content-type']).toBe('application/json; charset=utf-8')
    expect(second.body).toBe('{"ok":true}')
  })

  it('does not let a change to one event leak into the next', async () => {
    const event = request('e1', 'ok', false)
    const first = await app.handler(event)
    ;(event.headers as Record<string, string>)['x-id'] = 'e2'
    const second = await app.handler(request('e1', 'ok', false))
    expect(second.body).toBe(first.body)
  })

  it('reports each failure to onError once, for its own request only', async () => {
    errors.length = 0
    await Promise.all(Array.from({ length: 40 }, (_, i) => app.handler(request(`f${i}`, i % 2 === 0 ? 'throw' : 'ok', false))))
    expect(errors.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `Error: boom throw-f${i * 2}`).sort())
  })
})
