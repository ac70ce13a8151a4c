import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { afterAll, describe, expect, it } from 'vitest'
import { readControllers } from '../../src/metadata/read-controller.js'
import { memberOf } from '../../src/metadata/store.js'
import { Controller, Get, Redirect, SourceIp } from '../../src/index.js'
import { missingFeatures } from '../../src/runtime/features.js'
import { tempProject } from '../cli/run-node.js'

/*
 * A feature's code comes with the decorator that declares it (issue #18: pay only for what the app
 * uses): the source-ip matcher with @SourceIp, the redirect action's answer with @Redirect.
 * albatross/lambda's bundle of an app that never names them has none, and refuses a route that
 * needs one rather than routing it without.
 */

// A source-ip condition and a redirect action written into the metadata without their decorators:
// what a declaration that does not go through them leaves, in this process where none has run yet.
@Controller('/admin')
class Admin {
  @Get()
  get() {
    return 'ok'
  }

  @Get('/old')
  old() {}
}
memberOf(Admin, 'get').conditions = [{ type: 'source-ip', values: ['10.0.0.0/8'] }]
memberOf(Admin, 'old').action = { type: 'redirect', statusCode: 301, path: '/admin' }

describe('missingFeatures', () => {
  it('names each route whose feature no decorator installed, and none once the decorators have run', () => {
    const { routes } = readControllers([Admin])
    expect(missingFeatures(routes)).toEqual([
      { source: 'Admin.get', message: expect.stringMatching(/source-ip condition.*declare the condition with @SourceIp/) as string },
      { source: 'Admin.old', message: expect.stringMatching(/redirect action.*declare it with @Redirect/) as string },
    ])
    SourceIp('192.0.2.0/24')
    expect(missingFeatures(routes).map((p) => p.source)).toEqual(['Admin.old'])
    Redirect({ path: '/' })
    expect(missingFeatures(routes)).toEqual([])
  })
})

const root = fileURLToPath(new URL('../..', import.meta.url))
const temp = tempProject('albatross-features-')
afterAll(() => temp.remove())

/** Writes an albatross/lambda entry, runs `albatross check --out` on it and bundles it as the README does. */
async function checkedBundle(name: string, lines: readonly string[]): Promise<{ text: string; outfile: string }> {
  const src = (file: string) => JSON.stringify(path.join(root, 'src', file))
  writeFileSync(
    path.join(temp.dir, `${name}.ts`),
    [
      `import { Controller, Get, Redirect, SourceIp } from ${src('index.js')}`,
      `import { memberOf } from ${src('metadata/store.js')}`,
      `import { createApp } from ${src('lambda.js')}`,
      `import table from './${name}.table.js'`,
      ...lines,
      'export const app = createApp({ controllers: [Admin], table })',
      'export const handler = app.handler',
      '',
    ].join('\n'),
  )
  const check = await temp.albatross('check', `${name}.ts`, '--out', `${name}.table.ts`)
  expect(check.code, check.stderr).toBe(0)
  const outfile = path.join(temp.dir, `${name}.mjs`)
  await build({
    entryPoints: [path.join(temp.dir, `${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    outfile,
    logLevel: 'silent',
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
  })
  return { text: readFileSync(outfile, 'utf8'), outfile }
}

/** In a fresh process, as a cold start: GET each path from each client address (`path@ip`), or why the bundle did not start. */
function answers(outfile: string, requests: readonly string[]) {
  const script = path.join(temp.dir, `run-${path.basename(outfile)}`)
  writeFileSync(
    script,
    `const { handler } = await import(${JSON.stringify(pathToFileURL(outfile).href)})\n` +
      `for (const request of ${JSON.stringify(requests)}) {\n` +
      "  const [path, ip] = request.split('@')\n" +
      "  const result = await handler({ requestContext: { elb: { targetGroupArn: 'arn' } }, httpMethod: 'GET', path, queryStringParameters: {}, headers: { host: 'x', 'x-forwarded-for': ip }, body: '', isBase64Encoded: false })\n" +
      "  console.log(request, result.statusCode, result.headers.location ?? '')\n" +
      '}\n',
  )
  return temp.node([script])
}

// Text of the matcher's CIDR parser (rules/source-ip.ts) and of the redirect's placeholders
// (rules/redirect.ts), in a bundle only with their code.
const MATCHER = 'which is not an IPv4 or IPv6 address'
const REDIRECT = '#{protocol}'

describe('a lean bundle (albatross/lambda, the README recipe) carries a feature only with its decorator', () => {
  it('@SourceIp brings the source-ip matcher, which routes by the client address; @Redirect the redirect', async () => {
    const { text, outfile } = await checkedBundle('with-features', [
      "@Controller('/admin')",
      'class Admin {',
      "  @Get() @SourceIp('10.0.0.0/8') get() { return 'ok' }",
      "  @Get('/old') @Redirect({ path: '/admin', statusCode: 301 }) old() {}",
      '}',
    ])
    expect(text).toContain(MATCHER)
    expect(text).toContain(REDIRECT)
    const run = await answers(outfile, ['/admin@10.1.2.3', '/admin@192.0.2.1', '/admin/old@192.0.2.1'])
    expect(run.stdout.trim().split('\n'), run.stderr).toEqual(['/admin@10.1.2.3 200 ', '/admin@192.0.2.1 404 ', '/admin/old@192.0.2.1 301 https://x/admin'])
  }, 60_000)

  it('without @SourceIp or @Redirect the bundle has neither, and refuses a source-ip condition declared another way, naming the route', async () => {
    const { text, outfile } = await checkedBundle('without-features', [
      "@Controller('/admin')",
      'class Admin {',
      "  @Get() get() { return 'ok' }",
      '}',
      "memberOf(Admin, 'get').conditions = [{ type: 'source-ip', values: ['10.0.0.0/8'] }]",
    ])
    expect(text).not.toContain(MATCHER)
    expect(text).not.toContain(REDIRECT)
    const run = await answers(outfile, ['/admin@10.1.2.3'])
    expect(run.code).not.toBe(0)
    expect(run.stderr).toMatch(/Admin\.get: has a source-ip condition, but no @SourceIp brought its matcher into this build/)
  }, 60_000)
})
