import type { RuleAction } from './types.js'

const CONTENT_TYPES = new Set(['text/plain', 'text/css', 'text/html', 'application/javascript', 'application/json'])

/** ALB's limits on fixed-response and redirect actions (spec/alb.md §1.6, API_FixedResponseActionConfig, API_RedirectActionConfig). */
export function checkAction(action: RuleAction): string[] {
  const problems: string[] = []
  if (action.type === 'forward') {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(action.target)) {
      problems.push(`target "${action.target}" must be 1-64 letters, digits, "-" or "_" (it names a target group)`)
    }
  } else if (action.type === 'fixed-response') {
    if (!/^[245]\d\d$/.test(String(action.statusCode))) {
      problems.push(`fixed-response status ${action.statusCode} is not 2XX, 4XX or 5XX, which ALB requires (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-action-types.html)`)
    }
    if (action.contentType !== undefined && !CONTENT_TYPES.has(action.contentType)) {
      problems.push(`fixed-response content type "${action.contentType}" is not one ALB allows: ${[...CONTENT_TYPES].join(', ')} (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-action-types.html)`)
    }
    // Typed as a string, but untyped JavaScript can pass anything: a clear problem, not a TypeError.
    if (action.messageBody !== undefined && typeof action.messageBody !== 'string') {
      problems.push(`fixed-response body is a ${typeof action.messageBody}; give a string`)
    } else if (action.messageBody !== undefined && Buffer.byteLength(action.messageBody) > 1024) {
      problems.push(`fixed-response body is ${Buffer.byteLength(action.messageBody)} bytes; ALB allows 1024 (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-action-types.html)`)
    }
  } else {
    if (action.statusCode !== 301 && action.statusCode !== 302) {
      problems.push(`redirect status must be 301 or 302 (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-action-types.html)`)
    }
    const { protocol, host, port, path, query } = action
    if (protocol === undefined && host === undefined && port === undefined && path === undefined) {
      problems.push('a redirect must change at least one of protocol, host, port or path (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-action-types.html)')
    }
    if (protocol !== undefined && !['HTTP', 'HTTPS', '#{protocol}'].includes(protocol)) {
      problems.push(`redirect protocol "${protocol}" must be HTTP, HTTPS or #{protocol}`)
    }
    if (port !== undefined && port !== '#{port}' && !(/^\d+$/.test(port) && +port >= 1 && +port <= 65535)) {
      problems.push(`redirect port "${port}" must be 1-65535 or #{port}`)
    }
    if (host !== undefined && (host.length < 1 || host.length > 128)) problems.push('redirect host must be 1-128 characters')
    if (path !== undefined && (!path.startsWith('/') || path.length > 128)) {
      problems.push('redirect path must start with "/" and be at most 128 characters')
    }
    if (query !== undefined && (query.startsWith('?') || query.length > 128)) {
      problems.push('redirect query must not start with "?" and be at most 128 characters')
    }
  }
  return problems
}
