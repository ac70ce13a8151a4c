import { describe, expect, it, vi } from 'vitest'

// The checking createApp (app.ts) reads albatross/compiled's table checks from
// verified-table/mode.ts, where albatross/testing and lambda-checks.ts register them: app.ts
// imports none of them, so an app bundled from `albatross` carries none. An app handed over for
// albatross/compiled without them is refused, never given a table its Lambda would refuse.
describe('the checks of albatross/compiled, as the checking createApp reads them', () => {
  it('refuses an app handed over for albatross/compiled when they are not loaded', async () => {
    vi.resetModules()
    const { createApp, Controller, Get } = await import('../../src/index.js')
    const { REQUIRES, registeredCompiledChecks } = await import('../../src/verified-table/mode.js')
    expect(registeredCompiledChecks()).toBeUndefined()
    @Controller('/pets')
    class Pets {
      @Get()
      list() {
        return []
      }
    }
    expect(() => createApp({ controllers: [Pets], [REQUIRES]: 'compiled' } as never)).toThrow(/albatross\/compiled: the checks of albatross\/compiled are not loaded/)
    // The same app for albatross/lambda or albatross: built as always.
    expect(createApp({ controllers: [Pets] }).table.rules).toHaveLength(1)
  })

  it('are loaded by albatross/testing and by what albatross/compiled imports under the CLI', async () => {
    vi.resetModules()
    await import('../../src/testing.js')
    const { registeredCompiledChecks } = await import('../../src/verified-table/mode.js')
    expect(registeredCompiledChecks()).toBeTypeOf('function')
    vi.resetModules()
    await import('../../src/lambda-checks.js')
    const again = await import('../../src/verified-table/mode.js')
    expect(again.registeredCompiledChecks()).toBeTypeOf('function')
  })
})
