import type { AlbRequest, AlbResponse } from './alb/types.js'
import type { FixedResponseAction, RedirectAction, RuleAction } from './rules/types.js'

// Behind a catch-all rule the Lambda serves the routes declared as ALB fixed-response and
// redirect actions itself, answering as the ALB would in a per-route manifest.

const FIXED = new WeakMap<FixedResponseAction, AlbResponse>()

/**
 * An ALB fixed-response action: the status, the content type (text/plain when unset) and the
 * body. Built once per action; formatResult copies what it sends, so requests can share it.
 */
export function fixedResponse(action: FixedResponseAction): AlbResponse {
  let response = FIXED.get(action)
  if (response === undefined) {
    response = {
      status: action.statusCode,
      // Frozen, so app.ts checks these response headers once, not on every request.
      headers: Object.freeze({ 'content-type': action.contentType ?? 'text/plain' }),
      body: action.messageBody ?? '',
    }
    FIXED.set(action, response)
  }
  return response
}

/** What the ALB answers for a fixed-response or redirect action (a forward action has no such answer). */
export function nativeResponse(action: RuleAction, request: AlbRequest): AlbResponse {
  if (action.type === 'forward') throw new TypeError('a forward action is answered by its route, not natively')
  return action.type === 'fixed-response' ? fixedResponse(action) : redirect(action, request)
}

/** Serves an ALB redirect action the way ALB does (spec/alb.md §1.6): unset parts keep the request's. */
export function redirect(action: RedirectAction, request: AlbRequest): AlbResponse {
  const original = {
    protocol: (request.header('x-forwarded-proto') ?? 'https').toUpperCase(),
    host: (request.host ?? '').replace(/:\d+$/, ''),
    port: request.header('x-forwarded-port') ?? '443',
    path: request.path,
    query: request.queryPairs.map((p) => (p.value === '' ? p.key : `${p.key}=${p.value}`)).join('&'),
  }
  const fill = (template: string) =>
    template
      .replaceAll('#{protocol}', original.protocol)
      .replaceAll('#{host}', original.host)
      .replaceAll('#{port}', original.port)
      .replaceAll('#{path}', original.path.replace(/^\//, ''))
      .replaceAll('#{query}', original.query)
  const protocol = fill(action.protocol ?? '#{protocol}').toLowerCase()
  const host = fill(action.host ?? '#{host}')
  const port = fill(action.port ?? '#{port}')
  const path = fill(action.path ?? '/#{path}')
  const query = fill(action.query ?? '#{query}')
  const defaultPort = (protocol === 'https' && port === '443') || (protocol === 'http' && port === '80')
  const location = `${protocol}://${host}${defaultPort ? '' : ':' + port}${path}${query === '' ? '' : '?' + query}`
  return { status: action.statusCode, headers: { location } }
}
