import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { startDev, type DevSession } from '../../src/cli/commands/dev.js'
import { CliError } from '../../src/cli/load-entry.js'

/*
 * `albatross dev --user` (README § ALB authentication): the curl flow with no cloud. The dev
 * server adds what ALB adds after an authenticate action — x-amzn-oidc-data signed with a local
 * key, or a bearer token on jwt routes — and the example app verifies it with the real verifier.
 */

const SHOP = fileURLToPath(new URL('../../examples/shop/app.ts', import.meta.url))
const OPTIONS = { port: 0, host: '127.0.0.1', multiValue: true, watch: false, timeout: 30 } as const
const sessions: DevSession[] = []
afterAll(async () => {
  for (const s of sessions) await s.close()
})

async function serve(user: string | undefined): Promise<DevSession> {
  const session = await startDev(SHOP, user === undefined ? OPTIONS : { ...OPTIONS, user }, { log: () => {} })
  sessions.push(session)
  return session
}

describe('albatross dev --user', () => {
  it("logs every request to an authenticated route in as the user: README's `npx albatross dev examples/shop/app.ts --user …` and curl", async () => {
    const session = await serve('sub=alice,email=alice@example.com,scope=orders:read')
    const account = await fetch(`${session.url}/account`)
    expect(account.status).toBe(200)
    expect(await account.json()).toEqual({ sub: 'alice', email: 'alice@example.com' })
    // The jwt route gets a bearer token with the same claims; its scope claim satisfies ALB's AdditionalClaims.
    const partner = await fetch(`${session.url}/account/partner-orders`)
    expect(partner.status).toBe(200)
    expect(await partner.json()).toEqual({ partner: 'alice', orders: [] })
    // Routes without @Authenticate get no token headers, as ALB adds none.
    expect((await fetch(`${session.url}/health`)).status).toBe(200)
  })

  it('without --user an authenticated route answers 401 problem+json', async () => {
    const session = await serve(undefined)
    const response = await fetch(`${session.url}/account`)
    expect(response.status).toBe(401)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
  })

  it('reads the claims from a JSON file with --user @file, and refuses an unreadable one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'albatross-user-'))
    try {
      const file = path.join(dir, 'claims.json')
      writeFileSync(file, JSON.stringify({ sub: 'bob', email: 'bob@example.com' }))
      const session = await serve(`@${file}`)
      expect(await (await fetch(`${session.url}/account`)).json()).toEqual({ sub: 'bob', email: 'bob@example.com' })
      await expect(serve(`@${path.join(dir, 'missing.json')}`)).rejects.toThrow(CliError)
      await expect(serve('no-equals-sign')).rejects.toThrow(/name=value pairs/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
