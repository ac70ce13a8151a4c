import type {
  CreateRuleCommandInput,
  CreateTargetGroupCommandInput,
  ModifyTargetGroupAttributesCommandInput,
  RegisterTargetsCommandInput,
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { CreateRuleCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { describe, expect, expectTypeOf, it } from 'vitest'
import type {
  AwsCliStep,
  CreateRuleInput,
  CreateTargetGroupInput,
  ModifyTargetGroupAttributesInput,
  RegisterTargetsInput,
} from '../../src/manifest/aws-cli.js'
import { buildManifest, renderManifest } from '../../src/manifest/index.js'
import type { ManifestOptions } from '../../src/manifest/model.js'
import { notFound, options, sampleTable } from './factories.js'

function steps(extra: Partial<ManifestOptions> = {}): AwsCliStep[] {
  const built = buildManifest(sampleTable(), options({ format: 'aws-cli', ...extra }))
  if (built.format !== 'aws-cli') throw new Error(`got ${built.format}`)
  return built.document
}

function inputs(extra: Partial<ManifestOptions> = {}): CreateRuleInput[] {
  return steps(extra).flatMap((s) => (s.command === 'elbv2 create-rule' ? [s.input] : []))
}

/** The awsQuery wire form of a value: lists as `.member.N`, structures as `.Key` (spec/alb.md §5c). */
function queryPairs(value: unknown, prefix: string, out: Map<string, string>): Map<string, string> {
  if (Array.isArray(value)) value.forEach((v, i) => queryPairs(v, `${prefix}.member.${i + 1}`, out))
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) queryPairs(v, prefix === '' ? k : `${prefix}.${k}`, out)
  } else if (value !== undefined) out.set(prefix, String(value))
  return out
}

class Captured extends Error {
  constructor(readonly body: string) {
    super('request captured before sending')
  }
}

/** What the SDK would send: its serializer keeps only members of the CreateRule model. */
async function serialised(input: CreateRuleCommandInput): Promise<Map<string, string>> {
  const client = new ElasticLoadBalancingV2Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' },
  })
  client.middlewareStack.add(
    () => async (args) => {
      throw new Captured(String((args.request as { body?: unknown }).body))
    },
    { step: 'build', name: 'captureRequest' },
  )
  try {
    await client.send(new CreateRuleCommand(input))
  } catch (e) {
    if (!(e instanceof Captured)) throw e
    const pairs = new Map(new URLSearchParams(e.body))
    pairs.delete('Action')
    pairs.delete('Version')
    return pairs
  }
  throw new Error('the request was not captured')
}

describe('AWS CLI create-rule inputs', () => {
  it('is assignable to the SDK CreateRuleCommandInput', () => {
    const rules: CreateRuleCommandInput[] = inputs()
    expectTypeOf<CreateRuleInput>().toExtend<CreateRuleCommandInput>()
    expect(rules).toHaveLength(6)
  })

  it('uses only members the SDK serialises: nothing is dropped on the way to the API', async () => {
    for (const mode of ['per-route', 'catch-all'] as const) {
      for (const input of inputs({ mode })) {
        const ours = queryPairs(input, '', new Map())
        expect(await serialised(input)).toEqual(ours)
      }
    }
  })

  it('still notices a member the SDK does not know (the check is live)', async () => {
    const [first] = inputs()
    const bad = { ...first, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Valuez: ['/a'] } }] }
    const ours = queryPairs(bad, '', new Map())
    expect(await serialised(bad as CreateRuleCommandInput)).not.toEqual(ours)
  })

  it('writes the listener, priority, conditions, action and route tag of each rule (spec/alb.md §5c)', () => {
    const [first, , , orders] = inputs()
    expect(first).toEqual({
      ListenerArn: '${LISTENER_ARN}',
      Priority: 1000,
      Conditions: [
        { Field: 'path-pattern', PathPatternConfig: { Values: ['/users/*', '/u/*', '/people/*'] } },
        { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET', 'HEAD'] } },
      ],
      Actions: [{ Type: 'forward', TargetGroupArn: '${USERS_TARGET_GROUP_ARN}' }],
      Tags: [
        { Key: 'albatross:route', Value: 'Users.get' },
        { Key: 'albatross:part', Value: '1/3' },
      ],
    })
    expect(orders?.Tags).toEqual([{ Key: 'albatross:route', Value: 'Orders.create' }])
    expect(orders?.Actions).toEqual([{ Type: 'forward', TargetGroupArn: '${ORDERS_API_TARGET_GROUP_ARN}' }])
  })

  it('uses the given listener and target group ARNs', () => {
    const listener = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/a/1/2'
    const users = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/users/3'
    const [first] = inputs({ listener, targets: { users } })
    expect(first?.ListenerArn).toBe(listener)
    expect(first?.Actions).toEqual([{ Type: 'forward', TargetGroupArn: users }])
  })

  it('renders a JSON array of the same steps, the default action left to modify-listener', () => {
    const text = renderManifest(sampleTable(), options({ format: 'aws-cli', defaultAction: notFound }))
    expect(JSON.parse(text)).toEqual(steps())
  })

  it("types every elbv2 step's input as the SDK's command input", () => {
    expectTypeOf<CreateTargetGroupInput>().toExtend<CreateTargetGroupCommandInput>()
    expectTypeOf<ModifyTargetGroupAttributesInput>().toExtend<ModifyTargetGroupAttributesCommandInput>()
    expectTypeOf<RegisterTargetsInput>().toExtend<RegisterTargetsCommandInput>()
  })
})
