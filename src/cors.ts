import type { AlbRequest, AlbResponse } from './alb/types.js'
import type { RouteDefinition } from './metadata/types.js'
import type { RouteSpec, RuleRequest, RuleTable } from './rules/types.js'
import { announcedHeaders, compilePreflightReach, type PreflightReach } from './cors-reach.js'

export interface CorsOptions {
  /** Allowed origins: exact strings, `'*'`, or a predicate. */
  readonly origins: '*' | readonly string[] | ((origin: string) => boolean)
  /** Methods announced in preflight answers (default: the methods the path's routes serve). */
  readonly methods?: readonly string[]
  /** Request headers allowed (default: echo `access-control-request-headers`). */
  readonly headers?: readonly string[]
  readonly exposeHeaders?: readonly string[]
  readonly credentials?: boolean
  /** Seconds a preflight answer may be cached. */
  readonly maxAge?: number
}

export const CORS_PREFLIGHT_SOURCE = 'cors.preflight'

/**
 * ALB has no CORS. A preflight is an OPTIONS request carrying `origin` and
 * `access-control-request-method`; the app answers it before any route, and the same test is a
 * rule in the table (method OPTIONS + both headers present), so a per-route manifest forwards
 * preflights to the Lambda too and ALB and the Lambda take the same decision.
 */
export function preflightRuleSpec(priority: number): RouteSpec {
  return {
    source: CORS_PREFLIGHT_SOURCE,
    path: '/*',
    methods: ['OPTIONS'],
    conditions: [
      { type: 'http-header', name: 'origin', values: ['*'], regexValues: [] },
      { type: 'http-header', name: 'access-control-request-method', values: ['*'], regexValues: [] },
    ],
    priority,
    action: { type: 'forward', target: 'default' },
  }
}

export interface CompiledCors {
  preflight(request: AlbRequest, routeOf: (id: number) => RouteDefinition | undefined): AlbResponse
  decorate(request: AlbRequest, response: AlbResponse, route: RouteDefinition): AlbResponse
}

export function compileCors(options: CorsOptions | undefined, table: RuleTable): CompiledCors | undefined {
  if (options === undefined) return undefined
  // Compiled at the first preflight, not at createApp: a cold start pays nothing for it.
  let compiled: PreflightReach | undefined
  const reach: PreflightReach = (request, announced) => (compiled ??= compilePreflightReach(table))(request, announced)
  const settingsFor = (route: RouteDefinition | undefined): CorsOptions | undefined => {
    if (route === undefined) return undefined
    if (route.cors === false) return undefined
    return typeof route.cors === 'object' && route.cors !== null ? { ...options, ...(route.cors as CorsOptions) } : options
  }
  const allowedOrigin = (settings: CorsOptions, origin: string): string | undefined => {
    const { origins } = settings
    // `*` with credentials is refused at createApp (declaration-checks.ts): never reflect any origin.
    if (origins === '*') return '*'
    if (typeof origins === 'function') return origins(origin) ? origin : undefined
    return origins.includes(origin) ? origin : undefined
  }

  return {
    preflight(request, routeOf) {
      const origin = request.header('origin') ?? ''
      const wanted = (request.header('access-control-request-method') ?? '').trim()
      const asWanted: RuleRequest = {
        method: wanted,
        path: request.path,
        host: request.host,
        headerValues: (name) => request.headerValues(name),
        queryPairs: request.queryPairs,
        sourceIp: request.sourceIp,
      }
      const requested = request.header('access-control-request-headers')
      // Every route the real request could reach (cors-reach.ts): the first that grants this
      // origin answers, so a route behind a header condition is not refused for want of the
      // header values a preflight never carries (issue #11 item 9).
      const allowing = reach(asWanted, announcedHeaders(requested)).flatMap(({ rule, announcedNeeded }) => {
        const settings = settingsFor(routeOf(rule.id))
        const allowOrigin = settings === undefined ? undefined : allowedOrigin(settings, origin)
        return settings === undefined || allowOrigin === undefined ? [] : [{ settings, allowOrigin, announcedNeeded }]
      })
      const headers: Record<string, string> = { vary: 'Origin' }
      const first = allowing[0]
      if (first !== undefined) {
        const { settings, allowOrigin } = first
        headers['access-control-allow-origin'] = allowOrigin
        headers['access-control-allow-methods'] = (settings.methods ?? [wanted]).join(', ')
        // A configured list, plus the announced headers the reachable routes' conditions need:
        // without them the browser would refuse to send the request those routes wait for.
        const configured = settings.headers
        const needed = [...new Set(allowing.flatMap((a) => a.announcedNeeded))]
        const allowHeaders =
          configured === undefined
            ? requested
            : [...configured, ...needed.filter((n) => !configured.some((c) => c.toLowerCase() === n))].join(', ')
        if (allowHeaders) headers['access-control-allow-headers'] = allowHeaders
        if (settings.credentials) headers['access-control-allow-credentials'] = 'true'
        if (settings.maxAge !== undefined) headers['access-control-max-age'] = String(settings.maxAge)
      }
      return { status: 204, headers }
    },
    decorate(request, response, route) {
      const origin = request.header('origin')
      const settings = settingsFor(route)
      if (origin === undefined || settings === undefined) return response
      const allowOrigin = allowedOrigin(settings, origin)
      if (allowOrigin === undefined) return response
      const headers: Record<string, string | readonly string[]> = { ...response.headers, 'access-control-allow-origin': allowOrigin }
      headers['vary'] = response.headers?.['vary'] ? `${String(response.headers['vary'])}, Origin` : 'Origin'
      if (settings.credentials) headers['access-control-allow-credentials'] = 'true'
      if (settings.exposeHeaders?.length) headers['access-control-expose-headers'] = settings.exposeHeaders.join(', ')
      return { ...response, headers }
    },
  }
}

/** The preflight rule goes first: the lowest priority no explicit @Priority holds. */
export function firstFreePriority(routes: readonly RouteDefinition[]): number {
  const taken = new Set(routes.map((r) => r.priority))
  let priority = 1
  while (taken.has(priority)) priority++
  return priority
}
