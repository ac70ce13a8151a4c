import { readFileSync } from 'node:fs'
import {
  diffDeployed,
  manifestPlaceholders,
  MULTI_VALUE_REQUIREMENT,
  multiValueTargetsToSet,
  renderManifest,
  type ManifestOptions,
} from '../../manifest/index.js'
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

/**
 * `albatross manifest`: the listener rules in the chosen format and mode, and one notice line for
 * stderr when target groups the manifest does not create need multi-value headers (issue #11
 * item 2). `--placeholders` prints the AWS CLI manifest's placeholder names instead, as
 * envsubst's SHELL-FORMAT argument (item 4).
 */
export function manifestOutput(app: LoadedApp, options: Record<string, unknown>): { stdout: string; notes: string[] } {
  const manifest = manifestOptions(app, options)
  if (options['placeholders'] === true) {
    if (manifest.format !== 'aws-cli') {
      throw new CliError('--placeholders lists the ${NAME} placeholders of --format aws-cli; the other formats use parameters or variables')
    }
    return { stdout: manifestPlaceholders(app.table, manifest).map((n) => `$${n}`).join(' ') + '\n', notes: [] }
  }
  const text = renderManifest(app.table, manifest)
  const targets = multiValueTargetsToSet(app.table, manifest)
  const notes =
    targets.length === 0
      ? []
      : [
          `note: the target group${targets.length === 1 ? '' : 's'} of ${targets.map((t) => `"${t}"`).join(', ')} ` +
            `${MULTI_VALUE_REQUIREMENT}; ${NOTICE_WHERE[manifest.format]}`,
        ]
  return { stdout: text.endsWith('\n') ? text : text + '\n', notes }
}

const NOTICE_WHERE: Record<ManifestOptions['format'], string> = {
  cloudformation: 'the template cannot set it on target groups it does not create (see its TargetGroupAttributes output)',
  terraform: 'the configuration cannot set it on target groups it does not create (see its lambda_multi_value_headers_enabled output)',
  'aws-cli': 'the manifest\'s modify-target-group-attributes steps set it',
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
