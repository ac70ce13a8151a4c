// Hono with its AWS Lambda adapter (which understands ALB events in both header modes).
import { Hono } from 'hono'
import { handle } from 'hono/aws-lambda'

const app = new Hono()

function register(method, path, name, param, body) {
  const route = path.replace(/\{(\w+)\}/g, ':$1')
  app.on(method, route, async (c) => {
    // c.req.query decodes (and returns the first value of a repeated key; the workload never
    // repeats q or page, so the idiomatic call does the same work as the others).
    const out = {
      route: name,
      id: param ? c.req.param(param) : null,
      q: c.req.query('q'),
      page: c.req.query('page'),
    }
    if (body) out.name = (await c.req.json()).name
    return c.json(out)
  })
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

app.notFound((c) => c.json({ message: 'Not Found' }, 404))

export const handler = handle(app)
