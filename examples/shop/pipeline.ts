import { UnauthorizedError, createParamDecorator, type Middleware } from '../../src/index.js'

/**
 * Every forwarded request gets a correlation id: the Root of ALB's `x-amzn-trace-id`
 * (spec/alb.md §4.4), kept in `ctx.state` for logs and echoed as `x-correlation-id`.
 */
export const correlationId: Middleware = async (ctx, next) => {
  const trace = ctx.request.header('x-amzn-trace-id') ?? ''
  const id = /(?:^|;)Root=([^;]+)/.exec(trace)?.[1] ?? 'none'
  ctx.state['correlationId'] = id
  const response = await next()
  return { ...response, headers: { ...response.headers, 'x-correlation-id': id } }
}

/** A tenant guard: answers 401 before the route runs when `x-tenant` is missing or malformed. */
export const requireTenant: Middleware = (ctx, next) => {
  const tenant = ctx.request.header('x-tenant')
  if (tenant === undefined || !/^[a-z0-9-]{1,32}$/.test(tenant)) {
    throw new UnauthorizedError('x-tenant is required: 1-32 lower-case letters, digits or dashes')
  }
  ctx.state['tenant'] = tenant
  return next()
}

/** The tenant `requireTenant` verified, as a method parameter. */
export const Tenant = createParamDecorator((ctx) => ctx.state['tenant'] as string)
