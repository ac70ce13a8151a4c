import { albEvent } from '../../alb/build-event.js'
import { parseEvent } from '../../alb/parse-event.js'
import { describeCondition } from '../../rules/condition.js'
import { explainMatch } from '../../rules/evaluate.js'
import { CliError, chainOf, type LoadedApp } from '../load-entry.js'
import { describeActions, printableRule } from '../print.js'

export interface ExplainOptions {
  readonly header?: readonly string[]
  readonly sourceIp?: string
  readonly json?: boolean
}

/** `albatross explain "GET /path?x=1" -H "host: …"`: which rule matches and why each earlier one did not. */
export function explainOutput(app: LoadedApp, requestLine: string, options: ExplainOptions): string {
  const match = /^\s*([A-Za-z_-]+)\s+(\S+)\s*$/.exec(requestLine)
  if (match === null) throw new CliError(`request must look like "GET /path?query", got ${JSON.stringify(requestLine)}`)
  const [, method = '', target = ''] = match
  if (!target.startsWith('/')) throw new CliError(`the path must start with "/", got ${JSON.stringify(target)}`)
  const headers: [string, string][] = []
  for (const line of options.header ?? []) {
    const colon = line.indexOf(':')
    if (colon <= 0) throw new CliError(`-H takes "name: value", got ${JSON.stringify(line)}`)
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()])
  }
  const hasHost = headers.some(([name]) => name.toLowerCase() === 'host')
  const event = albEvent({
    method,
    path: target,
    headers,
    multiValue: true,
    ...(options.sourceIp === undefined ? {} : { sourceIp: options.sourceIp }),
    ...(hasHost ? {} : { host: 'example.com' }),
  })
  const request = parseEvent(event)
  if ('error' in request) throw new CliError(request.error)
  const explanation = explainMatch(app.table, request)
  // What the Lambda runs for the matched rule: guards and middleware, outermost first (none for
  // a fixed-response or redirect rule, which the ALB answers in a per-route deployment).
  const chain = explanation.matched === undefined ? [] : chainOf(app, explanation.matched)
  if (options.json) {
    return JSON.stringify({
      request: { method, path: request.path, host: request.host, sourceIp: request.sourceIp },
      matched: explanation.matched === undefined ? null : printableRule(explanation.matched),
      middleware: chain,
      rejected: explanation.rejected.map((r) => ({ source: r.rule.source, priority: r.rule.priority, failed: describeCondition(r.failed) })),
    }, null, 2) + '\n'
  }
  const lines = [`${method} ${target}  (host ${request.host ?? '-'}, source ip ${request.sourceIp ?? '-'})`]
  for (const { rule, failed } of explanation.rejected) {
    lines.push(`  ✗ ${String(rule.priority).padStart(5)}  ${rule.source}: ${describeCondition(failed)} did not match`)
  }
  lines.push(
    explanation.matched === undefined
      ? `  → no rule matched: default action, fixed-response ${app.defaultAction.statusCode}`
      : `  ✓ ${String(explanation.matched.priority).padStart(5)}  ${explanation.matched.source} matches: ${describeActions(explanation.matched)}`,
  )
  if (chain.length > 0) lines.push(`           middleware: ${chain.join(' → ')} → ${explanation.matched?.source ?? ''}`)
  return lines.join('\n') + '\n'
}
