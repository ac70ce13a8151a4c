import { reasonPhrase } from './alb/status.js'

/** Fields every albatross error carries: a stable `code` (Node's `ERR_SOME_THING` form). */
export class AlbatrossError extends Error {
  override name = 'AlbatrossError'
  readonly code: string
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

export interface HttpErrorOptions {
  /** Extra members of the problem+json body (RFC 9457 extension members). */
  readonly details?: Readonly<Record<string, unknown>>
  readonly cause?: unknown
  /** Response headers the answer needs (`www-authenticate` on a 401, `retry-after` on a 503). */
  readonly headers?: Readonly<Record<string, string>>
}

/**
 * Throw from a controller method to answer with `status` as `application/problem+json`.
 *
 * @example
 * throw new HttpError(409, 'Order already shipped', { details: { orderId } })
 */
export class HttpError extends Error {
  override name = 'HttpError'
  readonly code = 'ERR_HTTP'
  readonly status: number
  readonly details: Readonly<Record<string, unknown>> | undefined
  readonly headers: Readonly<Record<string, string>> | undefined
  constructor(status: number, message?: string, options?: HttpErrorOptions) {
    super(message ?? defaultTitle(status), options?.cause === undefined ? undefined : { cause: options.cause })
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`HttpError status must be an integer 400-599, got ${String(status)}`)
    }
    this.status = status
    this.details = options?.details
    this.headers = options?.headers
  }
}

/** The status's own reason phrase (404 "Not Found"), or its class for an unregistered code. */
function defaultTitle(status: number): string {
  return reasonPhrase(status) ?? (status < 500 ? 'Client Error' : 'Server Error')
}

// Each call is marked pure, so a bundle keeps only the classes the app uses (issue #18).
const subclass = (status: number, name: string) =>
  class extends HttpError {
    override name = name
    constructor(message?: string, options?: HttpErrorOptions) {
      super(status, message ?? name.replace(/Error$/, '').replace(/(?<=[a-z])(?=[A-Z])/g, ' '), options)
    }
  }

/** 400. @example throw new BadRequestError('page must be positive') */
export const BadRequestError = /* @__PURE__ */ subclass(400, 'BadRequestError')
/** 401. @example throw new UnauthorizedError() */
export const UnauthorizedError = /* @__PURE__ */ subclass(401, 'UnauthorizedError')
/** 403. @example throw new ForbiddenError('Admins only') */
export const ForbiddenError = /* @__PURE__ */ subclass(403, 'ForbiddenError')
/** 404. @example throw new NotFoundError(`No user ${id}`) */
export const NotFoundError = /* @__PURE__ */ subclass(404, 'NotFoundError')
/** 409. @example throw new ConflictError('Email taken') */
export const ConflictError = /* @__PURE__ */ subclass(409, 'ConflictError')

/** True for an HttpError, also one from a second copy of the package. */
export function isHttpError(value: unknown): value is HttpError {
  return (
    value instanceof HttpError ||
    (value instanceof Error && (value as { code?: unknown }).code === 'ERR_HTTP' &&
      typeof (value as { status?: unknown }).status === 'number')
  )
}
