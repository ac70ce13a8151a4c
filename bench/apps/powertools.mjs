// Powertools for AWS Lambda (TypeScript) event handler: its HTTP Router resolves ALB events
// through Web API Request/Response objects.
import { Router } from '@aws-lambda-powertools/event-handler/http'
import { registerRoutes } from './route-table.mjs'

// A silent logger: no per-request logging in any app.
const quiet = { debug() {}, warn() {}, error() {} }
const app = new Router({ logger: quiet })

// The Router copies ALB's still-encoded query values into URLSearchParams verbatim, so the
// handler decodes them itself (spec/alb.md §6: ALB does not decode the query).
function query(searchParams, key) {
  const values = searchParams.getAll(key)
  if (values.length === 0) return undefined
  const value = values[values.length - 1]
  return value.indexOf('%') === -1 ? value : decodeURIComponent(value)
}

function register(method, path, name, param, body) {
  const route = path.replace(/\{(\w+)\}/g, ':$1')
  app.route(
    async ({ req, params }) => {
      const { searchParams } = new URL(req.url)
      const out = { route: name, id: param ? params[param] : null, q: query(searchParams, 'q'), page: query(searchParams, 'page') }
      if (body) out.name = (await req.json()).name
      return out
    },
    { method, path: route },
  )
}

registerRoutes(register)

app.notFound(async () => ({ statusCode: 404, body: JSON.stringify({ message: 'Not Found' }) }))

export const handler = (event, context) => app.resolve(event, context)
