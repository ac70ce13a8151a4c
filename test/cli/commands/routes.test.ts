import { describe, expect, it, vi } from 'vitest'

// Issue #12 § 9: `albatross routes --json` ran the shadowed-rule check twice. Counted here by
// wrapping the real check.
const calls = vi.hoisted(() => ({ count: 0 }))
vi.mock('../../../src/rules/shadow.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/rules/shadow.js')>()
  return {
    ...original,
    findShadowedRules: (table: Parameters<typeof original.findShadowedRules>[0]) => {
      calls.count++
      return original.findShadowedRules(table)
    },
  }
})

const { routesOutput } = await import('../../../src/cli/commands/routes.js')
const { default: shadowed } = await import('../fixtures/shadowed.js')
// The CLI's duck type of an app (load-entry.ts), which takes an event of any shape.
const app = shadowed as unknown as import('../../../src/cli/load-entry.js').LoadedApp

describe('routesOutput', () => {
  it('runs the shadowed-rule check once for --json, and reports what the text output warns about', () => {
    calls.count = 0
    const json = JSON.parse(routesOutput(app, { json: true }).stdout) as { shadowed: { source: string; by: string }[] }
    expect(calls.count).toBe(1)
    expect(json.shadowed).toEqual([{ source: 'Files.readme', by: 'Files.all' }])
    calls.count = 0
    const text = routesOutput(app, {})
    expect(calls.count).toBe(1)
    expect(text.warnings).toEqual([
      'warning: Files.readme (priority 1000) can never match: Files.all (priority 5) matches every request it would. Give it a lower @Priority or narrow Files.all.',
    ])
  })
})
