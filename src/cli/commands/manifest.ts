import { readFileSync } from 'node:fs'
import { diffDeployed, renderManifest, type ManifestOptions } from '../../manifest/index.js'
import { CliError, type LoadedApp } from '../load-entry.js'

/** `--target users=arn:…` (repeatable) → { users: 'arn:…' }. */
export function parseTargets(pairs: readonly string[] | undefined): Record<string, string> | undefined {
  if (pairs === undefined || pairs.length === 0) return undefined
  const targets: Record<string, string> = Object.create(null) as Record<string, string>
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0 || eq === pair.length - 1) throw new CliError(`--target takes name=arn-or-reference, got ${JSON.stringify(pair)}`)
    targets[pair.slice(0, eq)] = pair.slice(eq + 1)
  }
  return targets
}

export function manifestOptions(app: LoadedApp, options: Record<string, unknown>): ManifestOptions {
  const targets = parseTargets(options['target'] as string[] | undefined)
  return {
    format: (options['format'] as ManifestOptions['format'] | undefined) ?? 'cloudformation',
    mode: (options['mode'] as ManifestOptions['mode'] | undefined) ?? 'catch-all',
    json: options['json'] === true,
    multiValueHeaders: app.needsMultiValueHeaders,
    defaultAction: app.defaultAction,
    ...(targets === undefined ? {} : { targets }),
    ...(typeof options['listener'] === 'string' ? { listener: options['listener'] } : {}),
    ...(typeof options['priorityOffset'] === 'number' ? { priorityOffset: options['priorityOffset'] } : {}),
    ...(typeof options['maxRules'] === 'number' ? { maxRules: options['maxRules'] } : {}),
    ...(typeof options['catchAllPriority'] === 'number' ? { catchAllPriority: options['catchAllPriority'] } : {}),
  }
}

/** `albatross manifest`: the listener rules in the chosen format and mode. */
export function manifestOutput(app: LoadedApp, options: Record<string, unknown>): string {
  const text = renderManifest(app.table, manifestOptions(app, options))
  return text.endsWith('\n') ? text : text + '\n'
}

/** `albatross diff`: the per-route manifest against `aws elbv2 describe-rules` output. */
export function diffOutput(app: LoadedApp, options: Record<string, unknown>): { stdout: string; differs: boolean; notes: string[] } {
  const file = options['deployed'] as string
  let deployed: unknown
  try {
    deployed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new CliError(`cannot read ${file} as JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
  const diff = diffDeployed(app.table, { ...manifestOptions(app, options), mode: 'per-route', format: 'aws-cli' }, deployed)
  const differs = diff.missing.length + diff.extra.length + diff.changed.length > 0
  const notes =
    diff.uncompared.length === 0
      ? []
      : [
          `note: target groups not compared with an ARN: ${diff.uncompared.join(', ')} ` +
            '(only checked to be one target group per target); pass --target name=arn to compare them',
        ]
  if (options['json'] === true) return { stdout: JSON.stringify(diff, null, 2) + '\n', differs, notes }
  const lines: string[] = []
  for (const rule of diff.missing) lines.push(`missing  priority ${rule.priority} (${rule.source})`)
  for (const rule of diff.extra) lines.push(`extra    priority ${rule.priority}${rule.ruleArn ? ` ${rule.ruleArn}` : ''}`)
  for (const change of diff.changed) {
    lines.push(`changed  priority ${change.priority} (${change.source}) ${change.field}: expected ${JSON.stringify(change.expected)}, deployed ${JSON.stringify(change.actual)}`)
  }
  lines.push(differs
    ? `${diff.missing.length} missing, ${diff.extra.length} extra, ${diff.changed.length} changed`
    : 'deployed rules match the per-route manifest')
  return { stdout: lines.join('\n') + '\n', differs, notes }
}
