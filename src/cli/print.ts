import { describeCondition } from '../rules/condition.js'
import type { AlbRule, AuthAction, RuleAction } from '../rules/types.js'

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

/** The authenticate action ALB runs before the rule's action (`@Authenticate`). */
export function describeAuth(auth: AuthAction): string {
  const deny = auth.type !== 'jwt-validation' && auth.onUnauthenticatedRequest !== undefined ? ` (${auth.onUnauthenticatedRequest})` : ''
  switch (auth.type) {
    case 'authenticate-oidc':
      return `authenticate-oidc ${auth.issuer} client ${auth.clientId}${deny}`
    case 'authenticate-cognito':
      return `authenticate-cognito ${auth.userPoolArn.split('/').pop() ?? ''} client ${auth.userPoolClientId}${deny}`
    case 'jwt-validation':
      return `jwt-validation ${auth.issuer}`
  }
}

/** A rule's actions in order: `authenticate-… , then forward → target`. */
export function describeActions(rule: Pick<AlbRule, 'action' | 'auth'>): string {
  return rule.auth === undefined ? describeAction(rule.action) : `${describeAuth(rule.auth)}, then ${describeAction(rule.action)}`
}

/** A rule for printing as JSON: a client secret given in code is never shown. */
export function printableRule(rule: AlbRule): AlbRule {
  if (rule.auth?.type !== 'authenticate-oidc' || rule.auth.clientSecret === undefined) return rule
  return { ...rule, auth: { ...rule.auth, clientSecret: '(hidden)' } }
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
    describeActions(rule),
    rule.source,
  ])
}

export const RULE_HEADER = ['priority', 'conditions', 'action', 'source'] as const
