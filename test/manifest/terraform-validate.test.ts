import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { app as shop } from '../../examples/shop/app.js'
import { renderManifest, type ManifestOptions } from '../../src/manifest/index.js'
import type { RuleTable } from '../../src/rules/types.js'
import { notFound, pathOnlyTable, sampleTable } from './factories.js'

/*
 * Issue #11 item 5: `regex_values` needs terraform-provider-aws ≥ 6.19.0
 * (hashicorp/terraform-provider-aws#44741, release v6.19.0; terraform-aws-modules/terraform-aws-alb#424
 * shows older providers failing validate). Every Terraform output that needs no newer provider
 * passes `terraform validate` against the machine's offline hashicorp/aws 5.100.0, in one init of
 * one root module that uses each output as a child module; the others declare the floor, which
 * `terraform init` then enforces.
 */

function pluginRoot(): string | undefined {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' })
  } catch {
    return undefined
  }
  for (const root of ['/opt/tf-plugins', process.env['TF_PLUGIN_ROOT'] ?? '']) {
    if (root !== '' && existsSync(path.join(root, 'registry.terraform.io/hashicorp/aws'))) return root
  }
  try {
    const found = execFileSync('find', ['/', '-xdev', '-type', 'd', '-path', '*registry.terraform.io/hashicorp/aws', '-not', '-path', '*/.terraform/*'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    const dir = found.split('\n').find((l) => l !== '')
    return dir === undefined ? undefined : path.resolve(dir, '../../..')
  } catch {
    return undefined
  }
}

const root = pluginRoot()
const title = (text: string) => (root === undefined ? `${text} (skipped: terraform or its offline hashicorp/aws provider is missing)` : text)

function outputs(): Record<string, { text: string; json: boolean }> {
  const files: Record<string, { text: string; json: boolean }> = {}
  const add = (name: string, table: RuleTable, options: Partial<ManifestOptions>) => {
    for (const json of [false, true]) {
      files[`${name}-${json ? 'json' : 'hcl'}`] = {
        json,
        text: renderManifest(table, { format: 'terraform', mode: 'per-route', ...options, json }),
      }
    }
  }
  for (const mode of ['catch-all', 'per-route'] as const) {
    add(`shop-${mode}`, shop.table, { mode, multiValueHeaders: shop.needsMultiValueHeaders, defaultAction: shop.defaultAction })
    add(`sample-${mode}`, sampleTable(), { mode, defaultAction: notFound })
    add(`paths-${mode}`, pathOnlyTable(), { mode })
  }
  return files
}

// regex_values (≥ 6.19.0) and jwt_validation (≥ 6.22.0, issue #14) need a newer provider.
const needsFloor = (text: string) => /regex_values|jwt_validation/.test(text)
const variablesOf = (text: string, json: boolean): string[] =>
  json
    ? Object.keys((JSON.parse(text) as { variable?: Record<string, unknown> }).variable ?? {})
    : [...text.matchAll(/^variable "([^"]+)"/gm)].map((m) => m[1] as string)

describe('Terraform output against hashicorp/aws 5.100.0', () => {
  const files = outputs()

  it('declares the provider floor exactly when it uses regex_values', () => {
    let floors = 0
    for (const [name, { text }] of Object.entries(files)) {
      const declares = /required_providers/.test(text) && /">= 6\.(19|22)\.0"/.test(text)
      expect(declares, name).toBe(needsFloor(text))
      if (declares) floors++
    }
    expect(floors).toBeGreaterThan(0)
  })

  it.skipIf(root === undefined)(title('passes terraform validate for every output that needs no newer provider, and init refuses the others'), () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'albatross-tf-'))
    try {
      const modules: Record<string, Record<string, string>> = {}
      let validated = 0
      for (const [name, { text, json }] of Object.entries(files)) {
        if (needsFloor(text)) continue
        mkdirSync(path.join(dir, name))
        writeFileSync(path.join(dir, name, json ? 'main.tf.json' : 'main.tf'), text)
        const inputs: Record<string, string> = { source: `./${name}` }
        for (const v of variablesOf(text, json)) inputs[v] = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:placeholder/x'
        modules[name.replace(/[^a-z0-9_]/gi, '_')] = inputs
        validated++
      }
      expect(validated).toBeGreaterThanOrEqual(6)
      writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ module: modules }, null, 2))
      const run = (args: string[], cwd: string) =>
        execFileSync('terraform', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' } })
      run(['init', '-backend=false', '-input=false', `-plugin-dir=${root}`], dir)
      expect(run(['validate', '-no-color'], dir)).toMatch(/Success! The configuration is valid/)

      // An output with regex values, in each syntax: its floor makes init refuse 5.100.0, clearly.
      for (const json of [false, true]) {
        const regex = Object.values(files).find((f) => needsFloor(f.text) && f.json === json)
        expect(regex).toBeDefined()
        const floorDir = path.join(dir, `floor-${json}`)
        mkdirSync(floorDir)
        writeFileSync(path.join(floorDir, json ? 'main.tf.json' : 'main.tf'), regex?.text ?? '')
        let message = ''
        try {
          run(['init', '-backend=false', '-input=false', '-no-color', `-plugin-dir=${root}`], floorDir)
        } catch (error) {
          message = String((error as { stderr?: string }).stderr ?? error)
        }
        expect(message).toMatch(/>= 6\.(19|22)\.0/)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
