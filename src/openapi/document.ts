import type { RouteDefinition } from '../metadata/types.js'
import type { AlbCondition, AlbRule } from '../rules/types.js'
import { conditionVariant, describeVariants, extraConditions } from './conditions.js'
import { openApiPath, type OpenApiPath } from './paths.js'
import { parametersOf } from './parameters.js'
import { requestBodyOf } from './request-body.js'
import { fixedResponses, forwardResponses, PROBLEM_SCHEMAS, redirectResponses, SHARED_RESPONSES, UNAUTHORIZED } from './responses.js'
import { SchemaRegistry } from './schemas.js'
import { redirectsToSignIn, SecuritySchemes } from './security.js'
import type {
  HttpMethodKey,
  OpenApiDocument,
  OpenApiInput,
  OpenApiOptions,
  OperationObject,
  ParameterObject,
  Reference,
  RequestBodyObject,
  ResponseObject,
} from './types.js'

/** One route under one path and method; several make one operation (variants). */
interface Entry {
  readonly rule: AlbRule
  readonly route: RouteDefinition
  /** The route's own path; its templates may be named differently from the group's. */
  readonly path: OpenApiPath
  readonly conditions: readonly AlbCondition[]
}

interface Group {
  readonly path: OpenApiPath
  readonly method: HttpMethodKey
  readonly entries: Entry[]
}

// @All has no method condition; OpenAPI 3.1 has no "any method" operation, so it gets each of
// these. HEAD is left out wherever GET is there: @Get routes both (a HEAD answer has no body).
const EVERY_METHOD: readonly HttpMethodKey[] = ['get', 'put', 'post', 'delete', 'options', 'patch']
const METHOD_KEYS = new Set<string>(['get', 'put', 'post', 'delete', 'options', 'head', 'patch'])
const LOCATED = new Set(['path', 'query', 'header', 'cookie', 'query-object', 'header-object', 'body'])

/**
 * The OpenAPI 3.1 document of an app: one operation per route under the path its pattern stands
 * for, in the order ALB evaluates the rules. Routes that share a path and method (they differ by
 * conditions) become one operation listing each variant in `x-albatross-conditions`.
 */
export function buildOpenApi(input: OpenApiInput, options: OpenApiOptions = {}): OpenApiDocument {
  const registry = new SchemaRegistry(input.validation)
  const security = new SecuritySchemes()
  const groups = new Map<string, Group>()
  // OpenAPI 3.1 §4.8.8: `/users/{id}` and `/users/{uid}` are the same path, which a document may
  // not hold twice. Template names never reach the wire, so the first spelling names them all.
  const canonical = new Map<string, OpenApiPath>()
  for (const rule of input.table.rules) {
    const route = input.routes[rule.id]
    if (route === undefined || route.source !== rule.source) continue
    const path = openApiPath(route.path)
    const shape = path.key.replace(/\{[^}]*\}/g, '{}')
    if (!canonical.has(shape)) canonical.set(shape, path)
    const entry: Entry = { rule, route, path, conditions: extraConditions(rule, path.approximate) }
    for (const method of methodsOf(route.methods)) {
      const key = `${method} ${shape}`
      const group = groups.get(key)
      if (group === undefined) groups.set(key, { path: canonical.get(shape) as OpenApiPath, method, entries: [entry] })
      else group.entries.push(entry)
    }
  }

  const paths: OpenApiDocument['paths'] = {}
  const ids = new Set<string>()
  const tags = new Set<string>()
  let validates = false
  let authenticates = false
  for (const group of groups.values()) {
    const operation = operationOf(group, registry, security, ids)
    for (const tag of operation.tags ?? []) tags.add(tag)
    if (operation.responses['400'] !== undefined) validates = true
    if (operation.responses['401'] !== undefined) authenticates = true
    const item = (paths[group.path.key] ??= {})
    item[group.method] = operation
  }

  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'albatross app',
      version: options.version ?? '0.0.0',
      ...(options.description === undefined ? {} : { description: options.description }),
    },
    ...(options.servers === undefined
      ? {}
      : { servers: options.servers.map((server) => (typeof server === 'string' ? { url: server } : { ...server })) }),
    tags: [...tags].map((name) => ({ name })),
    paths,
    components: {
      schemas: { ...PROBLEM_SCHEMAS, ...registry.schemas },
      responses: {
        ...(validates ? { ValidationFailed: SHARED_RESPONSES['ValidationFailed'] as ResponseObject } : {}),
        ...(authenticates ? { Unauthorized: SHARED_RESPONSES['Unauthorized'] as ResponseObject } : {}),
      },
      ...(Object.keys(security.schemes).length === 0 ? {} : { securitySchemes: security.schemes }),
    },
    'x-albatross-default-action': input.defaultAction,
  }
  if (input.needsMultiValueHeaders) document['x-albatross-multi-value-headers'] = true
  return document
}

function methodsOf(methods: readonly string[] | undefined): HttpMethodKey[] {
  if (methods === undefined) return [...EVERY_METHOD]
  const keys = methods.map((m) => m.toLowerCase()).filter((m): m is HttpMethodKey => METHOD_KEYS.has(m))
  return keys.includes('get') ? keys.filter((m) => m !== 'head') : keys
}

function operationOf(group: Group, registry: SchemaRegistry, security: SecuritySchemes, ids: Set<string>): OperationObject {
  const parts = group.entries.map((entry) => partsOf(entry, group.path, registry))
  // The variant with the fewest conditions names the operation: it is the one most requests reach.
  let primary = 0
  group.entries.forEach((entry, i) => {
    if (entry.conditions.length < (group.entries[primary] as Entry).conditions.length) primary = i
  })
  const conditional = group.entries.length > 1 || group.entries.some((e) => e.conditions.length > 0)
  const parameters = mergeParameters(parts.map((p) => p.parameters))
  const body = mergeBodies(parts.map((p) => p.body))
  const responses: OperationObject['responses'] = {}
  for (const part of parts) {
    for (const [status, response] of Object.entries(part.responses)) {
      const existing = responses[status]
      responses[status] = existing === undefined ? response : mergeResponse(existing, response)
    }
  }
  const rules = group.entries.map((e) => e.rule)
  const requirements = securityOf(group.entries, security)
  return {
    operationId: uniqueId((group.entries[primary] as Entry).rule.source, group.method, ids),
    tags: [...new Set(group.entries.map((e) => e.route.controllerName))],
    ...(conditional ? { description: describeVariants(rules, group.entries.map((e) => e.conditions)) } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body === undefined ? {} : { requestBody: body }),
    responses,
    ...(requirements === undefined ? {} : { security: requirements }),
    ...(conditional ? { 'x-albatross-conditions': group.entries.map((e) => conditionVariant(e.rule, e.conditions)) } : {}),
  }
}

interface Parts {
  readonly parameters: ParameterObject[]
  readonly body: RequestBodyObject | undefined
  readonly responses: Record<string, ResponseObject | Reference>
}

function partsOf(entry: Entry, path: OpenApiPath, registry: SchemaRegistry): Parts {
  const parts = unauthenticatedParts(entry, path, registry)
  const auth = entry.rule.auth
  if (auth === undefined) return parts
  // ALB authenticates before any action, fixed responses and redirects included (spec/alb.md §7).
  const signIn: Record<string, ResponseObject> = redirectsToSignIn(auth)
    ? { '302': { description: 'Not signed in: ALB redirects the browser to the identity provider to sign in.', headers: { Location: { schema: { type: 'string', format: 'uri' } } } } }
    : {}
  return { ...parts, responses: { ...parts.responses, ...signIn, '401': UNAUTHORIZED } }
}

/**
 * The operation's `security`: the variants' requirements OR-ed; `{}` (none) when a variant is not
 * authenticated at all, since a request may then reach it without credentials.
 */
function securityOf(entries: readonly Entry[], security: SecuritySchemes): Record<string, string[]>[] | undefined {
  if (entries.every((e) => e.rule.auth === undefined)) return undefined
  const out: Record<string, string[]>[] = []
  const seen = new Set<string>()
  for (const entry of entries) {
    const list = entry.rule.auth === undefined ? [{}] : security.requirement(entry.rule.auth)
    for (const requirement of list) {
      const key = JSON.stringify(requirement)
      if (!seen.has(key)) out.push(requirement)
      seen.add(key)
    }
  }
  // The anonymous alternative reads last.
  return [...out.filter((r) => Object.keys(r).length > 0), ...out.filter((r) => Object.keys(r).length === 0)]
}

function unauthenticatedParts(entry: Entry, path: OpenApiPath, registry: SchemaRegistry): Parts {
  const { route } = entry
  const action = route.action
  // A route the ALB answers itself still has the path's templates, which OpenAPI wants declared.
  const bound = action.type === 'forward' ? route.params : []
  const parameters = parametersOf(bound, entry.path.params, registry).map((p) =>
    p.in === 'path' ? { ...p, name: path.params[entry.path.params.indexOf(p.name)] ?? p.name } : p,
  )
  if (action.type === 'fixed-response') return { parameters, body: undefined, responses: fixedResponses(action) }
  if (action.type === 'redirect') return { parameters, body: undefined, responses: redirectResponses(action) }
  const { body, kind } = requestBodyOf(route.params, registry)
  const validates = route.params.some((p) => LOCATED.has(p.source))
  return { parameters, body, responses: forwardResponses(route, validates, kind) }
}

function uniqueId(source: string, method: HttpMethodKey, ids: Set<string>): string {
  let id = ids.has(source) ? `${source}.${method}` : source
  for (let n = 2; ids.has(id); n++) id = `${source}.${method}${n}`
  ids.add(id)
  return id
}

/** A parameter is required only when every variant requires it. */
function mergeParameters(lists: readonly ParameterObject[][]): ParameterObject[] {
  if (lists.length === 1) return lists[0] as ParameterObject[]
  const out: ParameterObject[] = []
  const key = (p: ParameterObject) => `${p.in} ${p.in === 'header' ? p.name.toLowerCase() : p.name}`
  for (const list of lists) {
    for (const parameter of list) {
      if (out.some((p) => key(p) === key(parameter))) continue
      const required = lists.every((l) => l.some((p) => key(p) === key(parameter) && p.required))
      out.push({ ...parameter, required })
    }
  }
  return out
}

function mergeBodies(bodies: readonly (RequestBodyObject | undefined)[]): RequestBodyObject | undefined {
  const present = bodies.filter((b): b is RequestBodyObject => b !== undefined)
  if (present.length === 0) return undefined
  if (present.length === 1 && bodies.length === 1) return present[0]
  const content: RequestBodyObject['content'] = {}
  for (const body of present) {
    for (const [type, media] of Object.entries(body.content)) {
      const existing = content[type]
      content[type] =
        existing === undefined || JSON.stringify(existing) === JSON.stringify(media)
          ? media
          : { schema: { oneOf: [existing.schema ?? {}, media.schema ?? {}] } }
    }
  }
  return { required: present.length === bodies.length && present.every((b) => b.required), content }
}

function mergeResponse(a: ResponseObject | Reference, b: ResponseObject | Reference): ResponseObject | Reference {
  if ('$ref' in a || '$ref' in b || JSON.stringify(a) === JSON.stringify(b)) return a
  return {
    ...b,
    ...a,
    description: a.description === b.description ? a.description : `${a.description} Or: ${b.description}`,
    ...(a.headers ?? b.headers ? { headers: { ...b.headers, ...a.headers } } : {}),
    ...(a.content ?? b.content ? { content: { ...b.content, ...a.content } } : {}),
  }
}
