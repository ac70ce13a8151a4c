// Hono with its AWS Lambda adapter (which understands ALB events in both header modes).
import { Hono } from 'hono'
import { handle } from 'hono/aws-lambda'
import { registerRoutes } from './route-table.mjs'

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

registerRoutes(register)

app.notFound((c) => c.json({ message: 'Not Found' }, 404))

export const handler = handle(app)
