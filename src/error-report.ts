import type { AlbRequest } from './alb/types.js'
import type { ResponseWarningCode } from './alb/format-result.js'

/**
 * What an `onError` report is about. Stable: match on it, not on the message.
 * `ERR_*` reports were answered 500; `WARN_*` reports describe a response that was still sent
 * without something that could not be sent safely.
 */
export type ErrorCode =
  /** A route (binding, method or serialising its value) threw something that is not an HttpError. */
  | 'ERR_ROUTE_FAILED'
  /** The event could not be handled at all (a malformed or hostile event); answered 500. */
  | 'ERR_HANDLER_FAILED'
  /** A response header name or value (or cookie) that would split the header; answered 500. */
  | 'ERR_RESPONSE_HEADER'
  /** A response over ALB's 1 MB or 32 KB-of-headers limit; answered 500 instead of ALB's 502. */
  | 'ERR_RESPONSE_TOO_LARGE'
  /**
   * An `@Authenticate` route could not verify its token: the key could not be fetched (answered
   * 503, retried by the next request) or the verifier could not load (answered 500).
   */
  | 'ERR_AUTH_UNAVAILABLE'
  /** A request to an `@Authenticate` route without a valid token; answered 401, the route never ran. */
  | 'WARN_AUTH_REFUSED'
  /**
   * A single-value event reached an app whose http-header or query-string rules need multi-value
   * mode (spec/alb.md §6 #9): reported once; the request is routed on the last occurrences.
   */
  | 'WARN_SINGLE_VALUE_EVENT'
  /** At createApp: an `@Header(name, value)` routing condition that looks like a response header. */
  | 'WARN_HEADER_CONDITION'
  | ResponseWarningCode

export interface ErrorInfo {
  /** `Controller.method`, when the error came from a route. */
  readonly source?: string
  readonly request?: AlbRequest
  /** Stable identifier of what happened (README § Error codes). */
  readonly code: ErrorCode
  /**
   * `'error'`: the client was answered 500 (503 for ERR_AUTH_UNAVAILABLE). `'warning'`: the
   * response went out, less what is named, or a request was refused (WARN_AUTH_REFUSED).
   */
  readonly level: 'error' | 'warning'
}

export type OnError = (error: unknown, info: ErrorInfo) => void

/**
 * A throwing onError (a logger that is down) must not turn an answer into a Lambda error (ALB
 * 502); nor may a rejecting one (an async log shipper), whose unhandled rejection the Lambda
 * runtime fails the invocation for (Runtime.UnhandledPromiseRejection).
 */
export function guardHook(hook: OnError): OnError {
  return (error, info) => {
    try {
      const returned: unknown = hook(error, info)
      if (typeof returned === 'object' && returned !== null) {
        const then = (returned as { then?: unknown }).then
        if (typeof then === 'function') Reflect.apply(then, returned, [undefined, ignoreFailure])
      }
    } catch {
      // Nothing left to report to.
    }
  }
}

function ignoreFailure(): void {
  // The hook's own failure: nothing left to report to.
}

export function defaultOnError(error: unknown, info: ErrorInfo): void {
  const log = info.level === 'warning' ? console.warn : console.error
  log('[albatross]', info.code, info.source ?? '', error)
}

/** The level a code reports at: warnings are the WARN_ codes. */
export function levelOf(code: ErrorCode): ErrorInfo['level'] {
  return code.startsWith('WARN_') ? 'warning' : 'error'
}
