import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { beforeAll, describe, expect, it } from 'vitest'
import { albEvent } from '../../src/testing.js'
import type { VerifiedTable } from '../../src/index.js'
import { checkedTable, under } from '../verified-table/checks.js'

// The same example app compiled by tsc (decorator metadata emitted) and bundled by esbuild (no
// metadata, as Lambda bundles usually are) must answer every request identically: explicit
// `opts.type` always wins, and nothing depends on `design:paramtypes` being there.

const root = fileURLToPath(new URL('../..', import.meta.url))
// Inside the repository so the compiled files resolve node_modules like the sources do.
const out = path.join(root, 'node_modules/.cache/albatross-twin')

type Handler = (event: unknown) => Promise<{ statusCode: number; body?: string; headers?: unknown; multiValueHeaders?: unknown }>
let viaTsc: Handler
let viaEsbuild: Handler
let tscApp = ''
let bundle = ''
type Build = (table?: VerifiedTable) => { handler: Handler }
const twins: Record<'typed' | 'untyped', { tsc: Build; esbuild: Build }> = {} as never

beforeAll(async () => {
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  const tsconfig = path.join(out, 'tsconfig.json')
  writeFileSync(tsconfig, JSON.stringify({
    extends: path.join(root, 'tsconfig.json'),
    compilerOptions: { rootDir: root, outDir: path.join(out, 'tsc'), noEmit: false, declaration: false, sourceMap: false },
    include: [path.join(root, 'examples/shop/*.ts'), path.join(root, 'test/examples/twin/*.ts'), path.join(root, 'test/examples/apps/*.ts'), path.join(root, 'src/**/*.ts')],
  }))
  execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['-p', tsconfig], { stdio: 'pipe' })
  // One esbuild run for every entry: the shop and the twin apps of every parameter decorator.
  await build({
    entryPoints: {
      app: path.join(root, 'examples/shop/app.ts'),
      typed: path.join(root, 'test/examples/twin/typed.ts'),
      untyped: path.join(root, 'test/examples/twin/untyped.ts'),
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: path.join(out, 'esbuild'),
    outExtension: { '.js': '.mjs' },
    // class-validator is CommonJS and requires node built-ins; the usual ESM Lambda bundle banner.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'silent',
  })
  tscApp = readFileSync(path.join(out, 'tsc/examples/shop/controllers.js'), 'utf8')
  bundle = readFileSync(path.join(out, 'esbuild/app.mjs'), 'utf8')
  viaTsc = ((await import(pathToFileURL(path.join(out, 'tsc/examples/shop/app.js')).href)) as { handler: Handler }).handler
  viaEsbuild = ((await import(pathToFileURL(path.join(out, 'esbuild/app.mjs')).href)) as { handler: Handler }).handler
  for (const name of ['typed', 'untyped'] as const) {
    twins[name] = {
      tsc: ((await import(pathToFileURL(path.join(out, `tsc/test/examples/twin/${name}.js`)).href)) as { build: Build }).build,
      esbuild: ((await import(pathToFileURL(path.join(out, `esbuild/${name}.mjs`)).href)) as { build: Build }).build,
    }
  }
}, 120_000)

const requests: [string, Parameters<typeof albEvent>[0]][] = [
  ['repeated query keys into a DTO array (multi)', { path: '/products?tag=birds&tag=apparel&page=1', multiValue: true }],
  ['the last value in single mode', { path: '/products?tag=maps&tag=birds' }],
  ['repeated headers into a DTO array', { path: '/products', multiValue: true, headers: [['x-feature', 'a'], ['x-feature', 'b']] }],
  ['an invalid DTO query value', { path: '/products?page=0&sort=size', multiValue: true }],
  ['a JSON body DTO', { method: 'POST', path: '/orders', body: { items: [{ sku: 'tee-1', qty: 2 }] }, headers: { cookie: 'session=abc' } }],
  ['an invalid nested body', { method: 'POST', path: '/orders', body: { items: [{ sku: '', qty: 0 }, { qty: 'x' }] }, multiValue: true }],
  ['a path param', { path: '/products/mug-2' }],
  ['an array query param behind a guard and a custom parameter', { path: '/orders/7?expand=items&expand=customer', multiValue: true, headers: { 'x-tenant': 'acme' } }],
  ['a guard answering 401', { path: '/orders/7' }],
  ['a scalar number query param', { path: '/search?q=albatross&page=3' }],
  ['a bad number', { path: '/search?q=x&page=3x' }],
  ['no route', { path: '/nowhere' }],
]

describe('the example app built by tsc and by esbuild', () => {
  it('really differs in decorator metadata: tsc emits design:paramtypes, esbuild does not', () => {
    expect(tscApp).toMatch(/__metadata\("design:paramtypes"/)
    expect(bundle).not.toMatch(/__metadata\("design:paramtypes"|metadata\("design:paramtypes"/)
  })

  it('leaves the manifest and OpenAPI generators out of the Lambda bundle (they load on demand)', () => {
    expect(bundle).toContain('./openapi/index.js') // the specifier app.openapi() imports at run time…
    expect(bundle).not.toContain('x-albatross-conditions') // …and none of the generator behind it
    expect(bundle).not.toContain('AWS::ElasticLoadBalancingV2::ListenerRule')
  })

  it.each(requests)('answers %s identically', async (_name, input) => {
    const a = await viaTsc(albEvent(input))
    const b = await viaEsbuild(albEvent(input))
    expect(b).toEqual(a)
    expect(a.statusCode).toBeLessThan(500)
  })
})

// Issue #12 § 1: every parameter decorator, built both ways.
const typedRequests: [string, Parameters<typeof albEvent>[0]][] = [
  ['@Param / @Query scalars and arrays', { path: '/t/p/7?n=3&tags=a&tags=b', multiValue: true }],
  ['a @Param that is not a number', { path: '/t/p/x' }],
  ['@Header and @Cookie conversions', { path: '/t/h', headers: { 'x-n': '5', 'x-flag': 'true', cookie: 'c=2024-01-02T03:04:05Z' } }],
  ['an invalid @Header number', { path: '/t/h', headers: { 'x-n': '0x10' } }],
  ['@Query() and @Header() DTOs', { path: '/t/dto?page=2&tag=x&tag=y', multiValue: true, headers: { 'x-tenant': 'acme' } }],
  ['an invalid @Query() DTO', { path: '/t/dto?page=0', headers: { 'x-tenant': 'acme' } }],
  ['a nested @Body() DTO', { method: 'POST', path: '/t/order', body: { lines: [{ sku: 'a', qty: 2 }], gift: true } }],
  ['an invalid nested @Body() DTO', { method: 'POST', path: '/t/order', body: { lines: [{ sku: 'a', qty: 0 }, {}] } }],
  ['JSON strings under scalar @Type, converted as in a query', { method: 'POST', path: '/t/settings', body: { admin: 'false', limit: '12', since: '2024-01-02', shape: { kind: 'circle', radius: '3' } } }],
  ['a JSON "0x10" under @Type(() => Number) and an unknown subtype name', { method: 'POST', path: '/t/settings', body: { limit: '0x10', admin: 1, shape: { kind: 'square' } } }],
  ['a @Body() array of DTOs', { method: 'POST', path: '/t/lines', body: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 'x' }] }],
  ['a text @Body()', { method: 'POST', path: '/t/text', body: 'hello', headers: { 'content-type': 'text/plain' } }],
  ['a bytes @Body()', { method: 'POST', path: '/t/bytes', body: Buffer.from([0, 1, 2]), headers: { 'content-type': 'application/octet-stream' } }],
  ['an any-JSON @Body()', { method: 'POST', path: '/t/any', body: { a: [1, '2'] } }],
  ['@Req, @Event and @Ctx', { path: '/t/raw' }],
]

describe('every parameter decorator built by tsc and by esbuild', () => {
  it.each(typedRequests)('answers %s identically when the type is in the decorator', async (_name, input) => {
    const a = await twins.typed.tsc().handler(albEvent(input))
    const b = await twins.typed.esbuild().handler(albEvent(input))
    expect(b).toEqual(a)
    expect(a.statusCode).toBeLessThan(500)
  })

  it('binds types known only to TypeScript under tsc, and refuses them at createApp under esbuild, naming each', async () => {
    const tscApp = twins.untyped.tsc()
    const answer = await tscApp.handler(albEvent({ path: '/u/p/7?tags=a' }))
    expect(JSON.parse(answer.body ?? '')).toEqual({ id: 7, tags: ['a'] })
    let error: unknown
    try {
      twins.untyped.esbuild()
    } catch (caught) {
      error = caught
    }
    expect(error).toMatchObject({ code: 'ERR_ROUTE_DECLARATION' })
    const problems = (error as { problems: { source: string; message: string }[] }).problems.map((p) => `${p.source}: ${p.message}`)
    const expected = [
      ["Untyped.param", "@Param('id')", "@Param('id', { type: String })"],
      ["Untyped.param", "@Query('tags')", "@Query('tags', { type: String })"],
      ["Untyped.header", "@Header('x-n')", "@Header('x-n', { type: String })"],
      ["Untyped.header", "@Cookie('c')", "@Cookie('c', { type: String })"],
      ["Untyped.dto", "@Query()", "@Query({ type: SomeDto })"],
      ["Untyped.dto", "@Header()", "@Header({ type: SomeDto })"],
      ["Untyped.order", "@Body()", "@Body({ type: CreateUser })"],
      ["Untyped.text", "@Body()", "@Body({ type: CreateUser })"],
      ["Untyped.line", "@Body()", "@Body({ type: CreateUser })"],
    ]
    expect(problems).toHaveLength(expected.length)
    expected.forEach(([source, decorator, fix], i) => {
      expect(problems[i]).toContain(`${source}: `)
      expect(problems[i]).toContain(`(${decorator}) has no type albatross can know`)
      expect(problems[i]).toContain(fix)
    })
  })
})

// A verified table (`albatross check --out`) holds the type each parameter binds with, so it is
// the same for both builds exactly when their bindings are.
describe('a verified table and the two builds', () => {
  it('checked from the tsc build, is trusted by the esbuild build when every type is in the decorators, which then answers identically', async () => {
    const table = checkedTable(() => twins.typed.tsc())
    expect(checkedTable(() => twins.typed.esbuild())).toEqual(table)
    const trusted = under('trust', () => ({ tsc: twins.typed.tsc(table), esbuild: twins.typed.esbuild(table) }))
    for (const [, input] of typedRequests) {
      const expected = await twins.typed.tsc().handler(albEvent(input))
      expect(await trusted.esbuild.handler(albEvent(input))).toEqual(expected)
      expect(await trusted.tsc.handler(albEvent(input))).toEqual(expected)
    }
  })

  it('checked from the tsc build, is refused by the esbuild build of types known only to TypeScript, naming the route', () => {
    const table = checkedTable(() => twins.untyped.tsc())
    expect(() => under('trust', () => twins.untyped.tsc(table))).not.toThrow()
    expect(() => under('trust', () => twins.untyped.esbuild(table))).toThrow(/ERR_STALE_TABLE|Untyped\.param changed since the check/)
    expect(() => under('trust', () => twins.untyped.esbuild(table))).toThrow(/Untyped\.param changed since the check/)
  })
})

// An app without DTOs leaves class-validator, class-transformer and reflect-metadata out of its
// bundle and out of its process, and tsc's design:paramtypes still types its parameters.
describe('an app without DTOs', () => {
  it('bundles none of class-validator, class-transformer and reflect-metadata; the DTO example bundles all three', async () => {
    const packagesOf = async (entry: string) => {
      const result = await build({
        entryPoints: [path.join(root, entry)],
        bundle: true,
        platform: 'node',
        format: 'esm',
        write: false,
        metafile: true,
        mainFields: ['module', 'main'],
        logLevel: 'silent',
      })
      const inputs = Object.keys(result.metafile.inputs)
      return ['class-validator', 'class-transformer', 'reflect-metadata'].filter((p) => inputs.some((i) => i.includes(`node_modules/${p}/`)))
    }
    expect(await packagesOf('test/examples/apps/scalar-app.ts')).toEqual([])
    expect(await packagesOf('examples/shop/app.ts')).toEqual(['class-validator', 'class-transformer', 'reflect-metadata'])
  })

  it('under tsc, types a parameter from design:paramtypes without reflect-metadata loaded, and refuses to send a class instance unserialised', () => {
    const compiled = pathToFileURL(path.join(out, 'tsc/test/examples/apps/scalar-app.js')).href
    const script = [
      `const { handler } = await import(${JSON.stringify(compiled)})`,
      `const event = (path, query) => ({ requestContext: { elb: { targetGroupArn: 'arn' } }, httpMethod: 'GET', path, queryStringParameters: query, headers: { host: 'x' }, body: '', isBase64Encoded: false })`,
      `const one = await handler(event('/items/7', { page: '3' }))`,
      `const list = await handler(event('/items', {}))`,
      `console.log(JSON.stringify({ one: JSON.parse(one.body), list: list.statusCode, getMetadata: typeof Reflect.getMetadata }))`,
    ].join('\n')
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
    expect(JSON.parse(output)).toEqual({ one: { id: '7', page: 3, pageType: 'number' }, list: 500, getMetadata: 'undefined' })
  })
})
