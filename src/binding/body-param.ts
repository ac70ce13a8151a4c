import type { ValidatorOptions } from 'class-validator'
import { HttpError } from '../http-error.js'
import { FAILED } from './bind-context.js'
import type { BindContext } from './bind-context.js'
import { convertJson, lastOrAll } from './convert.js'
import { dtoBinding, isDtoClass } from './dto-support.js'
import type { DtoSupport } from './dto-support.js'
import { isJsonObject } from './request-body.js'
import type { Bind } from './param-plan.js'
import { sharedBind } from './shared-binds.js'
import type { PreparedDto } from './transform-validate.js'
import { makeIssue } from './validation-details.js'

const JSON_ONLY = 'The request body must be application/json'
const JSON_OR_FORM = `${JSON_ONLY} or application/x-www-form-urlencoded`

/**
 * `@Body()` by declared type: a DTO (or `[DTO]`) from JSON or a form; `String` the text and
 * `Buffer`/`Uint8Array` the bytes of any body; untyped, whatever the content-type says (JSON
 * value, form fields, text, else a Buffer). A string is a declaration problem.
 */
export function bodyBind(
  type: unknown,
  array: boolean,
  optional: boolean,
  validation: ValidatorOptions,
  problem: string,
): Bind | string {
  if (!array && (type === Buffer || type === Uint8Array)) return sharedBind(`body bytes${optional ? '?' : ''}`, () => bytesBind(optional))
  if (!array && type === String) return sharedBind(`body text${optional ? '?' : ''}`, () => textBind(optional))
  if (type === undefined || type === Object) return sharedBind(`body any${optional ? '?' : ''}`, () => anyBind(optional))
  if (!isDtoClass(type)) return `${problem}; a body is a DTO class, [DTO], String, Buffer or Object`
  const missing = missingBody(optional)
  const binding = dtoBinding(type, validation, problem)
  if (typeof binding === 'string') return binding
  const { support, dto } = binding
  const { transformAndValidatePairs } = support
  // A DTO body without a content-type is read as JSON, the only format a DTO usually arrives in.
  return (ctx, index) => {
    const parsed = ctx.parsed('json')
    if (parsed === FAILED) return undefined
    if (parsed.kind === 'empty') return missing(ctx)
    if (parsed.kind === 'json') {
      const value = array ? dtoArray(support, dto, parsed.value, ctx) : dtoObject(support, dto, parsed.value, ctx)
      return ctx.later(index, value)
    }
    if (parsed.kind === 'form' && !array) return ctx.later(index, transformAndValidatePairs(dto, parsed.pairs, 'body', ctx))
    throw new HttpError(415, array ? JSON_ONLY : JSON_OR_FORM)
  }
}

function missingBody(optional: boolean): (ctx: BindContext) => unknown {
  return (ctx) => (optional ? undefined : ctx.require('body'))
}

function bytesBind(optional: boolean): Bind {
  const missing = missingBody(optional)
  return (ctx) => (ctx.hasBody ? orUndefined(ctx.bytes()) : missing(ctx))
}

function textBind(optional: boolean): Bind {
  const missing = missingBody(optional)
  return (ctx) => (ctx.hasBody ? orUndefined(ctx.text()) : missing(ctx))
}

/** An untyped body: whatever its content-type says. */
function anyBind(optional: boolean): Bind {
  const missing = missingBody(optional)
  return (ctx) => {
    const parsed = ctx.parsed('other')
    if (parsed === FAILED) return undefined
    if (parsed.kind === 'empty') return missing(ctx)
    if (parsed.kind === 'json') return parsed.value
    if (parsed.kind === 'form') return lastOrAll(parsed.pairs.values)
    return parsed.kind === 'text' ? parsed.text : parsed.bytes
  }
}

function dtoObject({ transformAndValidate }: DtoSupport, dto: PreparedDto, value: unknown, ctx: BindContext): unknown {
  if (!isJsonObject(value)) {
    ctx.report(makeIssue('body', 'body must be a JSON object', 'isObject', true, value))
    return undefined
  }
  convertJson(dto.plan, value, 'body', ctx)
  // A full list of errors already fails the request: converting the rest would only cost time.
  if (ctx.full) return undefined
  return transformAndValidate(dto, value, 'body', true, ctx)
}

function dtoArray({ transformAndValidateEach }: DtoSupport, dto: PreparedDto, value: unknown, ctx: BindContext): unknown {
  if (!Array.isArray(value)) {
    ctx.report(makeIssue('body', 'body must be a JSON array', 'isArray', true, value))
    return undefined
  }
  for (let i = 0; i < value.length && !ctx.full; i++) convertJson(dto.plan, value[i], `body[${i}]`, ctx)
  return transformAndValidateEach(dto, value, 'body', ctx)
}

function orUndefined<T>(value: T | typeof FAILED): T | undefined {
  return value === FAILED ? undefined : value
}
