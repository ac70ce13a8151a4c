import type { Context } from 'aws-lambda'
import { formatResult } from '../alb/format-result.js'
import { parseEvent, safeHeaderModeOf } from '../alb/parse-event.js'
import type { ALBEvent, ALBResult, AlbRequest } from '../alb/types.js'
import { internalErrorResponse, problemResponse } from '../binding/result.js'
import { HttpError } from '../http-error.js'

/** Answers a parsed request: synchronously whenever the route is, so most requests make no promise of their own. */
export type Respond = (request: AlbRequest, context: Context | undefined) => ALBResult | Promise<ALBResult>

/**
 * The Lambda handler around the app's `respond`: parses the event (answering a malformed or
 * oversized one with its 400 / 414 / 431), and turns anything that escapes `respond` — a bug —
 * into a reported 500 in the event's header mode.
 *
 * Not an async function: that allocated a suspendable frame (about 250 bytes, a tenth of what a
 * request allocates) on every request for an await few requests reach, and the garbage cost
 * scavenges (bench/compare.mjs). The promise is the same: resolved with the answer, never
 * rejected unless reporting the failure itself throws.
 */
export function lambdaHandler(respond: Respond, reportFailure: (error: unknown) => void): (event: ALBEvent, context?: Context) => Promise<ALBResult> {
  function failed(error: unknown, event: unknown): Promise<ALBResult> {
    try {
      reportFailure(error)
      return Promise.resolve(formatResult(internalErrorResponse(), safeHeaderModeOf(event)))
    } catch (failure) {
      return Promise.reject(failure)
    }
  }
  // Its own function: the closure capturing `event` made every request allocate a context for it.
  function later(result: Promise<ALBResult>, event: unknown): Promise<ALBResult> {
    return result.then(undefined, (error: unknown) => failed(error, event))
  }
  return (event, context) => {
    try {
      const request = parseEvent(event)
      if ('error' in request) {
        return Promise.resolve(formatResult(problemResponse(new HttpError(request.status, request.error)), request.mode))
      }
      const result = respond(request, context)
      return result instanceof Promise ? later(result, event) : Promise.resolve(result)
    } catch (error) {
      return failed(error, event)
    }
  }
}
