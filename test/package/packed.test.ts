import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { transformSync } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readmeBlocks } from '../readme/readme-blocks.js'

// The published package as a new user gets it (issue #17 points 1, 2 and 4): `npm pack`, then the
// README's Install section applied to an empty folder. One pack and one install for every check:
// both are slow. The install runs offline from the npm cache, or the suite says why it skipped.

const root = fileURLToPath(new URL('../..', import.meta.url))
const exec = promisify(execFile)
const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('\n## ', readme.indexOf('## Install') + 1))
const built = existsSync(path.join(root, 'dist/index.js'))
const work = mkdtempSync(path.join(tmpdir(), 'albatross-packed-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

let cfnLint = true
try {
  execFileSync('cfn-lint', ['--version'], { stdio: 'ignore' })
} catch {
  cfnLint = false
}

/** Files that explain the package but are not in it: nothing shipped may point at them. */
const UNSHIPPED = /spec\/alb\.md|DESIGN\.md|bench\/README\.md|\.\.\/shared\//

let tarball = ''
let unpacked = ''

async function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await exec(cmd, args, { cwd, maxBuffer: 32 * 1024 * 1024 })
    return { code: 0, out: stdout + stderr }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : 1, out: (e.stdout ?? '') + (e.stderr ?? '') }
  }
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)],
  )
}

const title = built ? 'the packed tarball' : 'the packed tarball (skipped: run `npm run build` first)'

describe.skipIf(!built)(title, () => {
  beforeAll(async () => {
    // dist/ is fresh (CI builds before testing); --ignore-scripts skips prepack's second build.
    const packed = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], root)
    if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.out}`)
    tarball = path.join(work, (JSON.parse(packed.out.slice(packed.out.indexOf('['))) as { filename: string }[])[0]!.filename)
    unpacked = path.join(work, 'unpacked')
    mkdirSync(unpacked)
    await exec('tar', ['-xzf', tarball, '-C', unpacked])
  }, 120_000)

  describe('ships nothing that points at files it does not ship', () => {
    it('README and SECURITY.md name no unshipped file, and link only to shipped ones', () => {
      for (const doc of ['README.md', 'SECURITY.md']) {
        const text = readFileSync(path.join(unpacked, 'package', doc), 'utf8')
        expect(text.match(UNSHIPPED), doc).toBeNull()
        const links = [...text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l))
        for (const link of links) expect(existsSync(path.join(unpacked, 'package', link)), `${doc} links to ${link}`).toBe(true)
      }
    })

    it('no runtime message in dist/ cites an unshipped file (comments aside)', () => {
      const found: string[] = []
      for (const file of files(path.join(unpacked, 'package/dist')).filter((f) => f.endsWith('.js'))) {
        // esbuild drops the comments and keeps every string and template literal as it is.
        const code = transformSync(readFileSync(file, 'utf8'), { minifyWhitespace: true, legalComments: 'none', format: 'esm', loader: 'js' }).code
        for (const m of code.matchAll(new RegExp(`.{0,60}(${UNSHIPPED.source}).{0,20}`, 'g'))) found.push(`${path.relative(unpacked, file)}: ${m[0]}`)
      }
      expect(found).toEqual([])
    })

    it('holds dist, README, SECURITY.md and package.json only', () => {
      const top = readdirSync(path.join(unpacked, 'package')).sort()
      expect(top).toEqual(['README.md', 'SECURITY.md', 'dist', 'package.json'])
    })
  })

  describe("the README's Install section in an empty folder", () => {
    const app = path.join(work, 'app')
    let skipped: string | undefined
    let installOutput = ''

    beforeAll(async () => {
      mkdirSync(app)
      writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'first-app', private: true, type: 'module' }, null, 2))
      const commands = readmeBlocks(install).find((b) => b.lang === 'sh')!.code.split('\n').filter((l) => l.startsWith('npm install')).map((l) => l.replace(/\s+#.*$/, ''))
      for (const command of commands) {
        const args = command.split(/\s+/).slice(1).map((a) => (a.endsWith('.tgz') ? tarball : a))
        const result = await run('npm', [...args, '--offline', '--no-audit', '--no-fund'], app)
        installOutput += result.out
        if (result.code !== 0) {
          if (/ENOTCACHED/.test(result.out)) skipped = `\`${command}\` needs packages the npm cache does not hold (offline)`
          else throw new Error(`${command} failed:\n${result.out}`)
          return
        }
      }
      const tsconfig = readmeBlocks(install).find((b) => b.lang === 'json')!.code
      writeFileSync(path.join(app, 'tsconfig.json'), tsconfig)
      // The README's blocks that name their file (`// src/app.ts`, `// src/try.ts`).
      for (const block of readmeBlocks(readme)) {
        const file = /^\/\/ (src\/[\w./-]+\.ts)$/.exec(block.code.split('\n')[0] ?? '')?.[1]
        if (block.lang !== 'ts' || file === undefined) continue
        mkdirSync(path.dirname(path.join(app, file)), { recursive: true })
        writeFileSync(path.join(app, file), block.code)
      }
    }, 300_000)

    const check = (name: string, fn: () => Promise<void> | void) =>
      it(name, async (ctx) => {
        if (skipped !== undefined) ctx.skip(`skipped: ${skipped}`)
        await fn()
      })

    check('installs without an install-script warning, and without tsx or esbuild', () => {
      expect(installOutput).not.toMatch(/install-scripts|allowScripts/)
      expect(existsSync(path.join(app, 'node_modules/albatross/dist/index.js'))).toBe(true)
      expect(existsSync(path.join(app, 'node_modules/tsx'))).toBe(false)
      expect(existsSync(path.join(app, 'node_modules/esbuild'))).toBe(false)
    })

    check('tsc builds the README app with the README tsconfig, and it answers one event as the README says', async () => {
      const tsc = await run(path.join(app, 'node_modules/.bin/tsc'), ['-p', '.'], app)
      expect(tsc.out).toBe('')
      const tryBlock = readmeBlocks(readme).find((b) => b.code.startsWith('// src/try.ts'))!
      const expected = /console\.log\(.*\)\s*\/\/ (.*)$/m.exec(tryBlock.code)![1]!
      const ran = await run('node', ['dist/try.js'], app)
      expect(ran.out.trim()).toBe(expected)
    })

    check('without experimentalDecorators tsc refuses the parameter decorators (TS1206), as the README says', async () => {
      const tsc = await run(path.join(app, 'node_modules/.bin/tsc'), ['-p', '.', '--noEmit', '--experimentalDecorators', 'false', '--emitDecoratorMetadata', 'false'], app)
      expect(tsc.code).not.toBe(0)
      expect(tsc.out).toMatch(/error TS1206: Decorators are not valid here/)
      expect(install).toMatch(/TS1206: Decorators are not valid here/)
    })

    // Before the Bundling section, whose recipe installs tsx for `albatross check`.
    check('the CLI reads the compiled app, and asks for tsx for a TypeScript entry', async () => {
      const bin = path.join(app, 'node_modules/.bin/albatross')
      const js = await run(bin, ['routes', 'dist/app.js'], app)
      expect(js.code).toBe(0)
      expect(js.out).toMatch(/Users\.get/)
      const ts = await run(bin, ['routes', 'src/app.ts'], app)
      expect(ts.code).toBe(2)
      expect(ts.out).toMatch(/src\/app\.ts is TypeScript, which the CLI loads through tsx: install it with `npm install --save-dev tsx`/)
    })

    it("the README's Bundling section: a bundled handler that answers, and a manifest cfn-lint accepts", async (ctx) => {
      if (skipped !== undefined) ctx.skip(`skipped: ${skipped}`)
      const bundling = readme.slice(readme.indexOf('## Bundling for Lambda'), readme.indexOf('\n## ', readme.indexOf('## Bundling for Lambda') + 1))
      const script = readmeBlocks(bundling).find((b) => b.lang === 'sh')!.code
        .replace(/\\\n\s*/g, '')
        .split('\n')
        .map((line) => line.replace(/\s+#\s.*$/, ''))
      for (const line of script) {
        const command = line.startsWith('npm install') ? `${line} --offline --no-audit --no-fund` : line
        const result = await run('sh', ['-c', command], app)
        if (result.code !== 0 && /ENOTCACHED/.test(result.out)) ctx.skip(`skipped: \`${line}\` needs packages the npm cache does not hold (offline)`)
        expect(result.code, `${line}\n${result.out}`).toBe(0)
      }
      const bundled = (await import(pathToFileURL(path.join(app, 'dist/handler.mjs')).href)) as { handler: (e: unknown) => Promise<{ statusCode: number; body?: string }> }
      const { albEvent } = (await import(pathToFileURL(path.join(app, 'node_modules/albatross/dist/testing.js')).href)) as typeof import('../../src/testing.js')
      const answer = await bundled.handler(albEvent({ path: '/users/7', multiValue: true }))
      expect([answer.statusCode, answer.body]).toEqual([200, '{"id":"7"}'])
      if (!cfnLint) ctx.skip('skipped: cfn-lint is not installed')
      const lint = await run('cfn-lint', ['alb.yaml'], app)
      expect(lint.out).toBe('')
      expect(lint.code).toBe(0)
    })
  })
})
