// Middy with @middy/http-router: the router dispatches on httpMethod + path and leaves request
// parsing to each handler (no body-parser or normalizer middleware: only core and the router are
// the peers under test, so the handlers parse what they read, like the baseline).
import middy from '@middy/core'
import httpRouterHandler from '@middy/http-router'
import { query, respond } from './alb-helpers.mjs'
import { registerRoutes } from './route-table.mjs'

const routes = []

function register(method, path, name, param, body) {
  routes.push({
    method,
    path,
    handler: (event) => {
      const out = {
        route: name,
        id: param ? event.pathParameters[param] : null,
        q: query(event, 'q'),
        page: query(event, 'page'),
      }
      if (body) out.name = JSON.parse(event.body).name
      return respond(event, 200, '200 OK', JSON.stringify(out))
    },
  })
}

registerRoutes(register)

const NOT_FOUND = JSON.stringify({ message: 'Not Found' })
// notFoundResponse sees only method and path, not the event whose header mode the 404 must use.
const NO_ROUTE = Symbol('no route')
const router = httpRouterHandler({ routes, notFoundResponse: () => NO_ROUTE })

export const handler = middy().handler((event, context, abort) => {
  const result = router(event, context, abort)
  return result === NO_ROUTE ? respond(event, 404, '404 Not Found', NOT_FOUND) : result
})
