import { ValidationError, ValidationTypes, getMetadataStorage } from 'class-validator'
import type {
  ValidationArguments,
  ValidatorConstraintInterface,
  ValidatorOptions,
} from 'class-validator'
import { ValidationUtils } from 'class-validator/cjs/validation/ValidationUtils.js'
import type { ClassType } from '../metadata/types.js'
import { builtinCheck } from './dto-builtins.js'
import type { FastCheck } from './dto-builtins.js'
import { UNSUPPORTED } from './plain-to-instance.js'

/** The errors `validateSync(instance, options)` would return, or UNSUPPORTED: call it instead. */
export type ValidateInstance = (instance: object) => readonly ValidationError[] | typeof UNSUPPORTED

export interface CompiledValidator {
  readonly validate: ValidateInstance
  /**
   * With `whitelist` stripping (not forbidding): whether it deletes an own property named `key`.
   * Nothing runs between plainToInstance and the whitelist step, so the transform may just not
   * copy such a key: copying it and deleting it leaves the same instance, only slower (a delete
   * also turns the instance into a dictionary).
   */
  readonly strips: ((key: string) => boolean) | undefined
  /** Names `strips` never strips (they have validation metadata), for the transform's fast path. */
  readonly kept: ReadonlySet<string>
}

type MetadataStorage = ReturnType<typeof getMetadataStorage>
type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number]

// Every ValidatorOptions field of class-validator 0.14/0.15; an unknown one (a newer release)
// may change what validation does, so it is not mirrored.
// prettier-ignore
const MIRRORED_OPTIONS: ReadonlySet<string> = new Set([
  'enableDebugMessages', 'skipUndefinedProperties', 'skipNullProperties', 'skipMissingProperties',
  'whitelist', 'forbidNonWhitelisted', 'groups', 'always', 'strictGroups', 'dismissDefaultMessages',
  'validationError', 'forbidUnknownValues', 'stopAtFirstError',
])
// Metadata types run synchronously against the property alone; nested and promise validation
// recurse into other classes and stay with class-validator.
const MIRRORED_TYPES: ReadonlySet<string> = new Set([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.WHITELIST,
])
const NO_ERRORS: readonly ValidationError[] = Object.freeze([])

/** One decorator on one property: its metadata and the constraint classes registered for it. */
interface Rule {
  readonly metadata: ValidationMetadata
  readonly checks: readonly Check[]
}

interface Check {
  /** The key of `constraints`: the constraint's name, else the metadata type. */
  readonly type: string
  /** Resolved once: class-validator asks its container per call, for the same singleton. */
  readonly validator: ValidatorConstraintInterface
  /** The library's own common constraint, answered without its wrapper (dto-builtins.ts). */
  readonly fast: FastCheck | undefined
}

interface PropertyRules {
  readonly name: string
  readonly conditions: readonly ((object: object, value: unknown) => unknown)[]
  readonly defined: readonly Rule[]
  readonly custom: readonly Rule[]
}

/**
 * `validateSync(instance, options)` for instances of `type`, compiled from class-validator's own
 * metadata and constraints, or the reason it cannot be. Mirrors ValidationExecutor (0.15.1)
 * step by step — whitelist, conditions (@IsOptional, @ValidateIf), @IsDefined, the skip options,
 * each constraint's own `validate` and `defaultMessage`, `each`, stopAtFirstError — but reads
 * metadata once instead of per request and builds an error only for a property that fails,
 * where the executor allocates an error, filters and closures for every property. Change with
 * care: the property test in test/binding/compiled-dto.test.ts holds it to validateSync.
 */
export function compileValidator(
  type: ClassType,
  options: ValidatorOptions,
): CompiledValidator | string {
  for (const key of Object.keys(options)) {
    if (!MIRRORED_OPTIONS.has(key)) return `validation option ${key} is not mirrored`
  }
  const storage = getMetadataStorage()
  const metadatas = storage.getTargetValidationMetadatas(
    type,
    undefined as unknown as string, // validateSync(object) passes no schema name
    options.always || false,
    options.strictGroups || false,
    options.groups,
  )
  // Without metadata, forbidUnknownValues fails the object as a whole; rare, left to the executor.
  if (metadatas.length === 0) return `${type.name} has no validation metadata`
  for (const metadata of metadatas) {
    const reason = unsupportedMetadata(metadata, storage)
    if (reason !== undefined) return `${type.name}.${String(metadata.propertyName)}: ${reason}`
  }
  const grouped = storage.groupByPropertyName(metadatas)
  const properties = Object.keys(grouped).map((name) =>
    propertyRules(name, grouped[name] ?? [], storage),
  )
  // Every own key of `grouped` holds a non-empty list: a listed name is never stripped. A Set
  // answers that for the usual keys; any other key gets the executor's own test.
  const listed: ReadonlySet<string> = new Set(Object.keys(grouped))
  // The executor's test, on a plain object like its own: an inherited name counts as listed
  // when the inherited function has parameters (`__defineGetter__`), as there.
  const strips = (key: string): boolean => {
    if (listed.has(key)) return false
    const metadatas = grouped[key]
    return !metadatas || metadatas.length === 0
  }
  return {
    validate: validator(type, options, strips, properties),
    strips: options.whitelist && !options.forbidNonWhitelisted ? strips : undefined,
    kept: listed,
  }
}

function unsupportedMetadata(
  metadata: ValidationMetadata,
  storage: MetadataStorage,
): string | undefined {
  const name: unknown = metadata.propertyName
  // groupByPropertyName indexes a plain object: `__proto__` and friends would corrupt it.
  if (typeof name !== 'string' || name in Object.prototype) return 'property name not mirrored'
  if (!MIRRORED_TYPES.has(metadata.type)) return `${metadata.type} is not mirrored`
  if (metadata.context !== undefined) return 'validation contexts are not mirrored'
  if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) {
    const condition: unknown = metadata.constraints?.[0]
    return typeof condition === 'function' ? undefined : 'condition is not a function'
  }
  if (metadata.type === ValidationTypes.WHITELIST) return undefined
  const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls)
  return constraints.some((constraint) => constraint.async) ? 'async constraint' : undefined
}

function propertyRules(
  name: string,
  metadatas: readonly ValidationMetadata[],
  storage: MetadataStorage,
): PropertyRules {
  const rule = (metadata: ValidationMetadata): Rule => ({
    metadata,
    checks: storage.getTargetValidatorConstraints(metadata.constraintCls).map((constraint, _, all) => ({
      type: constraint.name ? constraint.name : metadata.type,
      validator: constraint.instance,
      fast:
        all.length === 1 && metadata.type === ValidationTypes.CUSTOM_VALIDATION && constraint.name === metadata.name
          ? builtinCheck(metadata.name, metadata.each, metadata.constraints, constraint.instance)
          : undefined,
    })),
  })
  const ofType = (type: string) => metadatas.filter((metadata) => metadata.type === type)
  return {
    name,
    conditions: ofType(ValidationTypes.CONDITIONAL_VALIDATION).map(
      (metadata) => metadata.constraints[0] as (object: object, value: unknown) => unknown,
    ),
    defined: ofType(ValidationTypes.IS_DEFINED).map(rule),
    custom: ofType(ValidationTypes.CUSTOM_VALIDATION).map(rule),
  }
}

function validator(
  type: ClassType,
  options: ValidatorOptions,
  notWhitelisted: (key: string) => boolean,
  properties: readonly PropertyRules[],
): ValidateInstance {
  const { whitelist, forbidNonWhitelisted, stopAtFirstError, dismissDefaultMessages } = options
  const withTarget = options.validationError?.target === undefined || options.validationError.target
  const withValue = options.validationError?.value === undefined || options.validationError.value
  const skipUndefined = options.skipUndefinedProperties === true
  const skipNull = options.skipNullProperties === true
  const skipMissing = options.skipMissingProperties === true

  function newError(object: object, value: unknown, property: string): ValidationError {
    // Same fields in the same order as ValidationExecutor.generateValidationError.
    const error = new ValidationError()
    if (withTarget) error.target = object
    if (withValue) error.value = value
    error.property = property
    error.children = []
    error.constraints = {}
    return error
  }

  function fail(
    error: ValidationError | undefined,
    object: object,
    value: unknown,
    metadata: ValidationMetadata,
    check: Check,
  ): ValidationError {
    const args: ValidationArguments = {
      targetName: object.constructor ? object.constructor.name : (undefined as unknown as string),
      property: metadata.propertyName,
      object,
      value,
      constraints: metadata.constraints,
    }
    let message = metadata.message || ''
    if (!metadata.message && !dismissDefaultMessages) {
      const defaultMessage = check.validator.defaultMessage
      if (defaultMessage instanceof Function) message = defaultMessage.call(check.validator, args)
    }
    const failed = error ?? newError(object, value, metadata.propertyName)
    ;(failed.constraints as Record<string, string>)[check.type] =
      ValidationUtils.replaceMessageSpecialTokens(message, args)
    return failed
  }

  function run(
    object: object,
    targetName: string,
    value: unknown,
    rules: readonly Rule[],
    error: ValidationError | undefined,
  ): ValidationError | undefined {
    for (let r = 0; r < rules.length; r++) {
      const { metadata, checks } = rules[r] as Rule
      if (metadata.validateIf && !metadata.validateIf(object, value)) continue
      for (let c = 0; c < checks.length; c++) {
        const check = checks[c] as Check
        // An error exists only once a constraint has failed, i.e. it has constraints.
        if (stopAtFirstError && error !== undefined) continue
        const fast = check.fast
        if (fast !== undefined) {
          // The same answer the constraint gives, without its wrapper and arguments object.
          const valid = !metadata.each ? fast(value) : Array.isArray(value) ? fastEach(fast, value) : undefined
          if (valid !== undefined) {
            if (!valid) error = fail(error, object, value, metadata, check)
            continue
          }
        }
        const args: ValidationArguments = {
          targetName,
          property: metadata.propertyName,
          object,
          value,
          constraints: metadata.constraints,
        }
        // The executor's own short-circuit order: the collection tests only for `each`.
        if (!metadata.each || !(Array.isArray(value) || value instanceof Set || value instanceof Map)) {
          const valid: unknown = check.validator.validate(value, args)
          // A promise from a constraint not declared async: validateSync never awaits it.
          if (isPromise(valid)) valid.then(ignore)
          else if (!valid) error = fail(error, object, value, metadata, check)
        } else if (!validateEach(check.validator, value as Iterable<unknown>, args)) {
          error = fail(error, object, value, metadata, check)
        }
      }
    }
    return error
  }

  return (instance) => {
    // The executor reads the metadata of `instance.constructor`; these rules are for `type`'s.
    if (instance.constructor !== type) return UNSUPPORTED
    const object = instance as Record<string, unknown>
    // Read once: the executor re-reads it per constraint, from a constructor checked above.
    const targetName = type.name
    let errors: ValidationError[] | undefined
    if (whitelist) {
      const keys = Object.keys(object)
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string
        if (!notWhitelisted(key)) continue
        if (forbidNonWhitelisted) {
          const error = newError(object, object[key], key)
          error.constraints = { [ValidationTypes.WHITELIST]: `property ${key} should not exist` }
          error.children = undefined
          ;(errors ??= []).push(error)
        } else {
          delete object[key]
        }
      }
    }
    for (let i = 0; i < properties.length; i++) {
      const rules = properties[i] as PropertyRules
      const value = object[rules.name]
      // Every condition is called, as the executor's map-then-reduce does.
      let canValidate: unknown = true
      for (let c = 0; c < rules.conditions.length; c++) {
        const result = (rules.conditions[c] as PropertyRules['conditions'][number])(object, value)
        canValidate = canValidate && result
      }
      if (!canValidate) continue
      let error = rules.defined.length === 0 ? undefined : run(object, targetName, value, rules.defined, undefined)
      const skip =
        (value === undefined && skipUndefined) ||
        (value === null && skipNull) ||
        ((value === null || value === undefined) && skipMissing)
      if (!skip && rules.custom.length > 0) error = run(object, targetName, value, rules.custom, error)
      if (error !== undefined) (errors ??= []).push(error)
    }
    return errors ?? NO_ERRORS
  }
}

/**
 * An `each` constraint over an array, Set or Map: true when every item passes. Every item is
 * validated, as the executor's map does; if some answer is a promise the outcome is never
 * awaited (validateSync), so the property passes.
 */
function validateEach(
  validator: ValidatorConstraintInterface,
  value: Iterable<unknown>,
  args: ValidationArguments,
): boolean {
  // class-validator's convertToArray.
  const items: unknown[] =
    value instanceof Map
      ? Array.from(value.values())
      : Array.isArray(value)
        ? value
        : Array.from(value)
  let valid = true
  let promises: PromiseLike<unknown>[] | undefined
  for (let i = 0; i < items.length; i++) {
    const result: unknown = validator.validate(items[i], args)
    if (isPromise(result)) (promises ??= []).push(result)
    else if (!result) valid = false
  }
  if (promises === undefined) return valid
  Promise.all(promises).then(ignore)
  return true
}

/** validateEach for a built-in over an array: every item passes; undefined if one is not decided. */
function fastEach(fast: FastCheck, items: readonly unknown[]): boolean | undefined {
  let valid = true
  for (let i = 0; i < items.length; i++) {
    // The executor's map skips holes, and so does its every.
    if (!(i in items)) continue
    const result = fast(items[i])
    if (result === undefined) return undefined
    if (!result) valid = false
  }
  return valid
}

function isPromise(value: unknown): value is PromiseLike<unknown> {
  if (value === null || typeof value !== 'object') return false
  return typeof (value as { then?: unknown }).then === 'function'
}

function ignore(): void {}
