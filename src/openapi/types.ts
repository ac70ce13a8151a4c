import type { ValidatorOptions } from 'class-validator'
import type { RouteDefinition } from '../metadata/types.js'
import type { FixedResponseAction, RuleTable } from '../rules/types.js'

// The parts of the OpenAPI 3.1 document this generator writes (https://spec.openapis.org/oas/v3.1.0).
// Schemas are JSON Schema 2020-12 objects, kept open: a constraint adds whatever keyword it maps to.

export type JsonSchema = { [keyword: string]: unknown }

export interface ParameterObject {
  readonly name: string
  readonly in: 'path' | 'query' | 'header' | 'cookie'
  readonly required: boolean
  readonly schema: JsonSchema
  readonly description?: string
  readonly style?: 'form' | 'simple'
  readonly explode?: boolean
  readonly [extension: `x-${string}`]: unknown
}

export interface MediaTypeObject {
  readonly schema?: JsonSchema
  readonly example?: unknown
}

export interface HeaderObject {
  readonly description?: string
  readonly schema: JsonSchema
}

export interface ResponseObject {
  readonly description: string
  readonly headers?: Record<string, HeaderObject>
  readonly content?: Record<string, MediaTypeObject>
}

export type Reference = { readonly $ref: string }

export interface RequestBodyObject {
  readonly description?: string
  readonly required: boolean
  readonly content: Record<string, MediaTypeObject>
}

export interface OperationObject {
  operationId: string
  tags?: string[]
  description?: string
  parameters?: ParameterObject[]
  requestBody?: RequestBodyObject
  responses: Record<string, ResponseObject | Reference>
  security?: Record<string, string[]>[]
  [extension: `x-${string}`]: unknown
}

export type HttpMethodKey = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace'

export type PathItemObject = Partial<Record<HttpMethodKey, OperationObject>>

export interface SecuritySchemeObject {
  readonly type: 'http' | 'oauth2' | 'openIdConnect' | 'apiKey' | 'mutualTLS'
  readonly [field: string]: unknown
}

export interface OpenApiDocument {
  openapi: '3.1.0'
  info: { title: string; version: string; description?: string }
  servers?: { url: string; description?: string }[]
  tags?: { name: string }[]
  paths: Record<string, PathItemObject>
  components: {
    schemas?: Record<string, JsonSchema>
    responses?: Record<string, ResponseObject>
    securitySchemes?: Record<string, SecuritySchemeObject>
  }
  [extension: `x-${string}`]: unknown
}

/** `app.openapi(options)`: what the document says about itself. */
export interface OpenApiOptions {
  /** `info.title` (default `"albatross app"`). */
  readonly title?: string
  /** `info.version`, the API's version (default `"0.0.0"`). */
  readonly version?: string
  readonly description?: string
  /** `servers`: the URLs the API is reached at, e.g. the load balancer's DNS name. */
  readonly servers?: readonly (string | { readonly url: string; readonly description?: string })[]
}

/** What createApp hands the generator: the rule table and the routes it was built from. */
export interface OpenApiInput {
  readonly table: RuleTable
  /** Indexed by rule id (`AlbRule.id`); a rule without a route (the CORS preflight) is skipped. */
  readonly routes: readonly RouteDefinition[]
  readonly validation?: ValidatorOptions | undefined
  readonly needsMultiValueHeaders: boolean
  readonly defaultAction: FixedResponseAction
}
