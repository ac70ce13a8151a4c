import { plainToInstance } from 'class-transformer'
import type { ClassTransformOptions } from 'class-transformer'
import { validate, validateSync } from 'class-validator'
import type { ValidationError, ValidatorOptions } from 'class-validator'
import type { DtoPlan } from './dto-plan.js'
import { compileValidator } from './dto-validator.js'
import type { ValidateInstance } from './dto-validator.js'
import { plainFromPairs } from './convert.js'
import type { DecodedPairs } from './decode.js'
import { compilePairsToInstance } from './pairs-to-instance.js'
import type { PairsToInstance } from './pairs-to-instance.js'
import { UNSUPPORTED, compileTransform } from './plain-to-instance.js'
import type { PlainToInstance } from './plain-to-instance.js'
import { isJsonObject } from './request-body.js'
import { NESTED_OBJECTS_MAX, tooManyNestedObjects } from './nested-limit.js'
import { transformerKeys } from './transformer-metadata.js'
import { CONVERTED_OBJECT_KEYS_MAX, overwideObject, reattach, splitUnknownKeys } from './wide-objects.js'
import { flattenValidationErrors, makeIssue, reportIssue } from './validation-details.js'
import type { IssueSink, LocationNames } from './validation-details.js'

// Implicit conversion stays off: it would turn 'abc' into NaN and 'false' into true. Strings
// from URLs and headers are converted strictly by convert.ts before this point.
const TRANSFORM: ClassTransformOptions = { enableImplicitConversion: false }

// ClassType admits abstract classes; a DTO the client's data is turned into is instantiable.
type Instantiable = new () => object

/**
 * A DTO as one route binds it: the plan, the app's validator options, and — where the class is
 * simple enough — class-transformer's and class-validator's work compiled for it (see
 * plain-to-instance.ts, dto-validator.ts). Each compiled stage is exact for what it accepts and
 * hands anything else to the library, so the two stages fall back independently. (With
 * whitelist stripping the compiled transform leaves out what validation would delete; the pair
 * is exact, whichever of the two runs the whitelist.)
 */
export interface PreparedDto {
  readonly plan: DtoPlan
  readonly options: ValidatorOptions
  readonly toInstance: PlainToInstance | undefined
  /** toInstance for query and form pairs, without their plain object (pairs-to-instance.ts). */
  readonly fromPairs: PairsToInstance | undefined
  /** Undefined for a DTO with async validators: `validate` runs them, `validateSync` skips them. */
  readonly check: ValidateInstance | undefined
  /** Some property is a nested DTO: its objects are counted (nested-limit.ts). */
  readonly hasNested: boolean
  /** The root keys class-transformer is given (wide-objects.ts): declared, exposed or transformed. */
  readonly knownKeys: ReadonlySet<string>
  /** Why a stage is not compiled, for tests and debugging. */
  readonly fallback: { readonly transform?: string; readonly validate?: string }
}

/** Compiles what can be compiled for one route's DTO; called at createApp. */
export function prepareDto(plan: DtoPlan, options: ValidatorOptions): PreparedDto {
  const check = plan.async ? 'async validation' : compileValidator(plan.type, options)
  const compiled = typeof check === 'string' ? undefined : check
  const transform = compileTransform(plan.type, compiled?.strips, compiled?.kept)
  const fallback: { transform?: string; validate?: string } = {}
  if (typeof transform === 'string') fallback.transform = transform
  if (typeof check === 'string') fallback.validate = check
  const hasNested = plan.properties.some((property) => property.nested !== undefined || property.subtypes !== undefined)
  return {
    plan,
    options,
    toInstance: typeof transform === 'string' ? undefined : transform.toInstance,
    // Nested objects are counted on the plain object first (transformAndValidate).
    fromPairs: typeof transform === 'string' || hasNested ? undefined : compilePairsToInstance(plan, transform),
    check: compiled?.validate,
    hasNested,
    knownKeys: new Set([...Object.keys(plan.byKey), ...transformerKeys(plan.type)]),
    fallback,
  }
}

/**
 * `plain` → an instance of the DTO, validated; failures go to `sink`. Returns the instance, or
 * a promise of it when the DTO has async validators (`validateSync` would skip them).
 */
export function transformAndValidate(
  dto: PreparedDto,
  plain: object,
  base: string,
  echo: boolean,
  sink: IssueSink,
  names: LocationNames = dto.plan,
): object | Promise<object> {
  if (dto.hasNested) {
    // Counted on the client's data, before class-transformer converts all of it.
    const crowded = tooManyNestedObjects(dto.plan, plain, base)
    if (crowded !== undefined) {
      const message = `${base} holds more than ${NESTED_OBJECTS_MAX} nested objects (send a larger batch as a JSON array body)`
      sink.report(makeIssue(crowded, message, 'maxNestedObjects', false))
      return plain
    }
  }
  const instance = toInstance(dto, plain, base, sink)
  if (instance === CONVERSION_FAILED) return plain
  return validateInstance(dto, instance, base, echo, sink, names)
}

/**
 * `transformAndValidate(dto, plainFromPairs(dto.plan, pairs, base, sink), base, true, sink)`:
 * query parameters and form fields, through the pairs' own transform where it is compiled.
 */
export function transformAndValidatePairs(
  dto: PreparedDto,
  pairs: DecodedPairs,
  base: string,
  sink: IssueSink,
): object | Promise<object> {
  const instance = dto.fromPairs === undefined ? UNSUPPORTED : dto.fromPairs(pairs, base, sink)
  if (instance === UNSUPPORTED) return transformAndValidate(dto, plainFromPairs(dto.plan, pairs, base, sink), base, true, sink)
  return validateInstance(dto, instance, base, true, sink, dto.plan)
}

function validateInstance(
  dto: PreparedDto,
  instance: object,
  base: string,
  echo: boolean,
  sink: IssueSink,
  names: LocationNames,
): object | Promise<object> {
  if (dto.plan.async) {
    return validate(instance, dto.options).then((errors) => {
      report(errors, names, base, echo, sink)
      return instance
    })
  }
  report(checkSync(dto, instance), names, base, echo, sink)
  return instance
}

/**
 * A JSON array body as instances of the DTO, each validated under `body[i]`. Elements that are
 * not objects are reported and left as they are: class-validator cannot validate `null`.
 */
export function transformAndValidateEach(
  dto: PreparedDto,
  plain: readonly unknown[],
  base: string,
  sink: IssueSink,
): unknown[] | Promise<unknown[]> {
  const failed = new Set<number>()
  const items: unknown[] = plain.map((item, i) => {
    // Once the answer lists all the errors it will, the rest of the items are not looked at:
    // the request fails either way, and checking 300,000 more items only builds messages.
    if (sink.full === true) return item
    const location = `${base}[${i}]`
    if (isJsonObject(item)) {
      const instance = toInstance(dto, item, location, sink)
      if (instance !== CONVERSION_FAILED) return instance
      failed.add(i)
      return item
    }
    reportIssue(sink, location, `${location} must be a JSON object`, 'isObject', true, item)
    return item
  })
  if (dto.plan.async) {
    const checks = items.map((item, i) =>
      isJsonObject(plain[i]) && !failed.has(i) ? validate(item as object, dto.options) : Promise.resolve([]),
    )
    return Promise.all(checks).then((lists) => {
      lists.forEach((errors, i) => report(errors, dto.plan, `${base}[${i}]`, true, sink))
      return items
    })
  }
  for (let i = 0; i < items.length && sink.full !== true; i++) {
    if (isJsonObject(plain[i]) && !failed.has(i)) {
      report(checkSync(dto, items[i] as object), dto.plan, `${base}[${i}]`, true, sink)
    }
  }
  return items
}

/**
 * The instance, or CONVERSION_FAILED once reported: class-transformer throws on some client
 * data (a nested `{"constructor": null}` makes it read a property of null), which is the
 * client's input problem, so a 400 rather than a 500.
 */
function toInstance(
  dto: PreparedDto,
  plain: object,
  location: string,
  sink: IssueSink,
): object | typeof CONVERSION_FAILED {
  const instance = dto.toInstance === undefined ? UNSUPPORTED : dto.toInstance(plain)
  if (instance !== UNSUPPORTED) return instance
  const split = splitUnknownKeys(plain, dto.knownKeys)
  const converted = split === undefined ? plain : split.reduced
  const wide = overwideObject(converted, location)
  if (wide !== undefined) {
    const message = `${wide} has more than ${CONVERTED_OBJECT_KEYS_MAX} keys, more than albatross lets class-transformer convert`
    sink.report(makeIssue(wide, message, 'maxKeys', false))
    return CONVERSION_FAILED
  }
  try {
    const instance = plainToInstance(dto.plan.type as Instantiable, converted, TRANSFORM)
    if (split !== undefined) reattach(instance, split.rest)
    return instance
  } catch (error) {
    // What was thrown is not shown: the answer names the input, never the library's internals.
    void error
    const message = `${location} could not be converted to ${dto.plan.type.name || 'the DTO'}`
    sink.report(makeIssue(location, message, 'isConvertible', false))
    return CONVERSION_FAILED
  }
}

const CONVERSION_FAILED: unique symbol = Symbol('conversion failed')

function checkSync(dto: PreparedDto, instance: object): readonly ValidationError[] {
  const errors = dto.check === undefined ? UNSUPPORTED : dto.check(instance)
  return errors === UNSUPPORTED ? validateSync(instance, dto.options) : errors
}

function report(
  errors: readonly ValidationError[],
  names: LocationNames,
  base: string,
  echo: boolean,
  sink: IssueSink,
): void {
  if (errors.length > 0) flattenValidationErrors(errors, base, names, echo, sink)
}
