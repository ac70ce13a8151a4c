import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const repoRoot = path.resolve(import.meta.dirname, '../..')

function compare(...args: string[]): string {
  return execFileSync(process.execPath, ['bench/compare.mjs', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 100_000,
  })
}

// The paired comparison is a tool for changing code; this checks what it prints, never a timing.
describe('bench/compare.mjs', () => {
  it('prints one row per handler, each as a ratio to the first by wall clock and by CPU time', { timeout: 120_000 }, () => {
    const stdout = compare('--seconds', '0.2', '--mode', 'multi', 'baseline', 'middy')
    const rows = stdout.trim().split('\n').slice(2)
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatch(/^\| baseline \| [\d,]+ \| 1\.00× \| [\d,]+ \| 1\.00× \|$/)
    expect(rows[1]).toMatch(/^\| middy \| [\d,]+ \| \d+\.\d\d× \| [\d,]+ \| \d+\.\d\d× \|$/)
  })

  it('refuses an unknown event set, naming the ones there are', () => {
    expect(() => compare('--set', 'nope', 'baseline')).toThrow(/--set must be one of main, dto, r10/)
  })
})
