// Paired throughput: several handlers in ONE process, answering the same event batches in
// turn, so whatever else the shared machine is doing slows them alike and their ratio holds.
// `npm run bench` is the reference (a fresh process per handler); this is the quick check while
// changing code, when a few percent matter and other work keeps the load changing.
//
//   node bench/compare.mjs [--set main|dto|r10|r100|r1000] [--mode single|multi] [--seconds 8] app app…
//
// Apps are those of bench/apps (`albatross`, `albatross-dto`, `baseline`, `middy`, …),
// `albatross-r10|r100|r1000` (glob paths), `albatross-re10|re100|re1000` (the same tables with
// RegExp paths), `albatross-mw2` (the 63-route app behind two pass-through middleware),
// `find-my-way-r…` and `oracle-r…` (the scaling references of apps/scaled-peers.mjs), or a
// path to an entry file (`name=path/to/app.ts`, e.g. the same app in an older checkout:
// `git archive <commit> | tar -x -C /tmp/before`, then `before=/tmp/before/bench/apps/albatross.ts`);
// each is bundled as bench/build.mjs bundles the measured ones. Ratios are against the first app.
// An app written `app@set` answers that event set instead of --set's (`albatross-r10@r10
// albatross-r1000@r1000`: the scaling ratio, paired).
//
// Each round runs the handlers in a fresh random order (so none always follows the same one, with
// its garbage to collect), and each batch's process CPU time (every thread: GC and JIT included)
// is counted beside its wall time: on a loaded machine the CPU-time ratio is the steadier one,
// since the wall clock also counts time other processes held the core.

import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { bundle } from './build.mjs'
import { appSpec } from './profile.mjs'
import { lambdaContext, makeEvents, workloadSets } from './workload.mjs'

const BENCH = path.dirname(fileURLToPath(import.meta.url))
const OUT = path.join(BENCH, '.build', 'compare')

const { values, positionals: apps } = parseArgs({
  allowPositionals: true,
  options: {
    set: { type: 'string', default: 'main' },
    mode: { type: 'string', default: 'single' },
    seconds: { type: 'string', default: '8' },
  },
})
if (apps.length === 0) throw new Error('usage: node bench/compare.mjs [--set S] [--mode M] [--seconds N] app app…')
const sets = workloadSets()
const set = sets[values.set]
if (set === undefined) throw new Error(`--set must be one of ${Object.keys(sets).join(', ')}`)
if (values.mode !== 'single' && values.mode !== 'multi') throw new Error('--mode must be single or multi')

const texts = new Map()
function eventsText(name) {
  const chosen = sets[name]
  if (chosen === undefined) throw new Error(`unknown set ${name}; sets: ${Object.keys(sets).join(', ')}`)
  if (!texts.has(name)) texts.set(name, JSON.stringify(makeEvents(chosen.requests)[values.mode]))
  return texts.get(name)
}

// `app@set` answers its own event set, so one run can pair, say, 1,000 routes with 10 routes.
async function handlerOf(label) {
  const suffix = label.match(/@([\w-]+)$/)
  const spec = suffix === null ? label : label.slice(0, suffix.index)
  const { name: app, entry, keepNames } = appSpec(spec, OUT)
  const { outfile } = await bundle(entry, path.join(OUT, `${app}.mjs`), { keepNames })
  const { handler } = await import(pathToFileURL(outfile).href)
  return { app: label, handler, text: eventsText(suffix?.[1] ?? values.set), ms: 0, cpuMs: 0, ops: 0 }
}

const handlers = []
for (const app of apps) handlers.push(await handlerOf(app))
const context = lambdaContext()
let sink = 0

async function batch(h, counted) {
  const events = JSON.parse(h.text)
  const cpuStart = process.cpuUsage()
  const start = performance.now()
  for (let i = 0; i < events.length; i++) sink += (await h.handler(events[i], context)).statusCode
  if (counted) {
    h.ms += performance.now() - start
    const cpu = process.cpuUsage(cpuStart)
    h.cpuMs += (cpu.user + cpu.system) / 1000
    h.ops += events.length
  }
}

/** The handlers in a fresh random order (Fisher–Yates). */
function shuffled() {
  const order = [...handlers]
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  return order
}

for (let i = 0; i < 30; i++) for (const h of shuffled()) await batch(h, false)
const end = performance.now() + Number(values.seconds) * 1000
while (performance.now() < end) for (const h of shuffled()) await batch(h, true)

const first = handlers[0]
const wall = (h) => (h.ops * 1000) / h.ms
const perCpu = (h) => (h.ops * 1000) / h.cpuMs
process.stdout.write(`| handler | ops/s | × ${first.app} | ops per CPU-second | × ${first.app} |\n| --- | ---: | ---: | ---: | ---: |\n`)
for (const h of handlers) {
  const cells = [
    Math.round(wall(h)).toLocaleString('en-US'),
    `${(wall(h) / wall(first)).toFixed(2)}×`,
    Math.round(perCpu(h)).toLocaleString('en-US'),
    `${(perCpu(h) / perCpu(first)).toFixed(2)}×`,
  ]
  process.stdout.write(`| ${h.app} | ${cells.join(' | ')} |\n`)
}
if (sink === 0) process.stderr.write('no handler answered\n')
