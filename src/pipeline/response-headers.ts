import { responseHeaderProblem } from '../alb/format-result.js'
import type { AlbResponse } from '../alb/types.js'
import type { ResponseHeaderDeclaration } from '../metadata/types.js'

/**
 * A route's `@ResponseHeader`s as one frozen map, class ones first so the method's win for the
 * same name (compared case-insensitively, as HTTP does); undefined when there are none.
 */
export function mergeResponseHeaders(declared: readonly ResponseHeaderDeclaration[]): Readonly<Record<string, string>> | undefined {
  if (declared.length === 0) return undefined
  const byLowerName = new Map<string, ResponseHeaderDeclaration>()
  for (const header of declared) byLowerName.set(header.name.toLowerCase(), header)
  const headers: Record<string, string> = Object.create(null)
  for (const { name, value } of byLowerName.values()) headers[name] = value
  return Object.freeze(headers)
}

/** Why a declared header could never be sent (not a token, CR/LF/NUL in the value), or undefined. */
export function responseHeaderDeclarationProblem(header: ResponseHeaderDeclaration): string | undefined {
  if (typeof header.name !== 'string' || typeof header.value !== 'string') {
    return `@ResponseHeader(${JSON.stringify(header.name)}, …) takes a name and a value, both strings`
  }
  const problem = responseHeaderProblem({ status: 200, headers: { [header.name]: header.value } })
  return problem === undefined ? undefined : `@ResponseHeader: ${problem}`
}

/**
 * `response` with the route's declared headers added, except those it already sets: a header a
 * method sets through `reply()` is the more specific answer and wins.
 */
export function withResponseHeaders(response: AlbResponse, declared: Readonly<Record<string, string>>): AlbResponse {
  const given = response.headers
  if (given === undefined) return { ...response, headers: declared }
  const present = new Set(Object.keys(given).map((name) => name.toLowerCase()))
  const headers: Record<string, string | readonly string[]> = Object.create(null)
  for (const name of Object.keys(declared)) if (!present.has(name.toLowerCase())) headers[name] = declared[name] as string
  for (const name of Object.keys(given)) headers[name] = given[name] as string | readonly string[]
  return { ...response, headers }
}
