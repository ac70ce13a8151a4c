import 'reflect-metadata'
import { Exclude, Expose, Transform, Type } from 'class-transformer'
import { IsInt, IsOptional, IsString, ValidateNested } from 'class-validator'
import { describe, expect, it } from 'vitest'
import { probeTransformer } from '../../src/binding/transformer-probe.js'
import { runBundled } from './helpers.js'

// The probe learns class-transformer metadata through plainToInstance/instanceToPlain only, so
// it sees the store the decorators wrote to even when the bundle holds two copies of it.

class Item {
  @IsString() label!: string
}

describe('probeTransformer', () => {
  it('clears a class without class-transformer metadata, methods and defaults included', () => {
    class Plain {
      @IsString() name!: string
      @IsOptional() @IsInt() page: number = 1
      onDone: () => void = () => undefined
      run(): void {}
    }
    const probe = probeTransformer(Plain, ['name', 'page', 'onDone', 'run'])
    expect(probe.blocker).toBeUndefined()
    expect([...probe.exposed, ...probe.types, ...probe.polymorphic]).toEqual([])
  })

  it('learns an @Expose({ name }) rename and the scalar @Type behind it', () => {
    class Renamed {
      @Expose({ name: 'page_size' }) @Type(() => Number) @IsInt() pageSize!: number
    }
    const probe = probeTransformer(Renamed, ['pageSize'])
    expect(probe.blocker).toBe('@Expose on pageSize')
    expect(probe.exposed).toEqual(new Map([['pageSize', 'page_size']]))
    expect(probe.types).toEqual(new Map([['pageSize', Number]]))
  })

  it('learns @Type nested classes, for single and array properties, and Date', () => {
    class Nested {
      @ValidateNested() @Type(() => Item) item!: Item
      @ValidateNested({ each: true }) @Type(() => Item) items!: Item[]
      @Type(() => Date) when!: Date
      @IsString() name!: string
    }
    const probe = probeTransformer(Nested, ['item', 'items', 'when', 'name'])
    expect(probe.blocker).toBe('@Type or @Transform on item')
    expect(probe.types).toEqual(new Map<string, unknown>([['item', Item], ['items', Item], ['when', Date]]))
  })

  it('detects @Transform, @Exclude, class-level @Exclude, output renames and discriminators', () => {
    class Trimmed {
      @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)) @IsString() name!: string
    }
    class EmptyToUndefined {
      @Transform(({ value }) => (value === '' ? undefined : value)) @IsString() name!: string
    }
    class Excluded {
      @Exclude() @IsString() secret!: string
    }
    @Exclude()
    class ClassExcluded {
      @IsString() name!: string
    }
    class OutputRenamed {
      @Expose({ name: 'n', toPlainOnly: true }) @IsString() name!: string
    }
    class Polymorphic {
      @Type(() => Item, { discriminator: { property: 'kind', subTypes: [{ name: 'item', value: Item }] } })
      @ValidateNested()
      thing!: Item
    }
    class Parent {
      @Exclude() @IsString() hidden!: string
    }
    class Child extends Parent {
      @IsString() name!: string
    }
    const blocker = (type: new () => object, names: string[]) => probeTransformer(type, names).blocker
    expect(blocker(Trimmed, ['name'])).toBe('@Type or @Transform on name')
    expect(blocker(EmptyToUndefined, ['name'])).toBe('@Type or @Transform on name')
    expect(blocker(Excluded, ['secret'])).toMatch(/secret is excluded/)
    expect(blocker(ClassExcluded, ['name'])).toBe('class-level @Exclude')
    expect(blocker(OutputRenamed, ['name'])).toBe('@Expose renames n on output')
    expect(blocker(Polymorphic, ['thing'])).toBe('thing is read more than twice')
    expect(probeTransformer(Polymorphic, ['thing']).polymorphic).toEqual(new Set(['thing']))
    expect(blocker(Child, ['name', 'hidden'])).toMatch(/hidden is excluded/)
  })

  it('leaves a blocker when a @Transform throws on a probe value', () => {
    class Shouting {
      @Transform(({ value }) => (value as string).toUpperCase()) @IsString() name!: string
    }
    expect(probeTransformer(Shouting, ['name']).blocker).toMatch(/^probing class-transformer threw/)
  })

  // The case the probe exists for: decorators writing to esm5's store, albatross bundled beside it.
  it('gives the same answers inside a module-first bundle as under Node', async () => {
    const answers = await runBundled(
      [
        `import 'reflect-metadata'`,
        `import { Exclude, Expose, Transform, Type } from 'class-transformer'`,
        `import { IsInt, IsString, ValidateNested } from 'class-validator'`,
        `import { probeTransformer } from './src/binding/transformer-probe.ts'`,
        `class Item { @IsString() label!: string }`,
        `class Plain { @IsString() name!: string; @IsInt() page: number = 1 }`,
        `class Renamed { @Expose({ name: 'page_size' }) @Type(() => Number) @IsInt() pageSize!: number }`,
        `class Nested { @ValidateNested() @Type(() => Item) item!: Item }`,
        `class Trimmed { @Transform(({ value }) => String(value).trim()) @IsString() name!: string }`,
        `class Excluded { @Exclude() @IsString() secret!: string }`,
        `const probes = [[Plain, ['name', 'page']], [Renamed, ['pageSize']], [Nested, ['item']],`,
        `  [Trimmed, ['name']], [Excluded, ['secret']]] as const`,
        `console.log(JSON.stringify(probes.map(([type, names]) => {`,
        `  const probe = probeTransformer(type, names)`,
        `  const types = [...probe.types].map(([name, declared]) => [name, (declared as Function).name])`,
        `  return { blocker: probe.blocker ?? null, exposed: [...probe.exposed], types }`,
        `})))`,
      ].join('\n'),
    )
    expect(answers['module,main']).toEqual(answers['main,module'])
    expect(answers['module,main']).toEqual([
      { blocker: null, exposed: [], types: [] },
      { blocker: '@Expose on pageSize', exposed: [['pageSize', 'page_size']], types: [['pageSize', 'Number']] },
      { blocker: '@Type or @Transform on item', exposed: [], types: [['item', 'Item']] },
      { blocker: '@Type or @Transform on name', exposed: [], types: [] },
      { blocker: 'secret is excluded (@Exclude or @Expose groups)', exposed: [], types: [] },
    ])
  })
})
