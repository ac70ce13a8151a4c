import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { bundle } from '../../bench/build.mjs'
import { findMyWaySource, oracleSource } from '../../bench/apps/scaled-peers.mjs'
import { verifyHandler, type AlbHandler } from '../../bench/verify.mjs'
import { workloadSets } from '../../bench/workload.mjs'

// The scaling references (bench/apps/scaled-peers.mjs) are compared with albatross only if they
// answer their event set as the workload expects.
describe('scaling references', () => {
  const apps = { 'find-my-way-r100': findMyWaySource, 'oracle-r100': oracleSource }
  it.each(Object.keys(apps))('%s answers the r100 events as the workload expects', { timeout: 60_000 }, async (app) => {
    // Inside the repository, where the bundle resolves find-my-way from node_modules.
    const build = path.resolve(import.meta.dirname, '../../bench/.build')
    mkdirSync(build, { recursive: true })
    const dir = mkdtempSync(path.join(build, 'peers-'))
    try {
      const entry = path.join(dir, `${app}.src.mjs`)
      const helpers = path.relative(dir, path.resolve(import.meta.dirname, '../../bench/apps/alb-helpers.mjs'))
      writeFileSync(entry, apps[app as keyof typeof apps](100, helpers))
      const { outfile } = await bundle(entry, path.join(dir, `${app}.mjs`))
      const { handler } = (await import(pathToFileURL(outfile).href)) as { handler: AlbHandler }
      expect((await verifyHandler(handler, workloadSets().r100!.requests)).mismatches).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
