import 'reflect-metadata'
import { Expose, Transform, Type, plainToInstance } from 'class-transformer'
import { IsInt, IsString } from 'class-validator'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { transformerKeys } from '../../src/binding/transformer-metadata.js'
import { reattach, splitUnknownKeys } from '../../src/binding/wide-objects.js'

class Inner {
  @IsInt() n!: number
}

class Wide {
  @Expose({ name: 'full_name' }) @IsString() name!: string
  @Type(() => Inner) inner?: Inner
  @Transform(({ obj }) => `${String((obj as Record<string, unknown>)['first'])}!`) greeting?: string
  method(): number {
    return 1
  }
}

const known = new Set(['name', 'inner', 'greeting', ...transformerKeys(Wide)])

/** plainToInstance through the split, as transform-validate.ts runs it. */
function viaSplit(plain: Record<string, unknown>): object {
  const split = splitUnknownKeys(plain, known)
  const instance = plainToInstance(Wide, split === undefined ? plain : split.reduced)
  if (split !== undefined) reattach(instance, split.rest)
  return instance
}

const sorted = (value: object) => Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))

describe('splitUnknownKeys + reattach (issue #12 § 4: class-transformer sees only known keys)', () => {
  it('names the keys class-transformer treats specially', () => {
    expect([...transformerKeys(Wide)].sort()).toEqual(['full_name', 'greeting', 'inner', 'name'])
  })

  it('builds the instance plainToInstance builds, whatever unknown keys the client adds', () => {
    const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('method', 'constructor', '__proto__', 'first', 'toString'))
    const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined))
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 64, maxKeys: 120 }), fc.jsonValue({ maxDepth: 1 }), (extra, inner) => {
        const plain = { ...extra, full_name: 'Ann', inner: { n: 1, other: inner }, first: 'Hi', greeting: 'x' }
        const expected = plainToInstance(Wide, JSON.parse(JSON.stringify(plain)) as object)
        const actual = viaSplit(JSON.parse(JSON.stringify(plain)) as Record<string, unknown>)
        expect(actual).toBeInstanceOf(Wide)
        expect(sorted(actual)).toEqual(sorted(expected))
        expect((actual as Wide).inner).toBeInstanceOf(Inner)
        expect((actual as Wide).greeting).toBe('Hi!')
      }),
      { numRuns: 60 },
    )
  })

  it('hands class-transformer the known keys only', () => {
    const plain: Record<string, unknown> = { full_name: 'Ann' }
    for (let i = 0; i < 10_000; i++) plain[`k${i}`] = i
    const split = splitUnknownKeys(plain, known)
    expect(Object.keys(split?.reduced ?? {})).toEqual(['full_name'])
    expect(split?.rest).toHaveLength(10_000)
  })
})
