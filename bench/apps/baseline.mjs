// The hand-written baseline: what a careful developer writes with no framework at all — a
// nested switch on the path segments and the method, query values decoded by hand, the response
// shaped for whichever header mode the event arrived in. The ceiling every framework is compared to.

const JSON_TYPE = 'application/json'
const NOT_FOUND = JSON.stringify({ message: 'Not Found' })

function decode(value) {
  if (value === undefined || value.indexOf('%') === -1) return value
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

// Multi-value mode: the last value, as single-value mode would have kept (spec/alb.md §6).
function query(event, key) {
  const multi = event.multiValueQueryStringParameters
  if (multi) {
    const values = multi[key]
    return values === undefined ? undefined : decode(values[values.length - 1])
  }
  const single = event.queryStringParameters
  return single ? decode(single[key]) : undefined
}

function respond(event, statusCode, body) {
  const statusDescription = statusCode === 200 ? '200 OK' : '404 Not Found'
  if (event.multiValueHeaders) {
    return {
      statusCode,
      statusDescription,
      multiValueHeaders: { 'content-type': [JSON_TYPE] },
      body,
      isBase64Encoded: false,
    }
  }
  return { statusCode, statusDescription, headers: { 'content-type': JSON_TYPE }, body, isBase64Encoded: false }
}

function ok(event, route, id) {
  return respond(
    event,
    200,
    JSON.stringify({ route, id, q: query(event, 'q'), page: query(event, 'page') }),
  )
}

function okWithBody(event, route, id) {
  const body = JSON.parse(event.body)
  return respond(
    event,
    200,
    JSON.stringify({ route, id, q: query(event, 'q'), page: query(event, 'page'), name: body.name }),
  )
}

function notFound(event) {
  return respond(event, 404, NOT_FOUND)
}

const RESOURCES = new Set([
  'users',
  'orders',
  'products',
  'invoices',
  'customers',
  'payments',
  'shipments',
  'reviews',
])

/**
 * GET/POST on a collection, GET/PUT/DELETE on one of its items. A nested collection's list and
 * create answer with the parent's id (the last path parameter they have).
 */
function collection(event, name, method, parent, id) {
  if (id === undefined) {
    switch (method) {
      case 'GET':
        return ok(event, `${name}.list`, parent)
      case 'POST':
        return okWithBody(event, `${name}.create`, parent)
    }
    return notFound(event)
  }
  switch (method) {
    case 'GET':
      return ok(event, `${name}.get`, id)
    case 'PUT':
      return okWithBody(event, `${name}.update`, id)
    case 'DELETE':
      return ok(event, `${name}.delete`, id)
  }
  return notFound(event)
}

function orgs(event, method, s) {
  // s: ['', 'orgs', org?, sub?, project?, 'tasks'?, id?]
  switch (s.length) {
    case 2:
      return collection(event, 'orgs', method, null, undefined)
    case 3:
      return s[2] === '' ? notFound(event) : collection(event, 'orgs', method, null, s[2])
    case 4:
      if (s[2] === '') return notFound(event)
      if (s[3] === 'projects') return collection(event, 'projects', method, s[2], undefined)
      if (s[3] === 'members' && method === 'GET') return ok(event, 'members.list', s[2])
      return notFound(event)
    case 5:
      if (s[2] === '' || s[4] === '') return notFound(event)
      if (s[3] === 'projects') return collection(event, 'projects', method, s[2], s[4])
      if (s[3] === 'members' && method === 'GET') return ok(event, 'members.get', s[4])
      return notFound(event)
    case 6:
      if (s[2] !== '' && s[3] === 'projects' && s[4] !== '' && s[5] === 'tasks') {
        return collection(event, 'tasks', method, s[4], undefined)
      }
      return notFound(event)
    case 7:
      if (s[2] !== '' && s[3] === 'projects' && s[4] !== '' && s[5] === 'tasks' && s[6] !== '') {
        return collection(event, 'tasks', method, s[4], s[6])
      }
      return notFound(event)
  }
  return notFound(event)
}

export async function handler(event, _context) {
  const method = event.httpMethod
  const s = event.path.split('/')
  const first = s[1]
  switch (s.length) {
    case 2:
      switch (first) {
        case 'health':
          return method === 'GET' ? ok(event, 'health', null) : notFound(event)
        case 'version':
          return method === 'GET' ? ok(event, 'version', null) : notFound(event)
        case 'search':
          return method === 'GET' ? ok(event, 'search', null) : notFound(event)
        case 'orgs':
          return orgs(event, method, s)
      }
      return RESOURCES.has(first) ? collection(event, first, method, null, undefined) : notFound(event)
    case 3:
      if (first === 'auth') {
        return s[2] === 'login' && method === 'POST' ? okWithBody(event, 'auth.login', null) : notFound(event)
      }
      if (first === 'orgs') return orgs(event, method, s)
      if (s[2] === '' || !RESOURCES.has(first)) return notFound(event)
      return collection(event, first, method, null, s[2])
    case 4:
      if (first === 'orgs') return orgs(event, method, s)
      if (s[2] === '' || method !== 'GET') return notFound(event)
      if (first === 'users' && s[3] === 'orders') return ok(event, 'users.orders', s[2])
      if (first === 'products' && s[3] === 'reviews') return ok(event, 'products.reviews', s[2])
      return notFound(event)
  }
  return first === 'orgs' ? orgs(event, method, s) : notFound(event)
}
