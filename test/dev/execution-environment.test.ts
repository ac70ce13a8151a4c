import type { ALBEvent, Callback, Context } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { albEvent } from '../../src/alb/build-event.js'
import { ExecutionEnvironment, timeoutMessage, type LambdaHandler } from '../../src/dev/execution-environment.js'

const event = albEvent({ path: '/x' })

describe('ExecutionEnvironment', () => {
  it('resolves with what an async handler returns', async () => {
    const environment = new ExecutionEnvironment({ timeoutMs: 1_000 })
    expect(await environment.invoke(async (e) => ({ statusCode: 200, body: e.path }), event)).toEqual({
      kind: 'result',
      value: { statusCode: 200, body: '/x' },
    })
  })

  it('supports callback-style handlers and the context completion methods', async () => {
    const environment = new ExecutionEnvironment({ timeoutMs: 1_000 })
    const viaCallback = (_e: ALBEvent, _c: Context, callback: Callback) => {
      setTimeout(() => callback(null, { statusCode: 201 }), 5)
    }
    expect(await environment.invoke(viaCallback, event)).toEqual({ kind: 'result', value: { statusCode: 201 } })
    const failing = (_e: ALBEvent, _c: Context, callback: Callback) => callback(new Error('nope'))
    const failed = await environment.invoke(failing, event)
    expect(failed.kind === 'error' && (failed.error as Error).message).toBe('nope')
    const succeed: LambdaHandler = (_e, context, _callback) => void context.succeed({ statusCode: 202 })
    expect(await environment.invoke(succeed, event)).toEqual({ kind: 'result', value: { statusCode: 202 } })
  })

  it('reports a synchronous throw and a rejection as function errors', async () => {
    const environment = new ExecutionEnvironment({ timeoutMs: 1_000 })
    const sync = await environment.invoke(() => {
      throw new RangeError('sync')
    }, event)
    expect(sync.kind === 'error' && sync.error).toBeInstanceOf(RangeError)
    const rejected = await environment.invoke(() => Promise.reject('text'), event)
    expect(rejected).toEqual({ kind: 'error', error: 'text' })
  })

  it('times out a handler that runs past the function timeout', async () => {
    const environment = new ExecutionEnvironment({ timeoutMs: 50 })
    expect(await environment.invoke(() => new Promise(() => {}), event)).toEqual({ kind: 'timeout', timeoutMs: 50 })
    expect(timeoutMessage(50)).toBe('Task timed out after 0.05 seconds')
  })

  it('counts the remaining time down from the timeout', async () => {
    const environment = new ExecutionEnvironment({ timeoutMs: 10_000 })
    const outcome = await environment.invoke(async (_e, context) => {
      const before = context.getRemainingTimeInMillis()
      await new Promise((resolve) => setTimeout(resolve, 30))
      return [before, context.getRemainingTimeInMillis()]
    }, event)
    const [before, after] = (outcome as { value: number[] }).value as [number, number]
    expect(before).toBeLessThanOrEqual(10_000)
    expect(before - after).toBeGreaterThanOrEqual(25)
  })

  it('starts an invocation only after the previous one finished, in arrival order', async () => {
    const environment = new ExecutionEnvironment({ timeoutMs: 1_000 })
    const order: string[] = []
    const handler: LambdaHandler = async (e) => {
      order.push(`start ${e.path}`)
      await new Promise((resolve) => setTimeout(resolve, 10))
      order.push(`end ${e.path}`)
      return null
    }
    await Promise.all(['/a', '/b', '/c'].map((path) => environment.invoke(handler, albEvent({ path }))))
    expect(order).toEqual(['start /a', 'end /a', 'start /b', 'end /b', 'start /c', 'end /c'])
  })

  it('refuses a timeout that is not positive', () => {
    expect(() => new ExecutionEnvironment({ timeoutMs: 0 })).toThrow(RangeError)
  })
})
