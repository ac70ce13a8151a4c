// Growth of time and memory with the request body, per route shape (issue #12 § 4).
//
//   node bench/growth.mjs [--root DIR] [--shapes a,b] [--sizes 62500,125000,…] [--timeout S] [--heap MB]
//   npm run bench:growth
//
// Each (shape, size) runs in a fresh process: it builds the app, answers a small body of the same
// shape three times (warm-up), then answers the worst-case body of `size` bytes once
// (bench/growth-bodies.mjs). It prints, per shape and size, the time of that answer, the process's
// peak RSS over its RSS just before it, and — for scale — the median time of JSON.parse of a JSON
// text of the same size. `--root` measures another checkout (e.g. main's code at an older commit):
// the app is copied there and bundled against its src/. No figure here is asserted by a test.

import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const BENCH = path.dirname(fileURLToPath(import.meta.url))
const DEFAULT_SIZES = [62_500, 125_000, 250_000, 500_000, 999_000]


async function main(argv) {
  const opts = { root: path.dirname(BENCH), shapes: undefined, sizes: DEFAULT_SIZES, timeout: 120, heap: undefined }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--root') opts.root = path.resolve(argv[++i])
    else if (arg === '--shapes') opts.shapes = argv[++i].split(',')
    else if (arg === '--sizes') opts.sizes = argv[++i].split(',').map(Number)
    else if (arg === '--timeout') opts.timeout = Number(argv[++i])
    else if (arg === '--heap') opts.heap = Number(argv[++i])
    else throw new Error(`unknown option ${arg}`)
  }
  const { SHAPES } = await import('./growth-bodies.mjs')
  const shapes = opts.shapes ?? Object.keys(SHAPES)
  const bundle = await bundleApp(opts.root)
  const commit = gitHead(opts.root)
  console.log(`# Growth with body size — ${commit}, node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
  console.log('')
  console.log('Each cell: time to answer one worst-case body / peak RSS over the RSS before it. Fresh process per cell.')
  console.log(`JSON.parse of a JSON object of the same size (json-keys' body), for scale, is in the last row.${opts.heap ? ` Heap limit ${opts.heap} MB.` : ''}`)
  console.log('')
  console.log(`| shape | status | ${opts.sizes.map(label).join(' | ')} | t(max)/t(max/2) |`)
  console.log(`| --- | --- | ${opts.sizes.map(() => '---').join(' | ')} | --- |`)
  const parseRow = []
  for (const shape of shapes) {
    const cells = []
    let status = ''
    const times = []
    for (const size of opts.sizes) {
      const result = runChild(bundle, shape, size, opts)
      if (result.error !== undefined) {
        cells.push(result.error)
        times.push(undefined)
        continue
      }
      status = `${result.status}${result.errors === undefined ? '' : ` (${result.errors} errors)`}`
      cells.push(`${fmtMs(result.ms)} / ${result.deltaMb.toFixed(1)} MB`)
      times.push(result.ms)
      if (parseRow.length < opts.sizes.length) parseRow.push(fmtMs(result.parseMs))
    }
    const [a, b] = times.slice(-2)
    const ratio = a !== undefined && b !== undefined && a > 0 ? (b / a).toFixed(1) : '—'
    console.log(`| ${shape} | ${status} | ${cells.join(' | ')} | ${ratio} |`)
  }
  console.log(`| JSON.parse | — | ${parseRow.join(' | ')} | |`)
}

const label = (size) => (size >= 999_000 ? '1 MB' : `${Math.round(size / 1000)} KB`)
const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`)

function gitHead(root) {
  try {
    return execFileSync('git', ['-C', root, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' }).trim().slice(0, 80)
  } catch {
    return root
  }
}

async function bundleApp(root) {
  const esbuild = await import('esbuild')
  const app = path.join(root, 'bench', 'growth-app.ts')
  if (path.resolve(app) !== path.join(BENCH, 'growth-app.ts')) {
    // A checkout from before albatross/dto (src/dto.ts) loaded DTO support with its index, and
    // reflect-metadata with it.
    const source = readFileSync(path.join(BENCH, 'growth-app.ts'), 'utf8')
    const dto = existsSync(path.join(root, 'src', 'dto.ts'))
    writeFileSync(app, dto ? source : source.replace("import '../src/dto.js'", "import 'reflect-metadata'"))
  }
  const outfile = path.join(root, 'bench', '.build', 'growth', 'app.mjs')
  await esbuild.build({
    entryPoints: [app],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
  })
  if (!existsSync(outfile)) throw new Error(`no bundle at ${outfile}`)
  return outfile
}

function runChild(bundle, shape, size, opts) {
  const args = ['--expose-gc', ...(opts.heap ? [`--max-old-space-size=${opts.heap}`] : []), fileURLToPath(import.meta.url), '--child', bundle, shape, String(size)]
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: opts.timeout * 1000, maxBuffer: 1 << 20 })
  if (run.error?.code === 'ETIMEDOUT' || run.signal === 'SIGTERM') return { error: `> ${opts.timeout} s` }
  const line = run.stdout.trim().split('\n').pop()
  if (run.status !== 0 || !line?.startsWith('{')) {
    const why = /heap out of memory|Allocation failed/.test(run.stderr) ? 'out of memory' : `exit ${run.status ?? run.signal}`
    return { error: why }
  }
  return JSON.parse(line)
}

async function child(bundle, name, size) {
  const { SHAPES, growthEvent } = await import('./growth-bodies.mjs')
  const shape = SHAPES[name]
  if (shape === undefined) throw new Error(`unknown shape ${name}`)
  const { handler } = await import(pathToFileURL(bundle).href)
  for (let i = 0; i < 3; i++) await handler(growthEvent(shape, shape.body(2_000)))
  const event = growthEvent(shape, shape.body(size))
  const parseText = SHAPES['json-keys'].body(size)
  globalThis.gc()
  const before = process.memoryUsage().rss
  const started = performance.now()
  const result = await handler(event)
  const ms = performance.now() - started
  const peak = process.resourceUsage().maxRSS * 1024
  const parses = []
  for (let i = 0; i < 5; i++) {
    const t = performance.now()
    JSON.parse(parseText)
    parses.push(performance.now() - t)
  }
  parses.sort((a, b) => a - b)
  let errors
  try {
    const body = JSON.parse(result.body)
    if (Array.isArray(body.errors)) errors = body.errors.length + (typeof body.errorsOmitted === 'number' ? body.errorsOmitted : 0)
  } catch {}
  process.stdout.write(
    JSON.stringify({ ms, parseMs: parses[2], deltaMb: Math.max(0, peak - before) / 2 ** 20, status: result.statusCode, errors, responseBytes: result.body.length }) + '\n',
  )
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4], Number(process.argv[5]))
else await main(process.argv.slice(2))
