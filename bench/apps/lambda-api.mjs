// lambda-api: the same 63 routes, each registered as its users write them (`:param`, res.json).
import createAPI from 'lambda-api'

// One shared logger setting for every app: no per-request logging (none of the others log).
const api = createAPI({ logger: false })

// lambda-api decodes query values only in multi-value mode, so read the raw values the same way
// in both modes (multiValueQuery mirrors single mode too) and decode here.
function query(req, key) {
  const values = req.multiValueQuery[key]
  if (values === undefined) return undefined
  const value = values[values.length - 1]
  return value.indexOf('%') === -1 ? value : decodeURIComponent(value)
}

function register(method, path, name, param, body) {
  const route = path.replace(/\{(\w+)\}/g, ':$1')
  api.METHOD(method, route, (req, res) => {
    const out = { route: name, id: param ? req.params[param] : null, q: query(req, 'q'), page: query(req, 'page') }
    if (body) out.name = req.body.name
    res.status(200).json(out)
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

// No route: lambda-api throws a RouteError; answer it with the shared 404 body.
api.use((err, req, res, next) => {
  if (err.name === 'RouteError') res.status(404).json({ message: 'Not Found' })
  else next()
})

export const handler = (event, context) => api.run(event, context)
