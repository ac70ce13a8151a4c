import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { app as shop } from '../../examples/shop/app.js'
import { renderManifest, type ManifestOptions } from '../../src/manifest/index.js'
import type { RuleTable } from '../../src/rules/types.js'
import { notFound, pathOnlyTable, repoRoot, sampleTable } from './factories.js'

/*
 * Issue #11, "Done when": cfn-lint is clean on every CloudFormation output the tests produce. The
 * golden files and one template per format × mode × option family go to one cfn-lint run (it takes
 * a second or two to start), skipped with the reason when cfn-lint is not installed.
 */

function cfnLintOnPath(): boolean {
  try {
    execFileSync('cfn-lint', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

const ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012'
const goldenDir = path.join(repoRoot, 'test/manifest/golden')

function outputs(): Record<string, string> {
  const files: Record<string, string> = {}
  const add = (name: string, table: RuleTable, options: Partial<ManifestOptions>) => {
    for (const json of [false, true]) {
      files[`${name}.${json ? 'json' : 'yaml'}`] = renderManifest(table, {
        format: 'cloudformation',
        mode: 'per-route',
        multiValueHeaders: false,
        ...options,
        json,
      })
    }
  }
  for (const mode of ['catch-all', 'per-route'] as const) {
    add(`shop-${mode}`, shop.table, { mode, multiValueHeaders: shop.needsMultiValueHeaders, defaultAction: shop.defaultAction })
    add(`sample-${mode}`, sampleTable(), { mode, defaultAction: notFound })
    add(`path-only-${mode}`, pathOnlyTable(), { mode })
  }
  add('sample-mapped', sampleTable(), {
    listener: `${ARN}:listener/app/a/1/2`,
    targets: { users: '!ImportValue users-target-group-arn', 'orders-api': `${ARN}:targetgroup/orders/3` },
  })
  add('catch-all-mapped', sampleTable(), { mode: 'catch-all', targets: { default: `${ARN}:targetgroup/app/4` } })
  // A mapped catch-all group in multi-value mode: its TargetGroupAttributes Output (issue #11 item 2).
  add('catch-all-mapped-multi-value', sampleTable(), { mode: 'catch-all', multiValueHeaders: true, targets: { default: `${ARN}:targetgroup/app/4` } })
  add('catch-all-moved', sampleTable(), { mode: 'catch-all', catchAllPriority: 40000 })
  return files
}

describe('CloudFormation output under cfn-lint', () => {
  it.skipIf(!cfnLintOnPath())('is clean for every template the tests produce and every golden file (needs cfn-lint on PATH)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'albatross-cfn-lint-'))
    try {
      const files = outputs()
      for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text)
      const golden = readdirSync(goldenDir)
        .filter((f) => f.includes('.cloudformation.'))
        .map((f) => path.join(goldenDir, f))
      expect(golden.length).toBe(4)
      const all = [...Object.keys(files).map((f) => path.join(dir, f)), ...golden]
      let out = ''
      try {
        out = execFileSync('cfn-lint', ['--format', 'parseable', '--', ...all], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      } catch (error) {
        out = String((error as { stdout?: string }).stdout ?? error)
      }
      expect(out.trim()).toBe('')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it.skipIf(!cfnLintOnPath())('still reports a broken template (the check is live)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'albatross-cfn-lint-'))
    try {
      const file = path.join(dir, 'broken.yaml')
      writeFileSync(file, 'Resources:\n  R:\n    Type: AWS::ElasticLoadBalancingV2::ListenerRule\n    Properties:\n      Priority: "x"\n')
      let failed = false
      try {
        execFileSync('cfn-lint', ['--format', 'parseable', '--', file], { stdio: 'pipe' })
      } catch {
        failed = true
      }
      expect(failed).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
