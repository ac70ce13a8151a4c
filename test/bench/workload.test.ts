import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { albatrossSource, canonicalAlbatrossApps } from '../../bench/apps/albatross-source.mjs'
import { bundle } from '../../bench/build.mjs'
import { appSpec } from '../../bench/profile.mjs'
import { verifyHandler, type AlbHandler } from '../../bench/verify.mjs'
import {
  DTO_ROUTE,
  expectedResponse,
  lambdaContext,
  makeEvents,
  makeRequests,
  makeRoutes,
  makeScaleRequests,
  makeScaleRoutes,
  SCALE_UNIT,
  toAlbEvent,
  workloadSets,
  type BenchRequest,
} from '../../bench/workload.mjs'

const repoRoot = path.resolve(import.meta.dirname, '../..')
const PEERS = ['lambda-api', 'hono', 'powertools', 'middy', 'find-my-way']

describe('makeRoutes', () => {
  it('builds the 63-route API with unique method + path pairs and unique names', () => {
    const routes = makeRoutes(63)
    expect(routes).toHaveLength(63)
    expect(new Set(routes.map((r) => `${r.method} ${r.path}`)).size).toBe(63)
    expect(new Set(routes.map((r) => r.name)).size).toBe(63)
    expect(routes.map((r) => r.path)).toContain('/orgs/{org}/projects/{project}/tasks/{id}')
    expect(routes.filter((r) => r.params.length === 0).length).toBeGreaterThanOrEqual(4)
  })

  it.each([10, 100, 1000])('builds %i routes, keeping the canonical ones first', (n) => {
    const routes = makeRoutes(n)
    expect(routes).toHaveLength(n)
    expect(new Set(routes.map((r) => `${r.method} ${r.path}`)).size).toBe(n)
    expect(routes.slice(0, Math.min(n, 63))).toEqual(makeRoutes(63).slice(0, Math.min(n, 63)))
  })
})

// The scaling figure divides 1,000 routes by 10 routes, so the tables differ in size only.
describe('makeScaleRoutes', () => {
  it.each([10, 100, 1000])('builds %i routes as units of the same ten shapes, under names of one length', (n) => {
    const routes = makeScaleRoutes(n)
    expect(routes).toHaveLength(n)
    expect(new Set(routes.map((r) => `${r.method} ${r.path}`)).size).toBe(n)
    expect(new Set(routes.map((r) => r.name)).size).toBe(n)
    const shape = (path: string) => path.replace(/^\/[a-z]{8}(?=\/|$)/, '/{res}')
    routes.forEach((r, i) => {
      const unit = SCALE_UNIT[i % SCALE_UNIT.length]!
      expect([r.method, shape(r.path)]).toEqual([unit.method, unit.path])
    })
  })

  it('keeps the smaller tables as the first units of the larger ones', () => {
    expect(makeScaleRoutes(1000).slice(0, 100)).toEqual(makeScaleRoutes(100))
    expect(makeScaleRoutes(100).slice(0, 10)).toEqual(makeScaleRoutes(10))
  })

  it('refuses a size that is not a whole number of units', () => {
    expect(() => makeScaleRoutes(63)).toThrow(/multiple of 10/)
  })
})

describe('makeScaleRequests', () => {
  const sets = workloadSets()
  const [r10, r100, r1000] = [sets.r10!, sets.r100!, sets.r1000!]
  // A request with its resource name taken out: what every size must share.
  const anonymous = (r: BenchRequest) => ({ ...r, route: r.route && { ...r.route, name: '', path: '' }, path: r.path.replace(/^\/[a-z]{8}(?=\/|$)/, '/{res}') })

  it('sends every size the same requests, but for the unit each routed one names', () => {
    expect(r10.requests).toHaveLength(2000)
    expect(r100.requests.map(anonymous)).toEqual(r10.requests.map(anonymous))
    expect(r1000.requests.map(anonymous)).toEqual(r10.requests.map(anonymous))
    // Same lengths, so the events weigh the same (path, route name in the answer).
    expect(r1000.requests.map((r) => r.path.length)).toEqual(r10.requests.map((r) => r.path.length))
  })

  it('reaches every route of the 1,000, each unit alike', () => {
    const hits = new Map<string, number>()
    for (const r of r1000.requests) if (r.route) hits.set(r.route.name, (hits.get(r.route.name) ?? 0) + 1)
    expect(hits.size).toBe(1000)
    for (const [name, count] of hits) {
      const action = name.slice(name.indexOf('.') + 1)
      const share = SCALE_UNIT.find((u) => u.action === action)!.share
      // 1,900 routed requests over 100 units: each unit gets its share of each shape, ±1.
      expect(Math.abs(count - (1900 * share) / 100 / 100)).toBeLessThan(1)
    }
  })

  it('holds 5% 404s and the unit\'s shares of bodies and methods, and is deterministic', () => {
    expect(r1000.requests.filter((r) => r.route === null)).toHaveLength(100)
    expect(r1000.requests.filter((r) => r.body !== '')).toHaveLength((1900 * 24) / 100 + r1000.requests.filter((r) => !r.route && r.method === 'POST').length)
    expect(makeScaleRequests({ routes: makeScaleRoutes(100) })).toEqual(r100.requests)
    expect(makeScaleRequests({ routes: makeScaleRoutes(100), seed: 1 })).not.toEqual(r100.requests)
  })
})

describe('makeRequests', () => {
  const routes = makeRoutes(63)
  const requests = makeRequests({ routes, count: 1000, seed: 42 })

  it('is deterministic for a seed and differs across seeds', () => {
    expect(makeRequests({ routes, count: 1000, seed: 42 })).toEqual(requests)
    expect(makeRequests({ routes, count: 1000, seed: 43 })).not.toEqual(requests)
  })

  it('sends about 5% of requests to paths no route matches, even with ALB `*` spanning `/`', () => {
    const misses = requests.filter((r) => r.route === null)
    expect(misses.length / requests.length).toBeGreaterThan(0.03)
    expect(misses.length / requests.length).toBeLessThan(0.07)
    // spec/alb.md §3: a `*` can span `/`, so a 404 path must not even share a first segment.
    const firstSegments = new Set(routes.map((r) => r.path.split('/')[1]))
    for (const r of misses) expect(firstSegments.has(r.path.split('/')[1])).toBe(false)
  })

  it('weights the route mix (some routes far more popular than others) and reaches most routes', () => {
    const counts = new Map<string, number>()
    for (const r of requests) if (r.route) counts.set(r.route.name, (counts.get(r.route.name) ?? 0) + 1)
    const sorted = [...counts.values()].sort((a, b) => b - a)
    expect(sorted[0]).toBeGreaterThan(5 * (sorted[sorted.length - 1] ?? 0))
    expect(counts.size).toBeGreaterThan(55)
  })

  it('gives each request 7–13 lower-case headers, host and x-forwarded-* among them', () => {
    for (const r of requests) {
      expect(r.headers.length).toBeGreaterThanOrEqual(7)
      expect(r.headers.length).toBeLessThanOrEqual(13)
      const names = r.headers.map(([name]) => name)
      for (const name of names) expect(name).toBe(name.toLowerCase())
      expect(names).toEqual(expect.arrayContaining(['host', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port', 'x-amzn-trace-id']))
    }
    const counts = new Set(requests.map((r) => r.headers.length))
    expect(counts.has(7) || counts.has(8)).toBe(true)
    expect(counts.has(13)).toBe(true)
  })

  it('leaves query values URL-encoded, as ALB forwards them (spec/alb.md §6)', () => {
    const encoded = requests.filter((r) => r.query.some(([k, v]) => k === 'q' && /%[0-9A-F]{2}/.test(v)))
    expect(encoded.length).toBeGreaterThan(requests.length / 3)
    expect(requests.some((r) => r.query.some(([, v]) => v === 'hello%20world'))).toBe(true)
  })

  it('carries a JSON body with a name on POST and PUT, and an empty body otherwise', () => {
    for (const r of requests) {
      if (r.method === 'POST' || r.method === 'PUT') {
        expect(typeof JSON.parse(r.body).name).toBe('string')
        expect(r.headers).toContainEqual(['content-type', 'application/json'])
      } else {
        expect(r.body).toBe('')
      }
    }
  })

  it('aims every request at one route when asked (the DTO comparison)', () => {
    const only = makeRequests({ routes, count: 50, seed: 1, onlyRoute: DTO_ROUTE })
    expect(new Set(only.map((r) => r.route?.name))).toEqual(new Set([DTO_ROUTE]))
  })
})

describe('toAlbEvent', () => {
  const [request] = makeRequests({ routes: makeRoutes(63), count: 1, seed: 7 }) as [BenchRequest]
  const withRepeat: BenchRequest = { ...request, query: [...request.query, ['tag', 'a'], ['tag', 'b%20c']] }

  it('uses headers and queryStringParameters in single-value mode, keeping the last repeated value', () => {
    const event = toAlbEvent(withRepeat, 'single')
    expect(Object.keys(event)).toEqual(['requestContext', 'httpMethod', 'path', 'queryStringParameters', 'headers', 'body', 'isBase64Encoded'])
    expect(event.queryStringParameters?.tag).toBe('b%20c')
    expect(event.headers?.host).toBe(request.headers.find(([k]) => k === 'host')?.[1])
    expect(event.requestContext.elb.targetGroupArn).toMatch(/^arn:aws:elasticloadbalancing:/)
  })

  it('uses multiValueHeaders and multiValueQueryStringParameters in multi-value mode, every value kept', () => {
    const event = toAlbEvent(withRepeat, 'multi')
    expect(Object.keys(event)).toEqual(['requestContext', 'httpMethod', 'path', 'multiValueQueryStringParameters', 'multiValueHeaders', 'body', 'isBase64Encoded'])
    expect(event.multiValueQueryStringParameters?.tag).toEqual(['a', 'b%20c'])
    expect(Object.keys(event.multiValueHeaders ?? {})).toHaveLength(request.headers.length)
  })

  it('builds both modes from the same requests', () => {
    const requests = makeRequests({ routes: makeRoutes(63), count: 20, seed: 3 })
    const { single, multi } = makeEvents(requests)
    expect(single.map((e) => e.path)).toEqual(multi.map((e) => e.path))
    expect(single.every((e) => e.multiValueHeaders === undefined)).toBe(true)
    expect(multi.every((e) => e.headers === undefined)).toBe(true)
  })
})

describe('expectedResponse', () => {
  it('answers with the route, its last path parameter, the decoded q and page, and the body name', () => {
    const request: BenchRequest = {
      route: makeRoutes(63).find((r) => r.name === 'tasks.update') ?? null,
      method: 'PUT',
      path: '/orgs/acme/projects/p1/tasks/42',
      params: { org: 'acme', project: 'p1', id: '42' },
      query: [['q', 'caf%C3%A9%20cr%C3%A8me'], ['page', '3']],
      headers: [],
      body: '{"name":"Zoë"}',
    }
    expect(expectedResponse(request)).toEqual({
      status: 200,
      body: { route: 'tasks.update', id: '42', q: 'café crème', page: '3', name: 'Zoë' },
    })
    expect(expectedResponse({ ...request, route: null })).toEqual({ status: 404, body: { message: 'Not Found' } })
  })
})

describe('bench/apps/albatross*.ts', () => {
  it('are exactly what albatross-source.mjs generates for the canonical table', async () => {
    for (const [file, source] of Object.entries(await canonicalAlbatrossApps())) {
      expect(readFileSync(path.join(repoRoot, 'bench', 'apps', file), 'utf8'), `${file} is stale: run node bench/apps/albatross-source.mjs`).toBe(source)
    }
  })

  // A controller prefix is joined to a RegExp method path as literal text, so a `{name}` left in
  // the prefix would be matched literally and capture nothing (createApp refuses that @Param).
  it('with RegExp paths, every capture is a named group of the method\'s RegExp', () => {
    const source = albatrossSource(makeRoutes(1000), { regexPaths: true })
    const prefixes = [...source.matchAll(/@Controller\('([^']*)'\)/g)].map((m) => m[1])
    expect(prefixes.length).toBeGreaterThan(100)
    for (const prefix of prefixes) expect(prefix).not.toContain('{')
    expect(source).toContain('@Get(/^\\/(?<id>[^\\/]+)$/)')
  })
})

// Correctness, not timing: every peer, bundled as deployed, gives the same answers as the
// hand-written baseline (and as the workload's expectation).
describe('peer apps, bundled', () => {
  let dir: string
  const handlers = new Map<string, AlbHandler>()
  const sets = workloadSets(0x5eed, 200)
  const sample = sets.main!.requests.slice(0, 50)
  const everyRoute = makeRoutes(63).flatMap((r) => makeRequests({ routes: [r], count: 1, seed: 9, notFoundRate: 0 }))

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'albatross-bench-'))
    for (const name of ['baseline', ...PEERS]) {
      const out = path.join(dir, `${name}.mjs`)
      await bundle(path.join(repoRoot, 'bench', 'apps', `${name}.mjs`), out)
      const mod = (await import(pathToFileURL(out).href)) as { handler: AlbHandler }
      handlers.set(name, mod.handler)
    }
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('the sample holds 404s, bodies and both header modes', () => {
    expect(sample.some((r) => r.route === null)).toBe(true)
    expect(sample.some((r) => r.body !== '')).toBe(true)
  })

  it('the baseline answers every route and the sample as the workload expects', async () => {
    const baseline = handlers.get('baseline')!
    expect((await verifyHandler(baseline, everyRoute)).mismatches).toEqual([])
    expect((await verifyHandler(baseline, sample)).mismatches).toEqual([])
  })

  it.each(PEERS)('%s answers 50 sample events with the same status and JSON as the baseline', async (name) => {
    const peer = handlers.get(name)!
    const baseline = handlers.get('baseline')!
    for (const mode of ['single', 'multi'] as const) {
      for (const request of sample) {
        const a = await peer(toAlbEvent(request, mode), lambdaContext())
        const b = await baseline(toAlbEvent(request, mode), lambdaContext())
        expect({ mode, path: request.path, status: a.statusCode, body: JSON.parse(a.body) }).toEqual({
          mode,
          path: request.path,
          status: b.statusCode,
          body: JSON.parse(b.body),
        })
      }
    }
    expect((await verifyHandler(peer, everyRoute)).mismatches).toEqual([])
  })
})

// albatross is measured only once it is importable; until then this block says why it is skipped.
const albatrossIndex = path.join(repoRoot, 'src', 'index.ts')
describe.skipIf(!existsSync(albatrossIndex))('albatross apps, bundled (skipped while src/index.ts is absent)', () => {
  it.each(['albatross', 'albatross-dto'])('%s answers every route and 50 sample events as the workload expects', async (name) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'albatross-bench-'))
    try {
      const out = path.join(dir, `${name}.mjs`)
      await bundle(path.join(repoRoot, 'bench', 'apps', `${name}.ts`), out)
      const { handler } = (await import(pathToFileURL(out).href)) as { handler: AlbHandler }
      await expectEveryRouteAndSample(handler)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  // The apps as the README's recipe deploys them (and their albatross/compiled twins): their verified table written by `albatross check
  // --out`, bundled without --keep-names, so their routes are named from the table.
  it.each(['albatross-table', 'albatross-dto-table', 'albatross-compiled', 'albatross-dto-compiled'])('%s answers every route and 50 sample events as the workload expects', { timeout: 60_000 }, async (name) => {
    const build = path.join(repoRoot, 'bench', '.build')
    mkdirSync(build, { recursive: true })
    const dir = mkdtempSync(path.join(build, 'checked-'))
    try {
      const { entry, keepNames } = appSpec(name, dir)
      expect(keepNames).toBe(false)
      const { outfile } = await bundle(entry, path.join(dir, `${name}.mjs`), { keepNames })
      const { handler } = (await import(pathToFileURL(outfile).href)) as { handler: AlbHandler }
      await expectEveryRouteAndSample(handler)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  // The scaling apps, glob and RegExp paths, on a table of the benchmark's own size class.
  it.each([false, true])('the 100-route scaling app (RegExp paths: %s) answers the r100 events as the workload expects', { timeout: 60_000 }, async (regexPaths) => {
    const build = path.join(repoRoot, 'bench', '.build')
    mkdirSync(build, { recursive: true })
    const dir = mkdtempSync(path.join(build, 'scale-'))
    try {
      const entry = path.join(dir, 'app.ts')
      const srcImport = path.relative(dir, path.join(repoRoot, 'src', 'index.js')).split(path.sep).join('/')
      writeFileSync(entry, albatrossSource(makeScaleRoutes(100), { srcImport, regexPaths }))
      const { outfile } = await bundle(entry, path.join(dir, 'app.mjs'))
      const { handler } = (await import(pathToFileURL(outfile).href)) as { handler: AlbHandler }
      expect((await verifyHandler(handler, workloadSets(0x5eed, 200).r100!.requests)).mismatches).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

/** The handler answers one request to every route of the 63-route table and 50 sample events of each set as the workload expects. */
async function expectEveryRouteAndSample(handler: AlbHandler): Promise<void> {
  const everyRoute = makeRoutes(63).flatMap((r) => makeRequests({ routes: [r], count: 1, seed: 9, notFoundRate: 0 }))
  expect((await verifyHandler(handler, everyRoute)).mismatches).toEqual([])
  const sample = workloadSets(0x5eed, 50)
  expect((await verifyHandler(handler, sample.main!.requests)).mismatches).toEqual([])
  expect((await verifyHandler(handler, sample.dto!.requests)).mismatches).toEqual([])
}
