import { isDtoClass } from './dto-support.js'
import type { ParamDefinition } from '../metadata/types.js'

/**
 * True when binding these parameters depends on nothing but their declarations, which a verified
 * table's fingerprint covers: scalar and untyped keys, bodies, the request, event and context.
 * A DTO class's binding also depends on its class-validator and class-transformer metadata, and
 * a custom parameter on its reader: those routes are still planned, and checked, at createApp.
 */
export function boundByDeclaration(params: readonly ParamDefinition[]): boolean {
  // Indexed, and the usual scalar types told apart without the DTO test: a cold start asks this
  // of every route's parameters.
  for (let i = 0; i < params.length; i++) {
    const param = params[i] as ParamDefinition
    if (param.source === 'custom') return false
    const declared: unknown = param.options.type ?? param.designType
    if (declared === String || declared === Number || declared === Boolean || declared === Object || declared === undefined) continue
    if (isDtoClass(Array.isArray(declared) ? declared[0] : declared)) return false
  }
  return true
}
