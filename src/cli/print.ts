import { describeCondition } from '../rules/condition.js'
import type { AlbRule, RuleAction } from '../rules/types.js'

export function describeAction(action: RuleAction): string {
  switch (action.type) {
    case 'forward':
      return `forward → ${action.target}`
    case 'fixed-response':
      return `fixed-response ${action.statusCode}`
    case 'redirect':
      return `redirect ${action.statusCode} → ${[action.protocol, action.host, action.port, action.path, action.query].filter(Boolean).join(' ')}`
  }
}

/** A plain-text table: columns padded to their widest cell. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

export function ruleRows(rules: readonly AlbRule[]): string[][] {
  return rules.map((rule) => [
    String(rule.priority),
    rule.conditions.map(describeCondition).join(' AND '),
    describeAction(rule.action),
    rule.source,
  ])
}

export const RULE_HEADER = ['priority', 'conditions', 'action', 'source'] as const
