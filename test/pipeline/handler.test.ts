import { describe, expect, it } from 'vitest'
import { albEvent } from '../../src/index.js'
import { lambdaHandler, type Respond } from '../../src/pipeline/handler.js'
import type { ALBResult } from '../../src/alb/types.js'

// The Lambda handler around an app's respond: always a promise of an ALB result in the event's
// header mode, whatever respond does (DESIGN.md: `(event, context) => Promise<ALBResult>`).
describe('lambdaHandler', () => {
  const ok: ALBResult = { statusCode: 200, statusDescription: '200 OK', headers: {}, body: 'ok', isBase64Encoded: false }

  function handlerWith(respond: Respond) {
    const failures: unknown[] = []
    const handler = lambdaHandler(respond, (error) => void failures.push(error))
    return { handler, failures }
  }

  it('resolves with what a synchronous respond answers, given the parsed request and the context', async () => {
    const seen: string[] = []
    const { handler } = handlerWith((request, context) => {
      seen.push(`${request.method} ${request.path} ${String((context as { id?: string } | undefined)?.id)}`)
      return ok
    })
    const answer = handler(albEvent({ path: '/users' }), { id: 'ctx' } as never)
    expect(answer).toBeInstanceOf(Promise)
    expect(await answer).toBe(ok)
    expect(seen).toEqual(['GET /users ctx'])
  })

  it('resolves with what an asynchronous respond resolves with', async () => {
    const { handler } = handlerWith(async () => ok)
    expect(await handler(albEvent({ path: '/' }))).toBe(ok)
  })

  it('answers an event that is not an ALB request 400 without calling respond', async () => {
    let called = false
    const { handler } = handlerWith(() => ((called = true), ok))
    const result = await handler({ httpMethod: 'GET' } as never)
    expect(result.statusCode).toBe(400)
    expect(result.body).toContain('no string path')
    expect(called).toBe(false)
  })

  it.each([false, true])('reports a respond that throws and answers 500 in the event\'s mode (multi-value %s)', async (multiValue) => {
    const bug = new Error('bug')
    const { handler, failures } = handlerWith(() => {
      throw bug
    })
    const result = await handler(albEvent({ path: '/', multiValue }))
    expect(result.statusCode).toBe(500)
    expect(multiValue ? result.multiValueHeaders : result.headers).toBeDefined()
    expect(failures).toEqual([bug])
  })

  it('reports a respond whose promise rejects and answers 500', async () => {
    const bug = new Error('late bug')
    const { handler, failures } = handlerWith(() => Promise.reject(bug))
    expect((await handler(albEvent({ path: '/' }))).statusCode).toBe(500)
    expect(failures).toEqual([bug])
  })

  it('rejects only when reporting the failure throws too', async () => {
    const handler = lambdaHandler(
      () => {
        throw new Error('bug')
      },
      () => {
        throw new Error('reporter down')
      },
    )
    await expect(handler(albEvent({ path: '/' }))).rejects.toThrow('reporter down')
  })
})
