// Where the time goes: runs one handler under `node --cpu-prof` and prints the functions with
// the most self time. The bundle is built like the measured one but unminified, so the names in
// the profile are the source's.
//
//   node bench/profile.mjs <app> [--set main|dto|r10|r100|r1000] [--mode single|multi] [--ms 3000]
//   node bench/profile.mjs <app> --cold          (import + first invoke instead of the loop)
//   … --no-inline    V8 without inlining: slower, but self time stays with the function that
//                    spends it instead of the caller it was inlined into
//
// Profiles land in bench/results/<app>-<what>.cpuprofile (gitignored); open them in Chrome
// DevTools or speedscope for the full picture.

import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as esbuild from 'esbuild'
import { albatrossSource } from './apps/albatross-source.mjs'
import { findMyWaySource, oracleSource } from './apps/scaled-peers.mjs'
import { lambdaApiPerRouteSource } from './apps/lambda-api-source.mjs'
import { DTO_ROUTE, lambdaContext, makeEvents, makeRoutes, makeScaleRoutes, toAlbEvent, workloadSets } from './workload.mjs'

const BENCH = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.dirname(BENCH)
const OUT = path.join(BENCH, '.build', 'profile')

function parseArgs(argv) {
  const opts = { app: argv[0], set: undefined, mode: 'single', ms: 3000, cold: false, top: 25, inline: true }
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--set') opts.set = argv[++i]
    else if (arg === '--mode') opts.mode = argv[++i]
    else if (arg === '--ms') opts.ms = Number(argv[++i])
    else if (arg === '--top') opts.top = Number(argv[++i])
    else if (arg === '--cold') opts.cold = true
    else if (arg === '--no-inline') opts.inline = false
    else throw new Error(`unknown option ${arg}`)
  }
  if (!opts.app) throw new Error('usage: node bench/profile.mjs <app> [--set S] [--mode single|multi] [--ms N] [--cold]')
  return opts
}

/** The bench apps built as the README's recipe deploys them: with their verified table, no --keep-names. */
const CHECKED_APPS = new Set(['albatross-table', 'albatross-dto-table', 'albatross-compiled', 'albatross-dto-compiled'])

/**
 * A command line's app: `name` (a bench app, see entryFor) or `name=path` (any entry file, such as
 * a checkout's `bench/apps/albatross.ts`, measured under that name).
 */
export function appSpec(spec, outDir = OUT) {
  const eq = spec.indexOf('=')
  if (eq < 0) return { name: spec, entry: entryFor(spec, outDir).entry, keepNames: !CHECKED_APPS.has(spec) }
  // Another checkout's recipe app (`before-table=<checkout>/bench/.build/profile/albatross-table.ts`)
  // is bundled as the recipe has it, without --keep-names, like this checkout's.
  const entry = path.resolve(spec.slice(eq + 1))
  return { name: spec.slice(0, eq), entry, keepNames: !CHECKED_APPS.has(path.basename(entry, '.ts')) }
}

/**
 * The entry file of a bench app and its default event set; `albatross-r10|r100|r1000` (and their
 * RegExp-path twins `albatross-re10|…`) are generated into `outDir` from the scaled route table.
 */
export function entryFor(app, outDir = OUT) {
  const scaled = app.match(/^albatross-r(e?)(\d+)$/)
  if (scaled) {
    const file = path.join(outDir, `${app}.ts`)
    mkdirSync(outDir, { recursive: true })
    const srcImport = path.relative(outDir, path.join(ROOT, 'src', 'index.js')).split(path.sep).join('/')
    writeFileSync(file, albatrossSource(makeScaleRoutes(Number(scaled[2])), { srcImport, regexPaths: scaled[1] === 'e' }))
    return { entry: file, set: `r${scaled[2]}` }
  }
  // `find-my-way-r1000`, `oracle-r1000`: the scaling references of bench/apps/scaled-peers.mjs.
  const peer = app.match(/^(find-my-way|oracle)-r(\d+)$/)
  if (peer) {
    // Not `${app}.mjs`: compare.mjs writes the bundle under that name in the same folder.
    const file = path.join(outDir, `${app}.src.mjs`)
    mkdirSync(outDir, { recursive: true })
    const helpers = path.relative(outDir, path.join(BENCH, 'apps', 'alb-helpers.mjs')).split(path.sep).join('/')
    const make = peer[1] === 'oracle' ? oracleSource : findMyWaySource
    writeFileSync(file, make(Number(peer[2]), helpers.startsWith('.') ? helpers : `./${helpers}`))
    return { entry: file, set: `r${peer[2]}` }
  }
  // `lambda-api-fn`: lambda-api's app with a handler function per route, as an albatross app has
  // a method per route (the measured lambda-api app shares one closure: see lambda-api-source.mjs).
  if (app === 'lambda-api-fn') {
    const file = path.join(outDir, `${app}.src.mjs`)
    mkdirSync(outDir, { recursive: true })
    writeFileSync(file, lambdaApiPerRouteSource())
    return { entry: file, set: 'main' }
  }
  // `albatross-mw2`: the 63-route app behind two pass-through middleware (the pipeline's cost).
  const piped = app.match(/^albatross-mw(\d+)$/)
  if (piped) {
    const file = path.join(outDir, `${app}.ts`)
    mkdirSync(outDir, { recursive: true })
    const srcImport = path.relative(outDir, path.join(ROOT, 'src', 'index.js')).split(path.sep).join('/')
    writeFileSync(file, albatrossSource(makeRoutes(63), { srcImport, middleware: Number(piped[1]) }))
    return { entry: file, set: 'main' }
  }
  // `albatross-table`, `albatross-dto-table`: the 63-route app (the second with its DTO route)
  // given the verified table `albatross check --out` writes (the README's deploy recipe), so
  // createApp skips the checks the CLI ran.
  if (CHECKED_APPS.has(app)) {
    const file = path.join(outDir, `${app}.ts`)
    const table = path.join(outDir, `${app}.table.ts`)
    mkdirSync(outDir, { recursive: true })
    const srcImport = path.relative(outDir, path.join(ROOT, 'src', 'index.js')).split(path.sep).join('/')
    const dtoRoute = app.startsWith('albatross-dto-') ? DTO_ROUTE : undefined
    const entryPoint = app.endsWith('-compiled') ? 'compiled' : 'lambda'
    writeFileSync(file, albatrossSource(makeRoutes(63), { srcImport, table: `./${app}.table.js`, dtoRoute, entryPoint }))
    // The CLI compiles the entry with the tsconfig nearest to it, as the entry's project would.
    writeFileSync(path.join(outDir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', experimentalDecorators: true, useDefineForClassFields: false } }))
    rmSync(table, { force: true })
    execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), 'check', file, '--out', table], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] })
    return { entry: file, set: dtoRoute === undefined ? 'main' : 'dto' }
  }
  const ts = path.join(BENCH, 'apps', `${app}.ts`)
  const mjs = path.join(BENCH, 'apps', `${app}.mjs`)
  const entry = app.startsWith('albatross') ? ts : mjs
  return { entry, set: app === 'albatross-dto' ? 'dto' : 'main' }
}

/**
 * For a line of an unminified esbuild bundle, the source module it came from: esbuild starts
 * every module with a `// path/to/module.ts` comment.
 */
function moduleLocator(bundleFile) {
  const starts = []
  readFileSync(bundleFile, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const m = line.match(/^\/\/ ((?:src|bench|node_modules)\/\S+)$/)
      if (m) starts.push([i, m[1].replace(/^node_modules\//, '')])
    })
  return (line) => {
    let found = '?'
    for (const [start, file] of starts) {
      if (start > line) break
      found = file
    }
    return found
  }
}

/**
 * Self time per function, from a .cpuprofile's samples. Frames of the measuring harness (the
 * worker's loop, where JSON.parse of each event batch lands) and of Node's module loader are
 * counted apart, so the shares are of the time spent in the handler and the GC.
 */
export function topSelfTime(profile, { top = 25, bundleFile } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const locate = bundleFile ? moduleLocator(bundleFile) : () => '?'
  const bundleUrl = bundleFile ? pathToFileURL(bundleFile).href : undefined
  const deltas = profile.timeDeltas ?? []
  const self = new Map()
  const byModule = new Map()
  let harness = 0
  let handler = 0
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i])
    const dt = deltas[i] ?? 0
    if (!node) continue
    const { functionName, url, lineNumber } = node.callFrame
    const harnessFrame = url.includes('throughput-worker.mjs') || url.startsWith('node:internal')
    if (harnessFrame || functionName === '(idle)' || (functionName === 'cpuUsage' && url === '')) {
      harness += dt
      continue
    }
    handler += dt
    const where = url === bundleUrl ? locate(lineNumber) : url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '')
    const key = `${functionName || '(anonymous)'}${where ? `  ${where}` : ''}`
    self.set(key, (self.get(key) ?? 0) + dt)
    const pkg = where.match(/^((?:@[^/]+\/)?[^/]+(?:\/[^/]+)?)/)?.[1] ?? (functionName.startsWith('(') ? functionName : '(other)')
    const part = where.startsWith('src/') || where.startsWith('bench/') ? pkg : (pkg.startsWith('@') ? pkg.split('/').slice(0, 2).join('/') : pkg.split('/')[0]) || '(native)'
    byModule.set(part, (byModule.get(part) ?? 0) + dt)
  }
  const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, top)
  return {
    handlerMs: handler / 1000,
    harnessMs: harness / 1000,
    rows: rows.map(([fn, us]) => ({ fn, ms: us / 1000, share: us / handler })),
    modules: [...byModule]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([part, us]) => ({ part, ms: us / 1000, share: us / handler })),
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  const { entry, set: defaultSet } = entryFor(opts.app)
  const set = opts.set ?? defaultSet
  mkdirSync(OUT, { recursive: true })
  const bundle = path.join(OUT, `${opts.app}.mjs`)
  await esbuild.build({
    entryPoints: [entry],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: false,
    // As bench/build.mjs bundles the measured handlers (ESM entry points of packages first).
    mainFields: ['module', 'main'],
    logLevel: 'silent',
    external: ['@aws-sdk/*'],
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
  })

  const sets = workloadSets()
  const dir = path.join(OUT, 'cpu')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const what = `${opts.cold ? 'cold' : `${set}-${opts.mode}`}${opts.inline ? '' : '-noinline'}`
  const v8 = opts.inline ? [] : ['--no-turbo-inlining']
  if (opts.cold) {
    const event = toAlbEvent(sets.dto.requests[0], 'single')
    const script = [
      `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)});`,
      `const ctx = { ...${JSON.stringify(lambdaContext())}, getRemainingTimeInMillis: () => 30000 };`,
      `await m.handler(${JSON.stringify(event)}, ctx);`,
    ].join('\n')
    execFileSync(process.execPath, [...v8, '--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', dir, '--input-type=module', '-e', script], { stdio: 'inherit' })
  } else {
    const events = path.join(OUT, `${set}-${opts.mode}.json`)
    writeFileSync(events, JSON.stringify(makeEvents(sets[set].requests)[opts.mode]))
    execFileSync(
      process.execPath,
      [...v8, '--cpu-prof', '--cpu-prof-dir', dir, '--expose-gc', path.join(BENCH, 'throughput-worker.mjs'), bundle, events, String(opts.ms), '1000'],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    )
  }
  const [file] = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))
  const target = path.join(BENCH, 'results', `${opts.app}-${what}.cpuprofile`)
  mkdirSync(path.dirname(target), { recursive: true })
  renameSync(path.join(dir, file), target)
  const { handlerMs, harnessMs, rows, modules } = topSelfTime(JSON.parse(readFileSync(target, 'utf8')), { top: opts.top, bundleFile: bundle })
  process.stdout.write(
    `\n${opts.app} (${what}): ${handlerMs.toFixed(0)} ms in the handler, bundle and GC ` +
      `(${harnessMs.toFixed(0)} ms more in the harness and Node's loader, left out); top self time\n\n`,
  )
  process.stdout.write('| self ms | share | function |\n| ---: | ---: | --- |\n')
  for (const r of rows) process.stdout.write(`| ${r.ms.toFixed(1)} | ${(r.share * 100).toFixed(1)}% | \`${r.fn}\` |\n`)
  process.stdout.write('\nby source folder or package\n\n| self ms | share | part |\n| ---: | ---: | --- |\n')
  for (const m of modules.slice(0, 12)) process.stdout.write(`| ${m.ms.toFixed(1)} | ${(m.share * 100).toFixed(1)}% | ${m.part} |\n`)
  process.stdout.write(`\nprofile: ${path.relative(process.cwd(), target)}\n`)
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    process.stderr.write(`profile failed: ${error?.stack ?? error}\n`)
    process.exitCode = 1
  })
}
