import { designParamTypes, memberOf } from '../metadata/store.js'
import { PARAM_DECORATOR } from '../metadata/types.js'
import type { CustomParam, ParamDefinition, ParamOptions, ParamSource } from '../metadata/types.js'
import { assertLegacyDecorator } from './legacy.js'

export function bindParam(
  source: ParamSource,
  name: string | undefined,
  options: ParamOptions,
  custom?: CustomParam,
): ParameterDecorator {
  return (target, key, index) => {
    // A string or symbol key on every legacy use: only an object (a TC39 context) needs the check.
    if (typeof key === 'object') assertLegacyDecorator(key, custom?.name ?? PARAM_DECORATOR[source])
    recordParam(target, key, index, source, name, options, custom)
  }
}

/**
 * Records parameter `index` of method `key`, for the decorators that bind one (@Query and
 * @Header call it directly: they are routing conditions too, and a closure made per use only to
 * forward here cost a cold start one per parameter).
 */
export function recordParam(
  target: object,
  key: string | symbol | undefined,
  index: number,
  source: ParamSource,
  name: string | undefined,
  options: ParamOptions,
  custom?: CustomParam,
): void {
  if (key === undefined) throw new TypeError(`@${custom?.name ?? PARAM_DECORATOR[source]} is for method parameters, not constructor parameters`)
  const designType = paramTypesOf(target, key)?.[index]
  const member = memberOf(target.constructor, key)
  member.params = inserted(
    member.params,
    custom === undefined ? { index, source, name, options, designType } : { index, source, name, options, designType, custom },
  )
}

/**
 * `list` with `param` after the entries of its index or lower: the list stays in parameter order,
 * and two decorators on one parameter stay in the order they ran (as a stable sort of the order
 * they ran in would put them), so reading a controller needs no sorted copy of each method's.
 * A copy exactly one longer (push would reserve room for 16 more in a list kept for good).
 * Decorators run from the last parameter to the first, so `param` usually goes first.
 */
function inserted(list: readonly ParamDefinition[], param: ParamDefinition): readonly ParamDefinition[] {
  const n = list.length
  const out = new Array<ParamDefinition>(n + 1)
  let i = 0
  for (; i < n && (list[i] as ParamDefinition).index <= param.index; i++) out[i] = list[i] as ParamDefinition
  out[i] = param
  for (; i < n; i++) out[i + 1] = list[i] as ParamDefinition
  return out
}

// A method's parameter decorators run one after another, so its design:paramtypes is read once
// rather than once per parameter (reflect-metadata walks the prototype chain on every read).
let lastTarget: object | undefined
let lastKey: string | symbol | undefined
let lastTypes: readonly unknown[] | undefined

function paramTypesOf(target: object, key: string | symbol): readonly unknown[] | undefined {
  if (target !== lastTarget || key !== lastKey) {
    lastTypes = designParamTypes(target, key)
    lastTarget = target
    lastKey = key
  }
  return lastTypes
}

/**
 * Binds a `{name}` capture of the path.
 *
 * @example
 * @Get('/users/{id}') get(@Param('id', { type: Number }) id: number) {}
 */
export function Param(name: string, options: ParamOptions = {}): ParameterDecorator {
  return bindParam('path', name, options)
}

/**
 * Binds one cookie from the `cookie` header(s).
 *
 * @example
 * @Get('/me') me(@Cookie('session', { type: String }) session: string) {}
 */
export function Cookie(name: string, options: ParamOptions = {}): ParameterDecorator {
  return bindParam('cookie', name, options)
}

/**
 * Binds the request body: JSON, form, text or bytes, converted to `opts.type` (a DTO class) and validated.
 *
 * @example
 * @Post('/') create(@Body({ type: CreateUser }) dto: CreateUser) {}
 */
export function Body(options: ParamOptions = {}): ParameterDecorator {
  return bindParam('body', undefined, options)
}

/** The normalised request (headers, raw query pairs, source IP…). @example handle(@Req() req: AlbRequest) {} */
export function Req(): ParameterDecorator {
  return bindParam('request', undefined, {})
}

/** The raw ALB event. @example handle(@Event() event: ALBEvent) {} */
export function Event(): ParameterDecorator {
  return bindParam('event', undefined, {})
}

/** The Lambda context. @example handle(@Ctx() context: Context) {} */
export function Ctx(): ParameterDecorator {
  return bindParam('context', undefined, {})
}
