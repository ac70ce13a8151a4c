import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Controller, Get, Param, Post, Body, Query, createApp as createCheckingApp, type AppOptions } from '../src/index.js'
import { createApp } from '../src/lambda.js'
import { albEvent } from '../src/testing.js'
import { checkedTable, thrown, under } from './verified-table/checks.js'
import { runNode, tempProject } from './cli/run-node.js'

/*
 * `albatross/lambda`: the createApp a deployed Lambda imports with the verified table that
 * `albatross check --out` wrote. It trusts the table once it matches the controllers, so its
 * bundle carries none of the declaration and ALB checks; wherever the checks are asked for (the
 * CLI, `albatross dev`, albatross/testing) the same copy's checking createApp builds the app.
 */

@Controller('/users')
class Users {
  @Get('/{id}')
  get(@Param('id', { type: Number }) id: number, @Query('fields', { type: [String], optional: true }) fields?: string[]) {
    return { id, fields }
  }

  @Post()
  create(@Body({ type: Object }) body: { name: string }) {
    return { created: body.name }
  }
}

@Controller('/broken')
class Broken {
  // The path captures {id}, not {key}: a declaration check refuses it.
  @Get('/{id}')
  get(@Param('key', { type: String }) key: string) {
    return { key }
  }
}

const options: AppOptions = { controllers: [Users], onError: () => undefined }
const table = checkedTable(() => createCheckingApp(options))

describe('createApp from albatross/lambda, in a Lambda (the table trusted)', () => {
  it('builds the app createApp from albatross builds with the same table: the same rule table, the same answers', async () => {
    const lean = under('trust', () => createApp({ ...options, table }))
    const checked = under('full', () => createCheckingApp(options))
    expect(lean.routes()).toEqual(checked.routes())
    expect(lean.needsMultiValueHeaders).toBe(checked.needsMultiValueHeaders)
    for (const multiValue of [false, true]) {
      for (const input of [
        { path: '/users/7?fields=a&fields=b' },
        { path: '/users/seven' },
        { method: 'POST', path: '/users', body: { name: 'Ada' } },
        { method: 'POST', path: '/users', body: '{"name":', headers: { 'content-type': 'application/json' } },
        { path: '/nowhere' },
      ]) {
        const event = albEvent({ ...input, multiValue })
        expect(await lean.handler(structuredClone(event)), `${input.path} multiValue=${multiValue}`).toEqual(await checked.handler(structuredClone(event)))
      }
    }
  })

  it('refuses a table that does not match its controllers (ERR_STALE_TABLE, naming the route)', () => {
    const stale = { ...table, checked: table.checked.replace('"/users/{id}"', '"/users/{key}"') }
    const error = thrown(() => under('trust', () => createApp({ ...options, table: stale })))
    expect(error).toMatchObject({ name: 'StaleTableError', code: 'ERR_STALE_TABLE' })
    expect(error.message).toContain('Users.get changed since the check')
  })

  it("answers with the default action the table was checked with, and refuses another (the table stands for its check, spec/alb.md §1.6)", async () => {
    const gone: AppOptions = { ...options, defaultAction: { status: 410, body: 'gone', contentType: 'text/plain' } }
    const goneTable = checkedTable(() => createCheckingApp(gone))
    const lean = under('trust', () => createApp({ ...gone, table: goneTable }))
    expect(await lean.handler(albEvent({ path: '/nowhere' }))).toMatchObject({ statusCode: 410, body: 'gone' })
    expect(thrown(() => under('trust', () => createApp({ ...gone, table })))).toMatchObject({ code: 'ERR_STALE_TABLE' })
    // A status ALB's fixed-response refuses: the check refuses it, so no table can stand for it.
    const invalid = thrown(() => under('full', () => createApp({ ...options, defaultAction: { status: 700 }, table })))
    expect(invalid.message).toMatch(/createApp\(\{ defaultAction \}\)/)
  })

  it('refuses to start without a table, and says where the checking createApp is', () => {
    const error = thrown(() => under('trust', () => createApp({ ...options } as never)))
    expect(error).toMatchObject({ code: 'ERR_STALE_TABLE' })
    expect(error.message).toMatch(/no table was given.*the createApp of the main entry point, albatross, checks the routes without one/)
  })
})

describe('createApp from albatross/lambda, in tests (albatross/testing asks for every check)', () => {
  it('runs every check through the checking createApp: a broken declaration is refused even with a table', () => {
    const error = thrown(() => under('full', () => createApp({ controllers: [Users, Broken], table, onError: () => undefined })))
    expect(error).toMatchObject({ name: 'RouteDeclarationError' })
    expect(error.message).toMatch(/Broken\.get: @Param\('key'\) names no \{key\} in the path/)
  })

  it('refuses a missing table as the Lambda would, though every check passes', () => {
    const error = thrown(() => under('full', () => createApp({ ...options } as never)))
    expect(error).toMatchObject({ code: 'ERR_STALE_TABLE' })
    expect(error.message).toContain('no table was given')
  })

  it('refuses a stale table as the Lambda would', () => {
    const error = thrown(() => under('full', () => createApp({ controllers: [Users], table: { ...table, priorities: [1, 2] }, onError: () => undefined })))
    expect(error).toMatchObject({ code: 'ERR_STALE_TABLE' })
  })
})

// The real CLI on an entry that imports albatross/lambda (tsx loads it apart from the CLI's own
// modules, so the lean createApp loads its copy's checks on demand), then the README's bundle.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const temp = tempProject('albatross-lambda-')
afterAll(() => temp.remove())
const { dir: project, albatross } = temp

/**
 * An entry with one route, `@Get(routePath)`, built by `from`'s createApp with the table beside it;
 * `factory`: by an async function the module awaits (settings read first, a common pattern).
 */
function entry(name: string, routePath: string, from: 'lambda' | 'index', param = 'id', factory = false): string {
  // Absolute paths, which Node (through tsx) and esbuild both resolve, `.js` standing for `.ts`.
  const specifier = (file: string) => JSON.stringify(path.join(repoRoot, 'src', file.replace(/\.ts$/, '.js')))
  writeFileSync(
    path.join(project, `${name}.ts`),
    [
      `import { Controller, Get, Param } from ${specifier('index.ts')}`,
      `import { createApp } from ${specifier(`${from}.ts`)}`,
      `import table from './${name}.table.js'`,
      '@Controller()',
      'class Users {',
      `  @Get(${JSON.stringify(routePath)}) get(@Param(${JSON.stringify(param)}, { type: Number }) id: number) { return { id } }`,
      '}',
      ...(factory
        ? ['async function makeApp() {', '  await Promise.resolve()', '  return createApp({ controllers: [Users], table })', '}', 'export const app = await makeApp()']
        : ['export const app = createApp({ controllers: [Users], table })']),
      'export const handler = app.handler',
      '',
    ].join('\n'),
  )
  return `${name}.ts`
}

/** The README's esbuild recipe (or CDK NodejsFunction's default, CommonJS); the bundle's text. */
async function bundle(file: string, { outName = `${path.basename(file, '.ts')}.mjs`, format = 'esm' as 'esm' | 'cjs', keepNames = true } = {}): Promise<{ outfile: string; text: string }> {
  const outfile = path.join(project, outName)
  await build({
    entryPoints: [path.join(project, file)],
    bundle: true,
    platform: 'node',
    format,
    target: 'node20',
    minify: true,
    keepNames,
    mainFields: ['module', 'main'],
    outfile,
    logLevel: 'silent',
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
  })
  return { outfile, text: readFileSync(outfile, 'utf8') }
}

/** Imports a bundle in a fresh process, as a Lambda's cold start does, and answers GET /users/7. */
function invoke(outfile: string) {
  const script = path.join(project, `run-${path.basename(outfile, '.mjs')}.mjs`)
  writeFileSync(
    script,
    `const { app, handler } = await import(${JSON.stringify(pathToFileURL(outfile).href)})\n` +
      "console.log(app.routes().map((rule) => rule.source).join(' '))\n" +
      "const result = await handler({ requestContext: { elb: { targetGroupArn: 'arn' } }, httpMethod: 'GET', path: '/users/7', queryStringParameters: {}, headers: { host: 'x' }, body: '', isBase64Encoded: false })\n" +
      'console.log(result.statusCode, result.body)\n',
  )
  return runNode([script], project)
}

describe('albatross/lambda with the CLI and the README bundle recipe', () => {
  const lean = entry('lean', '/users/{id}', 'lambda')
  let check: Awaited<ReturnType<typeof albatross>>
  // The verified table of the one-route entry, which the other entries below reuse.
  beforeAll(async () => {
    check = await albatross('check', lean, '--out', 'lean.table.ts')
  })

  it('albatross check runs every check on the entry and writes its table; the bundle answers, carrying none of the checks', async () => {
    expect(check.code, check.stderr).toBe(0)
    expect(check.stdout).toMatch(/lean\.ts: 1 rules? pass(es)? every declaration and ALB check/)
    const routes = await albatross('routes', lean)
    expect(routes.code, routes.stderr).toBe(0)
    expect(routes.stdout).toContain('Users.get')

    const { outfile, text } = await bundle(lean)
    const run = await invoke(outfile)
    expect(run.stdout.trim(), run.stderr).toBe('Users.get\n200 {"id":7}')
    // Messages of the declaration checks (declaration-checks.ts) and of the rule-table builder
    // (rules/build-table.ts): the checking createApp's bundle has them, this one has none.
    for (const message of ['names no {', 'an ALB rule allows one', 'is already used by']) expect(text).not.toContain(message)

    // The same app from createApp from 'albatross' carries them.
    writeFileSync(path.join(project, 'full.table.ts'), readFileSync(path.join(project, 'lean.table.ts')))
    const full = await bundle(entry('full', '/users/{id}', 'index'))
    expect(full.text).toContain('an ALB rule allows one')
    expect(text.length).toBeLessThan(full.text.length)
  })

  it('albatross check refuses a broken declaration in an albatross/lambda entry (exit 2, naming Controller.method)', async () => {
    writeFileSync(path.join(project, 'broken.table.ts'), readFileSync(path.join(project, 'lean.table.ts')))
    const run = await albatross('check', entry('broken', '/users/{id}', 'lambda', 'key'))
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/Users\.get: @Param\('key'\) names no \{key\}/)
  })

  it('the CLI reads an app an async function returns: the app loading its checks is not taken for a promise', async () => {
    writeFileSync(path.join(project, 'factory.table.ts'), readFileSync(path.join(project, 'lean.table.ts')))
    const routes = await albatross('routes', entry('factory', '/users/{id}', 'lambda', 'id', true))
    expect(routes.code, routes.stderr).toBe(0)
    expect(routes.stdout).toContain('Users.get')
  })

  // A bundle holds no checks: it trusts the table it was built with, whatever its file is called
  // (`lambda.js` is what serverless-esbuild and SAM write for a handler in src/lambda.ts).
  it.each([
    ['lambda.mjs', 'esm'],
    ['lambda.cjs', 'cjs'],
  ] as const)('albatross manifest reads a bundle named %s (%s) with its verified table', async (outName, format) => {
    const { outfile } = await bundle(lean, { outName, format })
    const manifest = await albatross('manifest', path.basename(outfile))
    expect(manifest.code, manifest.stderr).toBe(0)
    expect(manifest.stdout).toContain('AWSTemplateFormatVersion')
  })

  it('albatross check on the bundle asks for the entry it was built from (the bundle carries no checks to run)', async () => {
    const { outfile } = await bundle(lean, { outName: 'checked-bundle.mjs' })
    const run = await albatross('check', path.basename(outfile))
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/checked-bundle\.mjs is a bundle of an albatross\/lambda app.*run `albatross check` on the entry it was built from/)
  })

  it("without esbuild's --keep-names: the renamed class still matches the table, and the routes keep their checked names", async () => {
    expect(check.code, check.stderr).toBe(0)
    for (const from of ['lambda', 'index'] as const) {
      const name = `${from}-unnamed`
      writeFileSync(path.join(project, `${name}.table.ts`), readFileSync(path.join(project, 'lean.table.ts')))
      const { outfile, text } = await bundle(entry(name, '/users/{id}', from), { keepNames: false })
      // The minifier renamed the class: its own name is gone from the code, the table's stays.
      expect(text).not.toMatch(/class Users\b/)
      const run = await invoke(outfile)
      expect(run.stdout.trim(), `${from}: ${run.stderr}`).toBe('Users.get\n200 {"id":7}')
    }
  })

  // Where the checks are asked for (the global that albatross/testing sets, here by another copy
  // of albatross) and none is registered, the app loads them on demand; nobody awaits it but
  // its handler, and what it failed with is what every read says.
  it('an app whose on-demand checks failed says why on every read, not that it is still loading', async () => {
    writeFileSync(path.join(project, 'deferred.table.ts'), readFileSync(path.join(project, 'lean.table.ts')))
    const file = entry('deferred', '/users/{id}', 'lambda', 'key')
    const script = path.join(project, 'run-deferred.ts')
    writeFileSync(
      script,
      "(globalThis as Record<symbol, unknown>)[Symbol.for('albatross.checks')] = 'full'\n" +
        `const { app } = await import('./${file.replace(/\.ts$/, '.js')}')\n` +
        "await app.handler({ httpMethod: 'GET', path: '/users/7', headers: {}, body: '', isBase64Encoded: false }).catch(() => undefined)\n" +
        'try { app.routes() } catch (error) { console.log(error.code ?? error.name, error.message) }\n',
    )
    const run = await temp.node([script])
    expect(run.stdout, run.stderr).toMatch(/ERR_ROUTE_DECLARATION [\s\S]*Users\.get: @Param\('key'\) names no \{key\}/)
  })

  it('a route changed without a new check: the bundle refuses to start, naming the route', async () => {
    writeFileSync(path.join(project, 'changed.table.ts'), readFileSync(path.join(project, 'lean.table.ts')))
    const { outfile } = await bundle(entry('changed', '/people/{id}', 'lambda'))
    const run = await invoke(outfile)
    expect(run.code).not.toBe(0)
    expect(run.stderr).toMatch(/ERR_STALE_TABLE|does not match the controllers/)
    expect(run.stderr).toContain('Users.get')
  })
})
