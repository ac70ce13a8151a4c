import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { buildManifest, diffDeployed, ManifestError, renderManifest } from '../../src/manifest/index.js'
import type { CloudFormationTemplate } from '../../src/manifest/cloudformation.js'
import type { CreateRuleInput } from '../../src/manifest/aws-cli.js'
import { JWT_VALIDATION_PROVIDER_FLOOR } from '../../src/manifest/terraform.js'
import type { ManifestOptions } from '../../src/manifest/model.js'
import type { AuthAction, RuleTable } from '../../src/rules/types.js'
import { forward, hasSchemas, makeTable, method, notFound, options, pathIs, schemaDir } from './factories.js'

/*
 * @Authenticate in every manifest format (spec/alb.md §1.6, §7): the auth action with Order 1
 * before the routing action with Order 2; in catch-all mode the authenticated routes' rules (and
 * every rule before them) ahead of the catch-all; client secrets never in clear.
 */

const SECRET = 'oidc-client-secret-in-clear-x9'
const OIDC: AuthAction = {
  type: 'authenticate-oidc',
  issuer: 'https://idp.example.com',
  authorizationEndpoint: 'https://idp.example.com/authorize',
  tokenEndpoint: 'https://idp.example.com/token',
  userInfoEndpoint: 'https://idp.example.com/userinfo',
  clientId: 'web',
  clientSecret: SECRET,
  scope: 'openid email',
  sessionTimeout: 3600,
  onUnauthenticatedRequest: 'deny',
  authenticationRequestExtraParams: { prompt: 'login' },
}
const COGNITO: AuthAction = {
  type: 'authenticate-cognito',
  userPoolArn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Abc123',
  userPoolClientId: 'app-client',
  userPoolDomain: 'login',
  sessionCookieName: 'shop-session',
}
const JWT: AuthAction = {
  type: 'jwt-validation',
  jwksEndpoint: 'https://partner.example.com/jwks.json',
  issuer: 'https://partner.example.com',
  additionalClaims: [{ name: 'scope', format: 'space-separated-values', values: ['orders:read'] }],
}

/** A public route first that a broader authenticated route would otherwise swallow. */
function authTable(withJwt = true): RuleTable {
  return makeTable(
    { source: 'Public.open', conditions: [pathIs('/admin/public'), method('GET')], action: forward('web') },
    { source: 'Admin.any', conditions: [pathIs('/admin/*')], action: forward('web'), auth: OIDC },
    { source: 'Admin.again', conditions: [pathIs('/admin2/*')], action: forward('web'), auth: OIDC },
    { source: 'Me.get', conditions: [pathIs('/me')], action: forward('web'), auth: COGNITO },
    { source: 'Me.old', conditions: [pathIs('/me/old')], action: { type: 'redirect', statusCode: 301, path: '/me' }, auth: COGNITO },
    ...(withJwt ? [{ source: 'Partner.orders', conditions: [pathIs('/partner/*')], action: forward('partner'), auth: JWT }] : []),
    { source: 'Site.rest', conditions: [pathIs('/*')], action: forward('web') },
  )
}

const cfn = (table: RuleTable, extra: Partial<ManifestOptions> = {}): CloudFormationTemplate => {
  const built = buildManifest(table, options({ defaultAction: notFound, ...extra }))
  if (built.format !== 'cloudformation') throw new Error(built.format)
  return built.document
}
/** The create-rule inputs among the AWS CLI steps. */
const cli = (table: RuleTable, extra: Partial<ManifestOptions> = {}): CreateRuleInput[] =>
  (JSON.parse(renderManifest(table, options({ format: 'aws-cli', ...extra }))) as { command: string; input: CreateRuleInput }[])
    .flatMap((step) => (step.command === 'elbv2 create-rule' ? [step.input] : []))

const ALL_OUTPUTS: [string, Partial<ManifestOptions>][] = (['per-route', 'catch-all'] as const).flatMap((mode) => [
  [`${mode} CloudFormation YAML`, { mode, format: 'cloudformation' as const }],
  [`${mode} CloudFormation JSON`, { mode, format: 'cloudformation' as const, json: true }],
  [`${mode} Terraform`, { mode, format: 'terraform' as const }],
  [`${mode} Terraform JSON`, { mode, format: 'terraform' as const, json: true }],
  [`${mode} AWS CLI`, { mode, format: 'aws-cli' as const }],
])

describe('authenticate actions in the manifests', () => {
  it.each(ALL_OUTPUTS)('%s: never writes the client secret', (_, extra) => {
    const text = renderManifest(authTable(), options({ defaultAction: notFound, ...extra }))
    expect(text).toContain('idp.example.com/authorize')
    expect(text).not.toContain(SECRET)
  })

  it('CloudFormation: the auth action with Order 1, then the routing action with Order 2; the secret a NoEcho parameter, once per client', () => {
    const t = cfn(authTable())
    const admin = t.Resources['AdminAnyRule'] as { Properties: { Actions: unknown[] } }
    expect(admin.Properties.Actions).toEqual([
      {
        Order: 1,
        Type: 'authenticate-oidc',
        AuthenticateOidcConfig: {
          Issuer: 'https://idp.example.com',
          AuthorizationEndpoint: 'https://idp.example.com/authorize',
          TokenEndpoint: 'https://idp.example.com/token',
          UserInfoEndpoint: 'https://idp.example.com/userinfo',
          ClientId: 'web',
          ClientSecret: { Ref: 'OidcClientSecret' },
          Scope: 'openid email',
          SessionTimeout: 3600,
          OnUnauthenticatedRequest: 'deny',
          AuthenticationRequestExtraParams: { prompt: 'login' },
        },
      },
      { Order: 2, Type: 'forward', TargetGroupArn: { Ref: 'WebTargetGroupArn' } },
    ])
    expect(t.Parameters?.['OidcClientSecret']).toEqual({
      Type: 'String',
      Description: 'Client secret of OIDC client "web" at https://idp.example.com (authenticate-oidc)',
      NoEcho: true,
    })
    expect(Object.keys(t.Parameters ?? {}).filter((k) => k.includes('Secret'))).toEqual(['OidcClientSecret'])
    const redirect = t.Resources['MeOldRule'] as { Properties: { Actions: { Type: string; Order?: number }[] } }
    expect(redirect.Properties.Actions.map((a) => [a.Order, a.Type])).toEqual([[1, 'authenticate-cognito'], [2, 'redirect']])
    // A rule without auth keeps its single action without Order, as before.
    expect((t.Resources['PublicOpenRule'] as { Properties: { Actions: object[] } }).Properties.Actions).toEqual([
      { Type: 'forward', TargetGroupArn: { Ref: 'WebTargetGroupArn' } },
    ])
  })

  it('CloudFormation keeps a dynamic reference given as the secret ({{resolve:…}} is not the secret itself)', () => {
    const reference = '{{resolve:secretsmanager:shop/oidc:SecretString:clientSecret}}'
    const table = makeTable({ source: 'A.b', conditions: [pathIs('/a')], action: forward('web'), auth: { ...OIDC, clientSecret: reference } })
    const t = cfn(table)
    const actions = (t.Resources['ABRule'] as { Properties: { Actions: { AuthenticateOidcConfig?: { ClientSecret: unknown } }[] } }).Properties.Actions
    expect(actions[0]?.AuthenticateOidcConfig?.ClientSecret).toBe(reference)
    expect(t.Parameters?.['OidcClientSecret']).toBeUndefined()
    // Terraform and the CLI cannot resolve it: a variable and a placeholder as always.
    expect(renderManifest(table, options({ format: 'terraform' }))).toContain('client_secret          = var.oidc_client_secret')
    expect(cli(table)[0]?.Actions[0]).toMatchObject({ AuthenticateOidcConfig: { ClientSecret: '${OIDC_CLIENT_SECRET}' } })
  })

  it('AWS CLI: Order on both actions, the secret an envsubst placeholder', () => {
    const inputs = cli(authTable())
    const admin = inputs.find((i) => i.Tags[0]?.Value === 'Admin.any') as CreateRuleInput
    expect(admin.Actions.map((a) => [a.Order, a.Type])).toEqual([[1, 'authenticate-oidc'], [2, 'forward']])
    expect(admin.Actions[0]).toMatchObject({ AuthenticateOidcConfig: { ClientSecret: '${OIDC_CLIENT_SECRET}' } })
    const partner = inputs.find((i) => i.Tags[0]?.Value === 'Partner.orders') as CreateRuleInput
    expect(partner.Actions[0]).toEqual({
      Order: 1,
      Type: 'jwt-validation',
      JwtValidationConfig: {
        JwksEndpoint: 'https://partner.example.com/jwks.json',
        Issuer: 'https://partner.example.com',
        AdditionalClaims: [{ Format: 'space-separated-values', Name: 'scope', Values: ['orders:read'] }],
      },
    })
  })

  it('Terraform: order = 1 and 2, the secret a sensitive variable, and the provider floor jwt_validation needs', () => {
    const text = renderManifest(authTable(), options({ format: 'terraform' }))
    expect(text).toContain('variable "oidc_client_secret" {')
    expect(text).toMatch(/variable "oidc_client_secret" \{[^}]*sensitive\s+= true/)
    expect(text).toMatch(/type\s+= "authenticate-oidc"\n\s+order = 1/)
    expect(text).toMatch(/type\s+= "forward"\n\s+order\s+= 2/)
    expect(text).toContain(`version = "${JWT_VALIDATION_PROVIDER_FLOOR}"`)
    // Without a jwt-validation action the configuration needs no newer provider.
    expect(renderManifest(authTable(false), options({ format: 'terraform' }))).not.toContain('required_providers')
  })
})

describe('catch-all mode with authenticated routes', () => {
  it('emits every rule up to the last authenticated one, all forwarding to the Lambda, then the catch-all', () => {
    const t = cfn(authTable(), { mode: 'catch-all' })
    const rules = Object.values(t.Resources).filter((r) => r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule') as {
      Metadata: Record<string, string>
      Properties: { Priority: number; Actions: { Type: string; TargetGroupArn?: unknown }[] }
    }[]
    expect(rules.map((r) => [r.Metadata['albatross:route'], r.Properties.Priority])).toEqual([
      ['Public.open', 1000],
      ['Admin.any', 1010],
      ['Admin.again', 1020],
      ['Me.get', 1030],
      ['Me.old', 1040],
      ['Partner.orders', 1050],
      ['catch-all', 50000],
    ])
    // Whatever target a route names, in catch-all mode everything goes to the one Lambda.
    const targets = new Set(rules.flatMap((r) => r.Properties.Actions.filter((a) => a.Type === 'forward').map((a) => JSON.stringify(a.TargetGroupArn))))
    expect([...targets]).toEqual([JSON.stringify({ Ref: 'DefaultTargetGroup' })])
  })

  it('without authenticated routes it stays the one catch-all rule', () => {
    const t = cfn(makeTable({ source: 'A.b', conditions: [pathIs('/a')], action: forward('web') }), { mode: 'catch-all' })
    expect(Object.values(t.Resources).filter((r) => r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule')).toHaveLength(1)
  })

  it('refuses a catch-all priority that would put the catch-all before the authenticated rules', () => {
    expect(() => cfn(authTable(), { mode: 'catch-all', catchAllPriority: 1030 })).toThrow(ManifestError)
    expect(() => cfn(authTable(), { mode: 'catch-all', catchAllPriority: 1030 })).toThrow(/letting their requests through unauthenticated/)
  })
})

describe('albatross diff with auth actions', () => {
  const deployedOf = (table: RuleTable, patch: (actions: Record<string, unknown>[]) => void = () => undefined) => {
    // What describe-rules returns: no ClientSecret, AWS's defaults filled in (API reference).
    const rules = cli(table, { targets: { web: 'arn:aws:tg/web', partner: 'arn:aws:tg/partner' } }).map((input, i) => {
      const actions = input.Actions.map((a) => {
        const copy = structuredClone(a) as Record<string, unknown>
        const config = (copy['AuthenticateOidcConfig'] ?? copy['AuthenticateCognitoConfig']) as Record<string, unknown> | undefined
        if (config !== undefined) {
          delete config['ClientSecret']
          config['Scope'] ??= 'openid'
          config['SessionCookieName'] ??= 'AWSELBAuthSessionCookie'
          config['SessionTimeout'] ??= 604800
          config['OnUnauthenticatedRequest'] ??= 'authenticate'
          config['AuthenticationRequestExtraParams'] ??= {}
        }
        return copy
      })
      patch(actions)
      return { RuleArn: `arn:rule/${i}`, Priority: String(input.Priority), IsDefault: false, Conditions: input.Conditions, Actions: actions }
    })
    return { Rules: rules }
  }
  const diffOptions = options({ mode: 'per-route', targets: { web: 'arn:aws:tg/web', partner: 'arn:aws:tg/partner' } })

  it('sees no change when the listener holds the same auth actions (secret absent, defaults filled in)', () => {
    const diff = diffDeployed(authTable(), diffOptions, deployedOf(authTable()))
    expect(diff).toMatchObject({ missing: [], extra: [], changed: [] })
  })

  it('reports a changed auth action, and a rule deployed without its auth action', () => {
    const deployed = deployedOf(authTable(), (actions) => {
      const config = actions[0]?.['AuthenticateCognitoConfig'] as Record<string, unknown> | undefined
      if (config !== undefined) config['UserPoolClientId'] = 'someone-else'
    })
    const stripped = deployedOf(authTable(), (actions) => {
      if (actions[0]?.['Type'] === 'jwt-validation') actions.splice(0, 1)
    })
    expect(diffDeployed(authTable(), diffOptions, deployed).changed.map((c) => [c.source, c.field])).toEqual([
      ['Me.get', 'Actions'],
      ['Me.old', 'Actions'],
    ])
    expect(diffDeployed(authTable(), diffOptions, stripped).changed.map((c) => [c.source, c.field])).toEqual([['Partner.orders', 'Actions']])
  })
})

describe.skipIf(!hasSchemas)('CloudFormation with auth actions against ../shared/schemas (skipped when absent)', () => {
  it.each(['per-route', 'catch-all'] as const)('every ListenerRule validates (%s)', (mode) => {
    const schema = hasSchemas ? JSON.parse(readFileSync(path.join(schemaDir, 'cloudformation-AWS-ElasticLoadBalancingV2-ListenerRule.json'), 'utf8')) : {}
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema)
    const t = cfn(authTable(), { mode })
    let checked = 0
    for (const [id, resource] of Object.entries(t.Resources)) {
      if (resource.Type !== 'AWS::ElasticLoadBalancingV2::ListenerRule') continue
      const properties = JSON.parse(JSON.stringify(resource.Properties, (_, v: unknown) => (isIntrinsic(v) ? 'arn:aws:placeholder' : v))) as unknown
      validate(properties)
      expect(validate.errors ?? [], id).toEqual([])
      checked++
    }
    expect(checked).toBeGreaterThan(4)
  })
})

function isIntrinsic(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const keys = Object.keys(v)
  return keys.length === 1 && (keys[0] === 'Ref' || (keys[0] as string).startsWith('Fn::'))
}

function onPath(tool: string, args: string[]): boolean {
  try {
    execFileSync(tool, args, { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** The offline hashicorp/aws provider's plugin root (the folder holding registry.terraform.io). */
function providerRoot(): string | undefined {
  for (const root of ['/opt/tf-plugins', path.join(process.env['HOME'] ?? '/root', '.terraform.d/plugins')]) {
    if (existsSync(path.join(root, 'registry.terraform.io/hashicorp/aws'))) return root
  }
  return undefined
}

const hasCfnLint = onPath('cfn-lint', ['--version'])
const tfRoot = onPath('terraform', ['version']) ? providerRoot() : undefined

describe('real tools on the auth manifests', () => {
  it.skipIf(!hasCfnLint)('cfn-lint accepts every CloudFormation output with auth actions (needs cfn-lint)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'albatross-auth-cfn-'))
    try {
      for (const mode of ['per-route', 'catch-all'] as const) {
        for (const json of [false, true]) {
          const text = renderManifest(authTable(), options({ mode, json, defaultAction: notFound }))
          writeFileSync(path.join(dir, `${mode}.${json ? 'json' : 'yaml'}`), text)
        }
      }
      const files = readdirSync(dir).map((f) => path.join(dir, f))
      // cfn-lint exits non-zero and prints the findings when a template has any.
      const out = execFileSync('cfn-lint', files, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      expect(out).toBe('')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it.skipIf(tfRoot === undefined)(
    'terraform validate accepts the oidc and cognito rules with the offline hashicorp/aws 5.100.0; jwt_validation (6.22.0+) is declared as a floor instead (needs terraform and the provider)',
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'albatross-auth-tf-'))
      try {
        mkdirSync(path.join(dir, 'hcl'))
        writeFileSync(path.join(dir, 'hcl', 'main.tf'), renderManifest(authTable(false), options({ format: 'terraform', defaultAction: notFound })))
        const run = (args: string[], cwd: string) => execFileSync('terraform', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
        run(['init', '-backend=false', `-plugin-dir=${tfRoot as string}`, '-input=false', '-no-color'], path.join(dir, 'hcl'))
        expect(run(['validate', '-no-color'], path.join(dir, 'hcl'))).toMatch(/Success/)
        // The jwt configuration is formatted as terraform fmt formats it, and names its floor.
        writeFileSync(path.join(dir, 'jwt.tf'), renderManifest(authTable(), options({ format: 'terraform', mode: 'catch-all' })))
        expect(run(['fmt', '-check', '-list=true', dir], dir)).toBe('')
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
    120_000,
  )
})
