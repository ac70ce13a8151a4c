import type { ValidatorOptions } from 'class-validator'
import type { AlbRequest } from '../alb/types.js'
import { AlbatrossError, HttpError } from '../http-error.js'
import { PARAM_DECORATOR } from '../metadata/types.js'
import type { ParamDefinition } from '../metadata/types.js'
import { BindContext } from './bind-context.js'
import { planParam } from './param-plan.js'
import type { Bind } from './param-plan.js'
import { sharedBindKey } from './shared-binds.js'
import type { ValidationIssue } from './validation-details.js'

export interface BinderInput {
  readonly request: AlbRequest
  /** The router's `{name}` captures, as they appear in the path (still encoded). */
  readonly params: Readonly<Record<string, string>>
  /** The Lambda context. */
  readonly context: unknown
}

/**
 * A route's arguments for one request, or a 400 `HttpError` listing every invalid value (a 413
 * for an oversized body). Synchronous unless a DTO of the route has async validators. `input`
 * is the pipeline's RequestContext when the route has one; otherwise the binder is given the
 * parts alone, so a plain request builds no object to hold them (bind-context.ts).
 */
export type Binder = (
  request: AlbRequest,
  params: BinderInput['params'],
  context: unknown,
  input?: BinderInput,
) => unknown[] | Promise<unknown[]>

export interface BinderOptions {
  /** class-validator options from `createApp({ validation })`; `whitelist` defaults to true. */
  readonly validation?: ValidatorOptions | undefined
}

interface Planned {
  readonly validation: ValidatorOptions | undefined
  readonly binds: ReadonlyArray<{ index: number; bind: Bind }>
  readonly count: number
  readonly problems: readonly string[]
}

// By the route's parameter list: createApp checks every route's parameters first (to report
// them with the other declaration problems) and builds the binders afterwards, from this plan.
// createBinder takes the plan out: the binder keeps what it needs, and the route definitions
// (the keys) live as long as the app, so a plan left here would be kept for nothing.
const plans = new WeakMap<readonly ParamDefinition[], Planned>()

function plan(params: readonly ParamDefinition[], options: BinderOptions): Planned {
  const cached = plans.get(params)
  if (cached !== undefined && cached.validation === options.validation) return cached
  const validation: ValidatorOptions = {
    whitelist: true,
    forbidUnknownValues: true,
    ...options.validation,
  }
  const binds: Array<{ index: number; bind: Bind }> = []
  const problems: string[] = []
  let count = 0
  for (const param of params) {
    const bind = planParam(param, validation)
    if (typeof bind === 'string') problems.push(`parameter ${param.index} (${describe(param)}) ${bind}`)
    else binds.push({ index: param.index, bind })
    count = Math.max(count, param.index + 1)
  }
  const planned = { validation: options.validation, binds, count, problems }
  plans.set(params, planned)
  return planned
}

/** Why the route's parameters cannot be bound, one sentence each (empty when they can). */
export function bindingProblems(
  route: { readonly params: readonly ParamDefinition[] },
  options: BinderOptions = {},
): readonly string[] {
  return plan(route.params, options).problems
}

/**
 * Everything reflective — parameter types, DTO metadata, validator options — is resolved here,
 * once per route at createApp; the returned function only extracts, converts and validates.
 * Throws `ERR_PARAM_TYPE` naming every parameter whose type cannot be bound (createApp reports
 * them earlier, through bindingProblems, in its RouteDeclarationError).
 */
export function createBinder(
  route: { readonly source: string; readonly params: readonly ParamDefinition[] },
  options: BinderOptions = {},
): Binder {
  const { binds, count, problems } = plan(route.params, options)
  plans.delete(route.params)
  if (problems.length > 0) throw new AlbatrossError('ERR_PARAM_TYPE', `${route.source}: ${problems.join('; ')}.`)
  // Routes with the same shared binds at the same positions share a binder (binding/shared-binds.ts).
  const keys = binds.map(({ bind }) => sharedBindKey(bind))
  if (keys.includes(undefined)) return makeBinder(binds, count)
  const key = JSON.stringify([count, binds.map(({ index }) => index), keys])
  let binder = binders.get(key)
  if (binder === undefined) binders.set(key, (binder = makeBinder(binds, count)))
  return binder
}

const binders = new Map<string, Binder>()

function makeBinder(binds: Planned['binds'], count: number): Binder {
  if (binds.length === 0) return () => new Array<unknown>(count)
  // Parallel arrays read by index (the loop runs on every request), each exactly as long as the
  // list (map allocates no spare room, unlike the plan's push).
  const indexes = binds.map(({ index }) => index)
  const each = binds.map(({ bind }) => bind)
  return (request, params, context, input) => {
    const ctx = new BindContext(request, params, context, input)
    const args = new Array<unknown>(count)
    for (let i = 0; i < each.length; i++) {
      const index = indexes[i] as number
      args[index] = (each[i] as Bind)(ctx, index)
    }
    if (ctx.pending !== undefined) return settle(ctx, args)
    if (ctx.issues !== undefined) throw validationFailed(ctx.issues, ctx.omitted)
    return args
  }
}

async function settle(ctx: BindContext, args: unknown[]): Promise<unknown[]> {
  const pending = ctx.pending ?? []
  const values = await Promise.all(pending.map((item) => item.value))
  pending.forEach((item, i) => (args[item.index] = values[i]))
  if (ctx.issues !== undefined) throw validationFailed(ctx.issues, ctx.omitted)
  return args
}

/** The 400: the first ISSUES_MAX issues, and `errorsOmitted` counting the rest when there are more. */
export function validationFailed(errors: readonly ValidationIssue[], omitted: number): HttpError {
  const details = omitted === 0 ? { errors } : { errors, errorsOmitted: omitted }
  return new HttpError(400, 'Request validation failed', { details })
}

function describe(param: ParamDefinition): string {
  const name = param.name === undefined ? '' : `'${param.name}'`
  return `@${param.custom?.name ?? PARAM_DECORATOR[param.source]}(${name})`
}
