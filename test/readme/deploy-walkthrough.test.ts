import { execFile, execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { parse } from 'yaml'
import { readmeBlocks } from './readme-blocks.js'

// These tests run the walkthrough's commands for 20-35 s alone; with other suites and benchmarks
// sharing two cores they passed 60 s once in a while. The timeout guards against a hang; it is no
// speed check.
vi.setConfig({ testTimeout: 180_000 })

/*
 * Issue #11 "Done when": the README's deploy walkthrough is true for each format, checked by
 * running its commands as written (envsubst and jq included). `aws` and `terraform` are stand-ins
 * on PATH that record their arguments (they would need an account); everything else is real. What
 * the recorded calls would deploy is then checked: the CloudFormation and Terraform files are the
 * golden files (cfn-lint.test.ts lints them, terraform-validate.test.ts validates them) and the
 * deploy commands give exactly the template's parameters / the configuration's variables; the
 * AWS CLI calls are the manifest's steps, in order, with only albatross's placeholders filled in.
 *
 * Item 4: the same pipeline on an app with a path `/price$list` and a fixed-response body with
 * `$5`, `$HOME` and `${HOME}` keeps every `$` (a bare `envsubst` replaces `$HOME`; spec/alb.md §2.4
 * lists `$` among the path-pattern characters).
 */

const root = fileURLToPath(new URL('../..', import.meta.url))
const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
const golden = (file: string) => readFileSync(path.join(root, 'test/manifest/golden', file), 'utf8')

function onPath(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}
const missing = ['envsubst', 'jq'].filter((t) => !onPath(t))
const title = missing.length === 0
  ? 'README deploy walkthrough, run as written (aws and terraform recorded)'
  : `README deploy walkthrough (skipped: ${missing.join(' and ')} not installed; Debian: apt-get install gettext-base jq)`

/** The sh blocks of the walkthrough, in order: catch-all (CloudFormation + Terraform, AWS CLI), then per-route. */
function walkthrough(): string[] {
  const start = readme.indexOf('#### Deploy walkthrough: catch-all first')
  const end = readme.indexOf('#### With the AWS CDK')
  const section = readme.slice(start, end)
  return readmeBlocks(section).filter((b) => b.lang === 'sh').map((b) => b.code)
}

const env = {
  LISTENER_ARN: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2',
  FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:shop:live',
  TARGET_GROUP_NAME: 'shop-app',
  CATALOG_TG: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/catalog/1',
  ORDERS_TG: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders/2',
  ADMIN_TG: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/admin/3',
  DEFAULT_TG: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/default/4',
}
/** What the stand-in `aws elbv2 create-target-group --query … --output text` answers. */
const CREATED_TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-app/73e2d6bc24d8a067'

interface Call {
  readonly tool: 'aws' | 'terraform'
  readonly args: readonly string[]
}
interface Step {
  readonly command: string
  readonly input: Record<string, unknown>
}

const work = mkdtempSync(path.join(tmpdir(), 'albatross-walkthrough-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** A recording stand-in: one record per call, fields split by \037, records by \036. */
function standIns(): string {
  const bin = path.join(work, 'bin')
  mkdirSync(bin, { recursive: true })
  for (const tool of ['aws', 'terraform']) {
    const file = path.join(bin, tool)
    writeFileSync(
      file,
      '#!/bin/sh\n' +
        `{ printf '%s' ${tool}; for a in "$@"; do printf '\\037%s' "$a"; done; printf '\\036'; } >> "$CALL_LOG"\n` +
        (tool === 'aws' ? `case "$2" in create-target-group) echo ${CREATED_TG} ;; esac\n` : ''),
    )
    chmodSync(file, 0o755)
  }
  return bin
}
const bin = standIns()
// `npm run -s albatross --` is `node --import tsx src/cli/main.ts` (package.json).
const tsx = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href
const cli = `node --import ${tsx} ${path.join(root, 'src/cli/main.ts')} `

/** Runs one README block as written in its own folder, the entry swapped when asked. */
function run(block: string, name: string, entry = 'examples/shop/app.ts'): Promise<{ calls: Call[]; dir: string; stderr: string }> {
  const dir = path.join(work, name)
  mkdirSync(dir, { recursive: true })
  const log = path.join(dir, 'calls.log')
  writeFileSync(log, '')
  const script = 'set -e\n' + block.replaceAll('npm run -s albatross -- ', cli).replaceAll('examples/shop/app.ts', path.join(root, entry))
  return new Promise((resolve, reject) => {
    execFile(
      'sh',
      ['-c', script],
      { cwd: dir, env: { ...process.env, ...env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, CALL_LOG: log }, maxBuffer: 16 << 20 },
      (error, _stdout, stderr) => {
        if (error !== null) return reject(new Error(`${name} failed: ${stderr}`))
        const calls = readFileSync(log, 'utf8')
          .split('\u001e')
          .filter((r) => r !== '')
          .map((r) => {
            const [tool, ...args] = r.split('\u001f')
            return { tool: tool as Call['tool'], args }
          })
        resolve({ calls, dir, stderr })
      },
    )
  })
}

/** `aws <service> <command> … --cli-input-json <json>` → the command and its parsed input. */
function awsSteps(calls: readonly Call[]): Step[] {
  return calls
    .filter((c) => c.tool === 'aws' && c.args.includes('--cli-input-json'))
    .map((c) => ({ command: c.args.slice(0, 2).join(' '), input: JSON.parse(c.args[c.args.indexOf('--cli-input-json') + 1] as string) as Record<string, unknown> }))
}

/** `K=V` arguments after a flag (`--parameter-overrides K=V …`, or each `-var K=V`). */
function assignments(args: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {}
  if (flag === '-var') {
    args.forEach((a, i) => {
      if (args[i - 1] === '-var') out[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1)
    })
    return out
  }
  for (const a of args.slice(args.indexOf(flag) + 1)) {
    if (a.startsWith('--')) break
    out[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1)
  }
  return out
}
const variables = (tf: string) => [...tf.matchAll(/^variable "(\w+)"/gm)].map((m) => m[1])

/** The manifest's steps with the values the README exports in place of its placeholders. */
function filled(steps: readonly Step[], values: Record<string, string>): Step[] {
  return JSON.parse(JSON.stringify(steps).replace(/\$\{([A-Z_]+)\}/g, (m, name: string) => values[name] ?? m)) as Step[]
}

// Concurrent: each runs a few CLI processes; they overlap on the two cores instead of queueing.
describe.skipIf(missing.length > 0).concurrent(title, () => {
  const blocks = walkthrough()

  it('has the three blocks: catch-all CloudFormation and Terraform, catch-all AWS CLI, per-route', () => {
    expect(blocks).toHaveLength(3)
  })

  it('catch-all: the template and configuration are the golden ones, deployed with exactly their parameters and variables', async () => {
    const { calls, dir } = await run(blocks[0] as string, 'catch-all')
    const template = readFileSync(path.join(dir, 'alb.yaml'), 'utf8')
    expect(template).toBe(golden('shop.catch-all.cloudformation.yaml'))
    const deploy = calls.find((c) => c.tool === 'aws' && c.args[1] === 'deploy') as Call
    const overrides = assignments(deploy.args, '--parameter-overrides')
    expect(Object.keys(overrides).sort()).toEqual(Object.keys((parse(template) as { Parameters: object }).Parameters).sort())
    expect(overrides).toEqual({ ListenerArn: env.LISTENER_ARN, FunctionArn: env.FUNCTION_ARN })
    const tf = readFileSync(path.join(dir, 'alb.tf'), 'utf8')
    expect(tf).toBe(golden('shop.catch-all.tf'))
    const apply = calls.find((c) => c.tool === 'terraform') as Call
    expect(apply.args[0]).toBe('apply')
    expect(Object.keys(assignments(apply.args, '-var')).sort()).toEqual(variables(tf).sort())
  })

  it('catch-all AWS CLI: every step runs in order, the target group ARN from create-target-group filling the rest', async () => {
    const { calls, dir } = await run(blocks[1] as string, 'catch-all-cli')
    const manifest = JSON.parse(readFileSync(path.join(dir, 'steps.json'), 'utf8')) as Step[]
    expect(manifest).toEqual(JSON.parse(golden('shop.catch-all.aws-cli.json')))
    const ran = awsSteps(calls)
    expect(ran.map((s) => s.command)).toEqual(manifest.map((s) => s.command))
    expect(ran).toEqual(filled(manifest, { ...env, TARGET_GROUP_ARN: CREATED_TG }))
    expect(JSON.stringify(ran)).not.toMatch(/\$\{/)
    expect(calls[0]?.args).toEqual(expect.arrayContaining(['--query', 'TargetGroups[0].TargetGroupArn', '--output', 'text']))
    expect(ran[2]).toEqual({
      command: 'lambda add-permission',
      input: expect.objectContaining({ FunctionName: env.FUNCTION_ARN, SourceArn: CREATED_TG, StatementId: 'albatross-shop-app' }),
    })
  })

  it('per-route: CloudFormation and Terraform take exactly the target groups; the AWS CLI sets their attribute, then creates the rules', async () => {
    const { calls, dir, stderr } = await run(blocks[2] as string, 'per-route')
    const template = readFileSync(path.join(dir, 'rules.yaml'), 'utf8')
    expect(template).toBe(golden('shop.per-route.cloudformation.yaml'))
    const deploy = calls.find((c) => c.tool === 'aws' && c.args[1] === 'deploy') as Call
    expect(Object.keys(assignments(deploy.args, '--parameter-overrides')).sort()).toEqual(
      Object.keys((parse(template) as { Parameters: object }).Parameters).sort(),
    )
    const tf = readFileSync(path.join(dir, 'rules.tf'), 'utf8')
    expect(tf).toBe(golden('shop.per-route.tf'))
    const apply = calls.find((c) => c.tool === 'terraform') as Call
    expect(Object.keys(assignments(apply.args, '-var')).sort()).toEqual(variables(tf).sort())
    const manifest = JSON.parse(readFileSync(path.join(dir, 'rules.json'), 'utf8')) as Step[]
    expect(manifest).toEqual(JSON.parse(golden('shop.per-route.aws-cli.json')))
    const tgs = {
      CATALOG_TARGET_GROUP_ARN: env.CATALOG_TG,
      ORDERS_TARGET_GROUP_ARN: env.ORDERS_TG,
      ADMIN_TARGET_GROUP_ARN: env.ADMIN_TG,
      DEFAULT_TARGET_GROUP_ARN: env.DEFAULT_TG,
    }
    const ran = awsSteps(calls)
    expect(ran).toEqual(filled(manifest, { ...env, ...tgs }))
    expect(ran.filter((s) => s.command === 'elbv2 modify-target-group-attributes').map((s) => s.input['TargetGroupArn']).sort()).toEqual(
      Object.values(tgs).sort(),
    )
    expect(JSON.stringify(ran)).not.toMatch(/\$\{/)
    // Issue #11 item 2: each manifest command says so once on stderr.
    expect(stderr.split('\n').filter((l) => l.startsWith('note: ')).length).toBe(3)
  })

  it('keeps every $ that is not a placeholder: /price$list and a body with $5, $HOME and ${HOME} (issue #11 item 4)', async () => {
    const { calls } = await run(blocks[2] as string, 'dollar', 'test/readme/fixtures/dollar-app.ts')
    const rules = awsSteps(calls).filter((s) => s.command === 'elbv2 create-rule').map((s) => JSON.stringify(s.input))
    expect(rules.some((r) => r.includes('"Values":["/price$list"]'))).toBe(true)
    expect(rules.some((r) => r.includes('"MessageBody":"from $5; see $HOME and ${HOME}"'))).toBe(true)
    expect(rules.every((r) => r.includes(`"TargetGroupArn":"${env.DEFAULT_TG}"`) || !r.includes('forward'))).toBe(true)
  })
})
