import type { RedirectAction, RuleRequest } from './types.js'

type Locate = (action: RedirectAction, request: RuleRequest) => string

/**
 * Installed by `@Redirect`, the one declaration that makes a redirect action, and by the checking
 * createApp (runtime/features.ts): a bundle of an app that never names `@Redirect` leaves
 * redirectLocation out (issue #18); albatross/lambda's createApp refuses a redirect route without it.
 */
let installed: Locate | undefined

export function installRedirect(): void {
  installed = redirectLocation
}

/** redirectLocation, once installed. */
export function installedRedirect(): Locate | undefined {
  return installed
}

/** The Location ALB answers a redirect action with (spec/alb.md §1.6): unset parts keep the request's. */
export function redirectLocation(action: RedirectAction, request: RuleRequest): string {
  // A header's last value, as the request's own `header()` reads it.
  const header = (name: string) => request.headerValues(name)?.at(-1)
  const original = {
    protocol: (header('x-forwarded-proto') ?? 'https').toUpperCase(),
    host: (request.host ?? '').replace(/:\d+$/, ''),
    port: header('x-forwarded-port') ?? '443',
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
  return `${protocol}://${host}${defaultPort ? '' : ':' + port}${path}${query === '' ? '' : '?' + query}`
}
