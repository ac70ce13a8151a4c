import type { ValidatorOptions } from 'class-validator'
import { PARAM_DECORATOR } from '../metadata/types.js'
import type { ParamDefinition } from '../metadata/types.js'
import type { BindContext } from './bind-context.js'
import { bodyBind } from './body-param.js'
import { INVALID } from './coerce.js'
import type { ScalarKind } from './coerce.js'
import { convertJson, convertValue, convertValues, lastOrAll, plainFromHeaders } from './convert.js'
import { decodeComponent } from './decode.js'
import type { DtoPlan } from './dto-plan.js'
import { dtoBinding, dtoSupport, isDtoClass } from './dto-support.js'
import type { DtoSupport } from './dto-support.js'
import { makeIssue } from './validation-details.js'
import type { LocationNames } from './validation-details.js'
import { sharedBind } from './shared-binds.js'

/**
 * Produces argument `index`; problems go to the context, which then fails the whole request.
 * A DTO with async validators hands its promise to `ctx.later` and yields undefined for now.
 */
export type Bind = (ctx: BindContext, index: number) => unknown

/** The scalar kind of each type a keyed value converts to (declared-binder.ts reads it too). */
export const KINDS: ReadonlyMap<unknown, ScalarKind> = new Map<unknown, ScalarKind>([
  [String, 'string'],
  [Number, 'number'],
  [Boolean, 'boolean'],
  [Date, 'date'],
])

const NEEDS_TYPE: ReadonlySet<string> = new Set(['path', 'query', 'header', 'cookie', 'query-object', 'header-object', 'body'])

/** The problem of a parameter whose type this build cannot know, with the decorator that fixes it. */
function unknownType(def: ParamDefinition): string {
  const decorator = PARAM_DECORATOR[def.source]
  const fix =
    def.name !== undefined
      ? `@${decorator}('${def.name}', { type: String })` + ' (or Number, Boolean, Date, [String]…)'
      : def.source === 'body'
        ? `@Body({ type: CreateUser })` + ' (a DTO class, [DTO], String, Buffer, or Object for any JSON)'
        : `@${decorator}({ type: SomeDto })` + ' (or Object for every value as strings)'
  return (
    'has no type albatross can know: this build emits no decorator metadata (esbuild, or ' +
    'emitDecoratorMetadata off), so the value could differ from a tsc build of the same source. ' +
    `Give the type in the decorator: ${fix}`
  )
}

/** A declared type that says nothing: no metadata, or `Object` (unions, `unknown`, interfaces). */
export const UNTYPED: ReadonlySet<unknown> = new Set<unknown>([undefined, Object])

type KeyedSource = 'path' | 'query' | 'header' | 'cookie'

/**
 * What one parameter needs, resolved at createApp: `opts.type` wins over `design:paramtypes`
 * (absent under esbuild). A string is a declaration problem, reported by the caller.
 */
export function planParam(def: ParamDefinition, validation: ValidatorOptions): Bind | string {
  const declared: unknown = def.options.type ?? def.designType
  // `[T]` from opts, or `Array` from design:paramtypes (element type unknown).
  const array = Array.isArray(declared) || declared === Array
  const type: unknown = Array.isArray(declared) ? declared[0] : array ? undefined : declared
  const optional = def.options.optional === true
  const problem = `has type ${typeName(declared)}`
  // No `opts.type` and no design:paramtypes: the build emitted no decorator metadata. Guessing
  // (a string, the raw body) would give another value than a tsc build gives the same source.
  if (declared === undefined && NEEDS_TYPE.has(def.source)) return unknownType(def)
  switch (def.source) {
    case 'request':
      return sharedBind('request', () => (ctx) => ctx.request)
    case 'event':
      return sharedBind('event', () => (ctx) => ctx.request.event)
    case 'context':
      return sharedBind('context', () => (ctx) => ctx.context)
    case 'custom':
      return customBind(def)
    case 'path':
    case 'query':
    case 'header':
    case 'cookie': {
      if (def.name === undefined || def.name === '') return 'needs a name'
      const kind = UNTYPED.has(type) ? 'string' : KINDS.get(type)
      if (kind !== undefined) {
        const { source, name } = def
        return sharedBind(JSON.stringify([source, name, kind, array, optional]), () => keyed(source, name, array, kind, optional))
      }
      return `${problem}; a ${def.source} value is String, Number, Boolean or Date, or [T] of one`
    }
    case 'query-object':
    case 'header-object':
      return wholeObjectBind(def.source, type, array, validation, problem)
    case 'body':
      return bodyBind(type, array, optional, validation, problem)
    case 'claims':
      return claimsBind(type, array, validation, problem)
  }
}

// The sources few parameters use have functions of their own: planParam runs for every
// parameter, and V8 keeps the machine code of what ran that often for good (Sparkplug code is
// never flushed), so an app keeps the code of the sources it binds.

function customBind(def: ParamDefinition): Bind | string {
  const custom = def.custom
  if (custom === undefined) return 'has no reader'
  const read = custom.read as (ctx: unknown, ...args: unknown[]) => unknown
  const args = custom.args
  return args.length === 0
    ? (ctx, index) => ctx.later(index, read(ctx.input))
    : (ctx, index) => ctx.later(index, read(ctx.input, ...args))
}

function wholeObjectBind(
  source: 'query-object' | 'header-object',
  type: unknown,
  array: boolean,
  validation: ValidatorOptions,
  problem: string,
): Bind | string {
  const query = source === 'query-object'
  if (UNTYPED.has(type) && !array) return query ? sharedBind('query-object', () => untypedQuery) : sharedBind('header-object', () => untypedHeaders)
  if (array || !isDtoClass(type)) {
    return `${problem}; the whole ${query ? 'query' : 'header set'} binds to a DTO class`
  }
  const dto = dtoSupport()
  if (typeof dto === 'string') return `${problem}, which ${dto}`
  const plan = dto.planDto(type)
  const reason = dto.unboundDtoReason(plan, validation)
  if (reason !== undefined) return problem + reason
  return query ? queryDto(dto, plan, validation) : headerDto(dto, plan, validation)
}

function keyed(
  source: KeyedSource,
  name: string,
  array: boolean,
  kind: ScalarKind,
  optional: boolean,
): Bind {
  const key = source === 'header' ? name.toLowerCase() : name
  const location = `${source}.${key}`
  // DESIGN.md § Errors: values are echoed for path, query and body, never headers or cookies.
  const echo = source === 'path' || source === 'query'
  const missing = (ctx: BindContext): undefined =>
    // A value already reported as malformed is not also reported as missing.
    optional || ctx.suppressed?.has(location) === true ? undefined : ctx.require(location)
  if (!array) {
    // One value (the last, as single-value mode keeps: spec/alb.md §4.2), read without arrays;
    // for a cookie the first, the one RFC 6265 §5.4 puts first (longest path), as `cookie` does.
    // One closure per source, each reading its value inline: every request runs a few of these,
    // and a nested reader closure cost a call each (bench/profile.mjs).
    const convert = (raw: string | undefined, ctx: BindContext): unknown => {
      if (raw === undefined) return missing(ctx)
      const value = convertValue(raw, kind, location, echo, ctx)
      return value === INVALID ? undefined : value
    }
    if (kind === 'string') {
      const given = (raw: string | undefined, ctx: BindContext): unknown => (raw === undefined ? missing(ctx) : raw)
      if (source === 'path') return (ctx) => given(pathValue(ctx, key, location), ctx)
      if (source === 'query') return (ctx) => given(ctx.query().last(key), ctx)
      if (source === 'header') return (ctx) => given(ctx.request.header(key), ctx)
      return (ctx) => given(ctx.cookies()[key]?.[0], ctx)
    }
    if (source === 'path') return (ctx) => convert(pathValue(ctx, key, location), ctx)
    if (source === 'query') return (ctx) => convert(ctx.query().last(key), ctx)
    if (source === 'header') return (ctx) => convert(ctx.request.header(key), ctx)
    return (ctx) => convert(ctx.cookies()[key]?.[0], ctx)
  }
  const readAll: (ctx: BindContext) => readonly string[] | undefined =
    source === 'path'
      ? (ctx) => {
          const value = pathValue(ctx, key, location)
          return value === undefined ? undefined : [value]
        }
      : source === 'query'
        ? (ctx) => ctx.query().all(key)
        : source === 'header'
          ? (ctx) => ctx.request.headerValues(key)
          : (ctx) => ctx.cookies()[key]
  return (ctx) => {
    const values = readAll(ctx)
    if (values === undefined || values.length === 0) return missing(ctx)
    const value = convertValues(values, true, kind, location, echo, ctx)
    return value === INVALID ? undefined : value
  }
}

/**
 * Path captures arrive as ALB delivered the path, which it does not decode (spec/alb.md §6 #2),
 * so they are percent-decoded here once, `+` kept as a plus.
 */
export function pathValue(ctx: BindContext, name: string, location: string): string | undefined {
  const raw = Object.hasOwn(ctx.params, name) ? ctx.params[name] : undefined
  if (raw === undefined) return undefined
  const value = decodeComponent(raw, false)
  if (value !== undefined) return value
  const message = `${location} is not valid URL encoding`
  ctx.report(makeIssue(location, message, 'isUrlEncoded', true, raw))
  ctx.suppress(location)
  return undefined
}

function queryDto({ prepareDto, transformAndValidatePairs }: DtoSupport, plan: DtoPlan, validation: ValidatorOptions): Bind {
  const dto = prepareDto(plan, validation)
  return (ctx, index) => ctx.later(index, transformAndValidatePairs(dto, ctx.query(), 'query', ctx))
}

const CAPITAL = /[A-Z]/g

/**
 * Property → header: `xTenantId` and `'x-tenant-id'` both read `x-tenant-id`; a name without
 * capitals is used as is (`authorization`).
 */
export function headerNameOf(property: string): string {
  if (property.includes('-')) return property.toLowerCase()
  return property.replace(CAPITAL, (c) => `-${c.toLowerCase()}`)
}

function headerDto({ prepareDto, transformAndValidate }: DtoSupport, plan: DtoPlan, validation: ValidatorOptions): Bind {
  const headerNames = plan.properties.map((property) => headerNameOf(property.key))
  const locationNames: Record<string, string> = Object.create(null)
  plan.properties.forEach((property, i) => {
    locationNames[property.name] = headerNames[i] as string
  })
  const names: LocationNames = { locationNames, nestedOf: () => undefined }
  const dto = prepareDto(plan, validation)
  return (ctx, index) => {
    const headers = (name: string) => ctx.request.headerValues(name)
    const plain = plainFromHeaders(plan, headerNames, headers, ctx)
    return ctx.later(index, transformAndValidate(dto, plain, 'header', false, ctx, names))
  }
}

const untypedQuery: Bind = (ctx) => lastOrAll(ctx.query().values)
const untypedHeaders: Bind = (ctx) => lastOrAll(ctx.request.headers)

function typeName(type: unknown): string {
  if (Array.isArray(type)) return `[${typeName(type[0])}]`
  if (typeof type === 'string') return `'${type}' (a string: give the class itself)`
  return typeof type === 'function' ? type.name || 'an anonymous class' : String(type)
}

/**
 * `@Claims()`: the verified token's claims, as they are, or converted to a DTO and validated like
 * a body (issues under `claims.<field>`; values are never echoed: claims are personal data).
 * Undefined on an `allow` route that ALB forwarded without a login.
 */
function claimsBind(type: unknown, array: boolean, validation: ValidatorOptions, problem: string): Bind | string {
  if (UNTYPED.has(type) && !array) return (ctx) => ctx.claims
  if (array || !isDtoClass(type)) return `${problem}; @Claims() binds to a DTO class or is left untyped`
  const binding = dtoBinding(type, validation, problem)
  if (typeof binding === 'string') return binding
  const { dto, support: { transformAndValidate } } = binding
  return (ctx, index) => {
    const claims = ctx.claims
    if (typeof claims !== 'object' || claims === null) return undefined
    // The one conversion rule (convert.ts) holds for claims too: `"email_verified": "false"` under
    // @Type(() => Boolean) is false. On a copy: the verified claims stay as the token had them.
    if (!dto.plan.convertsJson) return ctx.later(index, transformAndValidate(dto, claims, 'claims', false, ctx))
    const plain = structuredClone(claims)
    convertJson(dto.plan, plain, 'claims', ctx, false)
    if (ctx.full) return undefined
    return ctx.later(index, transformAndValidate(dto, plain, 'claims', false, ctx))
  }
}
