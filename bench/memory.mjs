// Heap after GC after the same number of invocations, several fresh processes per handler.
//
//   node bench/memory.mjs [--invocations 10000] [--runs 5] [--mode single|multi] [--snapshot] [--breakdown] app app…
//
// Apps are named as for compare.mjs (`albatross`, `albatross-table`, `lambda-api`, `middy`, …, or
// `name=path/to/entry.ts`); each is bundled as bench/build.mjs bundles the measured ones and
// answers the main workload's events. Prints the median heap used after two full collections
// (min–max), the same before the import (what Node and the worker hold, no framework's), and the
// median ratio to the first app. `--snapshot` also writes one heap snapshot per app, taken after
// the collection, to bench/results/<app>.heapsnapshot (open in Chrome DevTools → Memory, or
// compare them by constructor). `--breakdown` takes those snapshots and one of an empty handler
// answering the same events, and prints what each app adds to the heap by kind (heap-breakdown.mjs:
// source text, bytecode, Sparkplug and TurboFan code, feedback, the app's data).

import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { mulberry32, shuffle } from './workload.mjs'
import { summarize } from './stats.mjs'

const BENCH = path.dirname(fileURLToPath(import.meta.url))

/** One worker process: heap after `invocations` events of `eventsFile` (see memory-worker.mjs). */
export function memoryOnce(outfile, eventsFile, invocations, snapshot) {
  const args = ['--expose-gc', path.join(BENCH, 'memory-worker.mjs'), outfile, eventsFile, String(invocations)]
  if (snapshot) args.push(snapshot)
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'pipe'] })
  return JSON.parse(out.trim().split('\n').pop())
}

/**
 * `runs` processes per app in a seeded shuffled order (so no app always follows the same one);
 * returns name → { heapUsed, heapBeforeImport, rss } summaries, or { error }.
 */
export function measureMemory(apps, eventsFile, { invocations, runs, seed = 1, log = () => {} }) {
  const order = shuffle(mulberry32(seed ^ 0x4ea9), apps.flatMap((app) => Array.from({ length: runs }, () => app)))
  const samples = new Map(apps.map((a) => [a.name, []]))
  const errors = new Map()
  for (const app of order) {
    if (errors.has(app.name)) continue
    try {
      samples.get(app.name).push(memoryOnce(app.outfile, eventsFile, invocations))
    } catch (error) {
      errors.set(app.name, String(error?.stderr || error?.message || error).trim().split('\n').slice(-3).join(' | '))
      log(`memory ${app.name} failed: ${errors.get(app.name)}`)
    }
  }
  return Object.fromEntries(
    apps.map((a) => {
      if (errors.has(a.name)) return [a.name, { error: errors.get(a.name) }]
      const s = samples.get(a.name)
      return [
        a.name,
        {
          invocations,
          heapUsed: summarize(s.map((r) => r.heapUsed)),
          heapBeforeImport: summarize(s.map((r) => r.heapBeforeImport)),
          rss: summarize(s.map((r) => r.rss)),
        },
      ]
    }),
  )
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      invocations: { type: 'string', default: '10000' },
      runs: { type: 'string', default: '5' },
      mode: { type: 'string', default: 'single' },
      snapshot: { type: 'boolean', default: false },
      breakdown: { type: 'boolean', default: false },
    },
  })
  if (positionals.length === 0) {
    throw new Error('usage: node bench/memory.mjs [--invocations N] [--runs N] [--mode single|multi] [--snapshot] [--breakdown] app app…')
  }
  if (values.mode !== 'single' && values.mode !== 'multi') throw new Error('--mode must be single or multi')
  const invocations = Number(values.invocations)
  const runs = Number(values.runs)
  // Loaded here, not at the top: run.mjs imports this module, and profile.mjs (appSpec) and
  // build.mjs are only needed to name and bundle apps from the command line.
  const { bundle } = await import('./build.mjs')
  const { appSpec } = await import('./profile.mjs')
  const { makeEvents, workloadSets } = await import('./workload.mjs')
  const out = path.join(BENCH, '.build', 'memory')
  mkdirSync(out, { recursive: true })
  const eventsFile = path.join(out, `main-${values.mode}.json`)
  writeFileSync(eventsFile, JSON.stringify(makeEvents(workloadSets().main.requests)[values.mode]))
  const apps = []
  for (const spec of positionals) {
    const { name, entry, keepNames } = appSpec(spec, out)
    const { outfile, bytes } = await bundle(entry, path.join(out, `${name}.mjs`), { keepNames })
    apps.push({ name, outfile, bytes })
  }
  const results = measureMemory(apps, eventsFile, { invocations, runs, log: (l) => process.stderr.write(`${l}\n`) })
  const mb = (v) => (v / 1048576).toFixed(2)
  const first = results[apps[0].name].heapUsed?.median
  process.stdout.write(`heap used after GC, ${invocations.toLocaleString('en-US')} ${values.mode}-value invocations, median of ${runs} processes (MB)\n`)
  process.stdout.write('| app | bundle | heap after | min–max | worker before import | ratio |\n| --- | ---: | ---: | ---: | ---: | ---: |\n')
  for (const app of apps) {
    const r = results[app.name]
    if (r.error) {
      process.stdout.write(`| ${app.name} | failed: ${r.error} |\n`)
      continue
    }
    const h = r.heapUsed
    process.stdout.write(
      `| ${app.name} | ${(app.bytes / 1024).toFixed(0)} KB | ${mb(h.median)} | ${mb(h.min)}–${mb(h.max)} | ${mb(r.heapBeforeImport.median)} | ${(h.median / first).toFixed(3)} |\n`,
    )
  }
  if (values.snapshot || values.breakdown) {
    const dir = path.join(BENCH, 'results')
    const snapshots = []
    // The reference for --breakdown: what Node and this worker hold with a handler that does nothing.
    const empty = path.join(out, 'empty-handler.mjs')
    writeFileSync(empty, "export const handler = async () => ({ statusCode: 404, headers: {}, body: '' })\n")
    for (const app of [...(values.breakdown ? [{ name: 'empty-handler', outfile: empty }] : []), ...apps]) {
      const file = path.join(dir, `${app.name}.heapsnapshot`)
      memoryOnce(app.outfile, eventsFile, invocations, file)
      snapshots.push(file)
      process.stdout.write(`snapshot: ${path.relative(process.cwd(), file)}\n`)
    }
    if (values.breakdown) {
      const { breakdown, formatBreakdown, formatFunctions } = await import('./heap-breakdown.mjs')
      const results = breakdown(snapshots)
      process.stdout.write(`\nwhat each app adds to an empty handler's heap, by kind (KB, one snapshot each):\n`)
      process.stdout.write(`${formatBreakdown(results, ['empty handler', ...apps.map((a) => a.name)])}\n`)
      process.stdout.write(`\nlargest compiled functions (S Sparkplug, T TurboFan; KB of code kept alive):\n`)
      for (const [i, app] of apps.entries()) process.stdout.write(`- ${app.name}: ${formatFunctions(results[i + 1], 12)}\n`)
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
