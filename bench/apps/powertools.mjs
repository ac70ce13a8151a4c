// Powertools for AWS Lambda (TypeScript) event handler: its HTTP Router resolves ALB events
// through Web API Request/Response objects.
import { Router } from '@aws-lambda-powertools/event-handler/http'

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

// The route table of bench/workload.mjs makeRoutes(63), written out.
const RESOURCES = ['users', 'orders', 'products', 'invoices', 'customers', 'payments', 'shipments', 'reviews']

function crud(base, name, param, parent) {
  register('GET', base, `${name}.list`, parent, false)
  register('POST', base, `${name}.create`, parent, true)
  register('GET', `${base}/{${param}}`, `${name}.get`, param, false)
  register('PUT', `${base}/{${param}}`, `${name}.update`, param, true)
  register('DELETE', `${base}/{${param}}`, `${name}.delete`, param, false)
}

register('GET', '/health', 'health', null, false)
register('GET', '/version', 'version', null, false)
register('GET', '/search', 'search', null, false)
register('POST', '/auth/login', 'auth.login', null, true)
for (const r of RESOURCES) crud(`/${r}`, r, 'id', null)
crud('/orgs', 'orgs', 'org', null)
crud('/orgs/{org}/projects', 'projects', 'project', 'org')
crud('/orgs/{org}/projects/{project}/tasks', 'tasks', 'id', 'project')
register('GET', '/users/{id}/orders', 'users.orders', 'id', false)
register('GET', '/products/{id}/reviews', 'products.reviews', 'id', false)
register('GET', '/orgs/{org}/members', 'members.list', 'org', false)
register('GET', '/orgs/{org}/members/{id}', 'members.get', 'id', false)

app.notFound(async () => ({ statusCode: 404, body: JSON.stringify({ message: 'Not Found' }) }))

export const handler = (event, context) => app.resolve(event, context)
