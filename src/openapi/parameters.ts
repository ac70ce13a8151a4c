import { headerNameOf } from '../binding/param-plan.js'
import type { ScalarKind } from '../binding/coerce.js'
import { isDtoClass } from '../binding/dto-plan.js'
import type { ParamDefinition } from '../metadata/types.js'
import { scalarSchema, type SchemaRegistry } from './schemas.js'
import type { JsonSchema, ParameterObject } from './types.js'

const KINDS = new Map<unknown, ScalarKind>([
  [String, 'string'],
  [Number, 'number'],
  [Boolean, 'boolean'],
  [Date, 'date'],
])

// spec/alb.md §4.2: without the target group's multi-value attribute, ALB forwards the last value.
const MULTI_VALUE_NOTE =
  'Send the key once per value. Every value reaches the function only when the target group has ' +
  '`lambda.multi_value_headers.enabled`; otherwise ALB forwards the last one.'
const CAPTURE_NOTE = 'An ALB `*`: it may be empty and may contain `/`.'

/** A parameter's declared type as the binder resolves it: `opts.type` wins over metadata. */
export function declaredTypeOf(def: ParamDefinition): { type: unknown; array: boolean } {
  const declared: unknown = def.options.type ?? def.designType
  const array = Array.isArray(declared) || declared === Array
  return { type: Array.isArray(declared) ? declared[0] : array ? undefined : declared, array }
}

/**
 * The `parameters` of one route: every `{name}` of its path (a capture not bound by @Param is
 * still a path parameter, as OpenAPI requires), each @Query/@Header/@Cookie key, and each
 * property of a query or header DTO. Parameters without a request location (@Req, @Event,
 * @Ctx, custom ones) describe nothing a client sends.
 */
export function parametersOf(
  params: readonly ParamDefinition[],
  pathParams: readonly string[],
  registry: SchemaRegistry,
): ParameterObject[] {
  const out: ParameterObject[] = []
  const add = (parameter: ParameterObject) => {
    const key = parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name
    const taken = out.some((p) => p.in === parameter.in && (p.in === 'header' ? p.name.toLowerCase() : p.name) === key)
    if (!taken) out.push(parameter)
  }
  for (const name of pathParams) {
    const def = params.find((p) => p.source === 'path' && p.name === name)
    const schema = def === undefined ? { type: 'string' } : valueSchema(def)
    add({ name, in: 'path', required: true, schema, description: CAPTURE_NOTE })
  }
  for (const def of params) {
    switch (def.source) {
      case 'query':
      case 'header':
      case 'cookie': {
        if (def.name === undefined || def.name === '') break
        const { array } = declaredTypeOf(def)
        add(keyed(def.source, def.name, valueSchema(def), def.options.optional !== true, array))
        break
      }
      case 'query-object':
      case 'header-object': {
        const { type, array } = declaredTypeOf(def)
        if (array || !isDtoClass(type)) break
        const where = def.source === 'query-object' ? 'query' : 'header'
        for (const property of registry.properties(type)) {
          const name = where === 'header' ? headerNameOf(property.key) : property.key
          add(keyed(where, name, property.schema, property.required, property.array))
        }
        break
      }
      default:
        break
    }
  }
  return out
}

function keyed(
  where: 'query' | 'header' | 'cookie',
  name: string,
  schema: JsonSchema,
  required: boolean,
  array: boolean,
): ParameterObject {
  if (!array) return { name, in: where, required, schema }
  // OpenAPI allows only `simple` for headers, whose repeated lines HTTP treats as one list.
  const style = where === 'header' ? { style: 'simple' as const } : { style: 'form' as const, explode: true }
  return { name, in: where, required, schema, ...style, description: MULTI_VALUE_NOTE, 'x-albatross-repeated': true }
}

/** A path, query, header or cookie value converted to its declared type; `[T]` gives an array. */
function valueSchema(def: ParamDefinition): JsonSchema {
  const { type, array } = declaredTypeOf(def)
  const item = scalarSchema(KINDS.get(type) ?? 'string')
  return array ? { type: 'array', items: item } : item
}
