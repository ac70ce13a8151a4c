import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { albEvent, createApp } from '../../src/index.js'
import { buildModel, renderManifest } from '../../src/manifest/index.js'
import { Guarded } from '../cli/fixtures/bot-guard.js'

// Issue #11 item 1: a rule such as @Header('x-bot', 'yes') + @FixedResponse(403) must not be
// bypassed by sending the header twice. ALB matches any occurrence (spec/alb.md §2.2: "checks the
// occurrences in order and succeeds on the first match"); a single-value event keeps only the last
// (§4.2), so every manifest must deploy multi-value mode for such a table (§4.9, §6 #9).
// `Guarded` (the CLI's fixture): GET /* with @Header('x-bot', 'yes') + @FixedResponse(403), then GET /*.

const app = createApp({ controllers: [Guarded], onError: () => {} })

describe('header mode of an app with header conditions and no array parameters', () => {
  it('says it needs multi-value headers, and why (app.needsMultiValueHeaders, app.multiValue)', () => {
    expect(app.needsMultiValueHeaders).toBe(true)
    expect(app.multiValue.reasons).toEqual([{ kind: 'http-header', source: 'Guarded.block', name: 'x-bot' }])
  })

  it('turns lambda.multi_value_headers.enabled on in the catch-all CloudFormation and Terraform output (spec/alb.md §4.9)', async () => {
    const yaml = parse(await app.manifest({ format: 'cloudformation' })) as {
      Resources: Record<string, { Type: string; Properties: { TargetGroupAttributes?: unknown } }>
    }
    const group = Object.values(yaml.Resources).find((r) => r.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup')
    expect(group?.Properties.TargetGroupAttributes).toEqual([{ Key: 'lambda.multi_value_headers.enabled', Value: 'true' }])
    expect(await app.manifest({ format: 'terraform' })).toMatch(/lambda_multi_value_headers_enabled = true/)
  })

  it('turns it on even when the caller passes multiValueHeaders: false, in both modes', () => {
    for (const mode of ['catch-all', 'per-route'] as const) {
      expect(buildModel(app.table, { format: 'terraform', mode, multiValueHeaders: false }).multiValueHeaders).toBe(true)
    }
    const text = renderManifest(app.table, { format: 'cloudformation', mode: 'catch-all', json: true, multiValueHeaders: false })
    expect(text).toMatch(/"Key": "lambda\.multi_value_headers\.enabled",\s*"Value": "true"/)
  })

  it('refuses a bot that sends x-bot twice, in the mode the manifest deploys', async () => {
    const twice = albEvent({ path: '/a', headers: [['x-bot', 'yes'], ['x-bot', 'no']], multiValue: true })
    expect((await app.handler(twice)).statusCode).toBe(403)
  })

  it('warns once through onError when it receives single-value events anyway (spec/alb.md §6 #9)', async () => {
    const warnings: string[] = []
    const single = createApp({ controllers: [Guarded], onError: (e) => warnings.push(String(e)) })
    for (let i = 0; i < 3; i++) await single.handler(albEvent({ path: '/a', headers: [['x-bot', 'yes']] }))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/lambda\.multi_value_headers\.enabled=true.*Guarded\.block has an http-header condition on x-bot/)
  })
})
