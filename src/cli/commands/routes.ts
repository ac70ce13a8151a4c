import { findShadowedRules } from '../../rules/shadow.js'
import { describeMultiValueNeed } from '../../rules/header-mode.js'
import { chainOf, multiValueOf, type LoadedApp } from '../load-entry.js'
import { RULE_HEADER, formatTable, printableRule, ruleRows } from '../print.js'

/** `albatross routes`: the ordered rule table as ALB evaluates it, and shadowed-rule warnings. */
export function routesOutput(app: LoadedApp, options: { json?: boolean }): { stdout: string; warnings: string[] } {
  const { rules } = app.table
  // Once for both outputs: at 10,000 routes the check is the command's main cost.
  const shadowed = findShadowedRules(app.table)
  const warnings = shadowed.map(
    ({ shadowed, by }) =>
      `warning: ${shadowed.source} (priority ${shadowed.priority}) can never match: ${by.source} (priority ${by.priority}) matches every request it would. Give it a lower @Priority or narrow ${by.source}.`,
  )
  const multiValue = multiValueOf(app)
  if (options.json) {
    const json = {
      rules: rules.map((rule) => ({ ...printableRule(rule), middleware: chainOf(app, rule) })),
      defaultAction: app.defaultAction,
      multiValueHeaders: multiValue.needed,
      multiValueReasons: multiValue.reasons,
      shadowed: shadowed.map((s) => ({ source: s.shadowed.source, by: s.by.source })),
    }
    return { stdout: JSON.stringify(json, null, 2) + '\n', warnings: [] }
  }
  const rows = ruleRows(rules)
  rows.push(['default', '(no rule matched)', `fixed-response ${app.defaultAction.statusCode}`, 'defaultAction'])
  // The middleware column appears only for apps that have a pipeline, outermost first.
  const chains = rules.map((rule) => chainOf(app, rule).join(' → '))
  const mode = '\n\n' + headerModeLine(multiValue) + '\n'
  if (chains.every((chain) => chain === '')) return { stdout: formatTable(RULE_HEADER, rows) + mode, warnings }
  chains.forEach((chain, i) => (rows[i] as string[]).push(chain === '' ? '-' : chain))
  ;(rows.at(-1) as string[]).push('-')
  return { stdout: formatTable([...RULE_HEADER, 'middleware'], rows) + mode, warnings }
}

/**
 * The header mode the target group must have for the router to pick what ALB picks (spec/alb.md
 * §2.2, §2.5, §6 #9): every manifest deploys it, and `albatross dev` starts in it.
 */
export function headerModeLine(multiValue: ReturnType<typeof multiValueOf>): string {
  return multiValue.needed
    ? `header mode: multi-value (target group attribute lambda.multi_value_headers.enabled=true): ${describeMultiValueNeed(multiValue)}. ` +
        'In single-value mode the Lambda sees only the last of a repeated header or query key, while ALB matches any occurrence.'
    : 'header mode: either (no http-header or query-string condition and no array parameter)'
}
