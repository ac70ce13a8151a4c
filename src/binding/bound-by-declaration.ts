import { isDtoClass } from './dto-support.js'
import type { ParamDefinition } from '../metadata/types.js'

/**
 * True when binding these parameters depends on nothing but their declarations, which a verified
 * table's fingerprint covers: scalar and untyped keys, bodies, the request, event and context.
 * A DTO class's binding also depends on its class-validator and class-transformer metadata, and
 * a custom parameter on its reader: those routes are still planned, and checked, at createApp.
 */
export function boundByDeclaration(params: readonly ParamDefinition[]): boolean {
  for (const param of params) {
    if (param.source === 'custom') return false
    const declared: unknown = param.options.type ?? param.designType
    if (isDtoClass(Array.isArray(declared) ? declared[0] : declared)) return false
  }
  return true
}
