import { checkLength } from './glob.js'
import { METHOD_MAX_LENGTH } from './limits.js'
import type { HttpRequestMethodCondition, RuleRequest } from './types.js'

const SOURCE =
  'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_HttpRequestMethodConditionConfig.html'

export function checkMethod(method: string): string[] {
  if (typeof method !== 'string') return [`method ${String(method)} is not a string`]
  const problems = checkLength('method', method, METHOD_MAX_LENGTH, SOURCE)
  if (method.length === 0 || /^[A-Z_-]+$/.test(method)) return problems
  const hint = /^[A-Za-z_-]+$/.test(method)
    ? `; ALB compares methods case-sensitively, write "${method.toUpperCase()}"`
    : ''
  problems.push(
    `method "${method}" has characters other than A-Z - _, which ALB does not allow (${SOURCE})${hint}`,
  )
  return problems
}

/** Exact, case-sensitive compare: `GET` never matches `get` (spec/alb.md §2.3). */
export function compileMethodMatcher(
  condition: HttpRequestMethodCondition,
): (request: RuleRequest) => boolean {
  const values = condition.values
  if (values.length === 1) {
    const only = values[0] as string
    return (request) => request.method === only
  }
  return (request) => values.includes(request.method)
}
