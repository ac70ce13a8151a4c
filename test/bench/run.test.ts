import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const repoRoot = path.resolve(import.meta.dirname, '../..')

// A smoke run of the runner (`npm run bench -- --quick`, cut down to two handlers) so the
// benchmark cannot rot unnoticed. It checks the shape of what comes out, never a timing.
describe('bench/run.mjs --quick', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'albatross-bench-run-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('measures, prints markdown tables and writes the results JSON', { timeout: 180_000 }, () => {
    const out = path.join(dir, 'results.json')
    const stdout = execFileSync(
      process.execPath,
      ['bench/run.mjs', '--quick', '--only', 'baseline,middy', '--rounds', '1', '--duration', '40', '--warmup', '20', '--cold-runs', '1', '--out', out],
      { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 170_000 },
    )
    expect(stdout).toContain('## Throughput, single-value headers')
    expect(stdout).toContain('## Throughput, multi-value headers')
    expect(stdout).toMatch(/\| \*\*middy\*\* \| [\d,]+ \|/)
    expect(stdout).toContain('× baseline')

    const results = JSON.parse(readFileSync(out, 'utf8'))
    expect(results.node).toBe(process.version)
    expect(results.workload).toMatchObject({ routes: 63, events: 1000 })
    expect(results.mainApps).toEqual(['baseline', 'middy'])
    for (const name of ['baseline', 'middy']) {
      const app = results.apps[name]
      expect(app.verify.main).toMatchObject({ checked: 2000, failed: 0 })
      for (const mode of ['single', 'multi']) expect(Number.isFinite(app.throughput[mode].median)).toBe(true)
      expect(app.bundle.bytes).toBeGreaterThan(0)
      expect(app.bundle.gzipBytes).toBeLessThan(app.bundle.bytes)
      expect(Number.isFinite(app.cold.inProcessMs.median)).toBe(true)
      expect(Number.isFinite(app.cold.processCpuNetMs.median)).toBe(true)
      expect(Number.isFinite(app.memory.single.heapUsed.median)).toBe(true)
      // The comparable figure: heap after the same number of invocations for every handler.
      expect(app.memory.afterInvocations).toMatchObject([{ invocations: 1000, heapUsed: { n: 1 } }])
      expect(app.memory.afterInvocations[0].heapUsed.median).toBeGreaterThan(0)
    }
    expect(stdout).toContain('## Memory: heap used after the same single-value invocations')
    expect(stdout).toContain('after 1,000: median (min–max)')
    expect(Number.isFinite(results.ratios['throughput.single'].middy.baseline)).toBe(true)
  })

  it('refuses a malformed option or an unknown handler instead of measuring something else', () => {
    expect(() =>
      execFileSync(process.execPath, ['bench/run.mjs', '--rounds'], { cwd: repoRoot, stdio: 'pipe' }),
    ).toThrow(/--rounds needs a value/)
    expect(() =>
      execFileSync(process.execPath, ['bench/run.mjs', '--only', 'express'], { cwd: repoRoot, stdio: 'pipe' }),
    ).toThrow(/unknown app express/)
  })
})
