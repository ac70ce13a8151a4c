import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ALBResult } from '../../src/alb/types.js'
import { All, Controller, FixedResponse, Get, Header, Post, Query, albEvent, createApp, reply, type App } from '../../src/index.js'
import { renderManifest } from '../../src/manifest/index.js'
import { evaluateListener, type ListenerRequest } from './alb-evaluator.js'
import { eventInputOf } from './listener-request.js'

/*
 * Issue #11 item 1. ALB's http-header and query-string conditions hold when *any* occurrence of a
 * repeated header or query key matches (spec/alb.md §2.2, §2.5, §6 #9); in single-value mode the
 * Lambda sees only the last one (§4.2). So the mode the manifest deploys decides whether the
 * catch-all Lambda picks the route ALB would. The property: for random tables of header and query
 * conditions and random requests repeating headers and keys, the handler — fed the event in the
 * header mode the catch-all manifest sets on its target group — answers from the route that a
 * naive ALB evaluator seeing every occurrence picks from the per-route manifest.
 *
 * HEADER_MODE_RUNS sets the number of apps (CI default 1,250, four requests each: 5,000 cases).
 */

const RUNS = Number(process.env['HEADER_MODE_RUNS'] ?? 1250)
const REQUESTS_PER_APP = 4

type Cond =
  | { readonly kind: 'header'; readonly name: string; readonly values: readonly string[] }
  | { readonly kind: 'query'; readonly key: string; readonly values: readonly string[] }

interface RouteGen {
  readonly verb: 'Get' | 'Post' | 'All'
  readonly path: string
  readonly conditions: readonly Cond[]
  readonly fixed: boolean
}

const HEADER_NAMES = ['x-a', 'x-b']
const HEADER_VALUES = ['on', 'off', 'o*', 'yes', '?n']
const QUERY_KEYS = ['q', 'v', '*']
const QUERY_VALUES = ['1', '2', 'a*', 'x']
const PATHS = ['/p', '/p/*', '/*']

const condition: fc.Arbitrary<Cond> = fc.oneof(
  fc
    .record({ name: fc.constantFrom(...HEADER_NAMES), values: fc.uniqueArray(fc.constantFrom(...HEADER_VALUES), { minLength: 1, maxLength: 2 }) })
    .map((r): Cond => ({ kind: 'header', ...r })),
  fc
    .record({ key: fc.constantFrom(...QUERY_KEYS), values: fc.uniqueArray(fc.constantFrom(...QUERY_VALUES), { minLength: 1, maxLength: 2 }) })
    .map((r): Cond => ({ kind: 'query', ...r })),
)

const route: fc.Arbitrary<RouteGen> = fc.record({
  verb: fc.constantFrom('Get' as const, 'Post' as const, 'All' as const),
  path: fc.constantFrom(...PATHS),
  conditions: fc.array(condition, { minLength: 0, maxLength: 2 }),
  fixed: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
})

const tableGen = fc.array(route, { minLength: 1, maxLength: 5 })

const REQUEST_HEADER_VALUES = ['on', 'off', 'ON', 'yes', 'no', 'an', '']
const REQUEST_QUERY_VALUES = ['1', '2', 'a', 'ab', 'x', '']

/** Requests that repeat headers and query keys often: that is where the modes differ. */
const requestGen: fc.Arbitrary<ListenerRequest> = fc.record({
  method: fc.constantFrom('GET', 'POST'),
  path: fc.constantFrom('/p', '/p/1', '/q'),
  host: fc.constant('example.com'),
  headers: fc.array(fc.tuple(fc.constantFrom('x-a', 'X-A', 'x-b'), fc.constantFrom(...REQUEST_HEADER_VALUES)), { maxLength: 4 }),
  query: fc.array(fc.tuple(fc.constantFrom('q', 'v', 'Q'), fc.constantFrom(...REQUEST_QUERY_VALUES)), { maxLength: 4 }),
  sourceIp: fc.constant('203.0.113.10'),
})

const VERBS = { Get, Post, All }

function declare(routes: readonly RouteGen[]): new () => object {
  const Cls = class Generated {}
  routes.forEach((r, i) => {
    const method = `m${i}`
    const source = `Generated.${method}`
    Object.defineProperty(Cls.prototype, method, {
      value: () => reply({ route: source }, { headers: { 'x-route': source } }),
      writable: true,
      configurable: true,
    })
    const descriptor = Object.getOwnPropertyDescriptor(Cls.prototype, method) as PropertyDescriptor
    const decorators: MethodDecorator[] = [
      VERBS[r.verb](r.path),
      ...r.conditions.map((c) => (c.kind === 'header' ? Header(c.name, ...c.values) : Query(c.key, ...c.values))),
    ]
    // A fixed response answers with a status of its own, so the handler's answer names the route.
    if (r.fixed) decorators.push(FixedResponse(460 + i, source, 'text/plain'))
    for (const d of decorators.reverse()) d(Cls.prototype, method, descriptor)
  })
  Controller()(Cls)
  return Cls
}

/** The header mode the catch-all manifest gives the target group it creates (spec/alb.md §4.9). */
function deployedMode(app: App): boolean {
  const template = JSON.parse(
    renderManifest(app.table, { format: 'cloudformation', mode: 'catch-all', json: true, multiValueHeaders: app.needsMultiValueHeaders }),
  ) as { Resources: Record<string, { Type: string; Properties: { TargetGroupAttributes?: { Key: string; Value: string }[] } }> }
  const group = Object.values(template.Resources).find((r) => r.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup')
  const attribute = group?.Properties.TargetGroupAttributes?.find((a) => a.Key === 'lambda.multi_value_headers.enabled')
  if (attribute === undefined) throw new Error('the catch-all manifest sets no header mode')
  return attribute.Value === 'true'
}

function perRouteResources(app: App): Record<string, unknown> {
  const text = renderManifest(app.table, { format: 'cloudformation', mode: 'per-route', json: true, maxRules: 50000 })
  return (JSON.parse(text) as { Resources: Record<string, unknown> }).Resources
}

function answeredBy(result: ALBResult, app: App): string {
  const route = result.multiValueHeaders?.['x-route']?.[0] ?? result.headers?.['x-route']
  if (route !== undefined) return String(route)
  if (result.statusCode >= 460 && result.statusCode < 470) return `Generated.m${result.statusCode - 460}`
  if (result.statusCode === app.defaultAction.statusCode) return 'default'
  return `unidentified ${JSON.stringify(result)}`
}

describe('the header mode every manifest deploys', () => {
  it(`makes the catch-all Lambda agree with ALB on repeated headers and query keys (${RUNS * REQUESTS_PER_APP} cases; spec/alb.md §2.2, §2.5, §6 #9)`, async () => {
    const stats = { cases: 0, multiValueApps: 0, differOnLastValue: 0 }
    await fc.assert(
      fc.asyncProperty(tableGen, fc.array(requestGen, { minLength: REQUESTS_PER_APP, maxLength: REQUESTS_PER_APP }), async (routes, requests) => {
        const app = createApp({ controllers: [declare(routes)], onError: () => {} })
        const multiValue = deployedMode(app)
        if (multiValue) stats.multiValueApps++
        const resources = perRouteResources(app)
        for (const request of requests) {
          stats.cases++
          const alb = evaluateListener(resources, request).route
          const event = albEvent({ ...eventInputOf(request), multiValue })
          const answered = answeredBy(await app.handler(event), app)
          // What a single-value deployment would have answered: counted, to show the cases bite.
          if (multiValue && answeredBy(await app.handler(albEvent({ ...eventInputOf(request), multiValue: false })), app) !== alb) {
            stats.differOnLastValue++
          }
          expect({ routes, request, answered }).toEqual({ routes, request, answered: alb })
        }
      }),
      { numRuns: RUNS },
    )
    expect(stats.cases).toBeGreaterThanOrEqual(RUNS * REQUESTS_PER_APP)
    // Not vacuous: many apps need multi-value mode, and single-value mode would have been wrong often.
    expect(stats.multiValueApps / RUNS).toBeGreaterThan(0.5)
    expect(stats.differOnLastValue).toBeGreaterThan(RUNS / 50)
  })
})
