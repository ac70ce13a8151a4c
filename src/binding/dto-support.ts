import type { ValidatorOptions } from 'class-validator'
import type { ClassType } from '../metadata/types.js'
import type { DtoPlan, planDto as PlanDto, unboundDtoReason as UnboundDtoReason } from './dto-plan.js'
import type {
  PreparedDto,
  prepareDto as PrepareDto,
  transformAndValidate as TransformAndValidate,
  transformAndValidateEach as TransformAndValidateEach,
  transformAndValidatePairs as TransformAndValidatePairs,
} from './transform-validate.js'

/**
 * What DTO binding needs from class-transformer and class-validator, installed by the
 * `albatross/dto` entry (src/dto.ts). The binder reaches those libraries only through here, so an
 * app that declares no DTO bundles neither (about 50 KB minified with albatross's DTO code) and
 * loads neither at cold start: a static bundler cannot see whether a parameter's type is a DTO
 * class, but it can see whether the app imports `albatross/dto`.
 */
export interface DtoSupport {
  readonly planDto: typeof PlanDto
  readonly unboundDtoReason: typeof UnboundDtoReason
  readonly prepareDto: typeof PrepareDto
  readonly transformAndValidate: typeof TransformAndValidate
  readonly transformAndValidateEach: typeof TransformAndValidateEach
  readonly transformAndValidatePairs: typeof TransformAndValidatePairs
  /** class-transformer's `instanceToPlain`, for class instances a route returns. */
  readonly instanceToPlain: (value: object) => unknown
}

let installed: DtoSupport | undefined

export function installDtoSupport(support: DtoSupport): void {
  installed = support
}

/** The installed DTO support, or a sentence telling the user how to install it. */
export function dtoSupport(): DtoSupport | string {
  return installed ?? DTO_SUPPORT_MISSING
}

/** A DTO class planned and prepared for binding. */
export interface DtoBinding {
  readonly support: DtoSupport
  readonly plan: DtoPlan
  readonly dto: PreparedDto
}

/**
 * Plans and prepares `type` for a binding, once at createApp, or returns the declaration problem:
 * `problem` (which names the route and parameter) completed with why this DTO cannot bind.
 */
export function dtoBinding(type: ClassType, validation: ValidatorOptions, problem: string): DtoBinding | string {
  const support = dtoSupport()
  if (typeof support === 'string') return `${problem}, which ${support}`
  const plan = support.planDto(type)
  const reason = support.unboundDtoReason(plan, validation)
  if (reason !== undefined) return problem + reason
  return { support, plan, dto: support.prepareDto(plan, validation) }
}

const DTO_SUPPORT_MISSING =
  "is a DTO class, bound with class-transformer and class-validator, which albatross loads only for apps that import 'albatross/dto': add `import 'albatross/dto'` to the module that declares your DTOs (or to the entry)"

const KINDS = new Set<unknown>([String, Number, Boolean, Date])
// prettier-ignore
const NOT_DTOS = new Set<unknown>([
  Object, Array, Map, Set, Promise, Function, Symbol, BigInt, Buffer, Uint8Array,
])

/** A class the binder treats as a DTO: not a primitive wrapper or built-in container. */
export function isDtoClass(value: unknown): value is ClassType {
  return typeof value === 'function' && !NOT_DTOS.has(value) && !KINDS.has(value)
}
