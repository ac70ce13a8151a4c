import type { ParamDefinition } from '../metadata/types.js'
import { BindContext, FAILED } from './bind-context.js'
import { validationFailed, type Binder } from './binder.js'
import { INVALID, type ScalarKind } from './coerce.js'
import { convertValue, convertValues, lastOrAll } from './convert.js'
import { KINDS, UNTYPED, pathValue } from './param-plan.js'

/**
 * createBinder's binder (binder.ts) for a route whose parameters bind by their declaration alone
 * to a scalar or untyped value: keyed path, query, header and cookie values (String, Number,
 * Boolean, Date or untyped, or `[T]` of one), an untyped, text or bytes body, the untyped query or
 * header set, the request, event and context. The same arguments and the same 400 (issues in the
 * same order, as param-plan.ts and body-param.ts report them), read from a list of steps by one
 * loop: createBinder plans each parameter through code made for every kind of parameter, which a
 * cold start's first request compiled (about 11 KB of functions, issue #18). Undefined for a route
 * with any other parameter (a DTO, a custom reader, a declaration problem): createBinder binds it
 * and reports its problems.
 */
export function declaredBinder(params: readonly ParamDefinition[]): Binder | undefined {
  const steps: Step[] = []
  let count = 0
  for (let i = 0; i < params.length; i++) {
    const step = stepOf(params[i] as ParamDefinition)
    if (step === undefined) return undefined
    steps.push(step)
    count = Math.max(count, step.index + 1)
  }
  if (steps.length === 0) return () => []
  return (request, captures, context, input) => {
    const ctx = new BindContext(request, captures, context, input)
    const args = new Array<unknown>(count)
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i] as Step
      args[step.index] = step.read < BODY_ANY ? keyedValue(step, ctx) : otherValue(step, ctx)
    }
    if (ctx.issues !== undefined) throw validationFailed(ctx.issues, ctx.omitted)
    return args
  }
}

/** Where a step reads its value: keyed reads first, then the rest (otherValue). */
const PATH = 0
const QUERY = 1
const HEADER = 2
const COOKIE = 3
const BODY_ANY = 4
const BODY_TEXT = 5
const BODY_BYTES = 6
const QUERY_OBJECT = 7
const HEADER_OBJECT = 8
const REQUEST = 9
const EVENT = 10
const CONTEXT = 11

interface Step {
  readonly index: number
  readonly read: number
  /** The key as read: a header's in lower case. */
  readonly key: string
  /** `path.id`, `header.x-count`: where an issue is reported. */
  readonly location: string
  readonly kind: ScalarKind
  readonly array: boolean
  readonly optional: boolean
}

// Each source at the index of its read (a body's refined by its type), so that the read is one lookup.
const SOURCES: readonly string[] = ['path', 'query', 'header', 'cookie', 'body', '', '', 'query-object', 'header-object', 'request', 'event', 'context']

/** The parameter's step, as param-plan.ts's planParam resolves it; undefined for what createBinder must plan. */
function stepOf(def: ParamDefinition): Step | undefined {
  const { index, source, name } = def
  const declared: unknown = def.options.type ?? def.designType
  const array = Array.isArray(declared) || declared === Array
  const type: unknown = Array.isArray(declared) ? declared[0] : array ? undefined : declared
  const untyped = UNTYPED.has(type)
  const kind = untyped ? 'string' : KINDS.get(type)
  let read = SOURCES.indexOf(source)
  // The sources planParam asks a type of: without one it is a declaration problem.
  if (declared === undefined && read < REQUEST) return undefined
  if (read === BODY_ANY) {
    // body-param.ts bodyBind: bytes or text unless an array, else untyped; the rest are DTOs.
    read = !array && (type === Buffer || type === Uint8Array) ? BODY_BYTES : !array && type === String ? BODY_TEXT : untyped ? BODY_ANY : -1
  } else if (read === QUERY_OBJECT || read === HEADER_OBJECT) {
    if (!untyped || array) read = -1
  } else if (read >= 0 && read < BODY_ANY && (kind === undefined || name === undefined || name === '')) {
    read = -1
  }
  if (read < 0) return undefined
  const key = read === HEADER ? (name as string).toLowerCase() : (name ?? '')
  return { index, read, key, location: read < BODY_ANY ? `${source}.${key}` : 'body', kind: kind ?? 'string', array, optional: def.options.optional === true }
}

/** A path, query, header or cookie value, as param-plan.ts's `keyed` binds it. */
function keyedValue(step: Step, ctx: BindContext): unknown {
  const { read, key } = step
  if (!step.array) {
    // The last value (single-value mode keeps it: spec/alb.md §4.2); a cookie's first (RFC 6265 §5.4).
    const raw = read === PATH ? pathValue(ctx, key, step.location) : read === QUERY ? ctx.query().last(key) : read === HEADER ? ctx.request.header(key) : ctx.cookies()[key]?.[0]
    if (raw === undefined) return missing(step, ctx)
    if (step.kind === 'string') return raw
    // DESIGN.md § Errors: values are echoed for path and query, never headers or cookies.
    const value = convertValue(raw, step.kind, step.location, read <= QUERY, ctx)
    return value === INVALID ? undefined : value
  }
  let values: readonly string[] | undefined
  if (read === PATH) {
    const value = pathValue(ctx, key, step.location)
    values = value === undefined ? undefined : [value]
  } else {
    values = read === QUERY ? ctx.query().all(key) : read === HEADER ? ctx.request.headerValues(key) : ctx.cookies()[key]
  }
  if (values === undefined || values.length === 0) return missing(step, ctx)
  const value = convertValues(values, true, step.kind, step.location, read <= QUERY, ctx)
  return value === INVALID ? undefined : value
}

/** A missing key: a 400 unless optional, or already reported as malformed. */
function missing(step: Step, ctx: BindContext): undefined {
  return step.optional || ctx.suppressed?.has(step.location) === true ? undefined : ctx.require(step.location)
}

/** A body, the untyped query or header set, the request, event or context, as body-param.ts and param-plan.ts bind them. */
function otherValue(step: Step, ctx: BindContext): unknown {
  switch (step.read) {
    case BODY_ANY: {
      // Whatever the content-type says (body-param.ts anyBind).
      const parsed = ctx.parsed('other')
      if (parsed === FAILED) return undefined
      if (parsed.kind === 'empty') return missingBody(step, ctx)
      if (parsed.kind === 'json') return parsed.value
      if (parsed.kind === 'form') return lastOrAll(parsed.pairs.values)
      return parsed.kind === 'text' ? parsed.text : parsed.bytes
    }
    case BODY_TEXT:
      return ctx.hasBody ? orUndefined(ctx.text()) : missingBody(step, ctx)
    case BODY_BYTES:
      return ctx.hasBody ? orUndefined(ctx.bytes()) : missingBody(step, ctx)
    case QUERY_OBJECT:
      return lastOrAll(ctx.query().values)
    case HEADER_OBJECT:
      return lastOrAll(ctx.request.headers)
    case REQUEST:
      return ctx.request
    case EVENT:
      return ctx.request.event
    default:
      return ctx.context
  }
}

function missingBody(step: Step, ctx: BindContext): undefined {
  return step.optional ? undefined : ctx.require('body')
}

function orUndefined<T>(value: T | typeof FAILED): T | undefined {
  return value === FAILED ? undefined : value
}
