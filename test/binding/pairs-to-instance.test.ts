// DTO support (class-transformer, class-validator, reflect-metadata), as an app with DTOs imports it.
import '../../src/dto.js'
import { Allow, IsBoolean, IsDate, IsInt, IsNumberString, IsOptional, IsString, Min } from 'class-validator'
import type { ValidatorOptions } from 'class-validator'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { plainFromPairs } from '../../src/binding/convert.js'
import { decodeQuery } from '../../src/binding/decode.js'
import { planDto } from '../../src/binding/dto-plan.js'
import { UNSUPPORTED } from '../../src/binding/plain-to-instance.js'
import { prepareDto, transformAndValidate, transformAndValidatePairs } from '../../src/binding/transform-validate.js'
import type { PreparedDto } from '../../src/binding/transform-validate.js'
import type { ValidationIssue } from '../../src/binding/validation-details.js'
import type { ClassType } from '../../src/metadata/types.js'

// A query or form DTO is built from its pairs in one pass (pairs-to-instance.ts) where its
// transform is compiled. This holds that pass to the libraries themselves on random queries:
// plainFromPairs, then class-transformer's plainToInstance and class-validator's validateSync
// (transformAndValidate with nothing compiled) must give the same instance — prototype, own keys
// in order, values — and the same issues and suppressed locations, in the same order.

class Search {
  @IsString() q!: string
  @IsNumberString() page!: string
  @IsOptional() @IsInt() @Min(1) limit?: number
  @IsOptional() @IsBoolean() exact?: boolean
  @IsOptional() @IsDate() since?: Date
  @IsOptional() @IsString({ each: true }) tags?: string[]
  @IsOptional() @IsInt({ each: true }) ids?: number[]
}

/** Constructor defaults, a field holding a function, and a method whose name a client may send. */
class Defaults {
  @IsOptional() @IsInt() page: number = 1
  @Allow() callback: () => void = () => undefined
  @IsOptional() @IsString() sort?: string
  describe(): string {
    return String(this.page)
  }
}

class Claimed {
  @IsOptional() @IsString() q?: string
}

/** Its instances claim another constructor: the executor's slower skip test applies. */
class Reassigned {
  @IsOptional() @IsString() q?: string
  @IsOptional() @IsInt() limit?: number
  constructor() {
    ;(this as { constructor: unknown }).constructor = Claimed
  }
}

const OPTIONS: readonly ValidatorOptions[] = [
  { whitelist: true, forbidUnknownValues: true },
  { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true },
  { whitelist: false, forbidUnknownValues: true },
]

const key = fc.constantFrom(
  'q', 'page', 'limit', 'exact', 'since', 'tags', 'ids', 'sort', 'callback', 'describe', 'other',
  '__proto__', 'constructor', 'toString', '__defineGetter__', 'then', 'l%69mit', 'bad%zz', '2',
)
const value = fc.constantFrom('true', 'nope', '12', '-3', '1.5', '2024-01-02', '2024-02-30', '', 'a+b', '%zz', 'abc')
const query = fc.array(fc.tuple(key, value), { maxLength: 10 }).map((pairs) => pairs.flat())

function sink() {
  const issues: ValidationIssue[] = []
  /** Every suppress call, in order; `suppressed` is what the flattening of errors reads. */
  const suppressions: string[] = []
  const suppressed = new Set<string>()
  return {
    issues,
    suppressions,
    suppressed,
    report: (issue: ValidationIssue) => void issues.push(issue),
    suppress: (at: string) => {
      suppressions.push(at)
      suppressed.add(at)
    },
  }
}

/** An instance as comparable data: its prototype's class, own keys in order, Dates by time. */
function canon(value: unknown): unknown {
  if (value instanceof Date) return { date: String(value.getTime()) }
  if (typeof value === 'function') return { function: value.name }
  if (Array.isArray(value)) return value.map(canon)
  if (typeof value !== 'object' || value === null) return value
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null
  const record = value as Record<string, unknown>
  return { proto: proto?.constructor?.name ?? null, entries: Object.keys(record).map((k) => [k, canon(record[k])]) }
}

/** The libraries' path: nothing compiled, so plainToInstance and validateSync do the work. */
function libraryOnly(dto: PreparedDto): PreparedDto {
  return { ...dto, toInstance: undefined, check: undefined, fromPairs: undefined }
}

describe('transformAndValidatePairs ≡ plainFromPairs + plainToInstance + validateSync', () => {
  for (const type of [Search, Defaults, Reassigned] as ClassType[]) {
    it(`${type.name}: same instance, issues and suppressed locations on random queries`, () => {
      let onePass = 0
      let runs = 0
      for (const options of OPTIONS) {
        const dto = prepareDto(planDto(type), options)
        expect(dto.fromPairs).toBeDefined()
        fc.assert(
          fc.property(query, (raw) => {
            const fused = sink()
            const got = transformAndValidatePairs(dto, decodeQuery(raw), 'query', fused)
            const library = sink()
            const plain = plainFromPairs(dto.plan, decodeQuery(raw), 'query', library)
            const want = transformAndValidate(libraryOnly(dto), plain, 'query', true, library)
            expect(canon(got)).toEqual(canon(want))
            expect(fused.issues).toEqual(library.issues)
            expect(fused.suppressions).toEqual(library.suppressions)
            runs++
            if (dto.fromPairs?.(decodeQuery(raw), 'query', sink()) !== UNSUPPORTED) onePass++
          }),
          { numRuns: 120 },
        )
      }
      // The one-pass transform really ran (a key like '2' sends a query to plainFromPairs).
      expect(onePass / runs).toBeGreaterThan(0.5)
    })
  }

  it('is not compiled for DTOs whose nested objects are counted first', () => {
    class Inner {
      @IsString() name!: string
    }
    class Outer {
      @IsOptional() @IsString() q?: string
      inner?: Inner
    }
    Reflect.defineMetadata('design:type', Inner, Outer.prototype, 'inner')
    IsOptional()(Outer.prototype, 'inner')
    expect(prepareDto(planDto(Outer), OPTIONS[0] as ValidatorOptions).fromPairs).toBeUndefined()
  })
})
