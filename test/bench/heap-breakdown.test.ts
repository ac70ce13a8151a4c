import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const repoRoot = path.resolve(import.meta.dirname, '../..')

// An ES module that writes a heap snapshot, after compiling `routeSum` with Sparkplug and `hotLoop`
// with TurboFan (V8 natives syntax) and keeping a 30,000-character literal in its source.
const MODULE = `
import { writeHeapSnapshot } from 'node:v8';
const padding = '${'x'.repeat(30_000)}';
function routeSum(xs) { let s = 0; for (const x of xs) s += x.length * 3; return s }
function hotLoop(n) { let t = 0; for (let i = 0; i < n; i++) t += i % 7; return t }
%CompileBaseline(routeSum);
%PrepareFunctionForOptimization(hotLoop); hotLoop(10); hotLoop(10); %OptimizeFunctionOnNextCall(hotLoop); hotLoop(10);
globalThis.keep = [routeSum(['a', 'bb']), hotLoop, padding.length];
writeHeapSnapshot(process.argv[1]);
`
const BASE = "import { writeHeapSnapshot } from 'node:v8'; writeHeapSnapshot(process.argv[1])"

let dir: string
let output: string

function snapshot(source: string, file: string): string {
  const out = path.join(dir, file)
  execFileSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', source, out], { stdio: 'ignore', timeout: 30_000 })
  return out
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'heap-breakdown-'))
  const base = snapshot(BASE, 'base.heapsnapshot')
  const hot = snapshot(MODULE, 'hot.heapsnapshot')
  output = execFileSync(process.execPath, ['bench/heap-breakdown.mjs', '--functions', '1000', base, hot], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 })
}, 90_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The second snapshot's KB net of the first, in the row whose label starts with `label`. */
function net(label: string): number {
  const row = output.split('\n').find((line) => line.startsWith(`| ${label}`))
  if (row === undefined) throw new Error(`no row ${label} in:\n${output}`)
  return Number(row.split('|')[3])
}

// The breakdown says how much of a heap figure is code; this checks it files what V8 keeps where
// it belongs, on a module whose code and source we know.
describe('bench/heap-breakdown.mjs', () => {
  it("counts a module's source text, and its literals apart from the functions' bytecode", () => {
    expect(net('source text')).toBeGreaterThanOrEqual(29)
    expect(net('bytecode of ES module bodies')).toBeGreaterThan(0)
  })

  it('tells the machine code of Sparkplug from that of TurboFan, naming the functions', () => {
    expect(net('Sparkplug')).toBeGreaterThan(0)
    expect(net('TurboFan')).toBeGreaterThan(0)
    const functions = output.split('\n').find((line) => line.includes('hot.heapsnapshot:')) ?? ''
    expect(functions).toMatch(/\brouteSum S \d/)
    expect(functions).toMatch(/\bhotLoop T \d/)
  })

  it('files every byte once: the rows add up to the total', () => {
    const rows = output.split('\n').filter((line) => /^\| [a-zA-Z*]/.test(line) && !line.startsWith('| KB'))
    const total = rows.find((line) => line.startsWith('| **total**'))
    const parts = rows.filter((line) => line !== total).map((line) => Number(line.split('|')[2]))
    expect(parts).toHaveLength(10)
    expect(Math.abs(parts.reduce((a, b) => a + b, 0) - Number(total?.split('|')[2]))).toBeLessThan(1)
  })
})
