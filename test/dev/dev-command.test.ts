import { spawn } from 'node:child_process'
import { request } from 'node:http'
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDev, type DevSession } from '../../src/cli/commands/dev.js'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const SHOP = path.join(repoRoot, 'examples/shop/app.ts')
const HEADER_ONLY = path.join(repoRoot, 'test/cli/fixtures/bot-guard.ts')

/** A GET sending the raw header lines as given: fetch would join repeated headers into one. */
function rawGet(url: string, rawHeaders: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: rawHeaders }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })
}
const OPTIONS = { port: 0, host: '127.0.0.1', multiValue: true, watch: false, timeout: 30 }

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

describe('startDev with the example shop', () => {
  let session: DevSession
  const lines: string[] = []
  beforeAll(async () => {
    session = await startDev(SHOP, OPTIONS, { log: (line) => lines.push(line) })
  })
  afterAll(() => session.close())

  it('prints the route table in ALB order and the URL', () => {
    const output = lines.join('\n')
    expect(output).toMatch(/^priority\s+conditions\s+action\s+source$/m)
    expect(output).toMatch(/^10\s+path-pattern \/products\/\* .*host-header admin\.example\.com.*Admin\.inspect$/m)
    expect(output).toMatch(/^default\s+\(no rule matched\)\s+fixed-response 404\s+defaultAction$/m)
    expect(output.indexOf('Admin.inspect')).toBeLessThan(output.indexOf('Products.list'))
    expect(lines).toContain(`albatross dev: ${session.url}  (multi-value headers, timeout 30 s)`)
    expect(session.url).toBe(`http://127.0.0.1:${session.port}`)
  })

  // spec/alb.md §4.5: multi-value mode delivers both tag values to the route.
  it('routes a real request with repeated query keys through the app', async () => {
    const response = await fetch(`${session.url}/products?tag=birds&tag=apparel`)
    expect(response.status).toBe(200)
    const body = (await response.json()) as { items: Array<{ sku: string }> }
    expect(body.items.map((item) => item.sku)).toEqual(['tee-1'])
    expect(lines.at(-1)).toMatch(/^GET \/products\?tag=birds&tag=apparel → 200 \(\d+ ms\)$/)
  })

  it('answers with the default action when no rule matches', async () => {
    const response = await fetch(`${session.url}/nowhere`)
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ status: 404, title: 'Not Found' })
  })

  it('sends the app’s cookie and status for a POST with a JSON body', async () => {
    const response = await fetch(`${session.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ sku: 'tee-1', qty: 2 }] }),
    })
    expect(response.status).toBe(201)
    expect(response.headers.getSetCookie()).toEqual(['last-order=ord-1; Path=/; HttpOnly'])
    expect(response.headers.get('location')).toBe('/orders/ord-1')
  })

  // spec/alb.md §2.2: the http-header condition picks the beta route first.
  it('routes on headers as the ALB rule would', async () => {
    const beta = await fetch(`${session.url}/products/mug-2`, { headers: { 'x-beta': 'ON' } })
    expect(await beta.json()).toEqual({ sku: 'mug-2', beta: true })
  })
})

describe('startDev', () => {
  it('warns when routes need multi-value headers but the server runs single-value', async () => {
    const lines: string[] = []
    const session = await startDev(SHOP, { ...OPTIONS, multiValue: false }, { log: (line) => lines.push(line) })
    await session.close()
    expect(lines.find((line) => line.startsWith('warning: the manifest deploys multi-value headers'))).toBeDefined()
    expect(lines.at(-1)).toMatch(/\(single-value headers, timeout 30 s\)$/)
  })

  // Issue #11 item 1: dev runs in the mode the manifest deploys unless told otherwise.
  it('defaults to multi-value headers for an app with a header condition and no array parameter (spec/alb.md §2.2, §6 #9)', async () => {
    const lines: string[] = []
    const { multiValue: _, ...defaults } = OPTIONS
    const session = await startDev(HEADER_ONLY, defaults, { log: (line) => lines.push(line) })
    try {
      expect(await rawGet(`${session.url}/a`, ['host', 'shop.example.com', 'x-bot', 'yes', 'x-bot', 'no'])).toBe(403)
    } finally {
      await session.close()
    }
    expect(lines.find((line) => line.startsWith('albatross dev:'))).toMatch(/\(multi-value headers, timeout 30 s\)$/)
  })

  it('refuses a timeout Lambda would not accept and a port that does not exist', async () => {
    await expect(startDev(SHOP, { ...OPTIONS, timeout: 0 })).rejects.toThrow(/--timeout must be 1-900 seconds/)
    await expect(startDev(SHOP, { ...OPTIONS, timeout: 901 })).rejects.toThrow(/--timeout/)
    await expect(startDev(SHOP, { ...OPTIONS, port: 70_000 })).rejects.toThrow(/--port must be 0-65535/)
    await expect(startDev('no/such/entry.ts', OPTIONS)).rejects.toThrow(/does not exist/)
  })
})

/** `albatross dev …` in a child process, as `npm start` runs it; the output is collected. */
function spawnCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'dev', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output = { stdout: '', stderr: '' }
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const url = async (): Promise<string> => {
    const pattern = /albatross dev: (http:\S+)/
    await until(() => pattern.test(output.stdout) || child.exitCode !== null, 'the URL', 30_000)
    const found = pattern.exec(output.stdout)?.[1]
    if (found === undefined) throw new Error(`albatross dev did not start:\n${output.stdout}\n${output.stderr}`)
    return found
  }
  const stop = async (): Promise<number | null> => {
    child.kill('SIGINT')
    return exited
  }
  return { child, output, url, stop }
}

describe('albatross dev (the CLI)', () => {
  it('serves the example until SIGINT, then exits cleanly', async () => {
    const cli = spawnCli(['examples/shop/app.ts', '--port', '0', '--multi-value', '--timeout', '5'])
    try {
      const url = await cli.url()
      expect(await (await fetch(`${url}/health`)).text()).toBe('ok')
      expect(cli.output.stdout).toContain('(multi-value headers, timeout 5 s)')
      expect(await cli.stop()).toBe(0)
    } finally {
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL')
    }
  })

  // Run in a child process: under Vitest, Vite strips the `?t=` query load-entry.ts uses to
  // re-import the entry, so a reload inside the test process would get the cached module.
  it('--watch reloads the app on a change and keeps the old one when the reload fails', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'albatross-dev-'))
    const entry = path.join(dir, 'app.mjs')
    const writeApp = (body: string, file = entry) =>
      writeFileSync(
        file,
        `export default {\n  handler: async () => ({ statusCode: 200, body: ${JSON.stringify(body)} }),\n` +
          `  table: { rules: [] },\n  needsMultiValueHeaders: false,\n` +
          `  defaultAction: { type: 'fixed-response', statusCode: 404 },\n  manifest: () => '',\n}\n`,
      )
    writeApp('v1')
    const cli = spawnCli([entry, '--port', '0', '--watch'])
    const body = async (url: string) => (await fetch(url)).text()
    try {
      const url = await cli.url()
      expect(cli.output.stdout).toMatch(/, watching .*albatross-dev-.*\)$/m)
      expect(await body(url)).toBe('v1')

      writeApp('v2')
      let latest = ''
      const deadline = Date.now() + 10_000
      while (latest !== 'v2' && Date.now() < deadline) {
        latest = await body(url)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(latest).toBe('v2')
      expect(cli.output.stdout).toContain(`reloaded ${entry}`)

      // An atomic save (a temporary file renamed over the entry, as vim or `sed -i` do), then an
      // ordinary one: both reload (watch-tree.ts says why the second once went unseen).
      const served = async (expected: string) => {
        const deadline = Date.now() + 10_000
        while (latest !== expected && Date.now() < deadline) {
          latest = await body(url)
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
        expect(latest).toBe(expected)
      }
      const temporary = path.join(dir, '.app.mjs.tmp')
      writeApp('v3', temporary)
      renameSync(temporary, entry)
      await served('v3')
      writeApp('v4')
      await served('v4')

      writeFileSync(entry, 'export default {{{ not javascript')
      await until(() => cli.output.stdout.includes('reload failed'), 'the failed reload')
      expect(cli.output.stdout).toMatch(/reload failed, still serving the previous version: could not load/)
      expect(await body(url)).toBe('v4')
      expect(await cli.stop()).toBe(0)
    } finally {
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
