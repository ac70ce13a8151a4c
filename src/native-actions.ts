import type { AlbRequest, AlbResponse } from './alb/types.js'
import type { FixedResponseAction, RedirectAction } from './rules/types.js'

// Behind a catch-all rule the Lambda serves the routes declared as ALB fixed-response and
// redirect actions itself, answering as the ALB would in a per-route manifest.

/** An ALB fixed-response action: the status, the content type (text/plain when unset) and the body. */
export function fixedResponse(action: FixedResponseAction): AlbResponse {
  return {
    status: action.statusCode,
    headers: { 'content-type': action.contentType ?? 'text/plain' },
    body: action.messageBody ?? '',
  }
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
