import type { AlbCondition } from '../rules/types.js'

// Values that only make sense in a response: Cache-Control response directives (RFC 9111 §5.2.2)
// and the usual security-header values. A request rarely carries them; a NestJS or
// routing-controllers user writing @Header('cache-control', 'no-store') means a response header.
const RESPONSE_VALUE = /^(no-store|public|private|immutable|must-revalidate|proxy-revalidate|s-maxage=\d+|max-age=\d+.*|nosniff|deny|sameorigin)$/i
// Fields a client never sends (RFC 9110, Fetch, CSP): as a condition they could never match a browser.
const RESPONSE_ONLY = new Set([
  'set-cookie', 'location', 'etag', 'last-modified', 'expires', 'vary', 'retry-after', 'www-authenticate',
  'strict-transport-security', 'content-security-policy', 'x-frame-options', 'x-content-type-options',
  'referrer-policy', 'permissions-policy', 'access-control-allow-origin', 'access-control-allow-methods',
  'access-control-allow-headers', 'access-control-allow-credentials', 'access-control-expose-headers',
  'access-control-max-age', 'server-timing',
])

/**
 * A hint for `@Header(name, value)` routing conditions that look like response headers: the
 * route would only match requests carrying that header, which is seldom what was meant. One
 * sentence per suspicious condition, naming the route and the decorator to use instead.
 */
export function headerConditionHints(
  routes: readonly { readonly source: string; readonly conditions: readonly AlbCondition[] }[],
): { source: string; message: string }[] {
  const hints = new Map<string, { source: string; message: string }>()
  // Indexed loops: createApp asks of every route, and most have no condition.
  for (let r = 0; r < routes.length; r++) {
    const route = routes[r] as (typeof routes)[number]
    for (let i = 0; i < route.conditions.length; i++) addHint(hints, route.source, route.conditions[i] as AlbCondition)
  }
  return [...hints.values()]
}

function addHint(hints: Map<string, { source: string; message: string }>, source: string, condition: AlbCondition): void {
  if (condition.type !== 'http-header' || condition.regexValues.length > 0 || condition.values.length !== 1) return
  const value = condition.values[0] as string
  const name = condition.name.toLowerCase()
  if (!RESPONSE_ONLY.has(name) && !RESPONSE_VALUE.test(value)) return
  const args = `${JSON.stringify(condition.name)}, ${JSON.stringify(value)}`
  const message =
    `${source}: @Header(${args}) is an ALB routing condition: the route only matches requests that carry ` +
    `${condition.name}: ${value}. For a response header write @ResponseHeader(${args}).`
  // A class condition repeats on every route of the class (and a route may have several
  // rules): one hint per class, header and value, naming the first route.
  const key = `${source.split('.')[0]}\n${name}\n${value}`
  if (!hints.has(key)) hints.set(key, { source, message })
}
