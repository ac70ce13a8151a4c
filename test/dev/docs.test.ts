import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDev, type DevSession } from '../../src/cli/commands/dev.js'
import { createDocs, docsShadows, globCanStartWith } from '../../src/dev/docs.js'
import { Controller, Get, Post, createApp } from '../../src/index.js'
import type { OpenApiDocument } from '../../src/openapi/index.js'
import { expectValidOpenApi } from '../openapi/valid-openapi.js'

// Issue #15 point 8: `albatross dev --docs` serves the OpenAPI document and a Swagger UI page
// (swagger-ui-dist from node_modules, no CDN) under a prefix no route uses, and refuses to start
// when a route would be shadowed.

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const SHOP = path.join(repoRoot, 'examples/shop/app.ts')
const OPTIONS = { port: 0, host: '127.0.0.1', multiValue: true, watch: false, timeout: 30 }
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)

describe('docsShadows', () => {
  @Controller('/')
  class Routes {
    @Get('/*') everything() {}
    @Get('/users/*') users() {}
    @Get('/__albatross/*') mine() {}
    @Get('/__alba?ross/docs') single() {}
    @Post('/*') posts() {}
    @Get(/^\/__[a-z]+\/openapi\.json$/) regex() {}
    @Get('/__albatrossy/x') near() {}
  }
  const rules = createApp({ controllers: [Routes] }).routes()

  it('finds every GET route that can match a path under the prefix, and no other', () => {
    expect(docsShadows(rules, '/__albatross').map((r) => r.source).sort()).toEqual(
      ['Routes.everything', 'Routes.mine', 'Routes.regex', 'Routes.single'],
    )
    expect(docsShadows(rules, '/api-docs').map((r) => r.source)).toEqual(['Routes.everything'])
  })

  it('decides glob prefixes exactly: * spans /, ? is one character (spec/alb.md §2.0)', () => {
    expect(globCanStartWith('/*', '/__albatross/')).toBe(true)
    expect(globCanStartWith('*.css', '/__albatross/')).toBe(true)
    expect(globCanStartWith('/__albatross', '/__albatross/')).toBe(false)
    expect(globCanStartWith('/__albatros?/x', '/__albatross/')).toBe(true)
    expect(globCanStartWith('/__albatros?x', '/__albatross/')).toBe(false)
  })
})

describe('startDev --docs with the example shop', () => {
  let session: DevSession
  const lines: string[] = []
  beforeAll(async () => {
    session = await startDev(SHOP, { ...OPTIONS, docs: true }, { log: (line) => lines.push(line) })
  })
  afterAll(() => session.close())

  it('says where the reference page is', () => {
    expect(lines).toContain(`API reference: ${session.url}/__albatross/docs  (OpenAPI: ${session.url}/__albatross/openapi.json)`)
  })

  it('serves the document, valid, pointing "Try it out" at the dev server', async () => {
    const response = await fetch(`${session.url}/__albatross/openapi.json`)
    expect(response.status).toBe(200)
    const document = (await response.json()) as OpenApiDocument
    expect(document.servers).toEqual([{ url: session.url, description: 'albatross dev' }])
    await expectValidOpenApi(document)
    expect((await fetch(`${session.url}/__albatross/openapi.yaml`)).headers.get('content-type')).toMatch(/yaml/)
  })

  it('serves the page and Swagger UI from node_modules, and nothing else from disk', async () => {
    const page = await fetch(`${session.url}/__albatross/docs`)
    expect(page.headers.get('content-type')).toMatch(/text\/html/)
    expect(await page.text()).toContain('./swagger-ui/swagger-ui-bundle.js')
    expect((await fetch(`${session.url}/__albatross/swagger-ui/swagger-ui-bundle.js`)).status).toBe(200)
    for (const probe of ['/swagger-ui/package.json', '/swagger-ui/%2e%2e/%2e%2e/package.json', '/nothing']) {
      expect((await fetch(`${session.url}/__albatross${probe}`)).status, probe).toBe(404)
    }
  })

  it('leaves every other request to the app', async () => {
    expect(await (await fetch(`${session.url}/health`)).text()).toBe('ok')
    // A POST under the prefix is not the docs' (they answer GET and HEAD): the app's default action.
    expect((await fetch(`${session.url}/__albatross/docs`, { method: 'POST' })).status).toBe(404)
  })

  it.skipIf(!hasChromium)(
    `shows every operation in headless Chromium, loading nothing from outside${hasChromium ? '' : ` (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium)`}`,
    async () => {
      const { chromium } = await import('playwright-core')
      const profile = mkdtempSync(path.join(tmpdir(), 'albatross-chromium-'))
      // A persistent context is how playwright takes a --user-data-dir: a fresh one per run.
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      })
      try {
        const openapi = (await (await fetch(`${session.url}/__albatross/openapi.json`)).json()) as OpenApiDocument
        const expected = Object.values(openapi.paths).flatMap((item) => Object.values(item).map((op) => op.operationId))
        const page = await context.newPage()
        const requested: string[] = []
        page.on('request', (request) => requested.push(request.url()))
        await page.goto(`${session.url}/__albatross/docs`)
        await page.waitForFunction(`document.querySelectorAll('.opblock').length === ${expected.length}`, undefined, { timeout: 30_000 })
        const shown = await page.$$eval('.opblock-summary-operation-id', (nodes) => nodes.map((n) => n.textContent?.trim()))
        expect(shown.sort()).toEqual([...expected].sort())
        // Swagger UI reads an openIdConnect scheme's discovery document (the IdP's, for its Authorize
        // dialog): the one outside address the document itself names. Nothing else leaves the machine.
        const discovery = new Set(Object.values(openapi.components.securitySchemes ?? {}).map((s) => s['openIdConnectUrl']))
        expect(requested.filter((url) => !url.startsWith(session.url) && !url.startsWith('data:') && !discovery.has(url))).toEqual([])
      } finally {
        await context.close()
        rmSync(profile, { recursive: true, force: true })
      }
    },
  )
})

describe('startDev --docs refuses', () => {
  it('a prefix a route could match, naming the route', async () => {
    const catchAll = path.join(repoRoot, 'test/dev/fixtures/catch-all.ts')
    await expect(startDev(catchAll, { ...OPTIONS, docs: true }, { log: () => {} })).rejects.toThrow(
      /--docs would answer GET \/__albatross\/… in front of the app and shadow Proxy\.any/,
    )
  })

  it('a prefix that is not a plain absolute path', async () => {
    await expect(startDev(SHOP, { ...OPTIONS, docs: 'docs' }, { log: () => {} })).rejects.toThrow(/--docs prefix must be an absolute path/)
  })

  it('without swagger-ui-dist, saying how to install it', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'albatross-no-ui-'))
    try {
      expect(() => createDocs({ prefix: '/__albatross', document: () => Promise.reject(new Error('unused')), searchFrom: [empty] })).toThrow(
        /npm install --save-dev swagger-ui-dist/,
      )
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })

  it('serves under a custom prefix', async () => {
    const session = await startDev(SHOP, { ...OPTIONS, docs: '/reference/' }, { log: () => {} })
    try {
      expect((await fetch(`${session.url}/reference/openapi.json`)).status).toBe(200)
    } finally {
      await session.close()
    }
  })
})
