// One throughput measurement in a fresh process (so no JIT state, heap or module cache leaks
// between handlers): import the bundle, warm up, then answer events one at a time, awaiting each,
// as the Lambda runtime does. Prints one JSON line.
//
//   node --expose-gc bench/throughput-worker.mjs <bundle.mjs> <events.json> <ms> [warmupMs]
//
// Every invocation gets its own event object: each batch (the whole event set) is re-parsed from JSON
// outside the timed region (the Lambda runtime JSON.parses every event too), so a framework can
// neither cache on the event nor benefit from one that an earlier invocation mutated.

import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { lambdaContext } from './workload.mjs'

const [bundle, eventsFile, msArg, warmupArg] = process.argv.slice(2)
if (!bundle || !eventsFile || !msArg) {
  process.stderr.write('usage: throughput-worker.mjs <bundle.mjs> <events.json> <ms> [warmupMs]\n')
  process.exit(2)
}
const durationMs = Number(msArg)
const warmupMs = Number(warmupArg ?? Math.min(500, durationMs / 2))

const text = readFileSync(eventsFile, 'utf8')
const { handler } = await import(pathToFileURL(bundle).href)
if (typeof handler !== 'function') throw new Error(`${bundle} exports no handler function`)
const context = lambdaContext()

// Sums the status codes so the calls cannot be optimised away, and proves they all answered.
let sink = 0
let invocations = 0

/**
 * Runs batches until `budgetMs` of handler time has passed; returns [ops, wall ms, CPU ms].
 * CPU time (this process, all threads: GC and JIT included) is kept beside wall time because on
 * a shared machine the wall clock also counts the time other processes held the core.
 */
async function run(budgetMs) {
  let ops = 0
  let elapsed = 0
  let cpu = 0
  while (elapsed < budgetMs) {
    const batch = JSON.parse(text)
    const cpuStart = process.cpuUsage()
    const start = performance.now()
    for (let i = 0; i < batch.length; i++) {
      const result = await handler(batch[i], context)
      sink += result.statusCode
    }
    elapsed += performance.now() - start
    const used = process.cpuUsage(cpuStart)
    cpu += (used.user + used.system) / 1000
    ops += batch.length
  }
  invocations += ops
  return [ops, elapsed, cpu]
}

await run(warmupMs)
const [ops, elapsed, cpuMs] = await run(durationMs)

// Memory once the garbage of the loop is gone: what the app itself keeps alive.
globalThis.gc?.()
globalThis.gc?.()
const memory = process.memoryUsage()

process.stdout.write(
  JSON.stringify({
    opsPerSec: (ops * 1000) / elapsed,
    opsPerCpuSec: (ops * 1000) / cpuMs,
    ops,
    elapsedMs: elapsed,
    cpuMs,
    meanStatus: sink / invocations,
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    gc: typeof globalThis.gc === 'function',
  }) + '\n',
)
