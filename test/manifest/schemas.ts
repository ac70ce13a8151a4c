import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Ajv, type ValidateFunction } from 'ajv'
import { hasSchemas, schemaDir } from './factories.js'

/** The schemas describe properties with strings where templates may put intrinsic functions. */
export function withoutIntrinsics(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIntrinsics)
  if (typeof value !== 'object' || value === null) return value
  const keys = Object.keys(value)
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]?.startsWith('Fn::'))) {
    return 'arn:aws:elasticloadbalancing:us-east-1:123456789012:placeholder'
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutIntrinsics(v)]))
}

/**
 * `AWS::ElasticLoadBalancingV2::<name>` → an ajv validator of its `Properties`, compiled from
 * ../shared/schemas (an empty schema when the folder is absent: callers skip on `hasSchemas`).
 */
export function elbv2Validators(...names: string[]): Record<string, ValidateFunction> {
  const ajv = new Ajv({ strict: false, allErrors: true })
  const load = (name: string) =>
    hasSchemas ? JSON.parse(readFileSync(path.join(schemaDir, `cloudformation-AWS-ElasticLoadBalancingV2-${name}.json`), 'utf8')) : {}
  return Object.fromEntries(names.map((name) => [`AWS::ElasticLoadBalancingV2::${name}`, ajv.compile(load(name))]))
}
