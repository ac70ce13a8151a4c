import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse } from '@cdktf/hcl2json'
import { describe, expect, it } from 'vitest'
import { renderManifest } from '../../src/manifest/index.js'
import type { ManifestOptions } from '../../src/manifest/model.js'
import { terraformReference } from '../../src/manifest/terraform.js'
import type { RuleTable } from '../../src/rules/types.js'
import { forward, header, makeTable, notFound, options, pathIs, pathRegex, query, sampleTable, pathOnlyTable } from './factories.js'

type Json = Record<string, any>

const tf = (extra: Partial<ManifestOptions> = {}) => options({ format: 'terraform', ...extra })

async function hcl(table: RuleTable, extra: Partial<ManifestOptions> = {}): Promise<Json> {
  return (await parse('main.tf', renderManifest(table, tf(extra)))) as Json
}

/**
 * hcl2json wraps every block body in an array and writes types as `${string}`; `.tf.json`
 * nests labelled blocks as plain objects. Bring the latter to the former's shape.
 */
function asHcl2Json(config: Json): Json {
  const out: Json = {}
  for (const [kind, byType] of Object.entries(config)) {
    if (kind === '//') continue
    // Unlabelled blocks (`terraform { required_providers { … } }`) are arrays in both forms.
    if (Array.isArray(byType)) {
      out[kind] = byType
      continue
    }
    out[kind] = {}
    if (kind === 'variable') {
      for (const [name, body] of Object.entries(byType as Json)) out[kind][name] = [{ ...body, type: `\${${body.type}}` }]
      continue
    }
    if (kind === 'output') {
      for (const [name, body] of Object.entries(byType as Json)) out[kind][name] = [body]
      continue
    }
    for (const [type, byName] of Object.entries(byType as Json)) {
      out[kind][type] = {}
      for (const [name, body] of Object.entries(byName as Json)) {
        const b = { ...body }
        if (Array.isArray(b.depends_on)) b.depends_on = b.depends_on.map((d: string) => `\${${d}}`)
        out[kind][type][name] = [b]
      }
    }
  }
  return out
}

function terraformOnPath(): boolean {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

const escapes = makeTable({
  source: 'Escapes.all',
  conditions: [
    pathRegex('^/a\\/b\\d+"q"$'),
    header('X-Tpl', ['${var.secret}', '%{ if x }', 'back\\slash']),
    query({ key: 'k', value: 'a\\*b' }),
  ],
  action: { type: 'fixed-response', statusCode: 400, contentType: 'text/plain', messageBody: 'line1\nline2 "q" ${x}' },
})

describe('terraformConfig', () => {
  it('names each aws_lb_listener_rule after its route, parts suffixed _2, _3 (DESIGN.md)', async () => {
    // hcl2json sorts names, so the order is read from the text.
    const names = [...renderManifest(sampleTable(), tf()).matchAll(/^resource "aws_lb_listener_rule" "(\w+)"/gm)].map((m) => m[1])
    expect(names).toEqual(['users_get', 'users_get_2', 'users_get_3', 'orders_create', 'legacy_redirect', 'health_check'])
    const json = await hcl(sampleTable())
    const rules = json['resource']['aws_lb_listener_rule']
    expect(Object.keys(rules).sort()).toEqual([...names].sort())
    expect(rules['users_get_2'][0]).toMatchObject({
      listener_arn: '${var.listener_arn}',
      priority: 1001,
      tags: { 'albatross:route': 'Users.get', 'albatross:part': '2/3' },
      action: [{ type: 'forward', target_group_arn: '${var.users_target_group_arn}' }],
    })
  })

  it('writes one condition block per condition and OR-ed query_string blocks inside one (spec/alb.md §5b)', async () => {
    const rule = (await hcl(sampleTable()))['resource']['aws_lb_listener_rule']['orders_create'][0]
    expect(rule.condition).toEqual([
      { path_pattern: [{ values: ['/orders'] }] },
      { http_header: [{ http_header_name: 'Content-Type', values: ['application/json*'] }] },
      { query_string: [{ key: 'version', value: 'v1' }, { value: '*beta*' }] },
      { http_request_method: [{ values: ['POST'] }] },
    ])
    const regex = (await hcl(sampleTable()))['resource']['aws_lb_listener_rule']['users_get_3'][0]
    // A $-anchored path regex lets an optional query follow (spec/alb.md §6 #3, queryTolerant).
    expect(regex.condition[0]).toEqual({ path_pattern: [{ regex_values: ['^/id/[0-9]+(\\?.*)?$'] }] })
  })

  it('writes redirect and fixed-response actions with string status codes', async () => {
    const rules = (await hcl(sampleTable()))['resource']['aws_lb_listener_rule']
    expect(rules['legacy_redirect'][0].action).toEqual([
      { type: 'redirect', redirect: [{ path: '/#{path}', port: '443', protocol: 'HTTPS', status_code: 'HTTP_301' }] },
    ])
    expect(rules['health_check'][0].action).toEqual([
      { type: 'fixed-response', fixed_response: [{ content_type: 'text/plain', message_body: 'ok', status_code: '200' }] },
    ])
  })

  it('declares variables for the listener and each unmapped target group', async () => {
    const json = await hcl(sampleTable())
    expect(Object.keys(json['variable']).sort()).toEqual(['listener_arn', 'orders_api_target_group_arn', 'users_target_group_arn'])
    expect(json['variable']['listener_arn'][0].type).toBe('${string}')
  })

  it('uses mapped references as expressions and ARNs as strings', async () => {
    const json = await hcl(sampleTable(), {
      listener: 'aws_lb_listener.https.arn',
      targets: { users: 'aws_lb_target_group.users.arn', 'orders-api': 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/o/1' },
    })
    expect(json['variable']).toBeUndefined()
    const rules = json['resource']['aws_lb_listener_rule']
    expect(rules['users_get'][0].listener_arn).toBe('${aws_lb_listener.https.arn}')
    expect(rules['users_get'][0].action[0].target_group_arn).toBe('${aws_lb_target_group.users.arn}')
    expect(rules['orders_create'][0].action[0].target_group_arn).toBe('arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/o/1')
  })

  it('creates the Lambda target group with lambda_multi_value_headers_enabled in catch-all mode (spec/alb.md §4.9)', async () => {
    const json = await hcl(sampleTable(), { mode: 'catch-all', multiValueHeaders: true })
    expect(json['resource']['aws_lb_target_group']['default'][0]).toEqual({
      target_type: 'lambda',
      lambda_multi_value_headers_enabled: true,
      // spec/alb.md §4.6: health checks are off by default for Lambda target groups; the app answers them.
      health_check: [{ enabled: true, path: '/', matcher: '200' }],
    })
    expect(json['resource']['aws_lambda_permission']['default'][0]).toMatchObject({
      action: 'lambda:InvokeFunction',
      principal: 'elasticloadbalancing.amazonaws.com',
      function_name: '${var.function_arn}',
      source_arn: '${aws_lb_target_group.default.arn}',
    })
    expect(json['resource']['aws_lb_target_group_attachment']['default'][0]).toMatchObject({
      depends_on: ['${aws_lambda_permission.default}'],
    })
    expect(json['resource']['aws_lb_listener_rule']['catch_all'][0]).toMatchObject({
      priority: 50000,
      condition: [{ path_pattern: [{ values: ['/*'] }] }],
      action: [{ type: 'forward', target_group_arn: '${aws_lb_target_group.default.arn}' }],
    })
    const off = await hcl(pathOnlyTable(), { mode: 'catch-all', multiValueHeaders: false })
    expect(off['resource']['aws_lb_target_group']['default'][0].lambda_multi_value_headers_enabled).toBe(false)
  })

  it('notes the listener default action as a default_action block in a comment', () => {
    const text = renderManifest(sampleTable(), tf({ defaultAction: notFound }))
    expect(text).toContain('#   default_action {\n#     type = "fixed-response"\n#     fixed_response {\n#       content_type = "application/json"')
    const json = JSON.parse(renderManifest(sampleTable(), tf({ defaultAction: notFound, json: true })))
    expect(json['//']).toMatch(/default_action \{/)
  })

  it('escapes backslashes, quotes, ${ and %{ so the strings keep their text (spec/alb.md §5b)', async () => {
    const text = renderManifest(escapes, tf())
    expect(text).toContain('regex_values = ["^/a\\\\/b\\\\d+\\"q\\"(\\\\?.*)?$"]')
    expect(text).toContain('values           = ["$${var.secret}", "%%{ if x }", "back\\\\slash"]')
    expect(text).toContain('value = "a\\\\*b"')
    expect(text).toContain('message_body = "line1\\nline2 \\"q\\" $${x}"')
    // hcl2json returns template strings: escapes resolved, `$${` / `%%{` kept as in `.tf.json`.
    const rule = (await hcl(escapes))['resource']['aws_lb_listener_rule']['escapes_all'][0]
    expect(rule.condition[0].path_pattern[0].regex_values).toEqual(['^/a\\/b\\d+"q"(\\?.*)?$'])
    expect(rule.condition[1].http_header[0].values).toEqual(['$${var.secret}', '%%{ if x }', 'back\\slash'])
    expect(rule.condition[2].query_string[0].value).toBe('a\\*b')
    expect(rule.action[0].fixed_response[0].message_body).toBe('line1\nline2 "q" $${x}')
  })

  it.each([
    ['per-route', { defaultAction: notFound }],
    ['catch-all', { mode: 'catch-all' }],
    ['mapped', { listener: 'var.https_listener_arn', targets: { users: 'module.users.target_group_arn' } }],
  ] as const)('writes .tf.json with the same structure as the HCL (%s)', async (_, extra) => {
    // A mapped target must be one the table forwards to (issue #11 item 7): `escapes` has none.
    for (const table of 'targets' in extra ? [sampleTable()] : [sampleTable(), escapes]) {
      const fromHcl = await hcl(table, extra)
      const tfJson = JSON.parse(renderManifest(table, tf({ ...extra, json: true }))) as Json
      expect(asHcl2Json(tfJson)).toEqual(fromHcl)
    }
  })

  it.skipIf(!terraformOnPath())('is already formatted as `terraform fmt` formats it (needs terraform on PATH)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'albatross-tf-'))
    try {
      const cases: [string, Partial<ManifestOptions>, RuleTable][] = [
        ['per-route.tf', { defaultAction: notFound }, sampleTable()],
        ['catch-all.tf', { mode: 'catch-all' }, sampleTable()],
        ['escapes.tf', {}, escapes],
        ['mapped.tf', { listener: 'aws_lb_listener.https.arn', targets: { users: 'arn:aws:tg' } }, sampleTable()],
      ]
      for (const [name, extra, table] of cases) writeFileSync(path.join(dir, name), renderManifest(table, tf(extra)))
      // Exit status 3 and the file names when formatting would change a file.
      const out = execFileSync('terraform', ['fmt', '-check', '-list=true', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      expect(out).toBe('')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('keeps distinct routes apart when their names sanitise alike', async () => {
    const table = makeTable({ source: 'A.b', conditions: [pathIs('/1')], action: forward('x') }, { source: 'A_b', conditions: [pathIs('/2')], action: forward('x') })
    const rules = (await hcl(table))['resource']['aws_lb_listener_rule']
    expect(rules['a_b'][0].tags).toEqual({ 'albatross:route': 'A.b' })
    expect(rules['a_b_2'][0].tags).toEqual({ 'albatross:route': 'A_b' })
  })
})

describe('terraformReference', () => {
  it.each([
    ['arn:aws:elasticloadbalancing:us-east-1:1:listener/app/a/b/c', { kind: 'string', value: 'arn:aws:elasticloadbalancing:us-east-1:1:listener/app/a/b/c' }],
    ['var.listener', { kind: 'expression', text: 'var.listener' }],
    ['aws_lb_target_group.users.arn', { kind: 'expression', text: 'aws_lb_target_group.users.arn' }],
    ['module.tgs.arns["users"]', { kind: 'expression', text: 'module.tgs.arns["users"]' }],
    ['${data.aws_lb_listener.https.arn}', { kind: 'expression', text: 'data.aws_lb_listener.https.arn' }],
    ['not a reference', { kind: 'string', value: 'not a reference' }],
  ])('reads %s', (text, expected) => {
    expect(terraformReference(text)).toEqual(expected)
  })
})
