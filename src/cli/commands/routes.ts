import { findShadowedRules } from '../../rules/shadow.js'
import { chainOf, type LoadedApp } from '../load-entry.js'
import { RULE_HEADER, formatTable, ruleRows } from '../print.js'

/** `albatross routes`: the ordered rule table as ALB evaluates it, and shadowed-rule warnings. */
export function routesOutput(app: LoadedApp, options: { json?: boolean }): { stdout: string; warnings: string[] } {
  const { rules } = app.table
  const warnings = findShadowedRules(app.table).map(
    ({ shadowed, by }) =>
      `warning: ${shadowed.source} (priority ${shadowed.priority}) can never match: ${by.source} (priority ${by.priority}) matches every request it would. Give it a lower @Priority or narrow ${by.source}.`,
  )
  if (options.json) {
    const json = {
      rules: rules.map((rule) => ({ ...rule, middleware: chainOf(app, rule) })),
      defaultAction: app.defaultAction,
      multiValueHeaders: app.needsMultiValueHeaders,
      shadowed: findShadowedRules(app.table).map((s) => ({ source: s.shadowed.source, by: s.by.source })),
    }
    return { stdout: JSON.stringify(json, null, 2) + '\n', warnings: [] }
  }
  const rows = ruleRows(rules)
  rows.push(['default', '(no rule matched)', `fixed-response ${app.defaultAction.statusCode}`, 'defaultAction'])
  // The middleware column appears only for apps that have a pipeline, outermost first.
  const chains = rules.map((rule) => chainOf(app, rule).join(' → '))
  if (chains.every((chain) => chain === '')) return { stdout: formatTable(RULE_HEADER, rows) + '\n', warnings }
  chains.forEach((chain, i) => (rows[i] as string[]).push(chain === '' ? '-' : chain))
  ;(rows.at(-1) as string[]).push('-')
  return { stdout: formatTable([...RULE_HEADER, 'middleware'], rows) + '\n', warnings }
}
