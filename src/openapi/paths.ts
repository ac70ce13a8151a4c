import { parsePathTemplate } from '../rules/path-template.js'

/** Where a route sits in `paths`, and what its key cannot say. */
export interface OpenApiPath {
  /** The `paths` key: the declared pattern, `{name}` captures as path templates. */
  readonly key: string
  /** The `{name}` templates in `key`, in order: each needs an `in: path` parameter. */
  readonly params: readonly string[]
  /**
   * True when the key is only a readable approximation: the pattern has ALB wildcards (`*`, `?`)
   * or is a RegExp, which OpenAPI path templates cannot express. The exact path-pattern condition
   * then goes into `x-albatross-conditions`.
   */
  readonly approximate: boolean
}

/**
 * The `paths` key of a declared path (a joined pattern with `{name}` captures, or a RegExp).
 * A `{name}` capture is an ALB `*`, which also matches `/` and the empty string (spec/alb.md §2.0);
 * OpenAPI's `{name}` stands for one segment, so the parameter's description says so.
 */
export function openApiPath(path: string | RegExp | undefined): OpenApiPath {
  if (path === undefined) return { key: '/*', params: [], approximate: true }
  if (path instanceof RegExp) return readableRegexPath(path.source)
  const template = parsePathTemplate(path)
  if ('problem' in template) return { key: path, params: [], approximate: true }
  const params = template.captures.filter((c): c is string => c !== null)
  const wildcards = template.captures.length > params.length || template.pattern.includes('?')
  return { key: path, params, approximate: wildcards }
}

/**
 * A regex as a path a reader can follow: anchors dropped, named groups as `{name}` templates,
 * escaped punctuation unescaped, and `*` where the regex is not anchored (it matches anywhere).
 * `^/api/v[0-9]+/(?<id>[^/]+)$` reads `/api/v[0-9]+/{id}`.
 */
function readableRegexPath(source: string): OpenApiPath {
  let body = source
  const start = body.startsWith('^')
  if (start) body = body.slice(1)
  const end = body.endsWith('$') && !body.endsWith('\\$')
  if (end) body = body.slice(0, -1)
  const params: string[] = []
  let out = ''
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string
    if (c === '\\' && i + 1 < body.length) {
      const next = body[i + 1] as string
      out += /[/.\-_~]/.test(next) ? next : c + next
      i++
    } else if (body.startsWith('(?<', i) && body[i + 3] !== '=' && body[i + 3] !== '!') {
      const close = body.indexOf('>', i)
      const name = body.slice(i + 3, close)
      params.push(name)
      out += `{${name}}`
      i = groupEnd(body, i)
    } else {
      out += c
    }
  }
  let key = (start ? '' : '*') + out + (end ? '' : '*')
  if (!key.startsWith('/')) key = '/' + key
  return { key, params, approximate: true }
}

/** Index of the `)` closing the group opened at `open`, honouring escapes and character classes. */
function groupEnd(source: string, open: number): number {
  let depth = 0
  let inClass = false
  for (let i = open; i < source.length; i++) {
    const c = source[i]
    if (c === '\\') i++
    else if (inClass) inClass = c !== ']'
    else if (c === '[') inClass = true
    else if (c === '(') depth++
    else if (c === ')' && --depth === 0) return i
  }
  return source.length - 1
}
