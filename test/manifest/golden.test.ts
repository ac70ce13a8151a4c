import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { app } from '../../examples/shop/app.js'
import { parseEvent } from '../../src/alb/parse-event.js'
import { albEvent } from '../../src/index.js'
import { renderManifest, type ManifestOptions } from '../../src/manifest/index.js'
import { compileRouter } from '../../src/router/compile.js'
import { evaluateTemplate, listenerRules, type ListenerRequest } from './alb-evaluator.js'
import { repoRoot } from './factories.js'

/*
 * The example app's manifests, every format × mode, against files reviewed by hand against the
 * AWS shapes in spec/alb.md §5. A change to any of them is a change to what users deploy: look at
 * the diff, then regenerate with
 *   UPDATE_GOLDEN=1 npx vitest run test/manifest/golden.test.ts
 */

const goldenDir = path.join(repoRoot, 'test/manifest/golden')
const update = process.env['UPDATE_GOLDEN'] === '1'

const GOLDEN_FORMATS = [
  { format: 'cloudformation', json: false, extension: 'cloudformation.yaml' },
  { format: 'cloudformation', json: true, extension: 'cloudformation.json' },
  { format: 'terraform', json: false, extension: 'tf' },
  { format: 'terraform', json: true, extension: 'tf.json' },
  { format: 'aws-cli', json: false, extension: 'aws-cli.json' },
] as const
const GOLDEN_MODES = ['catch-all', 'per-route'] as const

/** What `albatross manifest examples/shop/app.ts --format … --mode …` writes (no --target, no --listener). */
function render(format: ManifestOptions['format'], mode: ManifestOptions['mode'], json: boolean): string {
  return renderManifest(app.table, {
    format,
    mode,
    json,
    multiValueHeaders: app.needsMultiValueHeaders,
    defaultAction: app.defaultAction,
  })
}

describe('example shop manifests (golden files)', () => {
  for (const mode of GOLDEN_MODES) {
    for (const { format, json, extension } of GOLDEN_FORMATS) {
      const file = `shop.${mode}.${extension}`
      it(`renders ${mode} ${format}${json ? ' JSON' : ''} exactly as test/manifest/golden/${file}`, () => {
        const text = render(format, mode, json)
        // Regenerating must be reproducible: no timestamps, random ids or map-order effects.
        expect(render(format, mode, json)).toBe(text)
        const target = path.join(goldenDir, file)
        if (update) {
          mkdirSync(goldenDir, { recursive: true })
          writeFileSync(target, text)
        }
        if (!existsSync(target)) throw new Error(`${file} is missing: run UPDATE_GOLDEN=1 npx vitest run test/manifest/golden.test.ts`)
        expect(text).toBe(readFileSync(target, 'utf8'))
      })
    }
  }
})

describe('example shop per-route golden CloudFormation', () => {
  const template = JSON.parse(readFileSync(path.join(goldenDir, 'shop.per-route.cloudformation.json'), 'utf8')) as {
    Resources: Record<string, unknown>
  }

  it('holds only rules within ALB limits: one action, ≤3 values per condition, ≤5 per rule, ≤5 wildcards (spec/alb.md §1.4)', () => {
    const rules = listenerRules(template.Resources)
    expect(rules.map((r) => r.route)).toEqual(app.table.rules.map((r) => r.source))
  })

  it('sends the example requests to the routes the Lambda picks', () => {
    const request = (overrides: Partial<ListenerRequest>): ListenerRequest => ({
      method: 'GET', path: '/', host: 'shop.example.com', headers: [], query: [], sourceIp: '203.0.113.10', ...overrides,
    })
    const cases: [ListenerRequest, string][] = [
      [request({ path: '/products/tee-1' }), 'Products.get'],
      [request({ path: '/products/tee-1', headers: [['X-Beta', 'TRUE']] }), 'Products.getBeta'],
      [request({ path: '/products/tee-1', host: 'eu.admin.example.com' }), 'Admin.inspect'],
      [request({ path: '/search', query: [['q', 'mug']] }), 'Site.search'],
      [request({ path: '/search' }), 'default'],
      [request({ method: 'DELETE', path: '/orders/1', sourceIp: '2001:db8::7' }), 'Orders.remove'],
      [request({ method: 'DELETE', path: '/orders/1' }), 'default'],
      [request({ path: '/static/css/site.css' }), 'Site.css'],
      [
        request({
          method: 'OPTIONS',
          path: '/orders',
          headers: [['origin', 'https://shop.example.com'], ['access-control-request-method', 'POST']],
        }),
        'cors.preflight',
      ],
    ]
    const router = compileRouter(app.table)
    for (const [r, expected] of cases) {
      expect(evaluateTemplate(template, r).route, `${r.method} ${r.path}`).toBe(expected)
      const event = albEvent({
        method: r.method,
        path: r.path,
        host: r.host,
        headers: r.headers.map(([n, v]) => [n, v] as [string, string]),
        query: r.query.map(([k, v]) => `${k}=${v}`).join('&'),
        sourceIp: r.sourceIp,
        multiValue: true,
      })
      const parsed = parseEvent(event)
      if ('error' in parsed) throw new Error(parsed.error)
      expect(router.match(parsed)?.rule.source ?? 'default', `${r.method} ${r.path}`).toBe(expected)
    }
  })
})
