// find-my-way (Fastify's radix-tree router) with a thin hand-written ALB adapter: the fastest
// general-purpose router in Node, plus the minimum a Lambda needs around it.
import FindMyWay from 'find-my-way'

const JSON_TYPE = 'application/json'

function decode(value) {
  return value === undefined || value.indexOf('%') === -1 ? value : decodeURIComponent(value)
}

function query(event, key) {
  const multi = event.multiValueQueryStringParameters
  if (multi) {
    const values = multi[key]
    return values === undefined ? undefined : decode(values[values.length - 1])
  }
  return decode(event.queryStringParameters?.[key])
}

// An ALB target must answer in the mode the event came in (spec/alb.md §6).
function respond(event, statusCode, statusDescription, body) {
  return event.multiValueHeaders
    ? { statusCode, statusDescription, multiValueHeaders: { 'content-type': [JSON_TYPE] }, body, isBase64Encoded: false }
    : { statusCode, statusDescription, headers: { 'content-type': JSON_TYPE }, body, isBase64Encoded: false }
}

const router = FindMyWay({ ignoreTrailingSlash: false, caseSensitive: true })

function register(method, path, name, param, body) {
  router.on(method, path.replace(/\{(\w+)\}/g, ':$1'), (event, params) => {
    const out = { route: name, id: param ? params[param] : null, q: query(event, 'q'), page: query(event, 'page') }
    if (body) out.name = JSON.parse(event.body).name
    return respond(event, 200, '200 OK', JSON.stringify(out))
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

const NOT_FOUND = JSON.stringify({ message: 'Not Found' })

export async function handler(event, _context) {
  const found = router.find(event.httpMethod, event.path)
  if (found === null) return respond(event, 404, '404 Not Found', NOT_FOUND)
  return found.handler(event, found.params)
}
