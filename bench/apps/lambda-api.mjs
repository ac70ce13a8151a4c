// lambda-api: the same 63 routes, each registered as its users write them (`:param`, res.json).
import createAPI from 'lambda-api'
import { registerRoutes } from './route-table.mjs'

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

registerRoutes(register)

// No route: lambda-api throws a RouteError; answer it with the shared 404 body.
api.use((err, req, res, next) => {
  if (err.name === 'RouteError') res.status(404).json({ message: 'Not Found' })
  else next()
})

export const handler = (event, context) => api.run(event, context)
