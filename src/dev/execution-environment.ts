import { randomBytes, randomUUID } from 'node:crypto'
import type { ALBEvent, Callback, Context } from 'aws-lambda'

/** A Lambda handler as the Node.js runtime calls it: async, or with a callback. */
export type LambdaHandler = (event: ALBEvent, context: Context, callback: Callback) => unknown

export type InvokeOutcome =
  | { readonly kind: 'result'; readonly value: unknown }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'timeout'; readonly timeoutMs: number }

export interface EnvironmentOptions {
  /** The function's configured timeout. */
  readonly timeoutMs: number
  /** Default `albatross-dev`. */
  readonly functionName?: string
  /** Default 128. */
  readonly memoryLimitInMB?: number
}

const ACCOUNT_AND_REGION = 'us-east-1:123456789012'

/**
 * One Lambda execution environment: it runs one invocation at a time, in arrival order, each
 * with a fresh `Context` and the function's timeout. Real Lambda would start more environments
 * for concurrent requests; one is what a developer can reason about, and it surfaces code that
 * assumes requests never interleave the way they do in production — an environment never runs
 * two at once. A timed-out handler cannot be killed here as Lambda would kill it, so it may keep
 * running in the background while the next invocation starts.
 */
export class ExecutionEnvironment {
  readonly functionName: string
  readonly logStreamName: string
  readonly #timeoutMs: number
  readonly #memory: number
  #tail: Promise<unknown> = Promise.resolve()

  constructor(options: EnvironmentOptions) {
    if (!(options.timeoutMs > 0)) {
      throw new RangeError(`timeout must be positive, got ${options.timeoutMs} ms`)
    }
    this.#timeoutMs = options.timeoutMs
    this.#memory = options.memoryLimitInMB ?? 128
    this.functionName = options.functionName ?? 'albatross-dev'
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/')
    this.logStreamName = `${day}/[$LATEST]${randomBytes(16).toString('hex')}`
  }

  /** Runs `handler` once the previous invocation has finished; never rejects. */
  invoke(handler: LambdaHandler, event: ALBEvent): Promise<InvokeOutcome> {
    const run = this.#tail.then(() => this.#run(handler, event))
    this.#tail = run
    return run
  }

  #run(handler: LambdaHandler, event: ALBEvent): Promise<InvokeOutcome> {
    return new Promise((resolve) => {
      let settled = false
      const settle = (outcome: InvokeOutcome): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resolve(outcome)
      }
      const timeoutMs = this.#timeoutMs
      const deadline = Date.now() + timeoutMs
      const timer = setTimeout(() => settle({ kind: 'timeout', timeoutMs }), timeoutMs)
      const callback: Callback = (error, value) =>
        settle(error === undefined || error === null ? { kind: 'result', value } : { kind: 'error', error })
      let returned: unknown
      try {
        returned = handler(event, this.#context(deadline, callback), callback)
      } catch (error) {
        settle({ kind: 'error', error })
        return
      }
      if (isThenable(returned)) {
        returned.then(
          (value) => settle({ kind: 'result', value }),
          (error: unknown) => settle({ kind: 'error', error }),
        )
      } else if (handler.length < 3) {
        // Not async and takes no callback: what it returned is all it will ever answer.
        settle({ kind: 'result', value: returned })
      }
    })
  }

  #context(deadline: number, callback: Callback): Context {
    const name = this.functionName
    return {
      callbackWaitsForEmptyEventLoop: true,
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${ACCOUNT_AND_REGION}:function:${name}`,
      memoryLimitInMB: String(this.#memory),
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${name}`,
      logStreamName: this.logStreamName,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      // The runtime's legacy completion methods, kept for handlers written against them.
      done: (error?: Error, result?: unknown) => callback(error, result),
      fail: (error: Error | string) => callback(error),
      succeed: (result: unknown) => callback(null, result),
    }
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

/** How Lambda words a timeout: `Task timed out after 3.00 seconds`. */
export function timeoutMessage(timeoutMs: number): string {
  return `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`
}
