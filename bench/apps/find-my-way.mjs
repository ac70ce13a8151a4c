// find-my-way (Fastify's radix-tree router) with a thin hand-written ALB adapter: the fastest
// general-purpose router in Node, plus the minimum a Lambda needs around it.
import FindMyWay from 'find-my-way'
import { query, respond } from './alb-helpers.mjs'
import { registerRoutes } from './route-table.mjs'

const router = FindMyWay({ ignoreTrailingSlash: false, caseSensitive: true })

function register(method, path, name, param, body) {
  router.on(method, path.replace(/\{(\w+)\}/g, ':$1'), (event, params) => {
    const out = { route: name, id: param ? params[param] : null, q: query(event, 'q'), page: query(event, 'page') }
    if (body) out.name = JSON.parse(event.body).name
    return respond(event, 200, '200 OK', JSON.stringify(out))
  })
}

registerRoutes(register)

const NOT_FOUND = JSON.stringify({ message: 'Not Found' })

export async function handler(event, _context) {
  const found = router.find(event.httpMethod, event.path)
  if (found === null) return respond(event, 404, '404 Not Found', NOT_FOUND)
  return found.handler(event, found.params)
}
