import { plainToInstance } from 'class-transformer'
import type { ClassTransformOptions } from 'class-transformer'
import { validate, validateSync } from 'class-validator'
import type { ValidationError, ValidatorOptions } from 'class-validator'
import type { DtoPlan } from './dto-plan.js'
import { flattenValidationErrors, makeIssue } from './validation-details.js'
import type { IssueSink, LocationNames } from './validation-details.js'

// Implicit conversion stays off: it would turn 'abc' into NaN and 'false' into true. Strings
// from URLs and headers are converted strictly by convert.ts before this point.
const TRANSFORM: ClassTransformOptions = { enableImplicitConversion: false }

// ClassType admits abstract classes; a DTO the client's data is turned into is instantiable.
type Instantiable = new () => object

/**
 * `plain` → an instance of the DTO, validated; failures go to `sink`. Returns the instance, or
 * a promise of it when the DTO has async validators (`validateSync` would skip them).
 */
export function transformAndValidate(
  plan: DtoPlan,
  plain: object,
  base: string,
  echo: boolean,
  options: ValidatorOptions,
  sink: IssueSink,
  names: LocationNames = plan,
): object | Promise<object> {
  const instance = plainToInstance(plan.type as Instantiable, plain, TRANSFORM)
  if (plan.async) {
    return validate(instance, options).then((errors) => {
      report(errors, names, base, echo, sink)
      return instance
    })
  }
  report(validateSync(instance, options), names, base, echo, sink)
  return instance
}

/**
 * A JSON array body as instances of the DTO, each validated under `body[i]`. Elements that are
 * not objects are reported and left as they are: class-validator cannot validate `null`.
 */
export function transformAndValidateEach(
  plan: DtoPlan,
  plain: readonly unknown[],
  base: string,
  options: ValidatorOptions,
  sink: IssueSink,
): unknown[] | Promise<unknown[]> {
  const items: unknown[] = plain.map((item, i) => {
    if (isJsonObject(item)) return plainToInstance(plan.type as Instantiable, item, TRANSFORM)
    const location = `${base}[${i}]`
    sink.report(makeIssue(location, `${location} must be a JSON object`, 'isObject', true, item))
    return item
  })
  if (plan.async) {
    const checks = items.map((item, i) =>
      isJsonObject(plain[i]) ? validate(item as object, options) : Promise.resolve([]),
    )
    return Promise.all(checks).then((lists) => {
      lists.forEach((errors, i) => report(errors, plan, `${base}[${i}]`, true, sink))
      return items
    })
  }
  for (let i = 0; i < items.length; i++) {
    if (isJsonObject(plain[i])) {
      report(validateSync(items[i] as object, options), plan, `${base}[${i}]`, true, sink)
    }
  }
  return items
}

/** A JSON object, as opposed to an array, `null` or a primitive. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
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
