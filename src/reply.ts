import { isValidStatus } from './alb/status.js'

// Symbol.for, so a reply made by a second copy of the package is still recognised (as isHttpError).
const REPLY: unique symbol = Symbol.for('albatross.reply') as never

export interface ReplyOptions {
  /** Default: the route's `@HttpCode`, else 200 (204 without a body). */
  readonly status?: number
  /** Header name → value, or values sent as repeated headers; `undefined`/`null` sends none. */
  readonly headers?: Readonly<Record<string, string | readonly string[] | undefined | null>>
  /** `Set-Cookie` values, one cookie each. */
  readonly cookies?: readonly string[]
}

/** A controller's return value that carries status, headers and cookies along with the body. */
export interface Reply<T = unknown> extends ReplyOptions {
  readonly [REPLY]: true
  readonly body: T
}

/**
 * Return from a controller method to set the status, headers or cookies of the response. The
 * body is serialised like any other return value.
 *
 * @example
 * return reply(order, {
 *   status: 201,
 *   headers: { location: `/orders/${order.id}` },
 *   cookies: ['seen=1; Path=/; HttpOnly'],
 * })
 */
export function reply<T = undefined>(body?: T, options: ReplyOptions = {}): Reply<T> {
  const status = options.status
  if (status !== undefined && !isValidStatus(status)) {
    throw new RangeError(`reply status must be an integer 200-599 (a final status), got ${String(status)}`)
  }
  const { headers, cookies } = options
  return { [REPLY]: true, body: body as T, status, headers, cookies }
}

/** True for a value made by `reply()`. */
export function isReply(value: unknown): value is Reply {
  if (typeof value !== 'object' || value === null) return false
  return (value as { [REPLY]?: unknown })[REPLY] === true
}
