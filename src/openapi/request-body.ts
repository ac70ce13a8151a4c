import { isDtoClass } from '../binding/dto-plan.js'
import type { ParamDefinition } from '../metadata/types.js'
import { declaredTypeOf } from './parameters.js'
import type { SchemaRegistry } from './schemas.js'
import type { RequestBodyObject } from './types.js'

export interface BodyDescription {
  readonly body: RequestBodyObject | undefined
  /** A DTO body is refused with 415 unless it is JSON or a form (binding/body-param.ts). */
  readonly kind: 'dto' | 'other' | 'none'
}

/** `@Body()` by declared type, as binding/body-param.ts reads it. */
export function requestBodyOf(params: readonly ParamDefinition[], registry: SchemaRegistry): BodyDescription {
  const def = params.find((p) => p.source === 'body')
  if (def === undefined) return { body: undefined, kind: 'none' }
  const required = def.options.optional !== true
  const { type, array } = declaredTypeOf(def)
  if (!array && (type === Buffer || type === Uint8Array)) {
    const bytes = { schema: { type: 'string', contentMediaType: 'application/octet-stream' } }
    return { body: { required, content: { 'application/octet-stream': bytes } }, kind: 'other' }
  }
  if (!array && type === String) {
    return { body: { required, content: { 'text/plain': { schema: { type: 'string' } } } }, kind: 'other' }
  }
  if (!isDtoClass(type)) {
    // Untyped: a JSON value, form fields, text or bytes, whatever the content-type says.
    return { body: { required, content: { '*/*': { schema: {} } } }, kind: 'other' }
  }
  const ref = registry.ref(type)
  if (array) {
    return { body: { required, content: { 'application/json': { schema: { type: 'array', items: ref } } } }, kind: 'dto' }
  }
  const content = { 'application/json': { schema: ref }, 'application/x-www-form-urlencoded': { schema: ref } }
  return { body: { required, content }, kind: 'dto' }
}
