// npm run load [-- --duration S] [--warmup S] [--connections N] [--entry FILE]
//
// A bounded load test of `albatross dev` on loopback. The server runs in a child process of its
// own — `startDev()`, the `albatross dev` command, loading examples/shop/app.ts from the
// TypeScript sources through tsx, with --expose-gc so its memory can be read after a full
// collection — and autocannon drives a mix of the example's routes at 127.0.0.1 from this
// process. After a warm-up the server's RSS and heap are read, the measured run follows, and they
// are read again. Every answer is checked against the status its request should get. It prints
// throughput, latency, statuses, errors and memory, exits 0 when there were no errors and the
// heap did not grow, and 1 otherwise. It stops by itself: the run is fixed in length, and a
// watchdog ends everything if the server stops answering.

import { fork } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const BENCH = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.dirname(BENCH)
const HOST = '127.0.0.1'

/** Heap still in use after a full collection may grow this much over the measured run. */
const HEAP_GROWTH_LIMIT_MB = 8
/** RSS is the allocator's business too; this only catches a runaway. */
const RSS_GROWTH_LIMIT_MB = 64

if (process.argv.includes('--serve')) await serve(process.argv[process.argv.indexOf('--serve') + 1])
else await drive(parseArgs(process.argv.slice(2)))

function parseArgs(argv) {
  const opts = { durationS: 10, warmupS: 3, connections: 10, entry: path.join(ROOT, 'examples/shop/app.ts') }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = () => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`${arg} needs a value`)
      return v
    }
    if (arg === '--duration') opts.durationS = Number(value())
    else if (arg === '--warmup') opts.warmupS = Number(value())
    else if (arg === '--connections') opts.connections = Number(value())
    else if (arg === '--entry') opts.entry = path.resolve(value())
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write('npm run load -- [--duration S] [--warmup S] [--connections N] [--entry FILE]\n')
      process.exit(0)
    } else throw new Error(`unknown option ${arg}`)
  }
  for (const [name, v] of [['--duration', opts.durationS], ['--warmup', opts.warmupS], ['--connections', opts.connections]]) {
    if (!(Number.isFinite(v) && v >= 0 && v <= 600)) throw new Error(`${name} must be 0-600, got ${v}`)
  }
  if (opts.durationS < 1 || opts.connections < 1) throw new Error('--duration and --connections must be at least 1')
  return opts
}

// ---------------------------------------------------------------------------------------------
// The server process: `albatross dev examples/shop/app.ts --multi-value` on 127.0.0.1, port 0.

async function serve(entry) {
  const { tsImport } = await import('tsx/esm/api')
  const { startDev } = await tsImport(pathToFileURL(path.join(ROOT, 'src/cli/commands/dev.ts')).href, import.meta.url)
  let requests = 0
  let serverErrors = 0
  let banner = []
  const log = (line) => {
    // One line per request: count them, keep nothing (holding them would be the leak we look for).
    if (/ → \d{3}/.test(line)) {
      requests++
      if (/ → 5\d\d/.test(line)) serverErrors++
    } else if (banner !== undefined) banner.push(line)
  }
  const session = await startDev(entry, { port: 0, host: HOST, multiValue: true, watch: false, timeout: 30 }, { log })
  const memory = () => {
    globalThis.gc()
    globalThis.gc()
    const { rss, heapUsed } = process.memoryUsage()
    return { rss, heapUsed, requests, serverErrors }
  }
  process.on('message', async (message) => {
    if (message.type === 'memory') process.send({ type: 'memory', ...memory() })
    else if (message.type === 'close') {
      await session.close()
      process.exit(0)
    }
  })
  process.on('disconnect', () => process.exit(0))
  process.send({ type: 'ready', url: session.url, banner: banner.join('\n') })
  banner = undefined
}

// ---------------------------------------------------------------------------------------------
// The driver: autocannon from this process, against the child.

/** The example's routes (examples/shop/controllers.ts) with the status each must answer. */
function requestMix() {
  const json = { 'content-type': 'application/json' }
  return [
    { method: 'GET', path: '/products?tag=birds&page=1&sort=price', expect: 200 },
    { method: 'GET', path: '/products/tee-1', expect: 200 },
    { method: 'GET', path: '/products/mug-2', headers: { 'x-beta': 'on' }, expect: 200 },
    { method: 'GET', path: '/products/nope', expect: 404 },
    { method: 'GET', path: '/products?page=zero', expect: 400 },
    { method: 'GET', path: '/products/tee-1', headers: { host: 'eu.admin.example.com' }, expect: 200 },
    {
      method: 'POST', path: '/orders', headers: { ...json, cookie: 'session=s1' },
      body: JSON.stringify({ items: [{ sku: 'tee-1', qty: 2 }, { sku: 'map-3', qty: 1 }], shipping: 'express' }), expect: 201,
    },
    { method: 'POST', path: '/orders', headers: json, body: JSON.stringify({ items: [{ sku: '', qty: 0 }] }), expect: 400 },
    { method: 'POST', path: '/orders', headers: json, body: '{"items":[', expect: 400 },
    { method: 'GET', path: '/orders/ord-1?expand=items&expand=lines', expect: 200 },
    // 127.0.0.1 is outside @SourceIp('10.0.0.0/8', …): no rule matches, the default action answers.
    { method: 'DELETE', path: '/orders/ord-1', expect: 404 },
    { method: 'GET', path: '/health', expect: 200 },
    { method: 'GET', path: '/robots.txt', expect: 200 },
    { method: 'GET', path: '/old-shop/catalog/page-2', expect: 301 },
    { method: 'GET', path: '/static/css/site.css', expect: 200 },
    { method: 'GET', path: '/search?q=albatross%20tee&page=2', expect: 200 },
    {
      method: 'OPTIONS', path: '/products',
      headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'GET' }, expect: 204,
    },
    { method: 'HEAD', path: '/products/tee-1', expect: 200 },
    { method: 'GET', path: '/nowhere', expect: 404 },
  ]
}

async function drive(opts) {
  const { default: autocannon } = await import('autocannon')
  const child = fork(fileURLToPath(import.meta.url), ['--serve', opts.entry], {
    cwd: ROOT,
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const budgetMs = (opts.warmupS + opts.durationS + 90) * 1000
  const watchdog = setTimeout(() => {
    process.stderr.write(`load: no result after ${budgetMs / 1000} s; stopping\n`)
    child.kill('SIGKILL')
    process.exit(1)
  }, budgetMs)
  child.on('exit', (code) => {
    if (!finished) {
      process.stderr.write(`load: the server exited early (code ${code})\n`)
      process.exit(1)
    }
  })
  let finished = false
  const ask = (type) =>
    new Promise((resolve) => {
      const onMessage = (message) => {
        if (message.type !== type) return
        child.off('message', onMessage)
        resolve(message)
      }
      child.on('message', onMessage)
      if (type !== 'ready') child.send({ type })
    })

  const { url, banner } = await ask('ready')
  process.stderr.write(`${banner}\n`)
  const mix = requestMix()
  const unexpected = new Map()
  const requests = mix.map(({ expect, ...request }) => ({
    ...request,
    onResponse: (status) => {
      if (status === expect) return
      const key = `${request.method} ${request.path} → ${status} (expected ${expect})`
      unexpected.set(key, (unexpected.get(key) ?? 0) + 1)
    },
  }))
  const run = (durationS) =>
    autocannon({ url, connections: opts.connections, duration: durationS, requests, timeout: 10 })

  if (opts.warmupS > 0) await run(opts.warmupS)
  unexpected.clear()
  const before = await ask('memory')
  const result = await run(opts.durationS)
  const after = await ask('memory')
  finished = true
  clearTimeout(watchdog)
  child.send({ type: 'close' })

  const statuses = Object.entries(result.statusCodeStats ?? {})
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([code, { count }]) => `${code}: ${count}`)
  const mismatched = [...unexpected.values()].reduce((a, b) => a + b, 0)
  const serverErrors = after.serverErrors - before.serverErrors
  const served = after.requests - before.requests
  const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1)
  const heapGrowth = (after.heapUsed - before.heapUsed) / 1024 / 1024
  const rssGrowth = (after.rss - before.rss) / 1024 / 1024
  const errors = result.errors + result.timeouts + mismatched + serverErrors
  const pass = errors === 0 && result.requests.total > 0 && heapGrowth < HEAP_GROWTH_LIMIT_MB && rssGrowth < RSS_GROWTH_LIMIT_MB
  const lines = [
    `albatross dev load test: ${path.relative(ROOT, opts.entry)} at ${url} (multi-value headers)`,
    `  run:      ${opts.durationS} s after ${opts.warmupS} s warm-up, ${opts.connections} connections, ${mix.length} request kinds in rotation`,
    `  requests: ${result.requests.total} answered, ${result.requests.average.toFixed(0)} req/s average (min ${result.requests.min}, max ${result.requests.max} per second); ` +
      `the server logged ${served} (${served - result.requests.total} in flight at the stop)`,
    `  latency:  avg ${result.latency.average.toFixed(2)} ms, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
    `  statuses: ${statuses.join(', ')}`,
    `  errors:   ${result.errors} connection errors, ${result.timeouts} timeouts, ${mismatched} unexpected statuses, ${serverErrors} 5xx from the server`,
    ...[...unexpected].map(([key, count]) => `            ${count} × ${key}`),
    `  memory:   after gc, rss ${mb(before.rss)} MB → ${mb(after.rss)} MB (${rssGrowth >= 0 ? '+' : ''}${rssGrowth.toFixed(1)}), ` +
      `heap ${mb(before.heapUsed)} MB → ${mb(after.heapUsed)} MB (${heapGrowth >= 0 ? '+' : ''}${heapGrowth.toFixed(1)}; limit +${HEAP_GROWTH_LIMIT_MB})`,
    `  result:   ${pass ? 'PASS' : 'FAIL'}`,
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
  process.exitCode = pass ? 0 : 1
}
