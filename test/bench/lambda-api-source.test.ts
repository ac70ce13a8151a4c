import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { bundle } from '../../bench/build.mjs'
import { lambdaApiPerRouteSource } from '../../bench/apps/lambda-api-source.mjs'
import { verifyHandler, type AlbHandler } from '../../bench/verify.mjs'
import { workloadSets } from '../../bench/workload.mjs'

// `lambda-api-fn` is compared with albatross only if it answers the main events as the workload
// expects, with a function of its own per route.
describe('lambda-api with a handler function per route (bench/apps/lambda-api-source.mjs)', () => {
  it('registers 63 handler functions, one per route', () => {
    expect(lambdaApiPerRouteSource().match(/^api\.METHOD\(/gm)).toHaveLength(63)
  })

  it('answers the main events as the workload expects', { timeout: 60_000 }, async () => {
    // Inside the repository, where the bundle resolves lambda-api from node_modules.
    const build = path.resolve(import.meta.dirname, '../../bench/.build')
    mkdirSync(build, { recursive: true })
    const dir = mkdtempSync(path.join(build, 'lambda-api-fn-'))
    try {
      const entry = path.join(dir, 'lambda-api-fn.src.mjs')
      writeFileSync(entry, lambdaApiPerRouteSource())
      const { outfile } = await bundle(entry, path.join(dir, 'lambda-api-fn.mjs'))
      const { handler } = (await import(pathToFileURL(outfile).href)) as { handler: AlbHandler }
      expect((await verifyHandler(handler, workloadSets().main!.requests)).mismatches).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
