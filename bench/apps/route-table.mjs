// The 63-route table of bench/workload.mjs makeRoutes(63), written out once for every hand-wired
// peer app: `register(method, path, name, param, hasBody)` adds one route in the app's own way.
export function registerRoutes(register) {
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
}
