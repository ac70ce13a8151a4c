// Paired throughput: several handlers in ONE process, answering the same event batches in
// turn, so whatever else the shared machine is doing slows them alike and their ratio holds.
// `npm run bench` is the reference (a fresh process per handler); this is the quick check while
// changing code, when a few percent matter and other work keeps the load changing.
//
//   node bench/compare.mjs [--set main|dto|r10|r100|r1000] [--mode single|multi] [--seconds 8] app app…
//
// Apps are those of bench/apps (`albatross`, `albatross-dto`, `baseline`, `middy`, …),
// `albatross-r10|r100|r1000` (glob paths), `albatross-re10|re100|re1000` (the same tables with
// RegExp paths), `albatross-mw2` (the 63-route app behind two pass-through middleware), or a
// path to an entry file (`name=path/to/app.ts`, e.g. the same app in an older checkout:
// `git archive <commit> | tar -x -C /tmp/before`, then `before=/tmp/before/bench/apps/albatross.ts`);
// each is bundled as bench/build.mjs bundles the measured ones. Ratios are against the first app.
// An app written `app@set` answers that event set instead of --set's (`albatross-r10@r10
// albatross-r1000@r1000`: the scaling ratio, paired).

import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { bundle } from './build.mjs'
import { entryFor } from './profile.mjs'
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
  const eq = spec.indexOf('=')
  const app = eq < 0 ? spec : spec.slice(0, eq)
  const entry = eq < 0 ? entryFor(app, OUT).entry : path.resolve(spec.slice(eq + 1))
  const { outfile } = await bundle(entry, path.join(OUT, `${app}.mjs`))
  const { handler } = await import(pathToFileURL(outfile).href)
  return { app: label, handler, text: eventsText(suffix?.[1] ?? values.set), ms: 0, ops: 0 }
}

const handlers = []
for (const app of apps) handlers.push(await handlerOf(app))
const context = lambdaContext()
let sink = 0

async function batch(h, counted) {
  const events = JSON.parse(h.text)
  const start = performance.now()
  for (let i = 0; i < events.length; i++) sink += (await h.handler(events[i], context)).statusCode
  if (counted) {
    h.ms += performance.now() - start
    h.ops += events.length
  }
}

for (let i = 0; i < 30; i++) for (const h of handlers) await batch(h, false)
const end = performance.now() + Number(values.seconds) * 1000
while (performance.now() < end) for (const h of handlers) await batch(h, true)

const first = handlers[0]
process.stdout.write(`| handler | ops/s | × ${first.app} |\n| --- | ---: | ---: |\n`)
for (const h of handlers) {
  const rate = (h.ops * 1000) / h.ms
  process.stdout.write(`| ${h.app} | ${Math.round(rate).toLocaleString('en-US')} | ${(rate / ((first.ops * 1000) / first.ms)).toFixed(2)}× |\n`)
}
if (sink === 0) process.stderr.write('no handler answered\n')
