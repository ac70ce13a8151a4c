import { execFile, execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDev, type DevSession } from '../../src/cli/commands/dev.js'
import { readmeBlocks } from './readme-blocks.js'

// Every shell command the README shows for the example app is run here, or is covered by a named
// test, or needs AWS (issue #17 point 3). A command that mentions the example app and fits none
// of these fails the test, so a new README command has to be given one.

const root = fileURLToPath(new URL('../..', import.meta.url))
const readme = readFileSync(path.join(root, 'README.md'), 'utf8')

/** Commands the README states need an AWS account (its § Quickstart says which). */
const NEEDS_AWS = /(^|[|;&]\s*|\bdo\s+)(npx\s+)?(aws|terraform apply|cdk deploy|cdk bootstrap)\b/
/** Commands other tests run, and where. */
const COVERED: [RegExp, string][] = [
  [/^npm ci\b/, '.ci/run (a clean clone)'],
  [/^npm start\b/, 'test/dev/npm-start.test.ts'],
  [/^npm test\b/, 'the suite itself'],
  [/^npx albatross dev \S+ --docs\b/, 'test/dev/docs.test.ts (startDev with docs, and headless Chromium)'],
  [/^vars=\$\(npm run -s albatross -- manifest \S+ (--mode per-route )?--format aws-cli --placeholders\)$/, 'test/readme/deploy-walkthrough.test.ts (the deploy walkthrough, run as written)'],
  [/^cd examples\/cdk$/, 'test/cdk/albatross-rules.test.ts (`cdk synth -c mode=per-route` there, offline; catch-all by construct tests)'],
  [/^npx albatross dev \S+ --user\b/, 'test/auth/dev-user.test.ts (startDev with a user, and the curl requests it answers)'],
]
// `npm run albatross --` (the sources) and `npx albatross` (the built bin) run the same CLI.
const CLI = /^(?:npm run (?:-s )?albatross -- |npx albatross )/
const CURL = /^curl .*127\.0\.0\.1:3000/
const FOR_THE_EXAMPLE = /examples\/|127\.0\.0\.1:3000|^npm (start|ci|test|run)\b/

interface Command {
  readonly text: string
  readonly line: number
  /** The README lines the command spans, its comments included. */
  readonly source: string
  readonly kind: 'aws' | 'covered' | 'cli' | 'curl' | 'unclassified'
}

/** Shell lines, continuations joined, `&&` chains split, trailing comments dropped. */
function commands(): Command[] {
  const out: Command[] = []
  for (const block of readmeBlocks(readme)) {
    if (block.lang !== 'sh' && block.lang !== 'bash' && block.lang !== 'shell') continue
    const lines = block.code.split('\n')
    for (let i = 0; i < lines.length; i++) {
      const line = block.line + i
      const first = i
      let text = lines[i]!
      while (text.endsWith('\\') && i + 1 < lines.length) text = text.slice(0, -1) + ' ' + lines[++i]!.trim()
      const source = lines.slice(first, i + 1).join('\n')
      text = text.replace(/\s+#\s.*$/, '').trim()
      if (text === '' || text.startsWith('#')) continue
      for (const part of text.split(/\s+&&\s+/)) {
        if (!FOR_THE_EXAMPLE.test(part) && !NEEDS_AWS.test(part)) continue
        const kind = NEEDS_AWS.test(part) ? 'aws'
          : COVERED.some(([re]) => re.test(part)) ? 'covered'
          : CLI.test(part) ? 'cli'
          : CURL.test(part) ? 'curl'
          : 'unclassified'
        out.push({ text: part, line, source, kind })
      }
    }
  }
  return out
}

const all = commands()
const of = (kind: Command['kind']) => all.filter((c) => c.kind === kind).map((c) => [`README.md:${c.line}: ${c.text}`, c] as const)

function run(script: string, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', script], { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    )
  })
}

describe('README shell commands for the example app', () => {
  it('finds them', () => {
    expect(of('cli').length).toBeGreaterThan(3)
    expect(of('curl').length).toBeGreaterThan(3)
  })

  it('classifies every one: run here, covered by a named test, or needing AWS', () => {
    expect(all.filter((c) => c.kind === 'unclassified').map((c) => `README.md:${c.line}: ${c.text}`)).toEqual([])
  })

  it('says which commands need AWS', () => {
    expect(readme).toMatch(/Commands that start with `aws`, `terraform apply` or `cdk deploy` need an AWS account/)
  })
})

describe('README CLI commands, run from a scratch folder', () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'albatross-readme-cli-'))
  afterAll(() => rmSync(cwd, { recursive: true, force: true }))
  // `npm run albatross --` is `node --import tsx src/cli/main.ts`; tsx resolved from the repository.
  const tsx = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href
  const cli = `node --import ${tsx} ${path.join(root, 'src/cli/main.ts')}`

  it.concurrent.each(of('cli'))('%s', async (_title, command) => {
    const script = command.text.replace(CLI, `${cli} `).replace(/(^|\s)examples\//g, `$1${path.join(root, 'examples')}/`)
    const { code, stdout, stderr } = await run(script, cwd)
    // `wrote <file>`, and the per-route manifests' one-line multi-value notice (issue #11 item 2).
    expect(stderr.replace(/^(wrote|note:) .*\n/gm, ''), script).toBe('')
    expect(code).toBe(0)
    const redirect = /\s>\s*(\S+)\s*$/.exec(command.text) ?? /\s--out\s+(\S+)/.exec(command.text)
    if (redirect === null) expect(stdout.length).toBeGreaterThan(0)
    else expect(statSync(path.join(cwd, redirect[1]!)).size).toBeGreaterThan(0)
  })
})

let curl = true
try {
  execFileSync('curl', ['--version'], { stdio: 'ignore' })
} catch {
  curl = false
}

describe.skipIf(!curl)(`README curl commands against the example app (${curl ? 'curl found' : 'skipped: curl is not installed'})`, () => {
  let session: DevSession
  beforeAll(async () => {
    // What `npm start` serves (its script: dev examples/shop/app.ts --multi-value), on a free port.
    session = await startDev(path.join(root, 'examples/shop/app.ts'), { port: 0, host: '127.0.0.1', multiValue: true, watch: false, timeout: 30 }, { log: () => {} })
  })
  afterAll(() => session?.close())

  it.each(of('curl'))('%s', async (_title, command) => {
    const { code, stdout } = await run(command.text.replace('127.0.0.1:3000', `127.0.0.1:${session.port}`), root)
    expect(code).toBe(0)
    const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(stdout)?.[1])
    // The README's comment states the status when it is not a success.
    const stated = /#[^\n]*\b([1-5]\d\d)\b/.exec(command.source)?.[1]
    if (stated !== undefined) expect(status).toBe(Number(stated))
    else expect(status).toBeGreaterThanOrEqual(200), expect(status).toBeLessThan(300)
  })
})

// Keeps the scratch folder tidy when a command wrote somewhere unexpected.
afterAll(() => {
  for (const name of readdirSync(root)) if (/^(alb|rules)\.(ya?ml|tf|json)$/.test(name)) throw new Error(`a README command wrote ${name} into the repository`)
})
