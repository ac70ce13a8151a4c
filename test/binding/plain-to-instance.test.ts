import 'reflect-metadata'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Expose, Type, plainToInstance } from 'class-transformer'
import { IsInt, IsOptional, IsString } from 'class-validator'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import {
  UNSUPPORTED,
  compilePlainToInstance,
  sharedTransformerStorage,
} from '../../src/binding/plain-to-instance.js'
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
  })

  // A bundler that prefers `module` loads esm5 for `class-transformer` and cjs for our deep import
  // of its storage: two stores. Then no class can be proved free of @Type, so none is compiled.
  it('reports a second copy when a bundler resolves class-transformer through `module`', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url))
    const out = mkdtempSync(path.join(tmpdir(), 'albatross-storage-probe-'))
    const contents = [
      `import { IsString } from 'class-validator'`,
      `import { compilePlainToInstance, sharedTransformerStorage } from './src/binding/plain-to-instance.ts'`,
      `class Dto { @IsString() name!: string }`,
      `console.log(JSON.stringify([sharedTransformerStorage(), compilePlainToInstance(Dto)]))`,
    ].join('\n')
    const answers: Record<string, unknown> = {}
    try {
      for (const mainFields of [['main', 'module'], ['module', 'main']]) {
        const outfile = path.join(out, `${mainFields.join('-')}.mjs`)
        await build({
          stdin: { contents, loader: 'ts', resolveDir: root },
          outfile,
          bundle: true,
          platform: 'node',
          format: 'esm',
          mainFields,
          logLevel: 'silent',
          banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
          tsconfigRaw: { compilerOptions: { experimentalDecorators: true } },
        })
        answers[mainFields.join(',')] = JSON.parse(execFileSync(process.execPath, [outfile], { encoding: 'utf8' }))
      }
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
    expect(answers).toEqual({
      'main,module': [true, null],
      'module,main': [false, 'class-transformer metadata is not readable (class-transformer resolved twice)'],
    })
  })

  it('makes createApp say so, through onError, when an app binding a DTO is bundled that way', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url))
    const out = mkdtempSync(path.join(tmpdir(), 'albatross-storage-app-'))
    const contents = [
      `import { IsString } from 'class-validator'`,
      `import { Body, Controller, Post, createApp } from './src/index.ts'`,
      `class Dto { @IsString() name!: string }`,
      `@Controller('/things') class Things { @Post() create(@Body({ type: Dto }) dto: Dto) { return dto } }`,
      `const reports: string[] = []`,
      `createApp({ controllers: [Things], onError: (error) => reports.push(String(error)) })`,
      `console.log(JSON.stringify(reports))`,
    ].join('\n')
    const reports: Record<string, string[]> = {}
    try {
      for (const mainFields of [['main', 'module'], ['module', 'main']]) {
        const outfile = path.join(out, `${mainFields.join('-')}.mjs`)
        await build({
          stdin: { contents, loader: 'ts', resolveDir: root },
          outfile,
          bundle: true,
          platform: 'node',
          format: 'esm',
          mainFields,
          logLevel: 'silent',
          banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
          tsconfigRaw: { compilerOptions: { experimentalDecorators: true } },
        })
        reports[mainFields.join(',')] = JSON.parse(execFileSync(process.execPath, [outfile], { encoding: 'utf8' }))
      }
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
    expect(reports['main,module']).toEqual([])
    expect(reports['module,main']).toHaveLength(1)
    expect(reports['module,main']?.[0]).toMatch(/class-transformer is loaded twice.*@Expose/)
  })
})
