import { formatJsonResult, formatResult, responseHeaderProblem } from '../alb/format-result.js'
import { responseLimitProblem } from '../alb/limits.js'
import type { ALBResult, AlbRequest, AlbResponse } from '../alb/types.js'
import { internalErrorResponse, jsonResponse, plainJson, problemResponse } from '../binding/result.js'
import { AlbatrossError, isHttpError } from '../http-error.js'
import { levelOf, type ErrorCode, type OnError } from '../error-report.js'
import { routeResponse, type EntryOptions, type RouteEntry } from '../pipeline/route-entry.js'

// Frozen, so the response checks look at its headers once, not on every health check.
export const HEALTH_OK: AlbResponse = Object.freeze({
  status: 200,
  headers: Object.freeze({ 'content-type': 'text/plain; charset=utf-8' }),
  body: 'ok',
})

/** What answering a route reads of its entry. */
export type Answering = Pick<RouteEntry, 'route' | 'method' | 'instance' | 'jsonStatus' | 'responseHeaders'>

/** The end of every request path: call the route, serialise its answer, format the ALB result. */
export interface Responder {
  /** Calls the route with its bound arguments and answers with what it returns or throws. */
  invoke(entry: Answering, args: unknown[], request: AlbRequest): ALBResult | Promise<ALBResult>
  /** The same, once asynchronously bound arguments arrive. */
  invokeLater(entry: Answering, args: Promise<unknown[]>, request: AlbRequest): Promise<ALBResult>
  /** The answer to a failure: an HttpError's problem response, else a reported 500. */
  failed(error: unknown, entry: { readonly route: { readonly source: string } }, request: AlbRequest): ALBResult
  /** The ALB result of a response, or a reported 500 when it could not be sent as it is. */
  finish(response: AlbResponse, request: AlbRequest, source?: string): ALBResult
  /** A problem albatross found itself, reported through onError with its code. */
  report(code: ErrorCode, message: string, request: AlbRequest | undefined, source: string | undefined): void
}

/**
 * The answering half of the request path, shared by the app assembled at createApp
 * (runtime/assemble-app.ts) and albatross/compiled's (compiled/app.ts), so both answer alike.
 * `decorate`: the app's CORS headers for a normal return, when it has CORS.
 */
export function createResponder(onError: OnError, decorate: EntryOptions['decorate']): Responder {
  const options = { decorate }

  function invokeLater(entry: Answering, args: Promise<unknown[]>, request: AlbRequest): Promise<ALBResult> {
    return args.then((bound) => invoke(entry, bound, request), (error: unknown) => failed(error, entry, request))
  }

  function answerLater(entry: Answering, value: Promise<unknown>, request: AlbRequest): Promise<ALBResult> {
    return value.then((resolved: unknown) => answer(resolved, entry, request), (error: unknown) => failed(error, entry, request))
  }

  function invoke(entry: Answering, args: unknown[], request: AlbRequest): ALBResult | Promise<ALBResult> {
    let value: unknown
    try {
      value = Reflect.apply(entry.method, entry.instance, args)
    } catch (error) {
      return failed(error, entry, request)
    }
    if (value instanceof Promise) return answerLater(entry, value, request)
    return answer(value, entry, request)
  }

  function answer(value: unknown, entry: Answering, request: AlbRequest): ALBResult {
    try {
      // The common case — plain data answered as JSON with no CORS headers — skips the generic
      // response model: its only header is a constant the response checks have nothing to find in.
      if (decorate === undefined && entry.jsonStatus !== undefined) {
        const json = plainJson(value)
        if (json !== undefined) {
          return (
            formatJsonResult(entry.jsonStatus, json, request.method, request.mode) ??
            finish(jsonResponse(entry.jsonStatus, json, request.method), request, entry.route.source)
          )
        }
      }
      return finish(routeResponse(value, entry, request, options), request, entry.route.source)
    } catch (error) {
      return failed(error, entry, request)
    }
  }

  function failed(error: unknown, entry: { readonly route: { readonly source: string } }, request: AlbRequest): ALBResult {
    const source = entry.route.source
    if (isHttpError(error)) return finish(problemResponse(error, request.method), request, source)
    onError(error, { source, request, code: 'ERR_ROUTE_FAILED', level: 'error' })
    return finish(internalErrorResponse(request.method), request, source)
  }

  function finish(response: AlbResponse, request: AlbRequest, source?: string): ALBResult {
    const mode = request.mode
    const problem = responseHeaderProblem(response)
    if (problem !== undefined) {
      report('ERR_RESPONSE_HEADER', problem, request, source)
      return formatResult(internalErrorResponse(), mode)
    }
    const result = formatResult(response, mode, { onWarning: (message, code) => report(code, message, request, source) })
    // ALB answers 502 to a response over 1 MB or 32 K of header (spec/alb.md §4.7); a clear 500 is kinder.
    const tooLarge = responseLimitProblem(result)
    if (tooLarge !== undefined) {
      report('ERR_RESPONSE_TOO_LARGE', `${tooLarge}; answered 500 instead of ALB's 502`, request, source)
      return formatResult(internalErrorResponse(), mode)
    }
    return result
  }

  /** A response problem albatross found itself, reported as an error carrying its code. */
  /** `source`: the route that produced the response, so every report about it names it. */
  function report(code: ErrorCode, message: string, request: AlbRequest | undefined, source: string | undefined): void {
    const level = levelOf(code)
    const info = { code, level, ...(request === undefined ? {} : { request }), ...(source === undefined ? {} : { source }) }
    onError(new AlbatrossError(code, message), info)
  }

  return { invoke, invokeLater, failed, finish, report }
}
