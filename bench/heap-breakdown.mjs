// What a V8 heap snapshot holds, by kind: the scripts' source text, the bytecode of the ES modules'
// bodies, the other functions' bytecode, the machine code of the two compiling tiers (Sparkplug,
// TurboFan), feedback, and the program's own data. Compared net of a first snapshot (an empty
// handler's), it says how much of a heap figure is code and how much is what the app keeps.
//
//   node bench/heap-breakdown.mjs [--functions N] base.heapsnapshot app.heapsnapshot…
//
// `node bench/memory.mjs --breakdown app…` takes the snapshots (an empty handler's first) and
// prints this. Why the code matters: V8 (Node 20) keeps a module's top-level bytecode for the
// life of the process (module code is never flushed), that bytecode's constant pool keeps every
// function of a bundle alive, and Sparkplug code is never flushed (--no-flush-baseline-code), so
// a function that ran a few dozen times at start-up (once per route, say) keeps its Sparkplug
// code, about seven times its bytecode, for good.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

/** Row order of the breakdown; `self` sizes of every node fall in exactly one. */
export const CATEGORIES = [
  ['source', 'source text of the scripts'],
  ['module-body', 'bytecode of ES module bodies (top-level code, its literals)'],
  ['bytecode', 'functions: bytecode, scope and function info'],
  ['sparkplug', 'Sparkplug (baseline) machine code'],
  ['turbofan', 'TurboFan (optimised) machine code'],
  ['feedback', 'feedback vectors, cells, allocation sites, IC handlers'],
  ['objects', 'objects, arrays, closures, contexts'],
  ['strings', 'strings'],
  ['maps', 'hidden classes (maps, descriptors)'],
  ['other', 'other (native, VM internals)'],
]

/** The graph of a snapshot file (Chrome DevTools' JSON format, as v8.writeHeapSnapshot writes it). */
export function readSnapshot(file) {
  const s = JSON.parse(readFileSync(file, 'utf8'))
  const meta = s.snapshot.meta
  const nf = meta.node_fields.length
  const ef = meta.edge_fields.length
  const nodeTypes = meta.node_types[0]
  const edgeTypes = meta.edge_types[0]
  const n = s.nodes.length / nf
  const type = new Array(n)
  const name = new Array(n)
  const self = new Float64Array(n)
  const firstEdge = new Int32Array(n + 1)
  for (let i = 0, e = 0; i < n; i++) {
    type[i] = nodeTypes[s.nodes[i * nf]]
    name[i] = s.strings[s.nodes[i * nf + 1]]
    self[i] = s.nodes[i * nf + 3]
    firstEdge[i] = e
    e += s.nodes[i * nf + 4]
    firstEdge[i + 1] = e
  }
  const m = s.edges.length / ef
  const edgeType = new Array(m)
  const edgeName = new Array(m)
  const to = new Int32Array(m)
  for (let j = 0; j < m; j++) {
    const t = edgeTypes[s.edges[j * ef]]
    edgeType[j] = t
    // Element and hidden edges carry an index, the others a string.
    edgeName[j] = t === 'element' || t === 'hidden' ? s.edges[j * ef + 1] : s.strings[s.edges[j * ef + 1]]
    to[j] = s.edges[j * ef + 2] / nf
  }
  return { n, type, name, self, firstEdge, edgeType, edgeName, to }
}

/** Immediate dominators from the root (node 0), weak edges left out (Cooper, Harvey, Kennedy). */
function dominators(g) {
  const { n, firstEdge, edgeType, to } = g
  const post = new Int32Array(n).fill(-1)
  const order = []
  const seen = new Uint8Array(n)
  const stack = [0]
  const next = [firstEdge[0]]
  seen[0] = 1
  while (stack.length > 0) {
    const v = stack[stack.length - 1]
    const k = next[next.length - 1]
    if (k < firstEdge[v + 1]) {
      next[next.length - 1] = k + 1
      const w = to[k]
      if (edgeType[k] !== 'weak' && !seen[w]) {
        seen[w] = 1
        stack.push(w)
        next.push(firstEdge[w])
      }
    } else {
      stack.pop()
      next.pop()
      post[v] = order.length
      order.push(v)
    }
  }
  const preds = Array.from({ length: n }, () => [])
  for (let v = 0; v < n; v++) {
    if (!seen[v]) continue
    for (let k = firstEdge[v]; k < firstEdge[v + 1]; k++) if (edgeType[k] !== 'weak') preds[to[k]].push(v)
  }
  const idom = new Int32Array(n).fill(-1)
  idom[0] = 0
  const intersect = (a, b) => {
    while (a !== b) {
      while (post[a] < post[b]) a = idom[a]
      while (post[b] < post[a]) b = idom[b]
    }
    return a
  }
  for (let changed = true; changed; ) {
    changed = false
    for (let i = order.length - 2; i >= 0; i--) {
      const v = order[i]
      let d = -1
      for (const p of preds[v]) if (idom[p] !== -1) d = d === -1 ? p : intersect(p, d)
      if (d !== idom[v]) {
        idom[v] = d
        changed = true
      }
    }
  }
  return idom
}

const edgeTo = (g, v, edge) => {
  for (let k = g.firstEdge[v]; k < g.firstEdge[v + 1]; k++) if (g.edgeName[k] === edge) return g.to[k]
  return -1
}
const hasEdge = (g, v, edge) => edgeTo(g, v, edge) !== -1
const isString = (type) => type === 'string' || type === 'concatenated string' || type === 'sliced string'

/**
 * Every node's category (CATEGORIES), and the compiled functions: { name, tier, bytes } for each
 * Sparkplug and TurboFan code object, its size being what it alone keeps alive but its bytecode.
 */
export function classify(g) {
  const idom = dominators(g)
  const children = new Map()
  for (let v = 1; v < g.n; v++) {
    const d = idom[v]
    if (d < 0 || d === v) continue
    let list = children.get(d)
    if (list === undefined) children.set(d, (list = []))
    list.push(v)
  }
  const category = new Array(g.n).fill(undefined)
  /** Marks what `root` alone keeps alive, but for the subtrees `stop` says to leave. */
  const mark = (root, cat, stop) => {
    let bytes = 0
    const todo = [root]
    while (todo.length > 0) {
      const v = todo.pop()
      if (category[v] !== undefined) continue
      category[v] = cat
      bytes += g.self[v]
      for (const c of children.get(v) ?? []) if (!stop(c)) todo.push(c)
    }
    return bytes
  }
  // Scripts (named by their URL) hold their source text.
  for (let v = 0; v < g.n; v++) {
    const source = g.type[v] === 'code' ? edgeTo(g, v, 'source') : -1
    if (source >= 0 && isString(g.type[source])) category[source] = 'source'
  }
  // Machine code: a Code object holding its bytecode is Sparkplug's, one with deoptimisation data
  // TurboFan's. The bytecode stays in its own category: it exists whether or not it was compiled.
  const functions = []
  const sfiNames = new Map()
  for (let v = 0; v < g.n; v++) {
    const data = edgeTo(g, v, 'function_data')
    if (data >= 0) sfiNames.set(data, g.name[v])
  }
  const closureNames = new Map()
  for (let v = 0; v < g.n; v++) {
    if (g.type[v] !== 'closure') continue
    const code = edgeTo(g, v, 'code')
    if (code >= 0 && !closureNames.has(code)) closureNames.set(code, g.name[v])
  }
  for (let v = 0; v < g.n; v++) {
    if (g.type[v] !== 'code') continue
    const bytecode = edgeTo(g, v, 'interpreter_data')
    const tier = bytecode >= 0 ? 'sparkplug' : hasEdge(g, v, 'deoptimization_data') ? 'turbofan' : undefined
    if (tier === undefined) continue
    const bytes = mark(v, tier, (c) => c === bytecode)
    functions.push({ name: sfiNames.get(v) ?? closureNames.get(v) ?? '', tier, bytes })
  }
  // A module's body: its generator's function's bytecode, with the literals only it holds, but
  // not the functions it declares (their bytecode and code are the functions' own).
  for (let v = 0; v < g.n; v++) {
    if (g.name[v] !== 'system / SourceTextModule') continue
    for (let k = g.firstEdge[v]; k < g.firstEdge[v + 1]; k++) {
      const generator = g.to[k]
      if (g.name[generator] !== 'Generator') continue
      const fn = edgeTo(g, generator, 'function')
      const sfi = fn >= 0 ? edgeTo(g, fn, 'shared') : -1
      const body = sfi >= 0 ? edgeTo(g, sfi, 'function_data') : -1
      if (body >= 0) mark(body, 'module-body', (c) => hasEdge(g, c, 'function_data'))
    }
  }
  for (let v = 0; v < g.n; v++) {
    if (category[v] !== undefined) continue
    const type = g.type[v]
    const name = String(g.name[v])
    if (type === 'code') category[v] = /Feedback(Vector|Cell)|AllocationSite|Handler|ClosureFeedbackCellArray/.test(name) ? 'feedback' : 'bytecode'
    else if (isString(type)) category[v] = 'strings'
    else if (type === 'object shape') category[v] = 'maps'
    else if (type === 'object' || type === 'array' || type === 'closure' || type === 'regexp' || type === 'number' || type === 'bigint' || type === 'symbol') category[v] = 'objects'
    else category[v] = 'other'
  }
  const totals = Object.fromEntries(CATEGORIES.map(([key]) => [key, 0]))
  for (let v = 0; v < g.n; v++) totals[category[v]] += g.self[v]
  functions.sort((a, b) => b.bytes - a.bytes)
  return { totals, functions }
}

/** Breakdowns of several snapshot files: { file, totals, total, functions }. */
export function breakdown(files) {
  return files.map((file) => {
    const { totals, functions } = classify(readSnapshot(file))
    const total = Object.values(totals).reduce((a, b) => a + b, 0)
    return { file, totals, total, functions }
  })
}

/** Markdown: the first snapshot's KB, and each other's KB net of it. */
export function formatBreakdown(results, names = results.map((r) => r.file)) {
  const kb = (b) => (b / 1024).toFixed(1)
  const [base, ...rest] = results
  const head = `| KB | ${names[0]} | ${names.slice(1).map((n) => `${n} (net)`).join(' | ')} |`
  const lines = [head, `| --- | ${results.map(() => '---:').join(' | ')} |`]
  for (const [key, label] of CATEGORIES) {
    lines.push(`| ${label} | ${kb(base.totals[key])} | ${rest.map((r) => kb(r.totals[key] - base.totals[key])).join(' | ')} |`)
  }
  lines.push(`| **total** | ${kb(base.total)} | ${rest.map((r) => kb(r.total - base.total)).join(' | ')} |`)
  return lines.join('\n')
}

/** The largest compiled functions of a breakdown, one line. */
export function formatFunctions(result, count) {
  const kb = (b) => (b / 1024).toFixed(1)
  return result.functions
    .slice(0, count)
    .map((f) => `${f.name || '(anonymous)'} ${f.tier === 'sparkplug' ? 'S' : 'T'} ${kb(f.bytes)}`)
    .join(', ')
}

async function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { functions: { type: 'string', default: '0' } } })
  if (positionals.length === 0) throw new Error('usage: node bench/heap-breakdown.mjs [--functions N] base.heapsnapshot app.heapsnapshot…')
  const results = breakdown(positionals)
  process.stdout.write(`${formatBreakdown(results)}\n`)
  const count = Number(values.functions)
  if (count > 0) {
    process.stdout.write(`\nlargest compiled functions (S Sparkplug, T TurboFan; KB of code kept alive):\n`)
    for (const r of results) process.stdout.write(`- ${r.file}: ${formatFunctions(r, count)}\n`)
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
