import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { afterAll, describe, expect, it } from 'vitest'
import { albEvent } from '../../../src/testing.js'
import { readmeBlocks } from '../../readme/readme-blocks.js'
import { runNode, tempProject, type Run } from '../run-node.js'

/*
 * `albatross check <entry> --out <table>` for an entry that imports albatross/compiled: the real
 * CLI in a child process writes, besides the verified table, the compiled part that entry's
 * createApp runs (src/compiled/format.ts), and refuses an app albatross/compiled cannot run; an
 * entry of albatross/lambda gets no compiled part. The entries import this checkout's sources.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const temp = tempProject('albatross-check-compiled-')
afterAll(() => temp.remove())
const { dir: project, node, albatross } = temp

// Absolute paths, which Node (through tsx) and esbuild both resolve, `.js` standing for `.ts`.
const specifier = (file: string) => JSON.stringify(path.join(repoRoot, 'src', file))

/** An entry whose one route is `@Get(routePath)` with `decorators` before it, built by `from`'s createApp with `<name>.table.ts`. */
function entry(name: string, routePath: string, from: 'compiled' | 'lambda', decorators = ''): string {
  writeFileSync(
    path.join(project, `${name}.ts`),
    [
      `import { Controller, Get, Param, ResponseHeader, Use } from ${specifier('index.js')}`,
      `import { createApp } from ${specifier(`${from}.js`)}`,
      `import table from './${name}.table.js'`,
      '@Controller()',
      'class Users {',
      `  @Get(${JSON.stringify(routePath)}) ${decorators} get(@Param('id', { type: Number }) id: number) { return { id } }`,
      '}',
      'export const app = createApp({ controllers: [Users], table })',
      'export const handler = app.handler',
      '',
    ].join('\n'),
  )
  return `${name}.ts`
}

const EVENT = "{ requestContext: { elb: { targetGroupArn: 'arn' } }, httpMethod: 'GET', path: '/users/7', queryStringParameters: {}, headers: { host: 'x' }, body: '', isBase64Encoded: false }"

/** Imports `module` outside the CLI (a deployed Lambda's trust) and answers GET /users/7. */
function lambda(module: string): Promise<Run> {
  const script = path.join(project, `run-${path.basename(module).replace(/\.\w+$/, '')}.mjs`)
  writeFileSync(script, `const { app } = await import(${JSON.stringify(pathToFileURL(path.join(project, module)).href)})\nconst result = await app.handler(${EVENT})\nconsole.log(result.statusCode, result.body)\n`)
  return node([script])
}

const table = (name: string) => readFileSync(path.join(project, `${name}.table.ts`), 'utf8')

describe('albatross check --out, for albatross/compiled', () => {
  it('writes the compiled routes for an entry that imports albatross/compiled, and says so; its Lambda answers, and refuses a route changed since', async () => {
    const file = entry('compiled', '/users/{id}', 'compiled')
    const run = await albatross('check', file, '--out', 'compiled.table.ts')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toBe('compiled.ts: 1 rule pass every declaration and ALB check; wrote the verified table to compiled.table.ts, with the compiled routes albatross/compiled runs\n')
    const written = table('compiled')
    // JSON text (a string literal parses for next to nothing in a cold start): the rule, `[id, priority, glob, captures, methods, controller, member]`.
    expect(JSON.parse(written.match(/^ {2}compiled: '(.*)',$/m)?.[1]?.replaceAll('\\"', '"') ?? 'null')).toMatchObject({ version: 2, rules: [[0, 1000, '/users/*', ['id'], ['GET', 'HEAD'], 0, 'get']] })
    expect((await lambda('compiled.ts')).stdout).toBe('200 {"id":7}\n')
    // Under the CLI the app is the checking one, and its table matches.
    expect((await albatross('check', file)).stdout).toBe('compiled.ts: 1 rule pass every declaration and ALB check; its verified table matches\n')

    entry('compiled', '/people/{id}', 'compiled')
    const refused = await lambda('compiled.ts')
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toMatch(/StaleTableError|ERR_STALE_TABLE/)
    expect(refused.stderr).toContain('Users.get changed since the check')
    // `albatross check` compares the table as the Lambda does: stale, exit 1, naming the member.
    const stale = await albatross('check', file)
    expect(stale.code, stale.stderr).toBe(1)
    expect(stale.stdout).toContain('but the table the app is given is stale: Users.get changed since the check')
  })

  it('writes no declaration key for an entry of albatross/compiled (its Lambda compares the compiled routes); albatross/lambda refuses that table, saying so', async () => {
    expect(table('compiled')).toMatch(/^ {2}checked: '',$/m)
    // The entry switched to albatross/lambda with the same table: check calls it stale, its Lambda refuses it.
    const file = entry('compiled', '/users/{id}', 'lambda')
    const stale = await albatross('check', file)
    expect(stale.code, stale.stderr).toBe(1)
    expect(stale.stdout).toContain('stale: the table was written for an entry that imports createApp from albatross/compiled')
    const refused = await lambda('compiled.ts')
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain('ERR_STALE_TABLE')
    expect(refused.stderr).toContain('the table was written for an entry that imports createApp from albatross/compiled')
    // Rewritten for it, the table has its key again, and no compiled part.
    expect((await albatross('check', file, '--out', 'compiled.table.ts')).code).toBe(0)
    expect(table('compiled')).not.toMatch(/^ {2}checked: '',$/m)
    expect((await lambda('compiled.ts')).stdout).toBe('200 {"id":7}\n')
  })

  it('the esbuild bundle of the entry (minified, names not kept) answers from the compiled routes', async () => {
    const file = entry('bundled', '/users/{id}', 'compiled')
    expect((await albatross('check', file, '--out', 'bundled.table.ts')).code).toBe(0)
    await build({
      entryPoints: [path.join(project, file)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      minify: true,
      outfile: path.join(project, 'bundled.mjs'),
      logLevel: 'silent',
      tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
    })
    expect((await lambda('bundled.mjs')).stdout).toBe('200 {"id":7}\n')
  })

  it('writes no compiled part for an entry that imports albatross/lambda, and says nothing of it', async () => {
    const file = entry('lambda', '/users/{id}', 'lambda')
    const run = await albatross('check', file, '--out', 'lambda.table.ts')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toBe('lambda.ts: 1 rule pass every declaration and ALB check; wrote the verified table to lambda.table.ts\n')
    expect(table('lambda')).not.toContain('compiled')
    expect((await lambda('lambda.ts')).stdout).toBe('200 {"id":7}\n')
  })

  it('fails an entry of albatross/compiled with a feature it does not run (exit 2), naming the route and albatross/lambda', async () => {
    const file = entry('refused', '/users/{id}', 'compiled', '@Use((_request, next) => next())')
    const run = await albatross('check', file, '--out', 'refused.table.ts')
    expect(run.code).toBe(2)
    expect(run.stderr).toContain("albatross/compiled: Users.get has @Use middleware, which albatross/compiled does not run: import createApp from 'albatross/lambda'")
    // The same app from albatross/lambda passes.
    entry('refused', '/users/{id}', 'lambda', '@Use((_request, next) => next())')
    expect((await albatross('check', file, '--out', 'refused.table.ts')).code).toBe(0)
  })
})

/*
 * The README's first controller, as a user who switches it to albatross/compiled writes it: its
 * content-type condition (an ALB http-header condition, spec/alb.md §2.2), its DTO body and
 * `@HttpCode(201)`. It must pass `albatross check --out`, and its bundle (the README's recipe:
 * esbuild, `--main-fields=module,main`, the createRequire banner) must answer as the README says.
 * The project sits under this checkout's node_modules/.cache, so class-validator resolves to the
 * copy the sources use.
 */
describe("the README's first controller, from albatross/compiled", () => {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## A first controller'))
  const block = readmeBlocks(section).find((b) => b.lang === 'ts')?.code ?? ''
  const cache = path.join(repoRoot, 'node_modules/.cache')
  mkdirSync(cache, { recursive: true })
  const dir = mkdtempSync(path.join(cache, 'albatross-first-controller-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', experimentalDecorators: true, useDefineForClassFields: false } }))
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }))
  const tsx = pathToFileURL(path.join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href
  const run = (...args: string[]) => runNode(['--import', tsx, ...args], dir)

  it('passes albatross check --out, and its bundled Lambda answers as the README says', async () => {
    expect(block).toContain("@Header('content-type', 'application/json*')")
    // createApp from albatross/compiled, given the table; the rest as the README has it.
    const source = block
      .replace("import 'albatross/dto'", `import ${specifier('dto.js')}`)
      .replace(/import \{([^}]*), createApp \} from 'albatross'/, `import {$1 } from ${specifier('index.js')}\nimport { createApp } from ${specifier('compiled.js')}\nimport table from './app.table.js'`)
      .replace('createApp({ controllers: [Users] })', 'createApp({ controllers: [Users], table })')
    expect(source).toContain('createApp({ controllers: [Users], table })')
    writeFileSync(path.join(dir, 'app.ts'), source)
    const checked = await run(path.join(repoRoot, 'src/cli/main.ts'), 'check', 'app.ts', '--out', 'app.table.ts')
    expect(checked.code, checked.stderr).toBe(0)
    expect(checked.stdout).toBe('app.ts: 2 rules pass every declaration and ALB check; wrote the verified table to app.table.ts, with the compiled routes albatross/compiled runs\n')
    expect(readFileSync(path.join(dir, 'app.table.ts'), 'utf8')).toContain('http-header')

    await build({
      entryPoints: [path.join(dir, 'app.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      minify: true,
      mainFields: ['module', 'main'],
      banner: { js: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);" },
      outfile: path.join(dir, 'handler.mjs'),
      logLevel: 'silent',
      tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
    })
    const events = [
      albEvent({ path: '/users/42?fields=name&fields=email', multiValue: true }),
      albEvent({ method: 'POST', path: '/users', body: { name: 'Ada', email: 'ada@example.com' } }),
      albEvent({ method: 'POST', path: '/users', body: { name: 'Ada', email: 'ada@example.com' }, headers: { 'content-type': 'application/json; charset=utf-8' } }),
      albEvent({ method: 'POST', path: '/users', body: { name: 'Ada', email: 'not an email' } }),
      // The condition misses: no route, the default action's 404.
      albEvent({ method: 'POST', path: '/users', body: 'name=Ada', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    ]
    const script = path.join(dir, 'run.mjs')
    writeFileSync(script, `const { handler } = await import('./handler.mjs')\nfor (const event of ${JSON.stringify(events)}) { const r = await handler(event, {}); console.log(r.statusCode, r.body) }\n`)
    const answered = await runNode([script], dir)
    // The condition reads a header a single-value event holds only the last of: the checking
    // app's warning, once, on the first single-value event (rules/header-mode.ts).
    expect(answered.stderr.match(/\[albatross\] WARN_SINGLE_VALUE_EVENT/g)).toHaveLength(1)
    expect(answered.stderr).toContain('Users.create has an http-header condition on content-type')
    const lines = answered.stdout.trim().split('\n')
    expect(lines[0]).toBe('200 {"id":"42","fields":["name","email"]}')
    expect(lines[1]).toBe('201 {"name":"Ada","email":"ada@example.com"}')
    expect(lines[2]).toBe('201 {"name":"Ada","email":"ada@example.com"}')
    expect(lines[3]).toMatch(/^400 .*email/)
    expect(lines[4]).toMatch(/^404 /)
  })
})
