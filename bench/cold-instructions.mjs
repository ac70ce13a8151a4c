// Cold start in CPU instructions: each handler's whole process (import the bundle, answer one
// event, exit) under `valgrind --tool=callgrind`, net of the same process without the import.
// Instruction counts do not depend on what else the machine runs, so this compares cold starts
// on a loaded machine where the timings of `npm run bench` spread widely. Slow (~15 s a run).
//
//   node bench/cold-instructions.mjs [--runs N] app app…
//
// Apps are named as for bench/compare.mjs (`albatross`, `lambda-api`, `albatross-dto`,
// `albatross-r1000`, or `name=path/to/entry.ts`), bundled as `npm run bench` bundles them. Besides
// the total, it splits out V8's parse of the bundle (`ModuleWrap::New`), the compilation of
// functions on their first call (`Runtime_CompileLazy`) and the module's evaluation, which runs
// the app's decorators and `createApp` (`ModuleWrap::Evaluate`, including the compiles inside it).

import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { bundle } from './build.mjs'
import { appSpec } from './profile.mjs'
import { lambdaContext, toAlbEvent, workloadSets } from './workload.mjs'

const BENCH = path.dirname(fileURLToPath(import.meta.url))
const OUT = path.join(BENCH, '.build', 'instructions')

const { values, positionals: apps } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '1' } } })
if (apps.length === 0) throw new Error('usage: node bench/cold-instructions.mjs [--runs N] app app…')
if (spawnSync('valgrind', ['--version']).status !== 0) throw new Error('valgrind is not installed (apt-get install valgrind)')

mkdirSync(OUT, { recursive: true })
const noop = path.join(OUT, 'noop.mjs')
writeFileSync(noop, 'export {}\n')
// The DTO route's POST, as the cold start of `npm run bench` answers.
const event = toAlbEvent(workloadSets().dto.requests[0], 'single')
const script = path.join(OUT, 'cold.mjs')
writeFileSync(
  script,
  [
    `await import(${JSON.stringify(pathToFileURL(noop).href)})`,
    'const bundle = process.argv[2]',
    'if (bundle !== undefined) {',
    '  const m = await import(bundle)',
    `  const result = await m.handler(${JSON.stringify(event)}, { ...${JSON.stringify(lambdaContext())}, getRemainingTimeInMillis: () => 30000 })`,
    "  if (typeof result?.statusCode !== 'number') throw new Error('no answer')",
    '}',
    'process.exit(0)',
  ].join('\n'),
)

const PARTS = {
  total: /PROGRAM TOTALS/,
  parse: /node::loader::ModuleWrap::New\(/,
  lazyCompile: /v8::internal::Runtime_CompileLazy\(/,
  evaluate: /node::loader::ModuleWrap::Evaluate\(/,
}

/** Instruction counts of one process, inclusive, by part. */
function countOnce(bundleUrl) {
  const file = path.join(OUT, `callgrind.${process.pid}.out`)
  execFileSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${file}`, process.execPath, script, ...(bundleUrl ? [bundleUrl] : [])], { stdio: 'ignore' })
  const text = execFileSync('callgrind_annotate', ['--inclusive=yes', '--threshold=100', file], { encoding: 'utf8', maxBuffer: 64 << 20 })
  rmSync(file, { force: true })
  const counts = {}
  for (const [part, pattern] of Object.entries(PARTS)) {
    const line = text.split('\n').find((l) => pattern.test(l))
    counts[part] = line === undefined ? 0 : Number(line.trim().split(/\s+/)[0].replace(/,/g, ''))
  }
  return counts
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
function count(bundleUrl) {
  const runs = Array.from({ length: Number(values.runs) }, () => countOnce(bundleUrl))
  return Object.fromEntries(Object.keys(PARTS).map((part) => [part, median(runs.map((r) => r[part]))]))
}

const floor = count(undefined)
const rows = []
for (const app of apps) {
  const { name, entry, keepNames } = appSpec(app, OUT)
  const { outfile, bytes } = await bundle(entry, path.join(OUT, `${name}.mjs`), { keepNames })
  const c = count(pathToFileURL(outfile).href)
  rows.push({ app: name, bytes, ...Object.fromEntries(Object.keys(PARTS).map((p) => [p, c[p] - floor[p]])) })
  process.stderr.write(`${name}: ${((c.total - floor.total) / 1e6).toFixed(1)} M instructions net\n`)
}

const m = (n) => `${(n / 1e6).toFixed(1)} M`
const first = rows[0]
process.stdout.write(
  `\nCold start in instructions (callgrind, net of the same process without the import; median of ${values.runs} run(s); ` +
    `node's own start-up: ${m(floor.total)})\n\n` +
    '| handler | bundle | total | × first | parse of the bundle | lazy compiles | module evaluation (decorators, createApp) |\n' +
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n' +
    rows
      .map((r) => `| ${r.app} | ${r.bytes.toLocaleString('en-US')} B | ${m(r.total)} | ${(r.total / first.total).toFixed(2)}× | ${m(r.parse)} | ${m(r.lazyCompile)} | ${m(r.evaluate)} |`)
      .join('\n') +
    '\n',
)
