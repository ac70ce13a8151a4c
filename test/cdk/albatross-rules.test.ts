import 'reflect-metadata'
import { execFile, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { App, Stack } from 'aws-cdk-lib'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { app as shop } from '../../examples/shop/app.js'
import { ShopStack } from '../../examples/cdk/stack.js'
import { AlbatrossRules, AlbatrossRulesError, type AlbatrossTarget } from '../../src/cdk/index.js'
import { albEvent } from '../../src/index.js'
import type { CloudFormationTemplate } from '../../src/manifest/cloudformation.js'
import { buildManifest, type ManifestOptions } from '../../src/manifest/index.js'
import { hasSchemas, repoRoot } from '../manifest/factories.js'
import { elbv2Validators, withoutIntrinsics } from '../manifest/schemas.js'

/*
 * The construct against the CloudFormation manifest of the same app: stacks synthesized in
 * process (env-agnostic, functions from inline code so nothing is bundled), and the example
 * under examples/cdk synthesized by the real `cdk synth`, offline and without credentials.
 * Logical IDs differ (CDK prefixes and hashes them), so resources are compared after every
 * reference is replaced by what it names: `tg:<target>`, `fn:<function>`, `listener`.
 */

type Resource = { Type: string; Properties?: Record<string, unknown>; DependsOn?: string | string[]; Metadata?: Record<string, unknown> }
type Template = { Resources: Record<string, Resource> }

const LISTENER_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2'
const ADMIN_TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/admin/73e2d6bc24d8a067'
const RULE = 'AWS::ElasticLoadBalancingV2::ListenerRule'
const TARGET_GROUP = 'AWS::ElasticLoadBalancingV2::TargetGroup'
const PERMISSION = 'AWS::Lambda::Permission'

/** Every synthesized template, for one cfn-lint run and the schema check at the end. */
const synthesized: { name: string; file: string; template: Template }[] = []
const outdirs: string[] = []
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true })
})

function newApp(context: Record<string, unknown> = {}): App {
  const outdir = mkdtempSync(path.join(tmpdir(), 'albatross-cdk-'))
  outdirs.push(outdir)
  return new App({ outdir, context })
}

function synth(app: App, stack: Stack): Template {
  const artifact = app.synth().getStackByName(stack.stackName)
  const template = artifact.template as Template
  synthesized.push({ name: stack.stackName, file: artifact.templateFullPath, template })
  return template
}

function listenerIn(stack: Stack): elbv2.IApplicationListener {
  return elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'Listener', {
    listenerArn: LISTENER_ARN,
    securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'AlbSecurityGroup', 'sg-0123456789abcdef0'),
  })
}

function inlineFunction(stack: Stack, id: string): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 })'),
  })
}

/** Replaces each intrinsic whose JSON `names` knows by its name, everywhere in `value`. */
function named(value: unknown, names: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => named(v, names))
  if (typeof value !== 'object' || value === null) return names.get(JSON.stringify(value)) ?? value
  const name = names.get(JSON.stringify(value))
  if (name !== undefined) return name
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, named(v, names)]))
}

/** The resources of `types`, references named, logical IDs dropped, CDK's path metadata left out. */
function comparable(template: Template, names: ReadonlyMap<string, string>, types = [RULE, TARGET_GROUP, PERMISSION]): unknown[] {
  const logical = new Map(Object.keys(template.Resources).map((id) => [id, names.get(JSON.stringify({ Ref: id })) ?? id]))
  return Object.values(template.Resources)
    .filter((r) => types.includes(r.Type))
    .map((r) => {
      const metadata = Object.fromEntries(Object.entries(r.Metadata ?? {}).filter(([k]) => k !== 'aws:cdk:path'))
      const dependsOn = r.DependsOn === undefined ? [] : [r.DependsOn].flat().map((id) => `${template.Resources[id]?.Type} of ${describeDependency(template, id, names)}`)
      return { Type: r.Type, Properties: named(r.Properties, names), DependsOn: dependsOn, Metadata: metadata }
    })
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))

  function describeDependency(t: Template, id: string, n: ReadonlyMap<string, string>): string {
    return JSON.stringify(named(t.Resources[id]?.Properties, n)) + (logical.get(id) === id ? '' : ` (${logical.get(id)})`)
  }
}

/**
 * The synthesized resources without the construct's target-group name tag (`<addr>` plus the
 * target's index), the one part of a name the CLI's manifest does not have.
 */
function untagged(resources: unknown[], construct: AlbatrossRules): unknown[] {
  return JSON.parse(JSON.stringify(resources).replace(new RegExp(`\\\\?"${construct.node.addr.slice(0, 6)}[0-9a-z]+\\\\?",`, 'g'), ''))
}

function manifest(options: Partial<ManifestOptions>): CloudFormationTemplate {
  const built = buildManifest(shop.table, {
    format: 'cloudformation',
    mode: 'per-route',
    multiValueHeaders: shop.needsMultiValueHeaders,
    defaultAction: shop.defaultAction,
    ...options,
  })
  if (built.format !== 'cloudformation') throw new Error(built.format)
  return built.document
}

/** Logical ID of a construct's resource in its stack. */
const refOf = (stack: Stack, resource: { node: { defaultChild?: unknown } } | import('aws-cdk-lib').CfnElement) =>
  JSON.stringify({ Ref: stack.getLogicalId(('logicalId' in resource ? resource : resource.node.defaultChild) as import('aws-cdk-lib').CfnElement) })
const arnOf = (stack: Stack, fn: lambda.Function) => JSON.stringify({ 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction), 'Arn'] })

describe('AlbatrossRules per-route (the example shop app)', () => {
  let template: Template
  let stack: Stack
  let rules: AlbatrossRules
  let catalog: lambda.Function
  let orders: lambda.Function
  const offset = 2000

  beforeAll(() => {
    const app = newApp()
    stack = new Stack(app, 'PerRoute')
    catalog = inlineFunction(stack, 'Catalog')
    orders = inlineFunction(stack, 'Orders')
    const admin = elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, 'Admin', { targetGroupArn: ADMIN_TG })
    rules = new AlbatrossRules(stack, 'Rules', {
      app: shop,
      listener: listenerIn(stack),
      targets: { catalog, orders, admin, default: catalog },
      mode: 'per-route',
      priorityOffset: offset,
    })
    template = synth(app, stack)
  }, 120_000)

  /** Names for the synthesized side: the construct's target groups, the functions, the listener. */
  function stackNames(): Map<string, string> {
    const names = new Map<string, string>([[JSON.stringify(LISTENER_ARN), 'listener'], [JSON.stringify(ADMIN_TG), 'tg:admin']])
    for (const [target, made] of Object.entries(rules.lambdaTargets)) names.set(refOf(stack, made.targetGroup), `tg:${target}`)
    names.set(arnOf(stack, catalog), 'fn:catalog')
    names.set(arnOf(stack, orders), 'fn:orders')
    return names
  }

  it("synthesizes the manifest's listener rules: same priorities (offset included), conditions, split parts and actions, whatever the logical IDs", () => {
    const expected = manifest({
      listener: LISTENER_ARN,
      priorityOffset: offset,
      targets: { catalog: 'tg:catalog', orders: 'tg:orders', admin: 'tg:admin', default: 'tg:default' },
    })
    const want = comparable({ Resources: expected.Resources }, new Map([[JSON.stringify(LISTENER_ARN), 'listener']]))
    const got = comparable(template, stackNames(), [RULE])
    expect(got).toEqual(want)
    // Not vacuous: every rule, split parts and native actions included, at table priority + offset.
    const priorities = Object.values(template.Resources).filter((r) => r.Type === RULE).map((r) => r.Properties?.['Priority'])
    expect(priorities).toHaveLength(Object.values(expected.Resources).length)
    expect(Math.min(...(priorities as number[]))).toBe(Math.min(...shop.table.rules.map((r) => r.priority)) + offset)
    expect(rules.rules.map((r) => r.priority)).toEqual([...(priorities as number[])].sort((a, b) => a - b))
    const actions = new Set(Object.values(template.Resources).flatMap((r) => (r.Type === RULE ? (r.Properties?.['Actions'] as { Type: string }[]).map((a) => a.Type) : [])))
    expect([...actions]).toEqual(expect.arrayContaining(['fixed-response', 'forward', 'redirect']))
  })

  it('creates, for each function target, the target group (multi-value attribute, health check) and invoke permission the catch-all manifest creates, and uses a given target group as is (spec/alb.md §4.1, §4.6, §4.9)', () => {
    const catchAll = manifest({ mode: 'catch-all' })
    const made = comparable({ Resources: catchAll.Resources }, new Map([[JSON.stringify({ Ref: 'FunctionArn' }), 'fn:catalog']]), [PERMISSION, TARGET_GROUP])
    const permission = made.find((r) => (r as Resource).Type === PERMISSION)
    const group = made.find((r) => (r as Resource).Type === TARGET_GROUP)
    const got = untagged(comparable(template, stackNames(), [PERMISSION, TARGET_GROUP]), rules)
    // The catch-all manifest's pair is for target "default" and its function; each target gets its
    // own pair (catalog and default share a function, orders has another).
    const pairFor = (target: string, fn: string): unknown[] =>
      JSON.parse(JSON.stringify([permission, group]).replaceAll('fn:catalog', fn).replaceAll('"default"', `"${target}"`).replaceAll('\\"default\\"', `\\"${target}\\"`))
    const want = [...pairFor('default', 'fn:catalog'), ...pairFor('catalog', 'fn:catalog'), ...pairFor('orders', 'fn:orders')]
    expect(got).toEqual(want.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))))
    expect(Object.keys(rules.lambdaTargets).sort()).toEqual(['catalog', 'default', 'orders'])
    expect(group).toMatchObject({ Properties: { TargetGroupAttributes: [{ Key: 'lambda.multi_value_headers.enabled', Value: String(shop.needsMultiValueHeaders) }] } })
    expect(stack.resolve(rules.targetGroupArns['admin'])).toBe(ADMIN_TG)
  })

  it("exposes the app's default action as the listener's DefaultActions, as the manifest's Metadata does (spec/alb.md §1.1)", () => {
    const expected = manifest({ listener: LISTENER_ARN, targets: { catalog: 'a', orders: 'b', admin: 'c', default: 'd' } })
    expect(stack.resolve(rules.defaultActions)).toEqual(expected.Metadata?.['albatross:listener'].DefaultActions)
    expect(rules.defaultActions).toEqual([{ Type: 'fixed-response', FixedResponseConfig: expect.objectContaining({ StatusCode: '404' }) }])
  })
})

describe('AlbatrossRules catch-all', () => {
  it('creates exactly the catch-all manifest: the invoke permission, the Lambda target group and the /* rule at 50000 (spec/alb.md §4.1)', () => {
    const app = newApp()
    const stack = new Stack(app, 'CatchAll')
    const fn = inlineFunction(stack, 'Shop')
    const rules = new AlbatrossRules(stack, 'Rules', { app: shop, listener: listenerIn(stack), targets: { default: fn }, mode: 'catch-all' })
    const template = synth(app, stack)
    const expected = manifest({ mode: 'catch-all', listener: LISTENER_ARN })
    const names = new Map([
      [JSON.stringify(LISTENER_ARN), 'listener'],
      [JSON.stringify({ Ref: 'FunctionArn' }), 'fn'],
      [JSON.stringify({ Ref: 'DefaultTargetGroup' }), 'tg:default'],
    ])
    const made = rules.lambdaTargets['default']
    expect(made).toBeDefined()
    const synthNames = new Map([
      [JSON.stringify(LISTENER_ARN), 'listener'],
      [arnOf(stack, fn), 'fn'],
      [refOf(stack, made!.targetGroup), 'tg:default'],
    ])
    const got = untagged(comparable(template, synthNames), rules)
    expect(got).toEqual(comparable({ Resources: expected.Resources }, names))
    expect(got.length).toBeGreaterThanOrEqual(3)
    // The /* rule comes last; authenticated routes get their own rules ahead of it (issue #14).
    expect(rules.rules.map((r) => [r.priority, r.source]).at(-1)).toEqual([50000, 'catch-all'])
    expect(rules.defaultActions).toBeUndefined()
  }, 120_000)
})

describe('AlbatrossRules targets', () => {
  const attempt = (targets: Record<string, AlbatrossTarget>, mode: 'catch-all' | 'per-route' = 'per-route') => {
    const stack = new Stack(newApp(), 'Targets')
    const tg = (name: string) => elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, name, { targetGroupArn: `${ADMIN_TG}-${name}` })
    const given = Object.fromEntries(Object.entries(targets).map(([k, v]) => [k, v ?? tg(k)]))
    try {
      new AlbatrossRules(stack, 'Rules', { app: shop, listener: listenerIn(stack), targets: given, mode })
      return undefined
    } catch (error) {
      return error as Error
    }
  }
  const all = { catalog: undefined, orders: undefined, admin: undefined, default: undefined } as unknown as Record<string, AlbatrossTarget>

  it('takes every controller target, as a function or a target group', () => {
    expect(attempt(all)).toBeUndefined()
  })

  it('names a target that no controller uses (a typo), and what the routes forward to', () => {
    const { admin: _, ...rest } = all
    const error = attempt({ ...rest, admni: undefined as unknown as AlbatrossTarget })
    expect(error).toBeInstanceOf(AlbatrossRulesError)
    expect(error?.message).toContain('targets has "admni", which no controller uses')
    expect(error?.message).toContain('no entry in targets for "admin", used by Admin.inspect')
    expect(error?.message).toContain('Targets/Rules')
  })

  it('catch-all mode forwards to the one "default" target, so a controller target is an unused name there', () => {
    expect(attempt({ default: undefined as unknown as AlbatrossTarget }, 'catch-all')).toBeUndefined()
    const error = attempt({ catalog: undefined as unknown as AlbatrossTarget }, 'catch-all')
    expect(error).toBeInstanceOf(AlbatrossRulesError)
    expect(error?.message).toMatch(/targets has "catalog", which no controller uses \(catch-all mode forwards every request to "default"\).*no entry in targets for "default", used by /)
  })

  it('refuses an entry that is neither a function nor a target group', () => {
    const error = attempt({ ...all, orders: { arn: 'x' } as unknown as AlbatrossTarget })
    expect(error?.message).toContain('targets["orders"] is neither a lambda.IFunction')
  })
})

describe('AlbatrossRules priorities on a shared listener', () => {
  function twoOnOneListener(secondOffset: number, handWritten?: number): Error | undefined {
    const app = newApp()
    const stack = new Stack(app, `Shared${secondOffset}`)
    const listener = listenerIn(stack)
    const targets = (prefix: string) =>
      Object.fromEntries(['catalog', 'orders', 'admin', 'default'].map((t) => [t, elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, `${prefix}${t}`, { targetGroupArn: `${ADMIN_TG}-${prefix}${t}` })]))
    new AlbatrossRules(stack, 'Public', { app: shop, listener, targets: targets('a'), mode: 'per-route' })
    new AlbatrossRules(stack, 'Internal', { app: shop, listener, targets: targets('b'), mode: 'per-route', priorityOffset: secondOffset })
    if (handWritten !== undefined) {
      new elbv2.ApplicationListenerRule(stack, 'HandWritten', {
        listener,
        priority: handWritten,
        conditions: [elbv2.ListenerCondition.pathPatterns(['/legacy'])],
        action: elbv2.ListenerAction.fixedResponse(410),
      })
    }
    try {
      synth(app, stack)
      return undefined
    } catch (error) {
      return error as Error
    }
  }

  it('fails synth when two constructs put rules at one priority on the same listener, naming both (not a deploy-time PriorityInUse, spec/alb.md §1.1)', () => {
    const error = twoOnOneListener(0)
    expect(error?.message).toMatch(/priority 1000 of \S+ is also used by \S+ of AlbatrossRules Shared0\/Internal on the same listener/)
    expect(error?.message).toContain('of AlbatrossRules Shared0/Public')
  }, 120_000)

  it('synthesizes them priorityOffset apart, and catches a hand-written L2 rule at a taken priority', () => {
    expect(twoOnOneListener(5000)).toBeUndefined()
    const error = twoOnOneListener(5000, 6000)
    expect(error?.message).toContain('priority 6000 of')
    expect(error?.message).toContain('is also used by listener rule Shared5000/HandWritten')
  }, 120_000)
})

describe('AlbatrossRules target-group names', () => {
  // ELBv2 target group names are unique per account and region, at most 32 characters of letters,
  // digits and hyphens (CreateTargetGroup, "Name"); a clash fails the deploy, not the synth.
  it('gives two constructs in one stack, with functions for the same targets, different target-group names of at most 32 characters', () => {
    const app = newApp()
    const stack = new Stack(app, 'TwoApps')
    const listener = listenerIn(stack)
    const functions = (prefix: string) => Object.fromEntries(['catalog', 'orders', 'admin', 'default'].map((t) => [t, inlineFunction(stack, `${prefix}${t}`)]))
    const one = new AlbatrossRules(stack, 'Public', { app: shop, listener, targets: functions('a'), mode: 'per-route' })
    const two = new AlbatrossRules(stack, 'Internal', { app: shop, listener, targets: functions('b'), mode: 'per-route', priorityOffset: 5000 })
    const template = synth(app, stack)
    // The names are Fn::Join of literal parts and the stack id's first 8 hex digits, so the
    // literal parts tell them apart and bound their length.
    const names = Object.values(template.Resources)
      .filter((r) => r.Type === TARGET_GROUP)
      .map((r) => (r.Properties?.['Name'] as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].filter((p) => typeof p === 'string').join('-'))
    expect(names).toHaveLength(8)
    expect(new Set(names).size).toBe(8)
    expect(one.lambdaTargets['default']?.targetGroup).not.toBe(two.lambdaTargets['default']?.targetGroup)
    for (const name of names) expect(`${name}-12345678`).toMatch(/^[a-z0-9][a-z0-9-]{0,31}$/)
    expect(names.filter((n) => n.startsWith('default-'))).toHaveLength(2)
  }, 120_000)
})

// ---- the example, by the real CLI: `cdk synth` in examples/cdk, offline, without credentials ----

const cdkBin = path.join(repoRoot, 'node_modules/.bin/cdk')
/** An empty network namespace proves "no network"; where unshare is not allowed, plain env. */
const isolated = spawnSync('unshare', ['-n', 'true']).status === 0
const exampleOut = path.join(repoRoot, 'node_modules/.cache/albatross-cdk-example-test')
let example: Promise<{ template: Template; out: string }> | undefined

function synthExample(): Promise<{ template: Template; out: string }> {
  example ??= (async () => {
    rmSync(exampleOut, { recursive: true, force: true })
    const env: NodeJS.ProcessEnv = {
      PATH: `${path.join(repoRoot, 'node_modules/.bin')}${path.delimiter}${process.env['PATH'] ?? ''}`,
      HOME: mkdtempSync(path.join(tmpdir(), 'albatross-cdk-home-')),
      AWS_EC2_METADATA_DISABLED: 'true',
      CDK_DISABLE_VERSION_CHECK: '1',
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      CI: 'true',
    }
    outdirs.push(env['HOME'] as string)
    const args = [cdkBin, 'synth', '--no-notices', '--quiet', '-c', 'mode=per-route', '-o', exampleOut]
    const [command, ...rest] = isolated ? ['unshare', '-n', ...args] : args
    await promisify(execFile)(command as string, rest, { cwd: path.join(repoRoot, 'examples/cdk'), env, timeout: 300_000 })
    const file = path.join(exampleOut, 'AlbatrossShop.template.json')
    const template = JSON.parse(readFileSync(file, 'utf8')) as Template
    synthesized.push({ name: 'examples/cdk', file, template })
    return { template, out: exampleOut }
  })()
  return example
}

describe(`examples/cdk: cdk synth with no AWS credentials${isolated ? ' and no network (unshare -n)' : ' (network not isolated: unshare -n is not allowed here)'}`, () => {
  beforeAll(() => synthExample(), 300_000)

  it('bundles the shop app with NodejsFunction (local esbuild, ESM) into a handler that answers like the app', async () => {
    const { template, out } = await synthExample()
    const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function')
    expect(fn?.Properties).toMatchObject({ Handler: 'index.handler', Runtime: 'nodejs22.x' })
    const assets = readdirSync(out).filter((f) => f.startsWith('asset.') && existsSync(path.join(out, f, 'index.mjs')))
    expect(assets).toHaveLength(1)
    const bundle = path.join(out, assets[0] as string, 'index.mjs')
    // Minified ESM with the createRequire banner, and no AWS CDK inside.
    const text = readFileSync(bundle, 'utf8')
    expect(text.startsWith("import{createRequire}from'node:module'")).toBe(true)
    expect(text).not.toContain('aws-cdk-lib')
    const { handler } = (await import(pathToFileURL(bundle).href)) as { handler: (e: unknown) => Promise<{ statusCode: number; body?: string }> }
    const response = await handler(albEvent({ path: '/search?q=albatross&page=2' }))
    expect(response.statusCode).toBe(200)
    expect(JSON.parse(response.body ?? '')).toEqual({ q: 'albatross', page: 2 })
  })

  it("creates an ALB and attaches the app's per-route rules to its listener, target groups on the function", async () => {
    const { template } = await synthExample()
    const count = (type: string) => Object.values(template.Resources).filter((r) => r.Type === type).length
    expect(count('AWS::ElasticLoadBalancingV2::LoadBalancer')).toBe(1)
    expect(count(RULE)).toBe(Object.keys(manifest({}).Resources).length)
    expect(count(TARGET_GROUP)).toBe(4)
    expect(count(PERMISSION)).toBe(4)
    const listener = Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::ElasticLoadBalancingV2::Listener')
    for (const rule of Object.values(template.Resources).filter((r) => r.Type === RULE)) {
      expect(rule.Properties?.['ListenerArn']).toEqual({ Ref: listener?.[0] })
    }
  })
})

describe('the example stack with a looked-up listener', () => {
  it('attaches the rules to the listener found by lookup props (context given, so no AWS call)', () => {
    const env = { account: '123456789012', region: 'us-east-1' }
    const escaped = LISTENER_ARN.replaceAll(':', '$:')
    const app = newApp({
      // What `cdk synth` caches in cdk.context.json after the first lookup.
      [`load-balancer-listener:account=${env.account}:listenerArn=${escaped}:loadBalancerType=application:region=${env.region}`]: {
        listenerArn: LISTENER_ARN,
        listenerPort: 443,
        securityGroupIds: ['sg-0123456789abcdef0'],
      },
      [`security-group:account=${env.account}:region=${env.region}:securityGroupId=sg-0123456789abcdef0`]: {
        securityGroupId: 'sg-0123456789abcdef0',
        allowAllOutbound: true,
      },
      // Bundle nothing: this test is about the listener.
      'aws:cdk:bundling-stacks': [],
    })
    const stack = new ShopStack(app, 'LookedUp', { mode: 'catch-all', listenerArn: LISTENER_ARN, env })
    const assembly = app.synth()
    expect(assembly.manifest.missing).toBeUndefined()
    const artifact = assembly.getStackByName(stack.stackName)
    const template = artifact.template as Template
    const rules = Object.values(template.Resources).filter((r) => r.Type === RULE)
    expect(new Set(rules.map((r) => r.Properties?.['ListenerArn']))).toEqual(new Set([LISTENER_ARN]))
    expect(rules.map((r) => r.Properties?.['Priority'])).toContain(50000)
    expect(Object.values(template.Resources).some((r) => r.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer')).toBe(false)
  }, 120_000)
})

// ---- validity of everything synthesized above ----

const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0

describe('synthesized templates are valid', () => {
  beforeAll(() => synthExample(), 300_000)

  it.skipIf(!cfnLint)('pass cfn-lint, all in one run (skipped where cfn-lint is not installed)', () => {
    expect(synthesized.length).toBeGreaterThanOrEqual(4)
    // W3005: CDK's own lambda.Function lists its role in DependsOn and in a GetAtt; not ours.
    const run = spawnSync('cfn-lint', ['--ignore-checks', 'W3005', '--', ...synthesized.map((s) => s.file)], { encoding: 'utf8' })
    expect(run.stdout + run.stderr).toBe('')
    expect(run.status).toBe(0)
  }, 120_000)

  it.skipIf(!hasSchemas)('have ELBv2 resources the ../shared/schemas accept (skipped when absent)', () => {
    const validators = elbv2Validators('ListenerRule', 'TargetGroup', 'Listener')
    let checked = 0
    for (const { name, template } of synthesized) {
      for (const [id, resource] of Object.entries(template.Resources)) {
        const validate = validators[resource.Type]
        if (validate === undefined) continue
        validate(withoutIntrinsics(resource.Properties ?? {}))
        expect(validate.errors ?? [], `${name} ${id} (${resource.Type})`).toEqual([])
        checked++
      }
    }
    // Every rule, target group and listener above: 13 + 4 + 1 + 2 × 13 + 13 + 4 + 1 + …
    expect(checked).toBeGreaterThan(50)
  })
})
