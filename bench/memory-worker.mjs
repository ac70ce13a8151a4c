// Heap after a fixed number of invocations, in a fresh process: import the bundle, answer
// `invocations` events one at a time (each awaited, as the Lambda runtime does), collect the
// garbage, and print one JSON line with what the process keeps alive.
//
//   node --expose-gc bench/memory-worker.mjs <bundle.mjs> <events.json> <invocations> [snapshot.heapsnapshot]
//
// A count, not a time: in a fixed time a fast handler answers more requests than a slow one and
// V8 keeps more optimised code for it, so a time-based figure favours slower frameworks. Every
// invocation gets its own event object (each batch of 1,000 is re-parsed from JSON), as in the
// throughput worker. With a fourth argument, a heap snapshot is written after the collection.

import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { writeHeapSnapshot } from 'node:v8'
import { lambdaContext } from './workload.mjs'

const [bundle, eventsFile, countArg, snapshot] = process.argv.slice(2)
const invocations = Number(countArg)
if (!bundle || !eventsFile || !Number.isInteger(invocations) || invocations < 0) {
  process.stderr.write('usage: node --expose-gc memory-worker.mjs <bundle.mjs> <events.json> <invocations> [snapshot file]\n')
  process.exit(2)
}
if (typeof globalThis.gc !== 'function') {
  process.stderr.write('memory-worker.mjs needs node --expose-gc\n')
  process.exit(2)
}

// Kept as bytes (outside the JS heap) and decoded per batch, so the events' text is never part of
// the heap being measured.
const bytes = readFileSync(eventsFile)
const context = lambdaContext()

const GCS = Number(process.env.GCS ?? 2)
/** Full collections, then the figures. */
function collected() {
  for (let i = 0; i < GCS; i++) globalThis.gc()
  const m = process.memoryUsage()
  return { heapUsed: m.heapUsed, rss: m.rss, external: m.external }
}

// What this worker holds before the handler exists (Node, the workload's events text): the part
// of `heapUsed` that is no framework's.
const before = collected()
const { handler } = await import(pathToFileURL(bundle).href)
if (typeof handler !== 'function') throw new Error(`${bundle} exports no handler function`)
const imported = collected()

let sink = 0
let done = 0
// In a function, so no batch of events stays reachable from the module's suspended frame.
async function answer() {
  while (done < invocations) {
    const batch = JSON.parse(bytes.toString('utf8'))
    const n = Math.min(batch.length, invocations - done)
    for (let i = 0; i < n; i++) sink += (await handler(batch[i], context)).statusCode
    done += n
  }
}
await answer()

const after = collected()
if (snapshot) writeHeapSnapshot(snapshot)
process.stdout.write(
  JSON.stringify({
    invocations: done,
    meanStatus: done > 0 ? sink / done : 0,
    heapUsed: after.heapUsed,
    rss: after.rss,
    external: after.external,
    heapBeforeImport: before.heapUsed,
    heapAfterImport: imported.heapUsed,
  }) + '\n',
)
