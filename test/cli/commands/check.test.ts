import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { tempProject } from '../run-node.js'
import type { Run } from '../run-node.js'

/*
 * `albatross check <entry> [--out FILE]`, the real CLI in a child process: every check createApp
 * runs, exit 2 with the problems when one fails; with --out, the verified table the entry gives
 * createApp({ table }); exit 1 when the entry's own table is stale. The entries live in a
 * temporary project (its tsconfig enabling decorators) and import this checkout's sources.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const temp = tempProject('albatross-check-')
afterAll(() => temp.remove())
const { dir: project, node, albatross } = temp
const src = pathToFileURL(path.join(repoRoot, 'src/index.ts')).href

/** An entry whose one route is `@Get(path)`, given the table `table.ts` next to it when `table`. */
function entry(name: string, routePath: string, table?: string): string {
  writeFileSync(
    path.join(project, `${name}.ts`),
    [
      `import { Controller, Get, Param, createApp } from ${JSON.stringify(src)}`,
      ...(table === undefined ? [] : [`import table from './${table}.js'`]),
      '@Controller()',
      'class Users {',
      `  @Get(${JSON.stringify(routePath)}) get(@Param('id', { type: Number }) id: number) { return { id } }`,
      '}',
      `export const app = createApp({ controllers: [Users]${table === undefined ? '' : ', table'} })`,
      '',
    ].join('\n'),
  )
  return `${name}.ts`
}

/** Imports the entry outside the CLI (a deployed Lambda's trust) and answers GET /users/7. */
async function lambda(file: string): Promise<Run> {
  const script = path.join(project, `run-${path.basename(file, '.ts')}.ts`)
  writeFileSync(
    script,
    `const { app } = await import('./${file.replace(/\.ts$/, '.js')}')\n` +
      "const result = await app.handler({ requestContext: { elb: { targetGroupArn: 'arn' } }, httpMethod: 'GET', path: '/users/7', queryStringParameters: {}, headers: { host: 'x' }, body: '', isBase64Encoded: false })\n" +
      'console.log(result.statusCode, result.body)\n',
  )
  return node([script])
}

describe('albatross check', () => {
  it('passes a valid app: exit 0, one line on stdout; shadowed rules are warnings, as in routes', async () => {
    const run = await albatross('check', path.join(repoRoot, 'test/cli/fixtures/shadowed.ts'))
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/shadowed\.ts: 2 rules pass every declaration and ALB check\n$/)
    expect(run.stderr).toMatch(/^warning: Files\.readme \(priority \d+\) can never match: Files\.all/)
  })

  it('fails an invalid app with exit 2 and every problem in one line', async () => {
    const run = await albatross('check', path.join(repoRoot, 'test/cli/fixtures/invalid.ts'))
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(/^albatross: .*invalid\.ts has 3 route declaration problems: Broken\.spaced: path pattern "\/a b" has ' '.*; Broken\.ported: host pattern "example\.com:8443" has ':'/)
  })

  it('writes the table the entry imports, which a Lambda then trusts; a changed route makes it stale until check --out runs again', async () => {
    const file = entry('users', '/users/{id}', 'users.table')
    // The first run: the table does not exist yet, and the entry imports it.
    const first = await albatross('check', file, '--out', 'users.table.ts')
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toBe('users.ts: 1 rule pass every declaration and ALB check; wrote the verified table to users.table.ts\n')
    const written = readFileSync(path.join(project, 'users.table.ts'), 'utf8')
    expect(written).toMatch(/^\/\/ Written by `albatross check users\.ts --out users\.table\.ts` once every declaration and ALB check passed/)
    expect(written).toContain('export default {')
    expect((await lambda(file)).stdout).toBe('200 {"id":7}\n')
    expect((await albatross('check', file)).stdout).toBe('users.ts: 1 rule pass every declaration and ALB check; its verified table matches\n')

    entry('users', '/people/{id}', 'users.table')
    const stale = await albatross('check', file)
    expect(stale.code).toBe(1)
    expect(stale.stdout).toMatch(/the table the app is given is stale: Users\.get changed since the check .*run `albatross check users\.ts --out <its table file>`/)
    const refused = await lambda(file)
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toMatch(/ERR_STALE_TABLE|StaleTableError/)
    expect(refused.stderr).toContain('Users.get changed since the check')
    expect(refused.stderr).toContain('Run `albatross check users.ts --out users.table.ts` again')
    // Other commands still load the app, with every check, and warn.
    const routes = await albatross('routes', file)
    expect(routes.code).toBe(0)
    expect(routes.stdout).toContain('/people/*')
    expect(routes.stderr).toMatch(/^warning: users\.ts's verified table is stale \(Users\.get changed since the check/)

    expect((await albatross('check', file, '--out', 'users.table.ts')).code).toBe(0)
    expect((await lambda(file)).stdout).toBe('404 {"type":"about:blank","title":"Not Found","status":404}\n')
  })

  it('leaves a stand-in a Lambda refuses when the first check fails, so the entry still loads for dev and routes', async () => {
    const file = entry('broken', '/users/{id} x', 'broken.table')
    const run = await albatross('check', file, '--out', 'broken.table.ts')
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/note: broken\.table\.ts is a stand-in until the check passes/)
    expect(run.stderr).toMatch(/albatross: broken\.ts has 1 route declaration problem: Users\.get: path pattern "\/users\/\* x" has ' '/)
    expect(existsSync(path.join(project, 'broken.table.ts'))).toBe(true)
    entry('broken', '/users/{id}', 'broken.table')
    const refused = await lambda(file)
    expect(refused.stderr).toContain('the table is a stand-in: `albatross check` has not passed since it was created')
  })
})

describe('albatross dev and albatross/testing', () => {
  it('dev serves an app whose table is stale with every check run, the routes as declared now', async () => {
    const file = entry('served', '/users/{id}', 'served.table')
    expect((await albatross('check', file, '--out', 'served.table.ts')).code).toBe(0)
    entry('served', '/people/{id}', 'served.table')
    const { startDev } = await import('../../../src/cli/commands/dev.js')
    const session = await startDev(path.join(project, file), { port: 0, host: '127.0.0.1', watch: false, timeout: 30 }, { log: () => undefined })
    try {
      const answer = await fetch(`${session.url}/people/7`)
      expect([answer.status, await answer.text()]).toEqual([200, '{"id":7}'])
    } finally {
      await session.close()
    }
  })

  it('importing albatross/testing asks every app created after it for the full checks', async () => {
    const CHECKS = Symbol.for('albatross.checks')
    const global = globalThis as Record<symbol, unknown>
    const before = global[CHECKS]
    global[CHECKS] = undefined
    try {
      // Not imported before in this file (vitest gives each file its own modules).
      await import('../../../src/testing.js')
      expect(global[CHECKS]).toBe('full')
    } finally {
      global[CHECKS] = before
    }
  })
})

describe('the table module check --out writes', () => {
  it('reads back as the same table, whatever the quotes and backslashes in its text', async () => {
    const { tableModule } = await import('../../../src/cli/commands/check.js')
    const table = { albatross: 'verified-table/2', command: "albatross check 'my app'.ts --out t.ts", priorities: [1000, 5], sources: ["O'Brien.get", 'Quote"s.b\\ack'], checked: JSON.stringify(['O\'Brien.get', '/a\\b"c', '\u2028']) }
    const text = tableModule(table, table.command)
    const read = (await import(`data:text/javascript,${encodeURIComponent(text)}`)) as { default: unknown }
    expect(read.default).toEqual(table)
  })
})
