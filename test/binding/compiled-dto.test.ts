import 'reflect-metadata'
import { Exclude, Expose, Transform, Type, plainToInstance } from 'class-transformer'
import {
  Allow,
  ArrayContains,
  ArrayMaxSize,
  ArrayMinSize,
  ArrayNotEmpty,
  ArrayUnique,
  Contains,
  Equals,
  IsArray,
  IsBoolean,
  IsDate,
  IsDefined,
  IsDivisibleBy,
  IsEmail,
  IsEmpty,
  IsEnum,
  IsIn,
  IsInt,
  IsNegative,
  IsNotEmpty,
  IsNumber,
  IsNumberString,
  IsObject,
  IsOptional,
  IsPositive,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  NotEquals,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidatorConstraint,
  registerDecorator,
  validateSync,
} from 'class-validator'
import type {
  ValidationArguments,
  ValidationError,
  ValidatorConstraintInterface,
  ValidatorOptions,
} from 'class-validator'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { planDto } from '../../src/binding/dto-plan.js'
import { UNSUPPORTED } from '../../src/binding/plain-to-instance.js'
import { prepareDto } from '../../src/binding/transform-validate.js'
import type { ClassType } from '../../src/metadata/types.js'

// The compiled transformer and validator (plain-to-instance.ts, dto-validator.ts) claim to be
// plainToInstance(type, plain, { enableImplicitConversion: false }) + validateSync(instance,
// options), exactly, for what they accept. This holds them to the real libraries on random
// input: same instance (prototype, own keys in order, values) and the same ValidationError list
// (property, value, target, constraints in order, children), or the same exception.

// --- DTO classes: the bench's, one per decorator family, and ones that must fall back --------

class ListQuery {
  @IsString() q!: string
  @IsNumberString() page!: string
  @IsOptional() @IsString() sort?: string
  @IsOptional() @IsNumberString() limit?: string
  @IsOptional() @IsString() fields?: string
  @IsOptional() @IsString() include?: string
}

class CreateTask {
  @IsString() @Length(1, 200) name!: string
  @IsOptional() @IsString() @MaxLength(500) description?: string
  @IsNumber() @Min(0) price!: number
  @IsInt() @Min(0) quantity!: number
  @IsArray() @IsString({ each: true }) tags!: string[]
  @IsBoolean() active!: boolean
}

enum Color {
  Red = 'red',
  Blue = 'blue',
}

class Strings {
  @MinLength(2) @MaxLength(5) short!: string
  @Contains('a') @Matches(/^[a-z$&]+$/) pattern!: string
  @IsEmail() email!: string
  @IsUUID('4') id!: string
  @IsIn(['x', 'y', 7]) choice!: unknown
  @IsEnum(Color) color!: Color
  @IsNotEmpty() required!: unknown
  @IsEmpty() empty!: unknown
}

class Numbers {
  @IsNumber({ allowNaN: true, allowInfinity: true }) anyNumber!: number
  @IsNumber({ maxDecimalPlaces: 1 }) money!: number
  @IsInt() @Max(10) small!: number
  @IsPositive() positive!: number
  @IsNegative() negative!: number
  @IsDivisibleBy(3) third!: number
}

class Checks {
  @IsDefined() defined!: unknown
  @Equals('yes') yes!: string
  @NotEquals(0) nonZero!: unknown
  @IsObject() object!: object
  @IsDate() date!: Date
  @Allow() anything!: unknown
  @IsBoolean({ each: true }) flags!: unknown
}

class Arrays {
  @ArrayMinSize(1) @ArrayMaxSize(3) sized!: unknown[]
  @ArrayNotEmpty() @ArrayUnique() unique!: unknown[]
  @ArrayContains(['a']) withA!: unknown[]
  @IsInt({ each: true }) @Min(0, { each: true }) counts!: unknown
}

class Conditional {
  @IsOptional() @IsInt() maybe?: number
  @ValidateIf((o: Conditional) => o.kind === 'card') @IsString() @Length(4, 4) pin?: string
  @IsIn(['card', 'cash']) kind!: string
  @IsString({ validateIf: (_o: unknown, value: unknown) => value !== 'skip' }) note?: string
}

@ValidatorConstraint({ name: 'isEven' })
class IsEven implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'number' && value % 2 === 0
  }
  defaultMessage(args: ValidationArguments): string {
    return `$property of $target must be even, got $value (${String(args.constraints?.[0])})`
  }
}

function IsShout(options?: { message?: string }) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isShout',
      target: object.constructor,
      propertyName,
      ...(options === undefined ? {} : { options }),
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value === value.toUpperCase(),
        defaultMessage: () => '$property must be upper case',
      },
    })
}

class Custom {
  @Validate(IsEven, ['hint']) even!: number
  @IsShout() shout!: string
  @IsShout({ message: '$value for $property: $constraint1' }) shoutMessage!: string
  @IsString({ message: (args: ValidationArguments) => `no: ${String(args.value)} ${args.property}` })
  messageFunction!: string
  @IsInt({ message: 'each $value of $property', each: true }) tokens!: unknown
}

class Grouped {
  @IsString({ groups: ['admin'] }) adminOnly!: string
  @IsInt({ always: true }) always!: number
  @IsBoolean() ungrouped!: boolean
}

class Base {
  @IsString() id!: string
  @IsInt() version!: number
  describe(): string {
    return this.id
  }
}

class Derived extends Base {
  @IsString({ each: true }) @IsOptional() labels?: string[]
  @Min(5) override version!: number
}

/** Defaults set by the constructor, a method, and a field that holds a function. */
class WithDefaults {
  @IsOptional() @IsInt() page: number = 1
  @IsOptional() @IsString() sort: string = 'name'
  @Allow() callback: () => void = () => undefined
  @IsString() name!: string
  summary(): string {
    return `${this.name}:${this.page}`
  }
}

// Classes the transformer must not compile (class-transformer metadata, accessors) and the
// validator must not compile (nested, async, contexts); each still runs through the property.

class Line {
  @IsString() sku!: string
  @IsInt() qty!: number
}

class Nested {
  @ValidateNested({ each: true }) @Type(() => Line) lines!: Line[]
  @IsString() ref!: string
}

class Renamed {
  @Expose({ name: 'first-name' }) @IsString() firstName!: string
  @IsOptional() @IsInt() age?: number
}

class Hidden {
  @IsString() name!: string
  @Exclude() @IsOptional() secret?: string
}

class Transformed {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  name!: string
}

class WithAccessor {
  #name = ''
  @IsString() get name(): string {
    return this.#name
  }
  set name(value: string) {
    this.#name = value
  }
  @IsInt() count!: number
}

@ValidatorConstraint({ name: 'isFree', async: true })
class IsFree implements ValidatorConstraintInterface {
  validate(value: unknown): Promise<boolean> {
    return Promise.resolve(value !== 'taken')
  }
}

class AsyncCheck {
  @Validate(IsFree) @IsString() sku!: string
}

class WithContext {
  @IsString({ context: { code: 'E1' } }) name!: string
}

class ClaimedClass {
  @IsOptional() @IsString() extra?: string
  @IsString() name!: string
}

/** Its instances claim another constructor: class-validator then reads that class's metadata. */
class Reassigned {
  @IsString() name!: string
  @IsOptional() @IsInt() count?: number
  extra = 'default'
  constructor() {
    ;(this as { constructor: unknown }).constructor = ClaimedClass
  }
}

const SUPPORTED: readonly ClassType[] = [
  ListQuery, CreateTask, Strings, Numbers, Checks, Arrays, Conditional, Custom, Grouped, Derived,
  WithDefaults,
]
const FALLBACK: readonly ClassType[] = [
  Nested, Renamed, Hidden, Transformed, WithAccessor, AsyncCheck, WithContext, Reassigned,
]

// --- options ---------------------------------------------------------------------------------

const OPTIONS: readonly ValidatorOptions[] = [
  { whitelist: true, forbidUnknownValues: true },
  { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true },
  { whitelist: false, stopAtFirstError: true, forbidUnknownValues: true },
  {
    whitelist: true,
    skipMissingProperties: true,
    dismissDefaultMessages: true,
    validationError: { target: false, value: false },
    forbidUnknownValues: true,
  },
  { whitelist: true, skipNullProperties: true, groups: ['admin'], forbidUnknownValues: true },
  { whitelist: true, skipUndefinedProperties: true, always: true, strictGroups: true },
]

// --- random plain input ------------------------------------------------------------------------

/** Pure data describing a value, so the same input can be built twice, fresh for each path. */
type Spec =
  | { readonly leaf: unknown }
  | { readonly date: number }
  | { readonly items: readonly Spec[] }
  | { readonly entries: readonly (readonly [string, Spec])[]; readonly nullProto?: boolean }

function build(spec: Spec): unknown {
  if ('leaf' in spec) return spec.leaf
  if ('date' in spec) return new Date(spec.date)
  if ('items' in spec) return spec.items.map(build)
  const out: Record<string, unknown> = spec.nullProto === true ? Object.create(null) : {}
  // defineProperty, so `__proto__` becomes an own key as JSON.parse makes it.
  for (const [key, value] of spec.entries) {
    Object.defineProperty(out, key, { value: build(value), enumerable: true, writable: true, configurable: true })
  }
  return out
}

const SPECIAL_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'then']

const leaf: fc.Arbitrary<Spec> = fc.oneof(
  fc.string({ maxLength: 8 }).map((leaf) => ({ leaf })),
  fc.string({ minLength: 190, maxLength: 520 }).map((leaf) => ({ leaf })),
  fc
    .constantFrom('', ' ', '12', '-3.5', '1e3', 'NaN', 'abc', 'ABC', '$value', '$&', 'card', 'cash', 'yes',
      'red', 'x', 'a@b.co', '550e8400-e29b-41d4-a716-446655440000', 'aaa$', 'skip', 'taken')
    .map((leaf) => ({ leaf })),
  fc.double().map((leaf) => ({ leaf })),
  fc.integer({ min: -20, max: 20 }).map((leaf) => ({ leaf })),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1.5, 1.25, 201, 500, 2 ** 53).map((leaf) => ({ leaf })),
  fc.boolean().map((leaf) => ({ leaf })),
  fc.constantFrom(null, undefined).map((leaf) => ({ leaf })),
  fc.oneof(fc.integer({ min: -1e13, max: 1e13 }), fc.constant(NaN)).map((date) => ({ date })),
)

function inputFor(type: ClassType): fc.Arbitrary<Spec> {
  const names = Object.getOwnPropertyNames(new (type as new () => object)())
  for (const meta of planDto(type).properties) names.push(meta.key, meta.name)
  const key = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...new Set(names)) },
    { weight: 1, arbitrary: fc.constantFrom(...SPECIAL_KEYS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  )
  const { value } = fc.letrec<{ value: Spec }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('value'), { maxLength: 4 }).map((items): Spec => ({ items })),
      fc
        .array(fc.tuple(key, tie('value')), { maxLength: 4 })
        .map((entries): Spec => ({ entries })),
    ),
  }))
  return fc.record({
    entries: fc.array(fc.tuple(key, value), { maxLength: 10 }),
    nullProto: fc.boolean(),
  })
}

// --- comparison --------------------------------------------------------------------------------

/**
 * A value as comparable data: prototypes by name, own enumerable keys in order, Dates by time
 * (vitest's equality calls two invalid Dates different), functions by name.
 */
function canon(value: unknown, depth = 0): unknown {
  if (depth > 12) return '…'
  if (typeof value === 'function') return { function: value.name }
  if (typeof value !== 'object' || value === null) return value
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null
  const protoName = proto === null ? 'null' : (proto.constructor?.name ?? '?')
  if (value instanceof Date) return { proto: protoName, time: String(value.getTime()) }
  if (Array.isArray(value)) return { proto: protoName, items: value.map((item) => canon(item, depth + 1)) }
  const record = value as Record<string, unknown>
  return { proto: protoName, entries: Object.keys(record).map((k) => [k, canon(record[k], depth + 1)]) }
}

/** Objects (arrays, Dates, plain objects) reachable from `value`. */
function objectsIn(value: unknown, found = new Set<object>()): Set<object> {
  if (typeof value !== 'object' || value === null || found.has(value)) return found
  found.add(value)
  for (const item of Object.values(value)) objectsIn(item, found)
  return found
}

/** class-transformer rebuilds every array, object and Date: the instance shares none with the input. */
function sharesWithInput(instance: unknown, plain: object): boolean {
  const input = objectsIn(plain)
  return [...objectsIn(instance)].some((item) => input.has(item))
}

type Outcome =
  | { readonly instance: unknown; readonly shares: boolean; readonly errors: unknown }
  | { readonly thrown: string }

function realPath(type: ClassType, plain: object, options: ValidatorOptions): Outcome {
  try {
    const instance = plainToInstance(type as new () => object, plain, { enableImplicitConversion: false })
    const errors = validateSync(instance, options)
    return { instance: canon(instance), shares: sharesWithInput(instance, plain), errors: canon(errors) }
  } catch (error) {
    return { thrown: String(error) }
  }
}

interface Usage {
  transform: number
  validate: number
  runs: number
}

function compiledPath(type: ClassType, plain: object, options: ValidatorOptions, usage: Usage): Outcome {
  const dto = prepareDto(planDto(type), options)
  usage.runs++
  try {
    let instance = dto.toInstance === undefined ? UNSUPPORTED : dto.toInstance(plain)
    if (instance === UNSUPPORTED) {
      instance = plainToInstance(type as new () => object, plain, { enableImplicitConversion: false })
    } else usage.transform++
    let errors: readonly ValidationError[] | typeof UNSUPPORTED =
      dto.check === undefined ? UNSUPPORTED : dto.check(instance)
    if (errors === UNSUPPORTED) errors = validateSync(instance, options)
    else usage.validate++
    return { instance: canon(instance), shares: sharesWithInput(instance, plain), errors: canon(errors) }
  } catch (error) {
    return { thrown: String(error) }
  }
}

const RUNS = 150

describe('compiled DTO binding ≡ plainToInstance + validateSync', () => {
  const total: Usage = { transform: 0, validate: 0, runs: 0 }

  for (const type of [...SUPPORTED, ...FALLBACK]) {
    it(`${type.name}: same instance and errors on random input, under ${OPTIONS.length} option sets`, () => {
      const usage: Usage = { transform: 0, validate: 0, runs: 0 }
      for (const options of OPTIONS) {
        fc.assert(
          fc.property(inputFor(type), (spec) => {
            const real = realPath(type, build(spec) as object, options)
            const compiled = compiledPath(type, build(spec) as object, options, usage)
            expect(compiled).toStrictEqual(real)
          }),
          { numRuns: RUNS },
        )
      }
      total.transform += usage.transform
      total.validate += usage.validate
      total.runs += usage.runs
      // The compiled stages really ran for the classes they accept (not a vacuous equivalence).
      if (SUPPORTED.includes(type)) {
        expect(usage.transform / usage.runs).toBeGreaterThan(0.6)
        expect(usage.validate / usage.runs).toBeGreaterThan(0.5)
      } else {
        expect(usage.transform === 0 || usage.validate === 0).toBe(true)
      }
    })
  }

  it('ran every class under every option set', () => {
    expect(total.runs).toBe((SUPPORTED.length + FALLBACK.length) * OPTIONS.length * RUNS)
  })
})

describe('which DTOs are compiled', () => {
  const options: ValidatorOptions = { whitelist: true, forbidUnknownValues: true }

  it('compiles both stages for classes with only validators, methods, defaults and inheritance', () => {
    for (const type of SUPPORTED) {
      if (type === Grouped) continue
      expect(prepareDto(planDto(type), options).fallback, type.name).toEqual({})
    }
  })

  it('leaves class-transformer metadata and accessors to plainToInstance, still compiling validation', () => {
    const reasons = Object.fromEntries(
      [Nested, Renamed, Hidden, Transformed, WithAccessor].map((type) => {
        const dto = prepareDto(planDto(type), options)
        return [type.name, [dto.fallback.transform, dto.check !== undefined]]
      }),
    )
    expect(reasons).toEqual({
      Nested: ['Nested has class-transformer metadata', false],
      Renamed: ['Renamed has class-transformer metadata', true],
      Hidden: ['Hidden has class-transformer metadata', true],
      Transformed: ['Transformed has class-transformer metadata', true],
      WithAccessor: ['WithAccessor.name is an accessor', true],
    })
  })

  it('leaves nested, async and context validation to class-validator', () => {
    const reason = (type: ClassType) => prepareDto(planDto(type), options).fallback.validate
    expect(reason(Nested)).toBe('Nested.lines: nestedValidation is not mirrored')
    expect(reason(AsyncCheck)).toBe('async validation')
    expect(reason(WithContext)).toBe('WithContext.name: validation contexts are not mirrored')
  })

  it('leaves validator options it does not know to class-validator', () => {
    const dto = prepareDto(planDto(CreateTask), { ...options, futureOption: true } as ValidatorOptions)
    expect(dto.fallback).toEqual({ validate: 'validation option futureOption is not mirrored' })
  })
})
