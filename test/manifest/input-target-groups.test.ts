import { describe, expect, it } from 'vitest'
import type { AwsCliStep } from '../../src/manifest/aws-cli.js'
import type { CloudFormationTemplate } from '../../src/manifest/cloudformation.js'
import { buildManifest, renderManifest, type ManifestOptions } from '../../src/manifest/index.js'
import { options, pathOnlyTable, sampleTable } from './factories.js'

/*
 * Issue #11 item 2: per-route target groups are inputs (parameters, variables, placeholders), so
 * the manifest cannot set their `lambda.multi_value_headers.enabled` (spec/alb.md §4.9); an app
 * that routes on headers or query keys, or binds arrays, needs it on (§2.2, §2.5, §6 #9). Each
 * format states it where a deployer reads: a CloudFormation parameter description and Output, a
 * Terraform variable description, an aws_lb_target_group snippet and an output, AWS CLI
 * modify-target-group-attributes steps. Before this, none of them mentioned the attribute.
 */

const ATTRIBUTE = /lambda\.multi_value_headers\.enabled = true/
const ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup'

const cfn = (extra: Partial<ManifestOptions>): CloudFormationTemplate => {
  const built = buildManifest(sampleTable(), options({ format: 'cloudformation', ...extra }))
  if (built.format !== 'cloudformation') throw new Error(built.format)
  return built.document
}
const steps = (extra: Partial<ManifestOptions>, table = sampleTable()): AwsCliStep[] => {
  const built = buildManifest(table, options({ format: 'aws-cli', ...extra }))
  if (built.format !== 'aws-cli') throw new Error(built.format)
  return built.document
}

describe('per-route manifests state the multi-value attribute of the target groups they take as inputs', () => {
  it('CloudFormation: every target group parameter says it, and an Output repeats it', () => {
    const template = cfn({ mode: 'per-route' })
    expect(template.Parameters?.['UsersTargetGroupArn']?.Description).toMatch(ATTRIBUTE)
    expect(template.Parameters?.['OrdersApiTargetGroupArn']?.Description).toMatch(ATTRIBUTE)
    expect(template.Parameters?.['ListenerArn']?.Description).not.toMatch(ATTRIBUTE)
    expect(template.Outputs?.['TargetGroupAttributes']).toEqual({
      Description: expect.stringMatching(/^Every target group these rules forward to \(targets "users", "orders-api"\) must have lambda\.multi_value_headers\.enabled = true/),
      Value: 'lambda.multi_value_headers.enabled=true',
    })
  })

  it('CloudFormation: a catch-all target group given with --target is an input too', () => {
    const template = cfn({ mode: 'catch-all', targets: { default: `${ARN}/app/1` } })
    expect(template.Outputs?.['TargetGroupAttributes']?.Value).toBe('lambda.multi_value_headers.enabled=true')
    // The catch-all group the template creates carries the attribute itself: no Output needed.
    expect(cfn({ mode: 'catch-all' }).Outputs).toEqual({ TargetGroupArn: expect.anything() })
  })

  it('Terraform: variable descriptions, an aws_lb_target_group snippet and an output say it', () => {
    const hcl = renderManifest(sampleTable(), options({ format: 'terraform', mode: 'per-route' }))
    expect(hcl).toMatch(/variable "users_target_group_arn" \{\n {2}description = "[^\n]*lambda\.multi_value_headers\.enabled = true/)
    expect(hcl).toMatch(/# {3}resource "aws_lb_target_group" "…" \{\n# {5}target_type {24}= "lambda"\n# {5}lambda_multi_value_headers_enabled = true\n# {3}\}/)
    expect(hcl).toMatch(/output "lambda_multi_value_headers_enabled" \{[^}]*value {7}= true/)
    const json = JSON.parse(renderManifest(sampleTable(), options({ format: 'terraform', mode: 'per-route', json: true }))) as {
      output: Record<string, { value: unknown }>
      '//': string
    }
    expect(json.output['lambda_multi_value_headers_enabled']?.value).toBe(true)
    expect(json['//']).toMatch(/lambda_multi_value_headers_enabled = true/)
  })

  it('AWS CLI: one modify-target-group-attributes step per target group, before the rules', () => {
    const all = steps({ mode: 'per-route', targets: { users: `${ARN}/users/1` } })
    const modify = all.filter((s) => s.command === 'elbv2 modify-target-group-attributes')
    expect(modify.map((s) => s.input)).toEqual([
      { TargetGroupArn: `${ARN}/users/1`, Attributes: [{ Key: 'lambda.multi_value_headers.enabled', Value: 'true' }] },
      { TargetGroupArn: '${ORDERS_API_TARGET_GROUP_ARN}', Attributes: [{ Key: 'lambda.multi_value_headers.enabled', Value: 'true' }] },
    ])
    expect(all.slice(0, 2)).toEqual(modify)
    expect(all.slice(2).every((s) => s.command === 'elbv2 create-rule')).toBe(true)
  })

  it('says nothing when the app is exact in single-value mode', () => {
    const single = { mode: 'per-route', multiValueHeaders: false } as const
    const template = buildManifest(pathOnlyTable(), options({ format: 'cloudformation', ...single }))
    expect(JSON.stringify(template)).not.toMatch(/multi_value/)
    expect(renderManifest(pathOnlyTable(), options({ format: 'terraform', ...single }))).not.toMatch(/multi_value/)
    expect(steps(single, pathOnlyTable()).map((s) => s.command)).toEqual(['elbv2 create-rule', 'elbv2 create-rule'])
  })
})
