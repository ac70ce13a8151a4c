// npm run bench [-- --quick] [--rounds N] [--duration MS] [--cold-runs N] [--only a,b] [--out FILE]
//
// Builds every handler as deployed (one esbuild bundle each), checks that each answers the
// workload correctly, then measures throughput (a fresh process per handler per round, rounds in
// shuffled order), cold start, bundle size and memory, and prints markdown tables with every
// ratio from this one run. Results: bench/results/latest.json (quick mode: bench/.build/quick.json
// so a CI smoke run never overwrites real figures).

import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { albatrossSource } from './apps/albatross-source.mjs'
import { bundle, describeBuildError } from './build.mjs'
import { coldStartOnce, nodeFloorOnce } from './cold-start.mjs'
import { entryFor } from './profile.mjs'
import { measureMemory } from './memory.mjs'
import { markdown } from './report.mjs'
import { ratio, ratioMatrix, summarize } from './stats.mjs'
import { verifyHandler } from './verify.mjs'
import {
  DEFAULT_SEED,
  DTO_ROUTE,
  SCALING_SIZES,
  makeEvents,
  makeScaleRoutes,
  mulberry32,
  shuffle,
  toAlbEvent,
  workloadSets,
} from './workload.mjs'

const BENCH = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.dirname(BENCH)
const BUILD = path.join(BENCH, '.build')
const started = performance.now()
const log = (line) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${line}\n`)

// ---------------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
  const opts = { quick: false, seed: DEFAULT_SEED }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = () => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`${arg} needs a value`)
      return v
    }
    if (arg === '--quick') opts.quick = true
    else if (arg === '--rounds') opts.rounds = Number(value())
    else if (arg === '--duration') opts.durationMs = Number(value())
    else if (arg === '--warmup') opts.warmupMs = Number(value())
    else if (arg === '--cold-runs') opts.coldRuns = Number(value())
    else if (arg === '--memory-runs') opts.memoryRuns = Number(value())
    else if (arg === '--invocations') opts.invocations = value().split(',').map(Number)
    else if (arg === '--seed') opts.seed = Number(value())
    else if (arg === '--only') opts.only = value().split(',').map((s) => s.trim())
    else if (arg === '--out') opts.out = path.resolve(value())
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(
        'npm run bench -- [--quick] [--rounds N] [--duration MS] [--warmup MS] [--cold-runs N] [--memory-runs N] [--invocations N,N] [--seed N] [--only app,app] [--out FILE]\n',
      )
      process.exit(0)
    } else throw new Error(`unknown option ${arg}`)
  }
  const defaults = opts.quick
    ? { rounds: 2, durationMs: 100, warmupMs: 50, coldRuns: 2, memoryRuns: 1, invocations: [1000] }
    : { rounds: 5, durationMs: 1000, warmupMs: 500, coldRuns: 20, memoryRuns: 5, invocations: [10_000, 100_000] }
  for (const [k, v] of Object.entries(defaults)) opts[k] ??= v
  opts.out ??= opts.quick ? path.join(BUILD, 'quick.json') : path.join(BENCH, 'results', 'latest.json')
  for (const k of ['rounds', 'durationMs', 'warmupMs', 'coldRuns', 'memoryRuns', 'seed']) {
    if (!Number.isFinite(opts[k]) || opts[k] < 0) throw new Error(`--${k} must be a non-negative number`)
  }
  if (!opts.invocations.every((n) => Number.isInteger(n) && n > 0)) throw new Error('--invocations must be positive whole numbers, comma-separated')
  return opts
}

// ---------------------------------------------------------------------------------------------
// Apps

const PEERS = ['lambda-api', 'hono', 'powertools', 'middy', 'find-my-way']

/** name → how to get its source, which event sets it answers. */
function appCatalog() {
  const apps = [
    { name: 'baseline', entry: path.join(BENCH, 'apps', 'baseline.mjs'), sets: ['main'] },
    ...PEERS.map((name) => ({ name, entry: path.join(BENCH, 'apps', `${name}.mjs`), sets: ['main'] })),
    { name: 'albatross', entry: path.join(BENCH, 'apps', 'albatross.ts'), sets: ['main', 'dto'], albatross: true },
    { name: 'albatross-dto', entry: path.join(BENCH, 'apps', 'albatross-dto.ts'), sets: ['dto'], albatross: true },
    // The same app given its verified table (`albatross check --out`, the README's recipe).
    { name: 'albatross-table', checked: true, sets: ['main'], albatross: true },
    // The DTO app as the recipe deploys it too.
    { name: 'albatross-dto-table', checked: true, sets: ['dto'], albatross: true },
    // Both given their compiled table, for createApp from albatross/compiled.
    { name: 'albatross-compiled', checked: true, sets: ['main'], albatross: true },
    { name: 'albatross-dto-compiled', checked: true, sets: ['dto'], albatross: true },
  ]
  for (const n of SCALING_SIZES) {
    apps.push({ name: `albatross-r${n}`, routes: n, sets: [`r${n}`], albatross: true })
  }
  // The same tables with one-segment RegExp paths (`/^\/users\/(?<id>[^\/]+)$/`), what users write
  // since ALB's `*` (and so `{id}`) spans `/`.
  for (const n of SCALING_SIZES) {
    apps.push({ name: `albatross-re${n}`, routes: n, regexPaths: true, sets: [`r${n}`], albatross: true })
  }
  // The no-router reference (apps/scaled-peers.mjs): each event's route looked up in a Map, the
  // same handler work, so its ratios are what the table's size costs before any routing. Its
  // throughput only: no cold start, size or memory figures.
  for (const n of SCALING_SIZES) {
    apps.push({ name: `oracle-r${n}`, generated: true, reference: true, sets: [`r${n}`] })
  }
  return apps
}

function albatrossAvailable() {
  const index = path.join(ROOT, 'src', 'index.ts')
  if (!existsSync(index)) return 'src/index.ts does not exist yet'
  return null
}

async function buildApps(catalog, notes) {
  const built = []
  const albatrossMissing = albatrossAvailable()
  if (albatrossMissing) {
    notes.push(`albatross left out of this run: ${albatrossMissing}.`)
  }
  for (const app of catalog) {
    if (app.albatross && albatrossMissing) continue
    let entry = app.entry
    if (app.checked || app.generated) entry = entryFor(app.name, path.join(BUILD, 'gen')).entry
    if (app.routes !== undefined) {
      entry = path.join(BUILD, 'gen', `${app.name}.ts`)
      mkdirSync(path.dirname(entry), { recursive: true })
      writeFileSync(
        entry,
        albatrossSource(makeScaleRoutes(app.routes), {
          srcImport: path.relative(path.dirname(entry), path.join(ROOT, 'src', 'index.js')).split(path.sep).join('/'),
          title: `albatross: the ${app.routes}-route table of the scaling run${app.regexPaths ? ', RegExp paths' : ''}.`,
          regexPaths: app.regexPaths === true,
        }),
      )
    }
    const outfile = path.join(BUILD, `${app.name}.mjs`)
    try {
      // The app given its verified table is bundled as the recipe has it, without --keep-names.
      const size = await bundle(entry, outfile, { keepNames: !app.checked })
      built.push({ ...app, outfile, bundle: size })
      log(`built ${app.name}: ${size.bytes} B minified, ${size.gzipBytes} B gzip${size.banner ? ' (createRequire banner)' : ''}`)
    } catch (error) {
      notes.push(`${app.name} left out: it does not bundle (${describeBuildError(error)}).`)
      log(`build failed: ${app.name}: ${describeBuildError(error)}`)
    }
  }
  return built
}

// Answers checked in this process before anything is timed. A handler that throws on import is
// left out; one that answers wrongly is measured but flagged in the report.
async function verifyApps(built, sets, notes) {
  const ok = []
  for (const app of built) {
    let handler
    try {
      ;({ handler } = await import(pathToFileURL(app.outfile).href))
      if (typeof handler !== 'function') throw new Error('the bundle exports no handler function')
    } catch (error) {
      notes.push(`${app.name} left out: importing its bundle failed (${String(error?.message ?? error).split('\n')[0]}).`)
      continue
    }
    app.verify = {}
    for (const set of app.sets) {
      const v = await verifyHandler(handler, sets[set].requests, { limit: 3 })
      app.verify[set] = v
      if (v.failed > 0) {
        notes.push(
          `${app.name} answers ${v.failed} of ${v.checked} ${set} events differently from the workload's expected response, e.g. ` +
            JSON.stringify(v.mismatches[0]).slice(0, 400),
        )
      }
    }
    ok.push(app)
  }
  return ok
}

// ---------------------------------------------------------------------------------------------
// Measurements

function runWorker(app, eventsFile, opts) {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', path.join(BENCH, 'throughput-worker.mjs'), app.outfile, eventsFile, String(opts.durationMs), String(opts.warmupMs)],
    { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  return JSON.parse(out.trim().split('\n').pop())
}

async function measureThroughput(apps, eventFiles, opts) {
  const jobs = []
  for (const app of apps) {
    for (const set of app.sets) {
      for (const mode of ['single', 'multi']) jobs.push({ app, set, mode, samples: [] })
    }
  }
  const total = jobs.length * opts.rounds
  let done = 0
  for (let round = 0; round < opts.rounds; round++) {
    for (const job of shuffle(mulberry32(opts.seed + round + 1), jobs)) {
      done++
      try {
        const r = runWorker(job.app, eventFiles[`${job.set}-${job.mode}`], opts)
        job.samples.push(r)
        log(`[${done}/${total}] round ${round + 1} ${job.app.name} ${job.set}/${job.mode}: ${Math.round(r.opsPerSec).toLocaleString('en-US')} ops/s`)
      } catch (error) {
        job.error = String(error?.stderr || error?.message || error).trim().split('\n').slice(-3).join(' | ')
        log(`[${done}/${total}] ${job.app.name} ${job.set}/${job.mode} failed: ${job.error}`)
      }
    }
  }
  return jobs
}

function measureColdStart(apps, coldEvent, opts) {
  const runs = []
  for (let i = 0; i < opts.coldRuns; i++) {
    runs.push({ app: null })
    for (const app of apps) runs.push({ app })
  }
  const floor = []
  const floorCpu = []
  const samples = new Map(apps.map((a) => [a.name, { wall: [], cpu: [], inProcess: [], error: undefined }]))
  let done = 0
  for (const run of shuffle(mulberry32(opts.seed ^ 0xc01d), runs)) {
    done++
    if (run.app === null) {
      const f = nodeFloorOnce()
      floor.push(f.wallMs)
      floorCpu.push(f.cpuMs)
      continue
    }
    const s = samples.get(run.app.name)
    if (s.error) continue
    try {
      const r = coldStartOnce(run.app.outfile, coldEvent(run.app))
      s.wall.push(r.wallMs)
      s.cpu.push(r.cpuMs)
      s.inProcess.push(r.inProcessMs)
    } catch (error) {
      s.error = String(error?.message ?? error)
      log(`cold start ${run.app.name} failed: ${s.error}`)
    }
    if (done % 20 === 0) log(`cold start ${done}/${runs.length}`)
  }
  return { floor: summarize(floor), floorCpu: summarize(floorCpu), samples }
}

// ---------------------------------------------------------------------------------------------

function cpuModel() {
  const cpus = os.cpus()
  return { model: cpus[0]?.model?.trim() ?? 'unknown', count: cpus.length }
}

/**
 * The targets of issue #18, each from this run's figures: throughput against the peers, scaling
 * by route count (glob and RegExp paths), the DTO route, cold start, bundle size and memory.
 */
function targetsFor(results) {
  const { apps } = results
  const a = apps.albatross
  if (!a) return []
  const targets = []
  const add = (name, goal, value, met, fmt = (v) => v.toFixed(2)) =>
    targets.push({ name, goal, measured: Number.isFinite(value) ? fmt(value) : '–', value, met: Number.isFinite(value) ? met(value) : null })
  const x = (v) => `${v.toFixed(2)}×`
  const ms = (v) => `${v.toFixed(2)} ms`
  if (a.throughput) {
    for (const mode of ['single', 'multi']) {
      // find-my-way is the baseline's handler code behind a router: a second ceiling, not a framework.
      for (const peer of PEERS.filter((p) => p !== 'find-my-way')) {
        if (!apps[peer]?.throughput) continue
        const r = ratio(a.throughput[mode], apps[peer].throughput[mode])
        const goal = peer === 'middy' ? 1.5 : 1
        add(`throughput ${mode}: albatross ÷ ${peer}`, goal === 1 ? '> 1.00× (ahead)' : `≥ ${goal.toFixed(2)}×`, r, (v) => (goal === 1 ? v > 1 : v >= goal), x)
      }
      if (apps.baseline?.throughput) {
        add(`throughput ${mode}: albatross ÷ hand-written baseline`, '≥ 0.50×', ratio(a.throughput[mode], apps.baseline.throughput[mode]), (v) => v >= 0.5, x)
      }
    }
  }
  for (const [key, label] of [['scaling', 'glob paths'], ['regexScaling', 'RegExp paths']]) {
    const rows = results[key] ?? []
    for (const [routes, goal] of [[100, 0.9], [1000, 0.8]]) {
      const row = rows.find((s) => s.routes === routes)
      if (row === undefined || !rows.some((s) => s.routes === 10)) continue
      // Beside it, what the same events cost with no router at all (the oracle reference).
      const reference = (results.noRouterScaling ?? []).find((s) => s.routes === routes)
      for (const mode of ['single', 'multi']) {
        const noRouter = reference?.[`${mode}Vs10`]
        const aside = Number.isFinite(noRouter) ? `; no router: ${x(noRouter)}` : ''
        add(`${routes.toLocaleString('en-US')} routes ÷ 10 routes, ${label} (${mode}${aside})`, `≥ ${goal.toFixed(2)}×`, row[`${mode}Vs10`], (v) => v >= goal, x)
      }
    }
  }
  if (results.dto) {
    add('DTO route ÷ scalar route (single)', '≥ 0.60×', results.dto.singleRatio, (v) => v >= 0.6, x)
    add('DTO route ÷ scalar route (multi)', '≥ 0.60×', results.dto.multiRatio, (v) => v >= 0.6, x)
  }
  const la = apps['lambda-api']
  const dto = apps['albatross-dto']
  // The scalar app as the README's recipe deploys it (albatross/lambda with its verified table),
  // and without the table (createApp from albatross checking every route at cold start).
  const scalarApps = [
    ['scalar app, compiled table (albatross/compiled)', apps['albatross-compiled']],
    ['scalar app, verified table (albatross/lambda)', apps['albatross-table']],
    ['scalar app, no table', a],
  ].filter(([, app]) => app !== undefined)
  if (la?.cold) {
    const inProcess = la.cold.inProcessMs.median
    for (const [label, app] of scalarApps) {
      if (!app.cold) continue
      add(`cold start in process (import + first invoke), ${label} (lambda-api: ${inProcess.toFixed(1)} ms)`, '≤ lambda-api', app.cold.inProcessMs.median, (v) => v <= inProcess, ms)
    }
    const dtoApps = [
      ['DTO app, compiled table (albatross/compiled)', apps['albatross-dto-compiled']],
      ['DTO app, verified table (albatross/lambda)', apps['albatross-dto-table']],
      ['DTO app, no table', dto],
    ]
    for (const [label, app] of dtoApps) {
      if (app?.cold) add(`cold start in process, ${label} ÷ lambda-api`, '≤ 1.50×', ratio(app.cold.inProcessMs, la.cold.inProcessMs), (v) => v <= 1.5, x)
    }
    for (const [label, app] of scalarApps) {
      if (!app.cold?.processCpuNetMs || !la.cold.processCpuNetMs) continue
      add(`whole-process CPU net of node -e 0, ${label} ÷ lambda-api`, '≤ 1.20×', ratio(app.cold.processCpuNetMs, la.cold.processCpuNetMs), (v) => v <= 1.2, x)
    }
  }
  for (const [label, app] of scalarApps) {
    if (app.bundle) add(`bundle, ${label}, minified`, '≤ 40,000 B', app.bundle.bytes, (v) => v <= 40_000, (v) => `${Math.round(v).toLocaleString('en-US')} B`)
  }
  // Heap after the same number of invocations: the time-based figure of the throughput loop
  // favours slower frameworks, which answer fewer requests in the time and keep less optimised code.
  // One row per count: lambda-api's heap still grows past 10,000 invocations, albatross's has
  // levelled off by then.
  const mb = (v) => `${(v / 1048576).toFixed(2)} MB`
  for (const { invocations } of la?.memory?.afterInvocations ?? []) {
    const heap = (app) => app?.memory?.afterInvocations?.find((m) => m.invocations === invocations)?.heapUsed?.median
    if (!Number.isFinite(heap(la))) continue
    for (const name of ['albatross', 'albatross-table', 'albatross-compiled']) {
      if (!Number.isFinite(heap(apps[name]))) continue
      const count = invocations.toLocaleString('en-US')
      add(`heap after GC, ${count} invocations, ${name} (lambda-api: ${mb(heap(la))})`, '≤ lambda-api', heap(apps[name]), (v) => v <= heap(la), mb)
    }
  }
  return targets
}

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  const notes = []
  mkdirSync(BUILD, { recursive: true })
  log(`albatross bench${opts.quick ? ' (quick)' : ''}: ${opts.rounds} rounds × ${opts.durationMs} ms, ${opts.coldRuns} cold starts each`)
  const loadAtStart = os.loadavg()[0]

  let catalog = appCatalog()
  if (opts.only) {
    const unknown = opts.only.filter((n) => !catalog.some((a) => a.name === n))
    if (unknown.length > 0) throw new Error(`--only: unknown app ${unknown.join(', ')}`)
    catalog = catalog.filter((a) => opts.only.includes(a.name))
  }
  // Workload: the same seeded requests for everyone, written once per set and header mode.
  const sets = workloadSets(opts.seed)
  const eventFiles = {}
  mkdirSync(path.join(BUILD, 'events'), { recursive: true })
  for (const [name, set] of Object.entries(sets)) {
    const events = makeEvents(set.requests)
    for (const mode of ['single', 'multi']) {
      const file = path.join(BUILD, 'events', `${name}-${mode}.json`)
      writeFileSync(file, JSON.stringify(events[mode]))
      eventFiles[`${name}-${mode}`] = file
    }
  }

  const built = await buildApps(catalog, notes)
  const apps = await verifyApps(built, sets, notes)
  for (const note of notes) log(`note: ${note}`)

  const jobs = await measureThroughput(apps, eventFiles, opts)
  // The DTO route's event answers the same way in every app on the 63-route table; the scaling
  // apps answer their own table's first routed request.
  const dtoEvent = toAlbEvent(sets.dto.requests[0], 'single')
  const coldEvent = (app) => {
    if (!app.sets[0].startsWith('r')) return dtoEvent
    return toAlbEvent(sets[app.sets[0]].requests.find((r) => r.route), 'single')
  }
  const cold = measureColdStart(apps.filter((app) => !app.reference), coldEvent, opts)
  // Heap after GC once every handler of the main table has answered the same number of events
  // (the throughput workers' heap is read after a fixed time, in which a fast handler answers
  // more requests and keeps more optimised code).
  const memoryApps = apps.filter((a) => a.sets[0] === 'main')
  // Past 10,000 invocations, 3 processes: lambda-api, hono and Powertools take seconds each.
  const memoryRuns = (count) => (count > 10_000 ? Math.min(3, opts.memoryRuns) : opts.memoryRuns)
  const memory = opts.invocations.map((count) => {
    log(`memory: ${memoryRuns(count)} processes each, ${count.toLocaleString('en-US')} invocations`)
    return measureMemory(memoryApps, eventFiles['main-single'], { invocations: count, runs: memoryRuns(count), seed: opts.seed, log })
  })

  // Assemble
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpuModel(),
    seed: opts.seed,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    config: {
      quick: opts.quick,
      rounds: opts.rounds,
      durationMs: opts.durationMs,
      warmupMs: opts.warmupMs,
      coldRuns: opts.coldRuns,
      memoryRuns: opts.invocations.map((count) => memoryRuns(count)),
      invocations: opts.invocations,
    },
    workload: (() => {
      const reqs = sets.main.requests
      const headerCounts = reqs.map((r) => r.headers.length)
      return {
        routes: sets.main.routes.length,
        events: reqs.length,
        notFoundShare: reqs.filter((r) => !r.route).length / reqs.length,
        headers: { min: Math.min(...headerCounts), max: Math.max(...headerCounts) },
        coldStartEvent: `${dtoEvent.httpMethod} ${dtoEvent.path}`,
      }
    })(),
    nodeFloorMs: cold.floor,
    nodeFloorCpuMs: cold.floorCpu,
    // 1-minute load averages: above the core count, other processes competed for the CPU.
    load: { start: loadAtStart, end: os.loadavg()[0] },
    notes,
    apps: {},
    mainApps: [],
    coldApps: [],
    sizeApps: [],
  }
  for (const app of apps) {
    const entry = {
      bundle: {
        bytes: app.bundle.bytes,
        gzipBytes: app.bundle.gzipBytes,
        requireBanner: app.bundle.banner,
        composition: app.bundle.composition,
      },
      verify: {},
    }
    for (const [set, v] of Object.entries(app.verify)) {
      entry.verify[set] = { checked: v.checked, failed: v.failed, modeMirrored: v.modeMirrored, mismatches: v.mismatches }
    }
    const own = jobs.filter((j) => j.app === app)
    const primary = app.sets[0]
    const bySet = {}
    for (const j of own) {
      bySet[j.set] ??= {}
      bySet[j.set][j.mode] = summarize(j.samples.map((s) => s.opsPerSec))
      bySet[j.set][`${j.mode}Cpu`] = summarize(j.samples.map((s) => s.opsPerCpuSec))
      if (j.error) entry.errors = [...(entry.errors ?? []), `${j.set}/${j.mode}: ${j.error}`]
    }
    entry.throughputBySet = bySet
    if (bySet[primary]) entry.throughput = bySet[primary]
    const memoryJobs = own.filter((j) => j.set === primary)
    if (memoryJobs.length > 0) {
      entry.memory = {}
      for (const j of memoryJobs) {
        entry.memory[j.mode] = { rss: summarize(j.samples.map((s) => s.rss)), heapUsed: summarize(j.samples.map((s) => s.heapUsed)) }
      }
    }
    for (const byApp of memory) {
      const m = byApp[app.name]
      if (m?.heapUsed) ((entry.memory ??= {}).afterInvocations ??= []).push(m)
      if (m?.error) entry.errors = [...(entry.errors ?? []), `memory: ${m.error}`]
    }
    const c = cold.samples.get(app.name)
    if (c && c.wall.length > 0) {
      entry.cold = {
        processMs: summarize(c.wall),
        processNetMs: summarize(c.wall.map((w) => w - cold.floor.median)),
        processCpuNetMs: summarize(c.cpu.map((w) => w - cold.floorCpu.median)),
        inProcessMs: summarize(c.inProcess),
      }
    }
    if (c?.error) entry.coldError = c.error
    results.apps[app.name] = entry
  }
  const present = (n) => results.apps[n] !== undefined
  results.mainApps = ['baseline', ...PEERS, 'albatross', 'albatross-table', 'albatross-compiled'].filter(present)
  results.coldApps = ['baseline', ...PEERS, 'albatross', 'albatross-table', 'albatross-compiled', 'albatross-dto', 'albatross-dto-table', 'albatross-dto-compiled', ...SCALING_SIZES.flatMap((n) => [`albatross-r${n}`, `albatross-re${n}`])].filter(present)
  results.sizeApps = results.coldApps
  for (const mode of ['single', 'multi']) {
    results.ratios ??= {}
    results.ratios[`throughput.${mode}`] = ratioMatrix(
      Object.fromEntries(results.mainApps.map((n) => [n, results.apps[n].throughput?.[mode]])),
      results.mainApps,
    )
  }
  const coldPresent = results.coldApps.filter((n) => results.apps[n].cold)
  results.ratios['cold.processNet'] = ratioMatrix(Object.fromEntries(coldPresent.map((n) => [n, results.apps[n].cold.processNetMs])), coldPresent)
  results.ratios['cold.processCpuNet'] = ratioMatrix(Object.fromEntries(coldPresent.map((n) => [n, results.apps[n].cold.processCpuNetMs])), coldPresent)
  results.ratios['cold.inProcess'] = ratioMatrix(Object.fromEntries(coldPresent.map((n) => [n, results.apps[n].cold.inProcessMs])), coldPresent)
  results.ratios['bundle.minified'] = ratioMatrix(
    Object.fromEntries(results.sizeApps.map((n) => [n, { median: results.apps[n].bundle.bytes }])),
    results.sizeApps,
  )

  // `scaling`: glob paths (`/users/*`); `regexScaling`: the same tables with RegExp paths;
  // `noRouterScaling`: the reference without a router, on the same events.
  for (const [key, prefix] of [['scaling', 'albatross-r'], ['regexScaling', 'albatross-re'], ['noRouterScaling', 'oracle-r']]) {
    const scaled = SCALING_SIZES.filter((n) => results.apps[`${prefix}${n}`]?.throughput)
    if (scaled.length === 0) continue
    const ten = results.apps[`${prefix}10`]?.throughput
    results[key] = scaled.map((n) => {
      const t = results.apps[`${prefix}${n}`].throughput
      return {
        routes: n,
        single: t.single,
        multi: t.multi,
        singleCpu: t.singleCpu,
        multiCpu: t.multiCpu,
        singleVs10: ratio(t.single, ten?.single),
        multiVs10: ratio(t.multi, ten?.multi),
        singleCpuVs10: ratio(t.singleCpu, ten?.singleCpu),
        multiCpuVs10: ratio(t.multiCpu, ten?.multiCpu),
      }
    })
  }
  const scalarDto = results.apps.albatross?.throughputBySet?.dto
  const dtoDto = results.apps['albatross-dto']?.throughputBySet?.dto
  if (scalarDto && dtoDto) {
    results.dto = {
      route: DTO_ROUTE,
      scalar: scalarDto,
      dto: dtoDto,
      singleRatio: ratio(dtoDto.single, scalarDto.single),
      multiRatio: ratio(dtoDto.multi, scalarDto.multi),
      singleCpuRatio: ratio(dtoDto.singleCpu, scalarDto.singleCpu),
      multiCpuRatio: ratio(dtoDto.multiCpu, scalarDto.multiCpu),
    }
  }
  results.targets = targetsFor(results)

  mkdirSync(path.dirname(opts.out), { recursive: true })
  writeFileSync(opts.out, JSON.stringify(results, null, 2) + '\n')
  process.stdout.write(markdown(results))
  log(`results written to ${path.relative(process.cwd(), opts.out)}`)
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error?.stack ?? error}\n`)
  process.exitCode = 1
})
