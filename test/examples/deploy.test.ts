import { execFile, execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { fixtureSuite, HAVE_FIXTURES, requestFixtures } from '../alb/fixtures.js'

// examples/deploy end to end, offline (issue #17 point 6): its own npm scripts bundle the function
// and write the catch-all CloudFormation manifest; the bundle answers real ALB events in both
// header modes; cfn-lint accepts the manifest.
//
// The example is copied next to the repository's node_modules with `albatross` linked to this
// checkout, as `npm install` of the tarball would place it (so it uses the built dist/, as a
// consumer does).

const root = fileURLToPath(new URL('../..', import.meta.url))
const example = path.join(root, 'examples/deploy')
// Not under node_modules: esbuild ignores the tsconfig (experimentalDecorators) of files there.
// The repository's .gitignore lists /tmp/.
const work = path.join(root, 'tmp/deploy-example')
const exec = promisify(execFile)
const built = existsSync(path.join(root, 'dist/index.js')) && existsSync(path.join(root, 'dist/cli/main.js'))

let cfnLint = true
try {
  execFileSync('cfn-lint', ['--version'], { stdio: 'ignore' })
} catch {
  cfnLint = false
}

interface Result {
  statusCode: number
  statusDescription?: string
  headers?: Record<string, string>
  multiValueHeaders?: Record<string, string[]>
  body?: string
  isBase64Encoded?: boolean
}
let handler: (event: unknown) => Promise<Result>
let bundle = ''
let template = ''

const title = built ? 'examples/deploy' : 'examples/deploy (skipped: run `npm run build` first, the example uses the built package)'

describe.skipIf(!built)(title, () => {
  beforeAll(async () => {
    rmSync(work, { recursive: true, force: true })
    mkdirSync(path.join(work, 'node_modules/.bin'), { recursive: true })
    cpSync(example, work, { recursive: true, filter: (src) => !/[\\/](node_modules|dist)$|template\.yaml$|function\.zip$/.test(src) })
    symlinkSync(root, path.join(work, 'node_modules/albatross'), 'dir')
    // npm links the bin and makes its target executable; tsc's output is not, so a shim runs it.
    writeFileSync(path.join(work, 'node_modules/.bin/albatross'), `#!/bin/sh\nexec node ${JSON.stringify(path.join(root, 'dist/cli/main.js'))} "$@"\n`, { mode: 0o755 })
    // The example's own scripts, as its README runs them.
    await exec('npm', ['run', '-s', 'build'], { cwd: work })
    await exec('npm', ['run', '-s', 'manifest'], { cwd: work })
    bundle = readFileSync(path.join(work, 'dist/handler.mjs'), 'utf8')
    template = readFileSync(path.join(work, 'template.yaml'), 'utf8')
    handler = ((await import(pathToFileURL(path.join(work, 'dist/handler.mjs')).href)) as { handler: typeof handler }).handler
  }, 120_000)

  it("its tsconfig is the README's, and npm run typecheck passes against the package's declarations", async () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
    const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('\n## ', readme.indexOf('## Install') + 1))
    const block = /```json\n([\s\S]*?)\n```/.exec(install)?.[1]
    expect(JSON.parse(readFileSync(path.join(example, 'tsconfig.json'), 'utf8'))).toEqual(JSON.parse(block ?? 'null'))
    await exec('npm', ['run', '-s', 'typecheck'], { cwd: work }).catch((error: { stdout?: string }) => {
      throw new Error(`tsc failed:\n${error.stdout}`)
    })
  })

  it('npm run build checks the routes first (albatross check --out) and bundles the verified table, which is the one committed', () => {
    const written = readFileSync(path.join(work, 'src/albatross.table.ts'), 'utf8')
    expect(written).toMatch(/^\/\/ Written by `albatross check src\/app\.ts --out src\/albatross\.table\.ts` once every declaration and ALB check passed/)
    expect(readFileSync(path.join(example, 'src/albatross.table.ts'), 'utf8')).toBe(written)
    expect(bundle).toContain('verified-table/2')
  })

  it('npm run build writes one self-contained ESM bundle that keeps its route names', async () => {
    expect(bundle).not.toMatch(/from\s*["'](albatross|class-validator|class-transformer|reflect-metadata)["']/)
    const { stdout } = await exec(path.join(work, 'node_modules/.bin/albatross'), ['routes', 'dist/handler.mjs'], { cwd: work })
    expect(stdout).toMatch(/Hello\.lambda/)
    // The manifest generator and its YAML library stay out of a Lambda bundle.
    expect(bundle).not.toMatch(/AWS::ElasticLoadBalancingV2::ListenerRule/)
  })

  it('npm run manifest writes the catch-all template: target group with multi-value headers, permission, one rule', () => {
    expect(template).toMatch(/AWS::ElasticLoadBalancingV2::TargetGroup/)
    expect(template).toMatch(/lambda\.multi_value_headers\.enabled/)
    expect(template).toMatch(/Value: "?true"?/)
    expect(template).toMatch(/AWS::Lambda::Permission/)
    expect(template.match(/Type: AWS::ElasticLoadBalancingV2::ListenerRule/g)).toHaveLength(1)
    expect(template).toMatch(/Priority: 50000/)
  })

  it.skipIf(!cfnLint)(`cfn-lint accepts the manifest${cfnLint ? '' : ' (skipped: cfn-lint is not installed)'}`, async () => {
    const { stdout } = await exec('cfn-lint', [path.join(work, 'template.yaml')]).catch((error: { stdout?: string; code?: number }) => {
      throw new Error(`cfn-lint exited ${error.code}:\n${error.stdout}`)
    })
    expect(stdout).toBe('')
  })

  describe.skipIf(!HAVE_FIXTURES)(fixtureSuite('the bundle answers real ALB events'), () => {
    const load = (file: string) => requestFixtures().find((f) => f.file === file)!.json

    it('single-value: GET /lambda?query=1234ABCD', async () => {
      const result = await handler(load('powertools-python__alb-request-single-value.json'))
      expect(result.statusCode).toBe(200)
      expect(result.headers?.['content-type']).toMatch(/^application\/json/)
      expect(result.multiValueHeaders).toBeUndefined()
      expect(JSON.parse(result.body!)).toEqual({ query: '1234ABCD' })
    })

    it('multi-value: GET /todos with repeated keys binds every value; unknown keys are ignored', async () => {
      const event = structuredClone(load('powertools-python__alb-request-multivalue-duplicate-query-and-headers.json')) as {
        multiValueQueryStringParameters: Record<string, string[]>
      }
      expect(event.multiValueQueryStringParameters['tag']).toBeUndefined()
      // The fixture's own keys (parameter1, parameter2) are not this app's; add the one it reads.
      event.multiValueQueryStringParameters['tag'] = ['a', 'b']
      const result = await handler(event)
      expect(result.statusCode).toBe(200)
      expect(result.headers).toBeUndefined()
      expect(result.multiValueHeaders?.['content-type']?.[0]).toMatch(/^application\/json/)
      expect(JSON.parse(result.body!)).toEqual({ tags: ['a', 'b'] })
    })

    it('multi-value: POST /users with a JSON body', async () => {
      const result = await handler(load('serverless-express__alb-request-post-json-multivalue.json'))
      expect(result.statusCode).toBe(201)
      expect(JSON.parse(result.body!)).toEqual({ created: 'postmaaaateeeee' })
    })

    it('every request fixture: a well-formed answer in the event\'s header mode, never a 500', async () => {
      for (const { file, json } of requestFixtures()) {
        const result = await handler(json)
        expect(result.statusCode, file).toBeGreaterThanOrEqual(200)
        expect(result.statusCode, file).toBeLessThan(500)
        expect(result.statusDescription, file).toMatch(/^\d{3} /)
        expect(typeof result.isBase64Encoded, file).toBe('boolean')
        const multi = json['multiValueHeaders'] !== undefined && json['multiValueHeaders'] !== null
        expect(result.multiValueHeaders !== undefined, file).toBe(multi)
      }
    })
  })
})
