import { designParamTypes, memberOf } from '../metadata/store.js'
import { PARAM_DECORATOR } from '../metadata/types.js'
import type { CustomParam, ParamOptions, ParamSource } from '../metadata/types.js'
import { assertLegacyDecorator } from './legacy.js'

export function bindParam(
  source: ParamSource,
  name: string | undefined,
  options: ParamOptions,
  custom?: CustomParam,
): ParameterDecorator {
  const decorator = custom?.name ?? PARAM_DECORATOR[source]
  return (target, key, index) => {
    assertLegacyDecorator(key, decorator)
    if (key === undefined) throw new TypeError(`@${decorator} is for method parameters, not constructor parameters`)
    const designType = paramTypesOf(target, key)?.[index]
    const member = memberOf(target.constructor, key)
    // A copy one longer (not push, which reserves room for 16 more in a list kept for good).
    member.params = [
      ...member.params,
      custom === undefined ? { index, source, name, options, designType } : { index, source, name, options, designType, custom },
    ]
  }
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
