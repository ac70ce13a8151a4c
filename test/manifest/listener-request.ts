import type { ListenerRequest } from './alb-evaluator.js'

/**
 * A request the ALB evaluator decides, as `albEvent()`'s input for the handler: the same request
 * line, headers in order (repeats kept), query pairs as sent, host and peer address. Shared by the
 * equivalence and header-mode property tests, which compare the two answers.
 */
export function eventInputOf(request: ListenerRequest) {
  return {
    method: request.method,
    path: request.path,
    query: request.query.map(([k, v]) => `${k}=${v}`).join('&'),
    headers: request.headers.map(([n, v]) => [n, v] as [string, string]),
    host: request.host,
    sourceIp: request.sourceIp,
  }
}
