import type { ValidatorOptions } from 'class-validator'
import { HttpError } from '../http-error.js'
import type { ParamDefinition } from '../metadata/types.js'
import { FAILED } from './bind-context.js'
import type { BindContext } from './bind-context.js'
import { INVALID } from './coerce.js'
import type { ScalarKind } from './coerce.js'
import { convertJsonDates, convertValues, plainFromHeaders, plainFromPairs } from './convert.js'
import { decodeComponent } from './decode.js'
import { isDtoClass, planDto } from './dto-plan.js'
import type { DtoPlan } from './dto-plan.js'
import { isJsonObject, transformAndValidate, transformAndValidateEach } from './transform-validate.js'
import { makeIssue } from './validation-details.js'
import type { LocationNames } from './validation-details.js'

/**
 * Produces argument `index`; problems go to the context, which then fails the whole request.
 * A DTO with async validators hands its promise to `ctx.defer` and returns undefined.
 */
export type Bind = (ctx: BindContext, index: number) => unknown

const KINDS = new Map<unknown, ScalarKind>([
  [String, 'string'],
  [Number, 'number'],
  [Boolean, 'boolean'],
  [Date, 'date'],
])
const UNTYPED = new Set<unknown>([undefined, Object])

type KeyedSource = 'path' | 'query' | 'header' | 'cookie'

/**
 * What one parameter needs, resolved at createApp: `opts.type` wins over `design:paramtypes`
 * (absent under esbuild). A string is a declaration problem, reported by the caller.
 */
export function planParam(def: ParamDefinition, validation: ValidatorOptions): Bind | string {
  const explicit = def.options.type
  const declared: unknown = explicit ?? def.designType
  const array = Array.isArray(declared) || declared === Array
  const type: unknown = Array.isArray(declared) ? declared[0] : declared === Array ? undefined : declared
  const optional = def.options.optional === true
  switch (def.source) {
    case 'request':
      return (ctx) => ctx.request
    case 'event':
      return (ctx) => ctx.request.event
    case 'context':
      return (ctx) => ctx.context
    case 'path':
    case 'query':
    case 'header':
    case 'cookie': {
      if (def.name === undefined || def.name === '') return 'needs a name'
      const kind = UNTYPED.has(type) ? 'string' : KINDS.get(type)
      if (kind === undefined) {
        return `has type ${typeName(declared)}; a ${def.source} value is String, Number, Boolean or Date, or [T] for every value`
      }
      return keyed(def.source, def.name, array, kind, optional)
    }
    case 'query-object':
    case 'header-object': {
      if (UNTYPED.has(type) && !array) return def.source === 'query-object' ? untypedQuery : untypedHeaders
      if (array || !isDtoClass(type)) return `has type ${typeName(declared)}; the whole ${def.source === 'query-object' ? 'query' : 'header set'} binds to a DTO class`
      const plan = planDto(type)
      return def.source === 'query-object' ? queryDto(plan, validation) : headerDto(plan, validation)
    }
    case 'body':
      return body(declared, array, type, optional, validation)
  }
}

function keyed(source: KeyedSource, name: string, array: boolean, kind: ScalarKind, optional: boolean): Bind {
  const key = source === 'header' ? name.toLowerCase() : name
  const location = `${source}.${key}`
  // DESIGN.md § Errors: values are echoed for path, query and body, never headers or cookies.
  const echo = source === 'path' || source === 'query'
  const read: (ctx: BindContext) => readonly string[] | undefined =
    source === 'path'
      ? (ctx) => pathValue(ctx, key, location)
      : source === 'query'
        ? (ctx) => ctx.query().values[key]
        : source === 'header'
          ? (ctx) => ctx.request.headerValues(key)
          : (ctx) => ctx.cookies()[key]
  return (ctx) => {
    const values = read(ctx)
    if (values === undefined || values.length === 0) {
      if (!optional && ctx.suppressed?.has(location) !== true) required(ctx, location)
      return undefined
    }
    const value = convertValues(values, array, kind, location, echo, ctx)
    return value === INVALID ? undefined : value
  }
}

/**
 * Path captures arrive as ALB delivered the path, which it does not decode (spec/alb.md §6 #2),
 * so they are percent-decoded here once, `+` kept as a plus.
 */
function pathValue(ctx: BindContext, name: string, location: string): readonly string[] | undefined {
  const raw = Object.hasOwn(ctx.params, name) ? ctx.params[name] : undefined
  if (raw === undefined) return undefined
  const value = decodeComponent(raw, false)
  if (value !== undefined) return [value]
  ctx.report(makeIssue(location, `${location} is not valid URL encoding`, 'isUrlEncoded', true, raw))
  ctx.suppress(location)
  return undefined
}

function required(ctx: BindContext, location: string): void {
  ctx.report({ location, message: `${location} is required`, constraint: 'isDefined' })
}

function queryDto(plan: DtoPlan, validation: ValidatorOptions): Bind {
  return (ctx, index) => {
    const plain = plainFromPairs(plan, ctx.query(), 'query', ctx)
    return later(ctx, index, transformAndValidate(plan, plain, 'query', true, validation, ctx))
  }
}

/**
 * Property → header: `xTenantId` and `'x-tenant-id'` both read `x-tenant-id`; a name without
 * capitals is lower-cased as is (`authorization`).
 */
function headerNameOf(property: string): string {
  return property.includes('-') ? property.toLowerCase() : property.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
}

function headerDto(plan: DtoPlan, validation: ValidatorOptions): Bind {
  const headerNames = plan.properties.map((property) => headerNameOf(property.key))
  const locationNames: Record<string, string> = Object.create(null)
  plan.properties.forEach((property, i) => (locationNames[property.name] = headerNames[i] as string))
  const names: LocationNames = { locationNames, nestedOf: () => undefined }
  return (ctx, index) => {
    const plain = plainFromHeaders(plan, headerNames, (name) => ctx.request.headerValues(name), ctx)
    return later(ctx, index, transformAndValidate(plan, plain, 'header', false, validation, ctx, names))
  }
}

const untypedQuery: Bind = (ctx) => lastOrAll(ctx.query().values)
const untypedHeaders: Bind = (ctx) => lastOrAll(ctx.request.headers)

/** Without a DTO the types are unknown: a key sent once gives a string, a repeated key an array. */
function lastOrAll(values: Readonly<Record<string, readonly string[]>>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null)
  for (const key in values) {
    const list = values[key] as readonly string[]
    out[key] = list.length === 1 ? (list[0] as string) : list.slice()
  }
  return out
}

function body(declared: unknown, array: boolean, type: unknown, optional: boolean, validation: ValidatorOptions): Bind | string {
  if (!array && (type === Buffer || type === Uint8Array)) {
    return (ctx) => (ctx.hasBody ? orUndefined(ctx.bytes()) : missingBody(ctx, optional))
  }
  if (!array && type === String) {
    return (ctx) => (ctx.hasBody ? orUndefined(ctx.text()) : missingBody(ctx, optional))
  }
  if (UNTYPED.has(type)) {
    return (ctx) => {
      const parsed = ctx.parsed('other')
      if (parsed === FAILED) return undefined
      if (parsed.kind === 'empty') return missingBody(ctx, optional)
      if (parsed.kind === 'json') return parsed.value
      if (parsed.kind === 'form') return lastOrAll(parsed.pairs.values)
      return parsed.kind === 'text' ? parsed.text : parsed.bytes
    }
  }
  if (!isDtoClass(type)) {
    return `has type ${typeName(declared)}; a body binds to a DTO class, [DTO], String, Buffer or Object`
  }
  const plan = planDto(type)
  return (ctx, index) => {
    const parsed = ctx.parsed('json')
    if (parsed === FAILED) return undefined
    switch (parsed.kind) {
      case 'empty':
        return missingBody(ctx, optional)
      case 'form': {
        if (array) break
        const plain = plainFromPairs(plan, parsed.pairs, 'body', ctx)
        return later(ctx, index, transformAndValidate(plan, plain, 'body', true, validation, ctx))
      }
      case 'json':
        return later(
          ctx,
          index,
          array ? dtoArray(plan, parsed.value, validation, ctx) : dtoObject(plan, parsed.value, validation, ctx),
        )
    }
    throw new HttpError(
      415,
      array ? 'The request body must be application/json' : 'The request body must be application/json or application/x-www-form-urlencoded',
    )
  }
}

function dtoObject(plan: DtoPlan, value: unknown, validation: ValidatorOptions, ctx: BindContext): unknown {
  if (!isJsonObject(value)) {
    ctx.report(makeIssue('body', 'body must be a JSON object', 'isObject', true, value))
    return undefined
  }
  convertJsonDates(plan, value, 'body', ctx)
  return transformAndValidate(plan, value, 'body', true, validation, ctx)
}

function dtoArray(plan: DtoPlan, value: unknown, validation: ValidatorOptions, ctx: BindContext): unknown {
  if (!Array.isArray(value)) {
    ctx.report(makeIssue('body', 'body must be a JSON array', 'isArray', true, value))
    return undefined
  }
  value.forEach((item, i) => convertJsonDates(plan, item, `body[${i}]`, ctx))
  return transformAndValidateEach(plan, value, 'body', validation, ctx)
}

/** Our own validation promises (never a user's value) are awaited by the binder. */
function later(ctx: BindContext, index: number, value: unknown): unknown {
  if (!(value instanceof Promise)) return value
  ctx.defer(index, value)
  return undefined
}

function missingBody(ctx: BindContext, optional: boolean): undefined {
  if (!optional) required(ctx, 'body')
  return undefined
}

function orUndefined<T>(value: T | typeof FAILED): T | undefined {
  return value === FAILED ? undefined : value
}

function typeName(type: unknown): string {
  if (Array.isArray(type)) return `[${typeName(type[0])}]`
  return typeof type === 'function' ? type.name || 'an anonymous class' : String(type)
}
