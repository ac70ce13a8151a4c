// `albatross routes` at scale (issue #12 § 9): the shadowed-rule check over apps of N routes.
//
//   npm run bench:routes [-- --sizes 1000,2500,5000,10000] [--pairwise-max N]
//
// Each size is the benchmark's REST route table (bench/workload.mjs makeRoutes: collections with
// CRUD routes and nested children) written as decorated controllers (apps/albatross-source.mjs)
// and loaded as the CLI loads an entry (tsx). It prints, per size: the time to load the entry, the
// time of findShadowedRules (median of 3), of `routes` and `routes --json` as a whole, and of the
// all-pairs check the CLI ran before (a copy of it below; only up to --pairwise-max routes, it took
// 32 s at 10,000), checking that both find the same shadowed rules. A second table does the same
// for rules that share one path and differ by a header, the check's worst case (every earlier rule
// is a candidate). No figure here is asserted by a test.

import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { performance } from 'node:perf_hooks'

const BENCH = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.dirname(BENCH)

async function main(argv) {
  const opts = { sizes: [1_000, 2_500, 5_000, 10_000], pairwiseMax: 2_500 }
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--sizes') opts.sizes = argv[++i].split(',').map(Number)
    else if (argv[i] === '--pairwise-max') opts.pairwiseMax = Number(argv[++i])
    else throw new Error(`unknown option ${argv[i]}`)
  }
  const { makeRoutes } = await import('./workload.mjs')
  const { albatrossSource } = await import('./apps/albatross-source.mjs')
  const { loadEntry } = await import(pathToFileURL(path.join(ROOT, 'src/cli/load-entry.ts')).href)
  const { routesOutput } = await import(pathToFileURL(path.join(ROOT, 'src/cli/commands/routes.ts')).href)
  const { findShadowedRules, covers } = await import(pathToFileURL(path.join(ROOT, 'src/rules/shadow.ts')).href)
  const pairwise = (table) => {
    const found = []
    table.rules.forEach((rule, i) => {
      const by = table.rules.slice(0, i).find((earlier) => covers(earlier, rule))
      if (by !== undefined) found.push({ shadowed: rule, by })
    })
    return found
  }
  const same = (a, b) => JSON.stringify(a.map((s) => [s.shadowed.id, s.by.id])) === JSON.stringify(b.map((s) => [s.shadowed.id, s.by.id]))

  console.log(`# albatross routes at scale — node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
  console.log('')
  console.log('| routes | load entry | findShadowedRules | routes | routes --json | shadowed | all pairs (before) |')
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
  const dir = path.join(BENCH, '.build/routes')
  mkdirSync(dir, { recursive: true })
  // The generated apps are outside the repository tsconfig's `include`: tsx reads this one.
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { experimentalDecorators: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', useDefineForClassFields: false } }))
  for (const size of opts.sizes) {
    const file = path.join(dir, `app-${size}.ts`)
    const source = albatrossSource(makeRoutes(size), { srcImport: pathToFileURL(path.join(ROOT, 'src/index.ts')).href })
    // ALB's priorities end at 50,000: one apart, so 10,000 routes fit.
    writeFileSync(file, source.replace('createApp({', 'createApp({ priorities: { start: 1, step: 1 }, '))
    let started = performance.now()
    const app = await loadEntry(file)
    const load = performance.now() - started
    const check = median(3, () => findShadowedRules(app.table))
    const found = findShadowedRules(app.table)
    started = performance.now()
    routesOutput(app, {})
    const text = performance.now() - started
    started = performance.now()
    routesOutput(app, { json: true })
    const json = performance.now() - started
    let before = '—'
    if (size <= opts.pairwiseMax) {
      const t = median(1, () => pairwise(app.table))
      before = `${ms(t)}${same(pairwise(app.table), found) ? '' : ' (DIFFERENT RESULT)'}`
    }
    console.log(`| ${size.toLocaleString('en')} | ${ms(load)} | ${ms(check)} | ${ms(text)} | ${ms(json)} | ${found.length} | ${before} |`)
  }

  console.log('')
  console.log('Worst case: N rules on one path that differ by a header value (every earlier rule is a candidate).')
  console.log('')
  console.log('| rules | findShadowedRules | all pairs (before) |')
  console.log('| ---: | ---: | ---: |')
  for (const size of [1_000, 2_000, 4_000]) {
    const rules = Array.from({ length: size }, (_, id) => ({
      id, priority: id + 1, captures: [], source: `Same.r${id}`, action: { type: 'forward', target: 'default' },
      conditions: [
        { type: 'path-pattern', values: ['/items/*'], regexValues: [] },
        { type: 'http-header', name: 'x-version', values: [`v${id}`], regexValues: [] },
      ],
    }))
    const table = { rules }
    const t = median(3, () => findShadowedRules(table))
    const p = median(1, () => pairwise(table))
    console.log(`| ${size.toLocaleString('en')} | ${ms(t)} | ${ms(p)} |`)
  }
}

function median(runs, fn) {
  const times = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    fn()
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}

function ms(value) {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} ms`
}

await main(process.argv.slice(2))
