import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import type { OpenApiDocument } from '../../src/openapi/index.js'
import { expectValidOpenApi } from '../openapi/valid-openapi.js'
import { runNode } from './run-node.js'
import type { Run } from './run-node.js'

/*
 * The real CLI in a child process (`node --import tsx src/cli/main.ts …`) against real entry
 * files: the example shop (TypeScript, `export default app`), fixtures/entry.mjs (JavaScript,
 * `export const app`), and fixtures with a shadowed route, declaration errors and no app. Each
 * spawn costs about a second, so every test runs one or two and the suite runs them concurrently.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const SHOP = 'examples/shop/app.ts'
const fixture = (name: string) => `test/cli/fixtures/${name}`
const golden = (name: string) => readFileSync(path.join(repoRoot, 'test/manifest/golden', name), 'utf8')
const tmp = mkdtempSync(path.join(tmpdir(), 'albatross-cli-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function albatross(...args: string[]): Promise<Run> {
  return albatrossWith({}, ...args)
}

function albatrossWith(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return runNode(['--import', 'tsx', 'src/cli/main.ts', ...args], repoRoot, { FORCE_COLOR: '0', ...env })
}

/** A CLI error: exit 2, nothing on stdout, exactly one `albatross: …` line on stderr. */
function expectOneLineError(run: Run, pattern: RegExp): void {
  expect(run.code, run.stderr).toBe(2)
  expect(run.stdout).toBe('')
  const lines = run.stderr.split('\n').filter((l) => l !== '')
  expect(lines, run.stderr).toHaveLength(1)
  expect(lines[0]).toMatch(/^albatross: /)
  expect(lines[0]).toMatch(pattern)
}

const ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012'
const TARGETS = ['default', 'admin', 'catalog', 'orders'].map((t) => `${t}=${ARN}:targetgroup/${t}/0123456789abcdef`)

interface CreateRule {
  Priority: number
  Conditions: Record<string, unknown>[]
  Actions: Record<string, unknown>[]
}

/**
 * What `aws elbv2 describe-rules` returns once the per-route AWS CLI manifest is deployed: string
 * priorities, legacy `Values` beside host/path configs, redirect components filled with ALB's
 * placeholders, and the listener's default rule (spec/alb.md §1.1, §5).
 */
function describeRules(rules: readonly CreateRule[]): { Rules: unknown[] } {
  const arnOf = (text: string) =>
    text.replace(/^\$\{([A-Z]+)_TARGET_GROUP_ARN\}$/, (_m, t: string) => `${ARN}:targetgroup/${t.toLowerCase()}/0123456789abcdef`)
  return {
    Rules: [
      ...rules.map((rule, i) => ({
        RuleArn: `${ARN}:listener-rule/app/shop/1/2/${i}`,
        Priority: String(rule.Priority),
        Conditions: rule.Conditions.map((c) => {
          const config = (c['PathPatternConfig'] ?? c['HostHeaderConfig']) as { Values?: string[] } | undefined
          return config?.Values === undefined ? c : { ...c, Values: config.Values }
        }),
        Actions: rule.Actions.map((a) => {
          if (typeof a['TargetGroupArn'] === 'string') return { ...a, TargetGroupArn: arnOf(a['TargetGroupArn']) }
          if (a['RedirectConfig'] !== undefined) {
            const filled = { Protocol: '#{protocol}', Port: '#{port}', Host: '#{host}', Query: '#{query}' }
            return { ...a, RedirectConfig: { ...filled, ...(a['RedirectConfig'] as object) } }
          }
          return a
        }),
        IsDefault: false,
      })),
      {
        RuleArn: `${ARN}:listener-rule/app/shop/1/2/default`,
        Priority: 'default',
        Conditions: [],
        Actions: [{
          Type: 'fixed-response',
          FixedResponseConfig: { StatusCode: '404', ContentType: 'application/json', MessageBody: '{"type":"about:blank","title":"Not Found","status":404}' },
        }],
        IsDefault: true,
      },
    ],
  }
}

// One suite, all concurrent: the spawns overlap instead of queueing describe by describe.
describe.concurrent('albatross CLI', () => {
  describe('albatross openapi', () => {
    it('writes the example app as a valid OpenAPI 3.1 document, JSON to stdout or YAML to --out', async () => {
      const out = path.join(tmp, 'shop.openapi.yaml')
      const [json, yaml] = await Promise.all([
        albatross('openapi', SHOP, '--title', 'Shop', '--api-version', '2.0.0', '--server', 'https://shop.example.com'),
        albatross('openapi', SHOP, '--format', 'yaml', '--out', out),
      ])
      expect(json.code, json.stderr).toBe(0)
      const document = JSON.parse(json.stdout) as OpenApiDocument
      expect(document.info).toEqual({ title: 'Shop', version: '2.0.0' })
      expect(document.servers).toEqual([{ url: 'https://shop.example.com' }])
      await expectValidOpenApi(document)
      expect(yaml.code, yaml.stderr).toBe(0)
      expect(yaml.stderr).toBe(`wrote ${out}\n`)
      const fromYaml = parseYaml(readFileSync(out, 'utf8')) as OpenApiDocument
      // Title and version default to the nearest package.json.
      expect(fromYaml.info).toEqual({ title: 'albatross', version: expect.any(String) })
      expect(fromYaml.paths).toEqual(document.paths)
    })
  })

  describe('albatross routes', () => {
    it('prints the rules in ALB evaluation order with conditions, action and source, then the default', async () => {
      const run = await albatross('routes', SHOP)
      expect(run.code, run.stderr).toBe(0)
      expect(run.stderr).toBe('')
      const [table = '', mode] = run.stdout.trimEnd().split('\n\n')
      const lines = table.split('\n')
      // The shop has middleware, so a fifth column shows each rule's chain (#13).
      expect(lines[0]).toMatch(/^priority\s+conditions\s+action\s+source\s+middleware$/)
      const rows = lines.slice(2).map((l) => l.split(/\s{2,}/))
      // Issue #11 item 1: the header mode the manifest deploys, and why (spec/alb.md §2.2, §2.5, §6 #9).
      expect(mode).toMatch(/^header mode: multi-value \(target group attribute lambda\.multi_value_headers\.enabled=true\): cors\.preflight has an http-header condition on origin;/)
      // spec/alb.md §1.1: ascending priority; the explicit @Priority(10) before the automatic ones.
      expect(rows.map((r) => r[0])).toEqual(['1', '10', '1000', '1010', '1020', '1030', '1040', '1050', '1060', '1070', '1080', '1090', '1100', '2000', '2010', 'default'])
      expect(rows[1]).toEqual([
        '10',
        'path-pattern /products/* AND http-request-method GET|HEAD AND host-header admin.example.com|*.admin.example.com',
        'forward → admin',
        'Admin.inspect',
        'correlationId',
      ])
      // The ALB answers a fixed-response rule itself in a per-route deployment: no middleware.
      expect(rows[2]).toEqual(['1000', 'path-pattern /robots.txt AND http-request-method GET|HEAD', 'fixed-response 200', 'Site.robots', '-'])
      expect(rows.find((r) => r[3] === 'Orders.get')?.[4]).toBe('correlationId → requireTenant')
      expect(rows.at(-1)).toEqual(['default', '(no rule matched)', 'fixed-response 404', 'defaultAction', '-'])
    })

    it('prints the table as JSON with --json', async () => {
      const run = await albatross('routes', SHOP, '--json')
      expect(run.code, run.stderr).toBe(0)
      const json = JSON.parse(run.stdout) as {
        rules: { priority: number; source: string; conditions: { type: string }[]; action: { type: string } }[]
        defaultAction: { statusCode: number }
        multiValueHeaders: boolean
        shadowed: unknown[]
      }
      expect(json.rules.map((r) => r.source)).toEqual([
        'cors.preflight', 'Admin.inspect', 'Site.robots', 'Products.list', 'Site.search', 'Orders.create', 'Site.health',
        'Products.getBeta', 'Products.get', 'Site.oldShop', 'Site.css', 'Orders.remove', 'Orders.get',
        'Account.profile', 'Account.partnerOrders',
      ])
      const priorities = json.rules.map((r) => r.priority)
      expect(priorities).toEqual([...priorities].sort((a, b) => a - b))
      expect(json.rules.find((r) => r.source === 'Orders.remove')?.conditions.map((c) => c.type)).toEqual([
        'path-pattern', 'http-request-method', 'source-ip',
      ])
      expect(json.defaultAction.statusCode).toBe(404)
      expect(json.multiValueHeaders).toBe(true)
      expect((json as unknown as { multiValueReasons: unknown[] }).multiValueReasons).toContainEqual({ kind: 'http-header', source: 'Products.getBeta', name: 'x-beta' })
      expect(json.shadowed).toEqual([])
      const chains = json.rules as unknown as { source: string; middleware: string[] }[]
      expect(chains.find((r) => r.source === 'Orders.get')?.middleware).toEqual(['correlationId', 'requireTenant'])
      expect(chains.find((r) => r.source === 'Site.robots')?.middleware).toEqual([])
    })

    it('warns on stderr about a rule an earlier rule always takes', async () => {
      const table = await albatross('routes', fixture('shadowed.ts'))
      expect(table.code, table.stderr).toBe(0)
      expect(table.stdout).toMatch(/^5\s+path-pattern \/files\/\* AND http-request-method GET\|HEAD\s+forward → default\s+Files\.all$/m)
      expect(table.stderr.trim()).toBe(
        'warning: Files.readme (priority 1000) can never match: Files.all (priority 5) matches every request it would. ' +
          'Give it a lower @Priority or narrow Files.all.',
      )
    })

    it('loads a JavaScript entry that exports the app as `app`', async () => {
      const run = await albatross('routes', fixture('entry.mjs'))
      expect(run.code, run.stderr).toBe(0)
      expect(run.stdout).toMatch(/^1000\s+path-pattern \/js\/search AND http-request-method GET\|HEAD AND query-string q=\*\s+forward → default\s+Hello\.search$/m)
      expect(run.stdout).toMatch(/^1010\s+path-pattern \/js\/hello AND http-request-method GET\|HEAD\s+forward → default\s+Hello\.hello$/m)
    })
  })

  describe('albatross explain', () => {
    it('names the first failed condition of every earlier rule and the rule that matches', async () => {
      const run = await albatross('explain', SHOP, 'GET /products/tee-1?ref=home', '-H', 'X-Beta: true', '-H', 'host: shop.example.com')
      expect(run.code, run.stderr).toBe(0)
      expect(run.stdout.split('\n').filter((l) => l !== '')).toEqual([
        'GET /products/tee-1?ref=home  (host shop.example.com, source ip 203.0.113.10)',
        '  ✗     1  cors.preflight: http-request-method OPTIONS did not match',
        '  ✗    10  Admin.inspect: host-header admin.example.com|*.admin.example.com did not match',
        '  ✗  1000  Site.robots: path-pattern /robots.txt did not match',
        '  ✗  1010  Products.list: path-pattern /products did not match',
        '  ✗  1020  Site.search: path-pattern /search did not match',
        '  ✗  1030  Orders.create: path-pattern /orders did not match',
        '  ✗  1040  Site.health: path-pattern /health did not match',
        '  ✓  1050  Products.getBeta matches: forward → catalog',
        '           middleware: correlationId → Products.getBeta',
      ])
    })

    it('matches source-ip against --source-ip, and says when only the default action is left', async () => {
      const [inside, outside] = await Promise.all([
        albatross('explain', SHOP, 'DELETE /orders/9', '--source-ip', '10.1.2.3', '--json'),
        albatross('explain', SHOP, 'DELETE /orders/9', '--source-ip', '192.0.2.1'),
      ])
      expect(inside.code, inside.stderr).toBe(0)
      const json = JSON.parse(inside.stdout) as {
        request: unknown
        matched: { source: string }
        middleware: string[]
        rejected: { source: string; failed: string }[]
      }
      expect(json.request).toEqual({ method: 'DELETE', path: '/orders/9', host: 'example.com', sourceIp: '10.1.2.3' })
      expect(json.matched.source).toBe('Orders.remove')
      expect(json.middleware).toEqual(['correlationId'])
      expect(json.rejected.at(-1)).toEqual({ source: 'Site.css', priority: 1080, failed: 'path-pattern /static/*.css' })
      expect(outside.code, outside.stderr).toBe(0)
      const lines = outside.stdout.trimEnd().split('\n')
      expect(lines).toContain('  ✗  1090  Orders.remove: source-ip 10.0.0.0/8|2001:db8::/32 did not match')
      expect(lines).toContain('  ✗  1100  Orders.get: http-request-method GET|HEAD did not match')
      expect(lines.at(-1)).toBe('  → no rule matched: default action, fixed-response 404')
    })
  })

  describe('albatross manifest', () => {
    // The golden files are the reviewed output (test/manifest/golden.test.ts); the CLI writes the same.
    // One spawn per format; the other format × mode pairs differ only inside renderManifest.
    const cases = [
      { args: ['--mode', 'per-route'], file: 'shop.per-route.cloudformation.yaml' },
      { args: ['--format', 'terraform', '--json'], file: 'shop.catch-all.tf.json' },
      { args: ['--format', 'aws-cli', '--mode', 'per-route'], file: 'shop.per-route.aws-cli.json' },
    ]
    for (const { args, file } of cases) {
      it(`writes ${args.join(' ')} to --out as golden/${file}`, async () => {
        const out = path.join(tmp, file)
        const run = await albatross('manifest', SHOP, ...args, '--out', out)
        expect(run.code, run.stderr).toBe(0)
        expect(run.stdout).toBe('')
        // Issue #11 item 2: per-route target groups are inputs, so the CLI says on stderr, in one
        // line, that they need multi-value headers (the shop routes on x-beta and ?q).
        const note = args.includes('per-route')
          ? ['note: the target groups of "default", "admin", "catalog", "orders" must have lambda.multi_value_headers.enabled = true: ' +
              'ALB matches http-header and query-string conditions on any occurrence of a repeated header or key, and a single-value ' +
              'event holds only the last one (and array parameters get one value); ' +
              (args.includes('aws-cli') ? "the manifest's modify-target-group-attributes steps set it"
                : 'the template cannot set it on target groups it does not create (see its TargetGroupAttributes output)')]
          : []
        expect(run.stderr.split('\n').filter((l) => l !== '')).toEqual([`wrote ${out}`, ...note])
        expect(readFileSync(out, 'utf8')).toBe(golden(file))
      })
    }

    it('maps targets and the listener to ARNs, on stdout without --out', async () => {
      const run = await albatross(
        'manifest', SHOP, '--format', 'aws-cli', '--mode', 'per-route',
        '--listener', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/1/2',
        '--target', 'catalog=arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/catalog/3',
        '--priority-offset', '20000',
      )
      expect(run.code, run.stderr).toBe(0)
      const steps = JSON.parse(run.stdout) as { command: string; input: { ListenerArn: string; Priority: number; Actions: { TargetGroupArn?: string }[] } }[]
      const rules = steps.filter((s) => s.command === 'elbv2 create-rule').map((s) => s.input)
      expect(new Set(rules.map((r) => r.ListenerArn))).toEqual(new Set(['arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/1/2']))
      expect(rules.map((r) => r.Priority).slice(0, 3)).toEqual([20001, 20010, 21000])
      expect(rules[3]?.Actions[0]?.TargetGroupArn).toBe('arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/catalog/3')
    })
  })

  // Issue #12 § 9: an entry that never finishes loading is a failure, never an empty success.
  describe('an entry whose top-level await never settles', () => {
    it('fails manifest at once when nothing is left running (it used to exit 0 with no output)', async () => {
      const run = await albatross('manifest', fixture('never-settles.mjs'))
      expectOneLineError(run, /never-settles\.mjs never finishes loading: a top-level await in it .* waits for something nothing left running will do/)
    })

    it('times out routes after --load-timeout, and openapi after ALBATROSS_LOAD_TIMEOUT, while something keeps running', async () => {
      const [routes, openapi, bad] = await Promise.all([
        albatross('routes', fixture('hangs.mjs'), '--load-timeout', '0.5'),
        albatrossWith({ ALBATROSS_LOAD_TIMEOUT: '0.5' }, 'openapi', fixture('hangs.mjs')),
        albatross('manifest', fixture('entry.mjs'), '--load-timeout', '0'),
      ])
      expectOneLineError(routes, /hangs\.mjs did not finish loading within 0\.5 s: a top-level await .* has not settled \(--load-timeout <seconds> or ALBATROSS_LOAD_TIMEOUT, default 30\)/)
      expectOneLineError(openapi, /hangs\.mjs did not finish loading within 0\.5 s/)
      expectOneLineError(bad, /--load-timeout takes a number of seconds above 0, got "0"/)
    })
  })

  // Issue #11 item 7: a misspelt --target is a usage error (exit 2) naming the known targets.
  it('refuses an unknown --target name with exit 2, naming the targets the manifest forwards to', async () => {
    const run = await albatross('manifest', SHOP, '--mode', 'per-route', '--target', `catalogue=${ARN}:targetgroup/c/1`)
    expectOneLineError(run, /^albatross: unknown target "catalogue": the per-route manifest forwards to "[^"]+"(, "[^"]+")*; check the name given to --target name=arn$/)
    expect(run.stderr).toMatch(/"catalog"/)
  })

  describe('albatross diff', () => {
    const created = (JSON.parse(golden('shop.per-route.aws-cli.json')) as { command: string; input: CreateRule }[])
      .flatMap((s) => (s.command === 'elbv2 create-rule' ? [s.input] : []))
    const targetArgs = TARGETS.flatMap((t) => ['--target', t])

    it('exits 0 when the deployed rules are the per-route manifest', async () => {
      const file = path.join(tmp, 'deployed-same.json')
      writeFileSync(file, JSON.stringify(describeRules(created)))
      const run = await albatross('diff', SHOP, '--deployed', file, ...targetArgs)
      expect(run.stderr).toBe('')
      expect(run.stdout).toBe('deployed rules match the per-route manifest\n')
      expect(run.code).toBe(0)
    })

    it('exits 1 and lists missing, extra and changed rules when they differ', async () => {
      const drifted = structuredClone(created).filter((r) => r.Priority !== 1040)
      const beta = drifted.find((r) => r.Priority === 1050) as CreateRule
      beta.Conditions[2] = { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'x-beta', Values: ['on'] } }
      drifted.push({
        Priority: 30000,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/legacy/*'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: `${ARN}:targetgroup/legacy/1` }],
      })
      const file = path.join(tmp, 'deployed-drifted.json')
      writeFileSync(file, JSON.stringify(describeRules(drifted)))
      const text = await albatross('diff', SHOP, '--deployed', file, ...targetArgs)
      expect(text.code).toBe(1)
      expect(text.stdout.split('\n').filter((l) => l !== '')).toEqual([
        'missing  priority 1040 (Site.health)',
        'extra    priority 30000 arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/shop/1/2/14',
        'changed  priority 1050 (Products.getBeta) Conditions[http-header x-beta]: ' +
          'expected [{"Field":"http-header","HttpHeaderName":"x-beta","Values":["on","true"]}], ' +
          'deployed [{"Field":"http-header","HttpHeaderName":"x-beta","Values":["on"]}]',
        '1 missing, 1 extra, 1 changed',
      ])
    })
  })

  describe('CLI errors', () => {
    it('reports a missing entry in one line with exit 2', async () => {
      expectOneLineError(await albatross('routes', 'examples/shop/nope.ts'), /^albatross: entry examples\/shop\/nope\.ts does not exist$/)
    })

    it('reports an entry without an app export', async () => {
      expectOneLineError(
        await albatross('manifest', fixture('no-app.ts')),
        /^albatross: test\/cli\/fixtures\/no-app\.ts must export the app from createApp\(\) as "default" or "app"$/,
      )
    })

    it('reports every route declaration problem of the entry in one line', async () => {
      const run = await albatross('routes', fixture('invalid.ts'))
      expectOneLineError(run, /^albatross: test\/cli\/fixtures\/invalid\.ts has 3 route declaration problems: Broken\.spaced: path pattern "\/a b" has ' '/)
      expect(run.stderr).toMatch(/; Broken\.ported: host pattern "example\.com:8443" has ':'/)
    })

    it('reports a bad flag in one line with exit 2, not the 1 that diff keeps for a difference', async () => {
      const run = await albatross('diff', SHOP, '--deployed', 'rules.json', '--jsn')
      expectOneLineError(run, /^albatross: unknown option '--jsn' \(Did you mean --json\?\)$/)
    })

    it('reports a bad request line and an unreadable describe-rules file in one line', async () => {
      const [line, deployed] = await Promise.all([
        albatross('explain', SHOP, 'GET products'),
        albatross('diff', SHOP, '--deployed', path.join(tmp, 'absent.json')),
      ])
      expectOneLineError(line, /^albatross: the path must start with "\/", got "products"$/)
      expectOneLineError(deployed, /^albatross: cannot read .*absent\.json as JSON: ENOENT/)
    })
  })

  describe('--help', () => {
    const commands: [string, RegExp][] = [
      ['routes', /--json/],
      ['explain', /-H, --header <header>[\s\S]*--source-ip <ip>/],
      ['manifest', /--format <format>[\s\S]*--mode <mode>[\s\S]*--out <file>/],
      ['diff', /--deployed <file>/],
      ['dev', /--port <port>[\s\S]*--watch/],
      ['openapi', /--format <format>[\s\S]*--out <file>/],
    ]
    for (const [command, options] of commands) {
      it(`documents ${command} and exits 0`, async () => {
        const run = await albatross(command, '--help')
        expect(run.code, run.stderr).toBe(0)
        expect(run.stdout).toMatch(new RegExp(`^Usage: albatross ${command} \\[options\\] <entry>`))
        expect(run.stdout).toMatch(options)
      })
    }

    it('lists every command at the top level', async () => {
      const run = await albatross('--help')
      expect(run.code, run.stderr).toBe(0)
      for (const [command] of commands) expect(run.stdout).toMatch(new RegExp(`^  ${command} \\[options\\] <entry>`, 'm'))
    })
  })
})
