import { reasonPhrase } from '../alb/status.js'
import type { RouteDefinition } from '../metadata/types.js'
import type { FixedResponseAction, RedirectAction } from '../rules/types.js'
import type { HeaderObject, JsonSchema, Reference, ResponseObject } from './types.js'

type Responses = Record<string, ResponseObject | Reference>

const PROBLEM = 'application/problem+json'

/** Shared components every document carries: RFC 9457 problem details, as binding/result.ts writes them. */
export const PROBLEM_SCHEMAS: Record<string, JsonSchema> = {
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details, as every albatross error is answered.',
    properties: {
      type: { type: 'string', description: 'Always `about:blank`.' },
      title: { type: 'string', description: 'The status reason phrase.' },
      status: { type: 'integer' },
      detail: { type: 'string' },
    },
    required: ['type', 'title', 'status'],
  },
  ValidationProblem: {
    allOf: [
      { $ref: '#/components/schemas/Problem' },
      {
        type: 'object',
        properties: {
          errors: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                location: { type: 'string', description: 'Where: `path.id`, `query.page`, `header.x-tenant`, `body.items[2].qty`.' },
                message: { type: 'string' },
                constraint: { type: 'string', description: 'The failed constraint: `isInt`, `isDefined`, `min` …' },
                value: { type: 'string', description: 'The value sent, truncated; never for headers and cookies.' },
              },
              required: ['location', 'message', 'constraint'],
            },
          },
        },
        required: ['errors'],
      },
    ],
  },
}

export const SHARED_RESPONSES: Record<string, ResponseObject> = {
  ValidationFailed: {
    description: 'A parameter or the body is missing or invalid; `errors` names each failing field.',
    content: { [PROBLEM]: { schema: { $ref: '#/components/schemas/ValidationProblem' } } },
  },
  Unauthorized: {
    description: 'The request carries no valid authentication.',
    content: { [PROBLEM]: { schema: { $ref: '#/components/schemas/Problem' } } },
  },
}

const VALIDATION_FAILED: Reference = { $ref: '#/components/responses/ValidationFailed' }
export const UNAUTHORIZED: Reference = { $ref: '#/components/responses/Unauthorized' }

/**
 * A forwarded route's answers. The status is `@HttpCode`, else 204 for a method that returns
 * nothing, else 200 (binding/result.ts). Without `@HttpCode` the generator cannot run the method,
 * so it reads the method's source: one with no `return <value>` answers 204. `reply()` may set
 * any status; `@HttpCode` documents it.
 */
export function forwardResponses(route: RouteDefinition, validates: boolean, body: 'dto' | 'other' | 'none'): Responses {
  const responses: Responses = {}
  const status = route.httpCode ?? (returnsNothing(route) ? 204 : 200)
  // @ResponseHeader pairs, class then method; a later one of the same name wins (HTTP names fold case).
  const headers: Record<string, HeaderObject> = {}
  for (const { name, value } of route.responseHeaders ?? []) {
    for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key]
    headers[name] = { schema: { type: 'string', const: value } }
  }
  responses[String(status)] = {
    description:
      status === 204
        ? 'No content.'
        : `${reasonPhrase(status) ?? 'Answer'}: the method's return value, as JSON (text/plain for a string, application/octet-stream for bytes).`,
    ...(Object.keys(headers).length === 0 ? {} : { headers }),
  }
  if (validates) responses['400'] = VALIDATION_FAILED
  if (body === 'dto') {
    responses['415'] = {
      description: 'The body is neither application/json nor application/x-www-form-urlencoded.',
      content: { [PROBLEM]: { schema: { $ref: '#/components/schemas/Problem' } } },
    }
  }
  return responses
}

/** An ALB fixed-response action: its status, content type and exact body (spec/alb.md §1.6). */
export function fixedResponses(action: FixedResponseAction): Responses {
  const type = action.contentType ?? 'text/plain'
  const description = `${reasonPhrase(action.statusCode) ?? 'Fixed response'}: a fixed response the ALB rule answers itself.`
  if (action.messageBody === undefined || action.messageBody === '') return { [String(action.statusCode)]: { description } }
  let schema: JsonSchema = { type: 'string', const: action.messageBody }
  if (type === 'application/json') {
    try {
      schema = { const: JSON.parse(action.messageBody) as unknown }
    } catch {
      // Not JSON after all: documented as the text it is.
    }
  }
  return { [String(action.statusCode)]: { description, content: { [type]: { schema, example: schema['const'] } } } }
}

/**
 * An ALB redirect action: 301 or 302 with `Location` built from the action's components; an unset
 * component keeps the request's (`#{host}`, `#{path}` … are ALB's placeholders, spec/alb.md §1.6).
 */
export function redirectResponses(action: RedirectAction): Responses {
  const location =
    `${action.protocol ?? '#{protocol}'}://${action.host ?? '#{host}'}:${action.port ?? '#{port}'}` +
    `${action.path ?? '/#{path}'}?${action.query ?? '#{query}'}`
  return {
    [String(action.statusCode)]: {
      description: `${reasonPhrase(action.statusCode) ?? 'Redirect'} to \`${location}\`, answered by the ALB rule itself.`,
      headers: {
        Location: {
          description: `\`${location}\`; ALB omits a default port and an empty query.`,
          schema: { type: 'string', format: 'uri' },
        },
      },
    },
  }
}

const VALUE_RETURN = /\breturn\b(?!\s*(?:;|\}|$))/m

// tsc's `design:returntype` cannot tell `(): void` from a method without a return annotation
// (both are `void 0`), so the method's own source decides: same under tsc and esbuild.
function returnsNothing(route: RouteDefinition): boolean {
  const method = (route.controller.prototype as Record<string, unknown>)[route.methodName]
  if (typeof method !== 'function') return false
  const source = Function.prototype.toString.call(method)
  const body = source.slice(source.indexOf('{') + 1)
  return !VALUE_RETURN.test(body) && !/^\s*(?:async\s*)?\*/.test(source)
}
