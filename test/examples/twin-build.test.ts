import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { beforeAll, describe, expect, it } from 'vitest'
import { albEvent } from '../../src/testing.js'

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

beforeAll(async () => {
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  const tsconfig = path.join(out, 'tsconfig.json')
  writeFileSync(tsconfig, JSON.stringify({
    extends: path.join(root, 'tsconfig.json'),
    compilerOptions: { rootDir: root, outDir: path.join(out, 'tsc'), noEmit: false, declaration: false, sourceMap: false },
    include: [path.join(root, 'examples/shop/*.ts'), path.join(root, 'src/**/*.ts')],
  }))
  execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['-p', tsconfig], { stdio: 'pipe' })
  await build({
    entryPoints: [path.join(root, 'examples/shop/app.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: path.join(out, 'esbuild/app.mjs'),
    // class-validator is CommonJS and requires node built-ins; the usual ESM Lambda bundle banner.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'silent',
  })
  tscApp = readFileSync(path.join(out, 'tsc/examples/shop/controllers.js'), 'utf8')
  bundle = readFileSync(path.join(out, 'esbuild/app.mjs'), 'utf8')
  viaTsc = ((await import(pathToFileURL(path.join(out, 'tsc/examples/shop/app.js')).href)) as { handler: Handler }).handler
  viaEsbuild = ((await import(pathToFileURL(path.join(out, 'esbuild/app.mjs')).href)) as { handler: Handler }).handler
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
