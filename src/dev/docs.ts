import { readFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { renderOpenApi, type OpenApiDocument } from '../openapi/index.js'
import { compilePathMatcher } from '../rules/path-pattern.js'
import type { AlbRule } from '../rules/types.js'

/** The default prefix of what `albatross dev --docs` serves, a path no real app is likely to route. */
export const DOCS_PREFIX = '/__albatross'

// The reference page is Swagger UI, served from the swagger-ui-dist package in node_modules: no CDN,
// so it works offline. Only these files are served (no path from the request reaches the disk).
const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'favicon-32x32.png': 'image/png',
}

export interface DocsOptions {
  /** Where to serve, e.g. `/__albatross`: `<prefix>/docs`, `<prefix>/openapi.json`, `<prefix>/openapi.yaml`. */
  readonly prefix: string
  /** The document to serve; called on the first request after each (re)load. */
  readonly document: () => Promise<OpenApiDocument>
  /** Directories to look for swagger-ui-dist from, first match wins (the entry's, then albatross's). */
  readonly searchFrom: readonly string[]
}

export interface Docs {
  /** Answers a request under the prefix and returns true; false leaves it to the app. */
  handle(req: IncomingMessage, res: ServerResponse): boolean
  /** Forget the cached document (after a reload). */
  reset(): void
}

export class DocsError extends Error {
  override name = 'DocsError'
}

/**
 * What `albatross dev --docs` serves in front of the app. Every GET or HEAD whose path starts with
 * `<prefix>/` is answered here and never reaches the app, which is why startDev refuses a prefix a
 * route could match (`docsShadows`).
 */
export function createDocs(options: DocsOptions): Docs {
  const prefix = normalisePrefix(options.prefix)
  const assets = findSwaggerUi(options.searchFrom)
  let cached: Promise<OpenApiDocument> | undefined
  const document = () => (cached ??= options.document())

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) })
    res.end(body)
  }

  return {
    reset: () => {
      cached = undefined
    },
    handle(req, res) {
      const url = req.url ?? '/'
      const path = url.split('?')[0] as string
      // Other methods go to the app: docsShadows counts only routes that answer GET or HEAD.
      if (!path.startsWith(prefix + '/') || (req.method !== 'GET' && req.method !== 'HEAD')) return false
      const rest = path.slice(prefix.length)
      if (rest === '/') {
        res.writeHead(302, { location: `${prefix}/docs` })
        res.end()
        return true
      }
      if (rest === '/docs') {
        send(res, 200, 'text/html; charset=utf-8', PAGE)
        return true
      }
      if (rest === '/docs.js') {
        send(res, 200, 'text/javascript; charset=utf-8', INIT)
        return true
      }
      if (rest === '/openapi.json' || rest === '/openapi.yaml') {
        const yaml = rest.endsWith('.yaml')
        document().then(
          (doc) => send(res, 200, yaml ? 'application/yaml; charset=utf-8' : 'application/json', renderOpenApi(doc, yaml ? 'yaml' : 'json')),
          (error: unknown) => send(res, 500, 'text/plain; charset=utf-8', `the OpenAPI document failed: ${String(error)}\n`),
        )
        return true
      }
      const asset = rest.startsWith('/swagger-ui/') ? rest.slice('/swagger-ui/'.length) : undefined
      const type = asset === undefined || !Object.hasOwn(ASSETS, asset) ? undefined : ASSETS[asset]
      if (asset === undefined || type === undefined) {
        send(res, 404, 'text/plain; charset=utf-8', `not found under ${prefix}: try ${prefix}/docs\n`)
        return true
      }
      send(res, 200, type, readFileSync(join(assets, asset)))
      return true
    },
  }
}

/** `/docs/` → `/docs`; a prefix must be a plain absolute path. */
export function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '')
  if (!/^\/[A-Za-z0-9._~\-/]+$/.test(trimmed) || trimmed.includes('//')) {
    throw new DocsError(`--docs prefix must be an absolute path such as ${DOCS_PREFIX}, got ${JSON.stringify(prefix)}`)
  }
  return trimmed
}

/**
 * The rules that could match a request under `<prefix>/` and would be shadowed by the docs. Only
 * the path and method conditions count (a host or header condition may well match a local
 * request), so the answer errs towards refusing. A glob can match some path under the prefix
 * exactly when it can consume `<prefix>/` as the start of a match; a regex is tried on the paths
 * the docs serve.
 */
export function docsShadows(rules: readonly AlbRule[], prefix: string): AlbRule[] {
  const base = normalisePrefix(prefix) + '/'
  const samples = ['docs', 'docs.js', 'openapi.json', 'openapi.yaml', 'swagger-ui/swagger-ui-bundle.js', ''].map((p) => base + p)
  return rules.filter((rule) => {
    const method = rule.conditions.find((c) => c.type === 'http-request-method')
    if (method !== undefined && !method.values.some((m) => m === 'GET' || m === 'HEAD')) return false
    const path = rule.conditions.find((c) => c.type === 'path-pattern')
    if (path === undefined) return true
    return (
      path.values.some((glob) => globCanStartWith(glob, base)) ||
      (path.regexValues.length > 0 && samples.some(compilePathMatcher({ ...path, values: [] })))
    )
  })
}

/** Can glob `pattern` (`*` any run, `?` one character) match some string that starts with `start`? */
export function globCanStartWith(pattern: string, start: string): boolean {
  // The positions in the pattern reachable after reading each character of `start` (an NFA).
  const close = (states: Set<number>) => {
    for (const s of states) if (pattern[s] === '*') states.add(s + 1)
    return states
  }
  let states = close(new Set([0]))
  for (const c of start) {
    const next = new Set<number>()
    for (const s of states) {
      if (s >= pattern.length) continue
      const p = pattern[s]
      if (p === '*') next.add(s)
      else if (p === '?' || p === c) next.add(s + 1)
    }
    states = close(next)
    if (states.size === 0) return false
  }
  return states.size > 0
}

function findSwaggerUi(searchFrom: readonly string[]): string {
  for (const dir of searchFrom) {
    try {
      return dirname(createRequire(join(resolve(dir), 'noop.js')).resolve('swagger-ui-dist/package.json'))
    } catch {
      // Not installed there; try the next.
    }
  }
  throw new DocsError(
    '--docs serves Swagger UI from the swagger-ui-dist package, which is not installed: npm install --save-dev swagger-ui-dist',
  )
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API reference — albatross dev</title>
<link rel="icon" type="image/png" href="./swagger-ui/favicon-32x32.png">
<link rel="stylesheet" href="./swagger-ui/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="./swagger-ui/swagger-ui-bundle.js"></script>
<script src="./docs.js"></script>
</body>
</html>
`

// validatorUrl: null keeps Swagger UI from sending the document to validator.swagger.io.
const INIT = `window.ui = SwaggerUIBundle({
  url: './openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  displayOperationId: true,
  docExpansion: 'list',
  validatorUrl: null,
})
`
