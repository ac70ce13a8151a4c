// The benchmark workload: a REST route table and ALB events aimed at it, both generated from a
// seed so every run, every framework and every round sees exactly the same requests.
//
// `makeRoutes(63)` is the canonical API the apps in bench/apps/ implement by hand; other sizes
// keep those routes and add generated resources with the same shapes (`albatross routes` at
// scale). The scaling runs use makeScaleRoutes: tables of identical units, so that every size
// meets the same requests (see "The scaling tables" below).
// Events are built the way ALB sends them (spec/alb.md §6): lower-case header names, query values
// still URL-encoded, body a string, `headers`/`queryStringParameters` in single-value mode and
// `multiValueHeaders`/`multiValueQueryStringParameters` when the target group has multi-value
// headers turned on.

export const DEFAULT_SEED = 0xa1ba7055

/** mulberry32: tiny, fast, and good enough to make a workload look random. */
export function mulberry32(seed) {
  let a = seed >>> 0
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = (rnd, list) => list[Math.floor(rnd() * list.length)]
const int = (rnd, lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1))

export function shuffle(rnd, list) {
  const out = list.slice()
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1))
    const tmp = out[i]
    out[i] = out[j]
    out[j] = tmp
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Routes

/**
 * One route: `path` uses `{name}` captures (the albatross / middy spelling; the apps translate
 * to `:name` where their router wants it). `param` is the capture the handler reads (the last
 * one), `body` says whether the handler reads the JSON body's `name`.
 */
function route(method, path, name) {
  const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])
  return {
    method,
    path,
    name,
    params,
    param: params.length > 0 ? params[params.length - 1] : null,
    body: method === 'POST' || method === 'PUT',
  }
}

/** list, create, get, update, delete for one collection. */
function crud(base, resource, param) {
  const item = `${base}/{${param}}`
  return [
    route('GET', base, `${resource}.list`),
    route('POST', base, `${resource}.create`),
    route('GET', item, `${resource}.get`),
    route('PUT', item, `${resource}.update`),
    route('DELETE', item, `${resource}.delete`),
  ]
}

export const TOP_LEVEL_RESOURCES = [
  'users',
  'orders',
  'products',
  'invoices',
  'customers',
  'payments',
  'shipments',
  'reviews',
]

function canonicalRoutes() {
  return [
    route('GET', '/health', 'health'),
    route('GET', '/version', 'version'),
    route('GET', '/search', 'search'),
    route('POST', '/auth/login', 'auth.login'),
    ...TOP_LEVEL_RESOURCES.flatMap((r) => crud(`/${r}`, r, 'id')),
    ...crud('/orgs', 'orgs', 'org'),
    ...crud('/orgs/{org}/projects', 'projects', 'project'),
    ...crud('/orgs/{org}/projects/{project}/tasks', 'tasks', 'id'),
    route('GET', '/users/{id}/orders', 'users.orders'),
    route('GET', '/products/{id}/reviews', 'products.reviews'),
    route('GET', '/orgs/{org}/members', 'members.list'),
    route('GET', '/orgs/{org}/members/{id}', 'members.get'),
  ]
}

const WORDS = [
  'accounts', 'addresses', 'alerts', 'apps', 'assets', 'audits', 'batches', 'budgets',
  'campaigns', 'carts', 'catalogs', 'channels', 'claims', 'clusters', 'comments', 'contracts',
  'coupons', 'datasets', 'deals', 'devices', 'documents', 'domains', 'drivers', 'events',
  'exports', 'feeds', 'files', 'fleets', 'forms', 'groups', 'imports', 'incidents', 'leads',
  'licenses', 'locations', 'messages', 'notes', 'offers', 'pipelines', 'plans',
]
const SUFFIXES = ['', '-items', '-groups', '-events', '-settings', '-archives']
const CHILDREN = ['entries', 'versions', 'labels', 'history']

/**
 * `count` routes. 63 is the canonical API; fewer takes its first `count` routes; more adds
 * generated collections (every third one with a nested child collection) until `count`.
 * Deterministic: the same count always yields the same table.
 */
export function makeRoutes(count = 63) {
  const base = canonicalRoutes()
  if (count <= base.length) return base.slice(0, count)
  const out = base.slice()
  let i = 0
  while (out.length < count) {
    const word = WORDS[i % WORDS.length]
    const suffix = SUFFIXES[Math.floor(i / WORDS.length) % SUFFIXES.length]
    const round = Math.floor(i / (WORDS.length * SUFFIXES.length))
    const resource = `${word}${suffix}${round > 0 ? `-${round}` : ''}`
    const group = crud(`/${resource}`, resource, 'id')
    if (i % 3 === 2) {
      const child = CHILDREN[i % CHILDREN.length]
      group.push(...crud(`/${resource}/{parent}/${child}`, `${resource}.${child}`, 'id'))
    }
    for (const r of group) if (out.length < count) out.push(r)
    i++
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// The scaling tables (issue #18 § 3)
//
// The scaling figure is a ratio (1,000 routes ÷ 10 routes), so the sets it divides must be the
// same requests except for the table they meet. makeRoutes(10) is the first ten canonical routes
// (static paths, few bodies, short paths), which made the ratio measure the request mix as much
// as the table. Here every table is made of N ÷ 10 identical units, one collection and a nested
// child collection (SCALE_UNIT), under resource names that all have the same length; the events
// of every size are the same requests (same shapes, methods, parameter values, queries, headers,
// bodies and 404s, from one seeded stream), and only the unit each routed request names changes:
// spread evenly over all the table's units, so at 1,000 routes every route gets traffic.

/**
 * The ten routes of one unit, `{res}` standing for the unit's resource name, and the share of
 * the routed requests each gets (percent; every share ≥ 6 so that 2,000 events reach each of the
 * 100 units of a 1,000-route table at least once in every shape).
 */
export const SCALE_UNIT = [
  { method: 'GET', path: '/{res}', action: 'list', share: 14 },
  { method: 'POST', path: '/{res}', action: 'create', share: 6 },
  { method: 'GET', path: '/{res}/{id}', action: 'get', share: 24 },
  { method: 'PUT', path: '/{res}/{id}', action: 'update', share: 6 },
  { method: 'DELETE', path: '/{res}/{id}', action: 'delete', share: 6 },
  { method: 'GET', path: '/{res}/{id}/items', action: 'items.list', share: 12 },
  { method: 'POST', path: '/{res}/{id}/items', action: 'items.create', share: 6 },
  { method: 'GET', path: '/{res}/{id}/items/{item}', action: 'items.get', share: 14 },
  { method: 'PUT', path: '/{res}/{id}/items/{item}', action: 'items.update', share: 6 },
  { method: 'DELETE', path: '/{res}/{id}/items/{item}', action: 'items.delete', share: 6 },
]

/**
 * `count` resource names of eight letters (consonant, vowel, …), unique, from a fixed seed: the
 * first `n` are the same for every count, so the 10-route table is the first unit of the others,
 * and every path has the same length whichever unit it names.
 */
export function scaleNames(count) {
  const rnd = mulberry32(0x5ca1ab1e)
  const names = []
  const seen = new Set()
  while (names.length < count) {
    let name = ''
    for (let i = 0; i < 8; i++) name += i % 2 === 0 ? pick(rnd, 'bcdfghjklmnprstvwxyz') : pick(rnd, 'aeiou')
    if (!seen.has(name)) {
      seen.add(name)
      names.push(name)
    }
  }
  return names
}

/** The `count`-route scaling table (a multiple of ten): `count ÷ 10` units of SCALE_UNIT. */
export function makeScaleRoutes(count) {
  if (!Number.isInteger(count) || count <= 0 || count % SCALE_UNIT.length !== 0) {
    throw new Error(`a scaling table has a multiple of ${SCALE_UNIT.length} routes, not ${count}`)
  }
  return scaleNames(count / SCALE_UNIT.length).flatMap((res) =>
    SCALE_UNIT.map((u) => route(u.method, u.path.replace('{res}', res), `${res}.${u.action}`)),
  )
}

/**
 * `count` requests against a scaling table. The stream of requests is the same for every table
 * size: `notFoundRate` of them 404s, the others in exact SCALE_UNIT shares, in a seeded order,
 * each with its parameter values, query, headers and body drawn from the one seeded generator.
 * Only the unit differs: the requests of one shape go round the table's units in a seeded order,
 * so each unit gets the same share of each shape.
 */
export function makeScaleRequests({ routes, count = 2000, seed = DEFAULT_SEED, notFoundRate = 0.05 }) {
  const width = SCALE_UNIT.length
  const units = routes.length / width
  if (!Number.isInteger(units) || units === 0) throw new Error('makeScaleRequests needs a table from makeScaleRoutes')
  const rnd = mulberry32(seed)
  const notFound = Math.round(count * notFoundRate)
  const routed = count - notFound
  // Exact quotas (largest remainders), so the shape mix is identical at every size.
  const total = SCALE_UNIT.reduce((sum, u) => sum + u.share, 0)
  const quotas = SCALE_UNIT.map((u) => Math.floor((routed * u.share) / total))
  const byRemainder = SCALE_UNIT.map((u, s) => [(routed * u.share) % total, s]).sort((a, b) => b[0] - a[0] || a[1] - b[1])
  for (let i = 0, left = routed - quotas.reduce((a, b) => a + b, 0); i < left; i++) quotas[byRemainder[i][1]]++
  const slots = [...Array(notFound).fill(-1), ...quotas.flatMap((q, s) => Array(q).fill(s))]
  const order = shuffle(rnd, slots)
  // Each shape's own round of the units, from its own seed: the same whatever the table size
  // for the stream above, and independent of it.
  const rounds = SCALE_UNIT.map((_, s) => shuffle(mulberry32(seed + 1 + s), Array.from({ length: units }, (_, u) => u)))
  const seen = SCALE_UNIT.map(() => 0)
  return order.map((s) => {
    if (s < 0) return fillRequest(rnd, null)
    const unit = rounds[s][seen[s]++ % units]
    return fillRequest(rnd, routes[unit * width + s])
  })
}

/** Where one route's request goes: a path with the captures filled in. */
function fillPath(path, values) {
  return path.replace(/\{(\w+)\}/g, (_, name) => values[name])
}

// ---------------------------------------------------------------------------------------------
// Requests

// Values decoded; the event carries them encodeURIComponent-ed, as a browser or SDK would send.
const SEARCH_TERMS = [
  'hello world', 'café crème', 'a+b=c', 'rock & roll', '50% off', 'name,asc', 'Über straße',
  '東京 タワー', 'launch 🚀', 'say "hi"', "o'brien", 'path/to/file', 'x<y>z', '#hashtag',
  'shoes', 'laptop', 'blue-widget', 'q3 report', 'été', 'ñandú',
]
const NAMES = [
  'Widget', 'Gadget Pro', 'Zoë Smith', 'Ärger GmbH', 'Project Apollo', 'Task #42',
  'Crème brûlée', '李雷', 'Acme, Inc.', 'Fix "the" bug', 'Q4 plan', 'Ünïcödé',
]
const EXTRA_QUERY = [
  ['sort', ['name,asc', '-createdAt', 'price,desc']],
  ['limit', ['10', '25', '50', '100']],
  ['fields', ['id,name', 'id,name,createdAt', 'all']],
  ['include', ['owner', 'owner,tags', 'items']],
  ['utm_source', ['newsletter', 'twitter', 'google ads']],
  ['filter[status]', ['open', 'closed', 'in progress']],
  ['tag', ['red', 'green', 'blue', 'new & hot']],
]
const NOT_FOUND_PATHS = [
  '/favicon.ico', '/robots.txt', '/.env', '/wp-login.php', '/admin', '/api/v2/users',
  '/v1/orders', '/graphql', '/static/app.js', '/.git/config', '/login', '/status',
]
const USER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'curl/8.5.0',
  'okhttp/4.12.0',
  'aws-sdk-js/3.540.0 ua/2.0 os/linux lang/js md/nodejs#20.12.0',
  'python-requests/2.31.0',
]
const ACCEPTS = [
  'application/json',
  '*/*',
  'application/json, text/plain, */*',
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
]
const OPTIONAL_HEADERS = [
  ['accept-encoding', (r) => pick(r, ['gzip, deflate, br', 'gzip', 'br, gzip'])],
  ['accept-language', (r) => pick(r, ['en-US,en;q=0.9', 'de-DE,de;q=0.8,en;q=0.5', 'fr'])],
  ['authorization', (r) => `Bearer eyJhbGciOiJIUzI1NiJ9.${hex(r, 24)}.${hex(r, 16)}`],
  ['cookie', (r) => `session=${hex(r, 16)}; theme=dark`],
  ['cache-control', () => 'no-cache'],
  ['referer', () => 'https://app.example.com/dashboard'],
  ['origin', () => 'https://app.example.com'],
  ['x-request-id', (r) => `${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`],
  ['traceparent', (r) => `00-${hex(r, 32)}-${hex(r, 16)}-01`],
  ['connection', () => 'keep-alive'],
]
const HOST = 'api-alb-1234567890.eu-west-1.elb.amazonaws.com'
const TARGET_GROUP_ARN =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/api-lambda/0a1b2c3d4e5f6a7b'

function hex(rnd, n) {
  let s = ''
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(rnd() * 16)]
  return s
}

function paramValue(rnd) {
  const kind = rnd()
  if (kind < 0.6) return String(int(rnd, 1, 999999))
  if (kind < 0.85) return `${hex(rnd, 8)}-${hex(rnd, 4)}-${hex(rnd, 4)}-${hex(rnd, 4)}-${hex(rnd, 12)}`
  return pick(rnd, ['acme', 'acme-corp', 'globex', 'initech', 'umbrella-eu', 'stark-industries'])
}

// A realistic mix: reads dominate, single items more than lists, a few popular collections.
const ACTION_WEIGHT = { list: 25, create: 10, get: 40, update: 10, delete: 5 }

function routeWeights(rnd, routes) {
  const groups = [...new Set(routes.map((r) => r.name.slice(0, r.name.lastIndexOf('.') + 1) || r.name))]
  const rank = new Map(shuffle(rnd, groups).map((g, i) => [g, i]))
  return routes.map((r) => {
    const dot = r.name.lastIndexOf('.')
    const action = dot >= 0 ? r.name.slice(dot + 1) : 'get'
    const group = dot >= 0 ? r.name.slice(0, dot + 1) : r.name
    return (ACTION_WEIGHT[action] ?? 15) / Math.pow(rank.get(group) + 1, 0.8)
  })
}

function weightedPicker(rnd, weights) {
  const cumulative = []
  let total = 0
  for (const w of weights) cumulative.push((total += w))
  return () => {
    const x = rnd() * total
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid] > x) hi = mid
      else lo = mid + 1
    }
    return lo
  }
}

function makeBody(rnd) {
  return {
    name: pick(rnd, NAMES),
    description: `Generated item ${int(rnd, 1, 100000)} for the benchmark`,
    price: int(rnd, 100, 99999) / 100,
    quantity: int(rnd, 0, 500),
    tags: shuffle(rnd, ['red', 'green', 'blue', 'sale', 'new']).slice(0, int(rnd, 0, 3)),
    active: rnd() < 0.7,
  }
}

/**
 * One request, independent of header mode. `query` is the list of raw (encoded) pairs in
 * arrival order; `route` is the route it should reach or null for a 404.
 */
function makeRequest(rnd, routes, pickRoute, notFoundRate) {
  const notFound = rnd() < notFoundRate
  return fillRequest(rnd, notFound ? null : routes[pickRoute()])
}

/** The request for route `r` (null: a 404), its values drawn from `rnd`. */
function fillRequest(rnd, r) {
  const method = r ? r.method : pick(rnd, ['GET', 'GET', 'GET', 'POST'])
  const values = {}
  if (r) for (const p of r.params) values[p] = paramValue(rnd)
  const path = r ? fillPath(r.path, values) : pick(rnd, NOT_FOUND_PATHS)

  const query = [
    ['q', encodeURIComponent(pick(rnd, SEARCH_TERMS))],
    ['page', String(int(rnd, 1, 40))],
  ]
  for (const [key, options] of shuffle(rnd, EXTRA_QUERY).slice(0, int(rnd, 0, 3))) {
    query.push([encodeURIComponent(key), encodeURIComponent(pick(rnd, options))])
    if (key === 'tag' && rnd() < 0.5) {
      query.push([key, encodeURIComponent(pick(rnd, options))])
    }
  }
  // Query order is arbitrary on the wire; q/page are not always first.
  const orderedQuery = shuffle(rnd, query)

  const body = r?.body || (!r && method === 'POST') ? JSON.stringify(makeBody(rnd)) : ''
  const headers = []
  headers.push(['host', HOST])
  headers.push(['user-agent', pick(rnd, USER_AGENTS)])
  headers.push(['accept', pick(rnd, ACCEPTS)])
  if (body !== '') {
    headers.push(['content-type', 'application/json'])
    headers.push(['content-length', String(Buffer.byteLength(body))])
  }
  const ip = `${int(rnd, 1, 223)}.${int(rnd, 0, 255)}.${int(rnd, 0, 255)}.${int(rnd, 1, 254)}`
  headers.push(['x-forwarded-for', rnd() < 0.2 ? `${ip}, 10.0.${int(rnd, 0, 255)}.${int(rnd, 1, 254)}` : ip])
  headers.push(['x-forwarded-proto', 'https'])
  headers.push(['x-forwarded-port', '443'])
  headers.push(['x-amzn-trace-id', `Root=1-${hex(rnd, 8)}-${hex(rnd, 24)}`])
  const total = int(rnd, Math.max(7, headers.length), 13)
  for (const [name, value] of shuffle(rnd, OPTIONAL_HEADERS).slice(0, total - headers.length)) {
    headers.push([name, value(rnd)])
  }

  return { route: r, method, path, params: values, query: orderedQuery, headers, body }
}

/** The ALB event for a request in one header mode (spec/alb.md §6: key order as ALB sends it). */
export function toAlbEvent(request, mode) {
  if (mode === 'multi') {
    const multiValueQueryStringParameters = {}
    for (const [k, v] of request.query) (multiValueQueryStringParameters[k] ??= []).push(v)
    const multiValueHeaders = {}
    for (const [k, v] of request.headers) (multiValueHeaders[k] ??= []).push(v)
    return {
      requestContext: { elb: { targetGroupArn: TARGET_GROUP_ARN } },
      httpMethod: request.method,
      path: request.path,
      multiValueQueryStringParameters,
      multiValueHeaders,
      body: request.body,
      isBase64Encoded: false,
    }
  }
  // Single-value mode keeps the last value of a repeated key (spec/alb.md §6).
  const queryStringParameters = {}
  for (const [k, v] of request.query) queryStringParameters[k] = v
  const headers = {}
  for (const [k, v] of request.headers) headers[k] = v
  return {
    requestContext: { elb: { targetGroupArn: TARGET_GROUP_ARN } },
    httpMethod: request.method,
    path: request.path,
    queryStringParameters,
    headers,
    body: request.body,
    isBase64Encoded: false,
  }
}

/**
 * `count` requests against `routes`: a weighted route mix, `notFoundRate` of them to paths no
 * route matches (under ALB's `*`-spans-`/` rules too: they share no prefix with any route).
 * `onlyRoute` aims every request at one route (the DTO comparison).
 */
export function makeRequests({
  routes,
  count = 1000,
  seed = DEFAULT_SEED,
  notFoundRate = 0.05,
  onlyRoute,
} = {}) {
  const rnd = mulberry32(seed)
  const targets = onlyRoute ? routes.filter((r) => r.name === onlyRoute) : routes
  if (targets.length === 0) throw new Error(`no route named ${onlyRoute}`)
  const pickRoute = weightedPicker(rnd, routeWeights(rnd, targets))
  const out = []
  for (let i = 0; i < count; i++) {
    out.push(makeRequest(rnd, targets, pickRoute, onlyRoute ? 0 : notFoundRate))
  }
  return out
}

/** `requests` as ALB events, in both header modes. */
export function makeEvents(requests) {
  return {
    single: requests.map((r) => toAlbEvent(r, 'single')),
    multi: requests.map((r) => toAlbEvent(r, 'multi')),
  }
}

// ---------------------------------------------------------------------------------------------
// What every handler must answer

export const NOT_FOUND_BODY = { message: 'Not Found' }

/**
 * The status and JSON body every app must return for a request: the route's name, its last path
 * parameter, the decoded `q` and `page` query values (the last one when repeated) and, for
 * POST/PUT, the body's `name`.
 */
export function expectedResponse(request) {
  const r = request.route
  if (!r) return { status: 404, body: NOT_FOUND_BODY }
  const last = (key) => {
    let value
    for (const [k, v] of request.query) if (k === key) value = v
    return value === undefined ? undefined : decodeURIComponent(value)
  }
  const body = { route: r.name, id: r.param ? request.params[r.param] : null, q: last('q'), page: last('page') }
  if (r.body) body.name = JSON.parse(request.body).name
  return { status: 200, body }
}

/** A Lambda context as the Node runtime hands it over (the parts frameworks read). */
export function lambdaContext() {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'bench-api',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:bench-api',
    memoryLimitInMB: '1024',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: '/aws/lambda/bench-api',
    logStreamName: '2024/01/01/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => 30_000,
    done() {},
    fail() {},
    succeed() {},
  }
}

/** The event sets the runner measures, by name. */
export const SCALING_SIZES = [10, 100, 1000]
export const DTO_ROUTE = 'tasks.create'

/**
 * The named sets: `main` (the 63-route API), `dto` (its DTO route only), and `r10`, `r100`,
 * `r1000`, the scaling tables with twice `count` events each (2,000: enough for every route of
 * the 1,000 to get traffic), the same requests at every size.
 */
export function workloadSets(seed = DEFAULT_SEED, count = 1000) {
  const main = makeRoutes(63)
  const sets = {
    main: { routes: main, requests: makeRequests({ routes: main, count, seed }) },
    dto: { routes: main, requests: makeRequests({ routes: main, count, seed, onlyRoute: DTO_ROUTE }) },
  }
  for (const n of SCALING_SIZES) {
    const routes = makeScaleRoutes(n)
    sets[`r${n}`] = { routes, requests: makeScaleRequests({ routes, count: 2 * count, seed }) }
  }
  return sets
}
