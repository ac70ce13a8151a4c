import type { RawQueryPair, RuleRequest } from '../../src/rules/types.js'

export interface RequestInit {
  readonly method?: string
  /** Path only; a `?query` here is split off into `query`, as ALB's event does. */
  readonly path?: string
  readonly host?: string
  /** Names in any case; a list is repeated occurrences in arrival order. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>
  /** Raw query string (`a=1&b=2`, no leading `?`), split but never decoded. */
  readonly query?: string
  readonly sourceIp?: string
}

function splitQuery(query: string): RawQueryPair[] {
  if (query === '') return []
  return query.split('&').map((part) => {
    const eq = part.indexOf('=')
    return eq < 0 ? { key: part, value: '' } : { key: part.slice(0, eq), value: part.slice(eq + 1) }
  })
}

/** A RuleRequest as alb/ would produce it, from a few readable fields. */
export function ruleRequest(init: RequestInit = {}): RuleRequest {
  const [path, inlineQuery] = (init.path ?? '/').split(/\?(.*)/s) as [string, string | undefined]
  const headers = new Map<string, readonly string[]>()
  for (const [name, value] of Object.entries(init.headers ?? {})) {
    headers.set(name.toLowerCase(), typeof value === 'string' ? [value] : value)
  }
  return {
    method: init.method ?? 'GET',
    path,
    host: init.host,
    headerValues: (name) => headers.get(name),
    queryPairs: splitQuery(init.query ?? inlineQuery ?? ''),
    sourceIp: init.sourceIp,
  }
}
