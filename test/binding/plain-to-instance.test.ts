// DTO support (class-transformer, class-validator, reflect-metadata), as an app with DTOs imports it.
import '../../src/dto.js'
import { Expose, Type, plainToInstance } from 'class-transformer'
import { IsInt, IsOptional, IsString } from 'class-validator'
import { describe, expect, it } from 'vitest'
import { UNSUPPORTED, compilePlainToInstance } from '../../src/binding/plain-to-instance.js'
import { sharedTransformerStorage } from '../../src/binding/transformer-metadata.js'
import { transformerStorageCopy } from '../../src/binding/transformer-storage.js'
import { runBundled } from './helpers.js'
import type { PlainToInstance } from '../../src/binding/plain-to-instance.js'

// Behaviours of class-transformer 0.5.1's plainToInstance (TransformOperationExecutor, plain →
// class, no metadata) that the compiled transform reproduces; each is also checked against
// the real function. test/binding/compiled-dto.test.ts holds the two equal on random input.

function compiled(type: new () => object, stripped?: (key: string) => boolean): PlainToInstance {
  const result = compilePlainToInstance(type, stripped)
  if (typeof result === 'string') throw new Error(result)
  return result
}

const real = <T extends object>(type: new () => T, plain: object): T =>
  plainToInstance(type, plain, { enableImplicitConversion: false })

describe('compilePlainToInstance', () => {
  class Task {
    @IsString() name!: string
    @IsOptional() @IsInt() page: number = 1
    @IsOptional() tags?: string[]
    describe(): string {
      return this.name
    }
  }

  it('builds an instance of the class: constructor defaults first, then the own keys in input order', () => {
    const plain = { tags: ['a'], name: 'n', extra: 1 }
    const instance = compiled(Task)(plain) as Task
    expect(instance).toBeInstanceOf(Task)
    expect(Object.keys(instance)).toEqual(['page', 'tags', 'name', 'extra'])
    expect(instance).toEqual(real(Task, plain))
  })

  it('rebuilds arrays and plain objects and clones Dates, sharing nothing with the input', () => {
    const plain = { tags: ['a', { b: [1] }], when: new Date(0), meta: { at: new Date(1) } }
    const instance = compiled(Task)(plain) as unknown as typeof plain
    expect(instance).toEqual(real(Task, plain))
    expect(instance.tags).not.toBe(plain.tags)
    expect(instance.tags[1]).not.toBe(plain.tags[1])
    expect(instance.when).not.toBe(plain.when)
    expect(instance.meta.at).not.toBe(plain.meta.at)
  })

  it('skips __proto__ and constructor keys, prototype names and fields holding functions', () => {
    class WithCallback {
      @IsString() name!: string
      onDone: () => void = () => undefined
    }
    const plain = JSON.parse('{"__proto__":{"polluted":true},"constructor":"x","describe":1,"name":"n"}')
    const task = compiled(Task)(plain) as Record<string, unknown>
    expect(Object.keys(task)).toEqual(['page', 'name'])
    expect(task).toEqual(real(Task, plain))
    expect(Object.getPrototypeOf(task)).toBe(Task.prototype)
    const withCallback = compiled(WithCallback)({ onDone: 'not a function', name: 'n' }) as WithCallback
    expect(typeof withCallback.onDone).toBe('function')
  })

  it('drops keys a nested plain object would inherit (toString, hasOwnProperty), as class-transformer does', () => {
    const plain = { tags: [{ toString: 'x', hasOwnProperty: 1, kept: true }] }
    const instance = compiled(Task)(plain) as Record<string, unknown>
    expect(instance['tags']).toEqual([{ kept: true }])
    expect(instance).toEqual(real(Task, plain))
  })

  it('leaves out the keys the whitelist will strip when given its predicate', () => {
    const instance = compiled(Task, (key) => key === 'extra')({ name: 'n', extra: { deep: 1 } })
    expect(Object.keys(instance)).toEqual(['page', 'name'])
  })

  it('returns UNSUPPORTED before constructing anything for shapes it does not mirror', () => {
    let constructed = 0
    class Counted {
      @IsString() name!: string
      constructor() {
        constructed++
      }
    }
    const toInstance = compiled(Counted)
    const unsupported = [
      { name: new Map() },
      { name: new Set() },
      { name: new Counted() },
      { name: { then: () => undefined } },
      { name: [{ constructor: 'x' }] },
      Object.assign(new Counted(), { name: 'n' }),
    ]
    constructed = 0
    for (const plain of unsupported) expect(toInstance(plain)).toBe(UNSUPPORTED)
    expect(constructed).toBe(0)
    // The last one class-transformer really cannot transform: the nested value becomes its type.
    expect(() => real(Counted, { name: [{ constructor: 'x' }] })).toThrow(TypeError)
  })

  it('refuses classes with class-transformer metadata or accessors, and says why', () => {
    class Renamed {
      @Expose({ name: 'first-name' }) @IsString() firstName!: string
    }
    class Item {}
    class Parent {
      @Type(() => Item) item!: Item
    }
    class Child extends Parent {
      @IsString() name!: string
    }
    class WithGetter {
      @IsString() name!: string
      get upper(): string {
        return this.name.toUpperCase()
      }
    }
    expect(compilePlainToInstance(Renamed)).toBe('Renamed has class-transformer metadata')
    expect(compilePlainToInstance(Child)).toBe('Parent has class-transformer metadata')
    expect(compilePlainToInstance(WithGetter)).toBe('WithGetter.upper is an accessor')
  })
})

describe('sharedTransformerStorage', () => {
  it('sees the decorators’ metadata when class-transformer resolves to its CommonJS build (Node)', () => {
    expect(sharedTransformerStorage()).toBe(true)
    expect(transformerStorageCopy).toBe('cjs')
  })

  // A bundler that prefers `module` loads esm5 for `class-transformer` and for the decorators:
  // the store they fill is esm5's, found by decorating a private class (transformer-storage.ts),
  // so @Type and @Expose are read exactly, as under Node, and no probe runs.
  it('finds the esm5 store under `module,main` and the CommonJS one under `main,module`', async () => {
    const answers = await runBundled(
      [
        `import 'reflect-metadata'`,
        `import { Expose, Transform, Type } from 'class-transformer'`,
        `import { IsInt, IsString } from 'class-validator'`,
        `import { compilePlainToInstance } from './src/binding/plain-to-instance.ts'`,
        `import { declaredType, exposedKeys, sharedTransformerStorage } from './src/binding/transformer-metadata.ts'`,
        `import { transformerStorageCopy } from './src/binding/transformer-storage.ts'`,
        `class Dto { @IsString() name!: string }`,
        `class Typed { @Expose({ name: 'page_size' }) @Type(() => Number) @IsInt() pageSize!: number }`,
        // An identity @Transform is invisible to a probe; the store shows it.
        `class Same { @Transform(({ value }) => value) @IsString() name!: string }`,
        `const compiled = compilePlainToInstance(Dto, (key) => key !== 'name')`,
        `console.log(JSON.stringify([sharedTransformerStorage(), transformerStorageCopy,`,
        `  typeof compiled === 'string' ? compiled : 'compiled', [...exposedKeys(Typed)],`,
        `  (declaredType(Typed, 'pageSize')?.typeFunction?.() as Function | undefined)?.name,`,
        `  compilePlainToInstance(Same, () => false)]))`,
      ].join('\n'),
    )
    const exact = ['compiled', [['pageSize', 'page_size']], 'Number', 'Same has class-transformer metadata']
    expect(answers).toEqual({ 'main,module': [true, 'cjs', ...exact], 'module,main': [true, 'esm5', ...exact] })
  })

  // AWS CDK's NodejsFunction bundles CommonJS by default: DTO support must build and find the
  // store there too (a top-level await would not build as CommonJS).
  it('finds the store in a CommonJS bundle under both field orders', async () => {
    const answers = await runBundled(
      [
        `import { Expose } from 'class-transformer'`,
        `import { IsString } from 'class-validator'`,
        `import { exposedKeys } from './src/binding/transformer-metadata.ts'`,
        `import { transformerStorageCopy } from './src/binding/transformer-storage.ts'`,
        `class Renamed { @Expose({ name: 'full_name' }) @IsString() name!: string }`,
        `console.log(JSON.stringify([transformerStorageCopy, [...exposedKeys(Renamed)]]))`,
      ].join('\n'),
      'cjs',
    )
    expect(answers).toEqual({
      'main,module': ['cjs', [['name', 'full_name']]],
      'module,main': ['esm5', [['name', 'full_name']]],
    })
  })

  it('binds @Expose({ name }) query keys and @Type nested bodies the same under both field orders', async () => {
    const answers = await runBundled(
      [
        `import type { Context } from 'aws-lambda'`,
        `import { Expose, Type } from 'class-transformer'`,
        `import { IsArray, IsIn, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator'`,
        `import './src/dto.ts'`,
        `import { Body, Controller, Get, Post, Query, createApp } from './src/index.ts'`,
        `import { albEvent } from './src/testing.ts'`,
        `import { planDto } from './src/binding/dto-plan.ts'`,
        `import { prepareDto } from './src/binding/transform-validate.ts'`,
        `class Page {`,
        `  @Expose({ name: 'page_size' }) @IsInt() @Min(1) pageSize!: number`,
        `  @Type(() => Number) @IsOptional() @IsIn([1, 2, 3]) level?: number`,
        `}`,
        `class Item { @IsString() label!: string; @IsInt() qty!: number }`,
        `class Order {`,
        `  @IsArray() @ValidateNested({ each: true }) @Type(() => Item) items!: Item[]`,
        `  @IsString() note!: string`,
        `}`,
        `class Plain { @IsString() name!: string }`,
        `@Controller('/') class Shop {`,
        `  @Get('/items') list(@Query({ type: Page }) page: Page) {`,
        `    return { page, size: typeof page.pageSize, level: typeof page.level }`,
        `  }`,
        `  @Post('/orders') order(@Body({ type: Order }) order: Order) {`,
        `    return { order, items: order.items.map((item) => item instanceof Item) }`,
        `  }`,
        `  @Post('/plain') plain(@Body({ type: Plain }) plain: Plain) { return plain }`,
        `}`,
        `const errors: string[] = []`,
        `const app = createApp({ controllers: [Shop], onError: (error) => errors.push(String(error)) })`,
        `const requests = [`,
        `  { method: 'GET', path: '/items?page_size=5&level=2' },`,
        `  { method: 'GET', path: '/items?page_size=0' },`,
        `  { method: 'GET', path: '/items?page_size=abc&level=7' },`,
        `  { method: 'GET', path: '/items?pageSize=5' },`,
        `  { method: 'POST', path: '/orders', body: { note: 'n', items: [{ label: 'a', qty: 2 }] } },`,
        `  { method: 'POST', path: '/orders', body: { note: 'n', items: [{ label: 'a', qty: 'x' }, {}] } },`,
        `  { method: 'POST', path: '/plain', body: { name: 'Ada', extra: 1 } },`,
        `] as const`,
        `const answers = []`,
        `for (const request of requests) {`,
        `  const result = await app.handler(albEvent(request), {} as Context)`,
        `  answers.push({ status: result.statusCode, body: JSON.parse(result.body ?? 'null') })`,
        `}`,
        `const fallback = (type: any) => prepareDto(planDto(type), { whitelist: true }).fallback.transform ?? 'compiled'`,
        `console.log(JSON.stringify({ answers, errors, plain: fallback(Plain), keys: planDto(Page).byKey.page_size?.kind }))`,
      ].join('\n'),
    )
    const mainFirst = answers['main,module'] as { answers: { status: number; body: unknown }[] }
    expect(answers['module,main']).toEqual(mainFirst)
    expect(mainFirst).toMatchObject({ errors: [], plain: 'compiled', keys: 'number' })
    expect(mainFirst.answers.map((a) => a.status)).toEqual([200, 400, 400, 400, 200, 400, 200])
    expect(mainFirst.answers[0]?.body).toEqual({ page: { page_size: 5, level: 2 }, size: 'number', level: 'number' })
    expect(mainFirst.answers[4]?.body).toMatchObject({ items: [true] })
  })
})
