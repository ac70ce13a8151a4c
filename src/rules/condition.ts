import { countWildcards as countPatternWildcards } from './glob.js'
import { checkHostPattern, compileHostMatcher } from './host-header.js'
import { checkHeaderName, checkHeaderValuePattern, compileHeaderMatcher } from './http-header.js'
import { checkMethod, compileMethodMatcher } from './http-request-method.js'
import { checkPathPattern, compilePathMatcher } from './path-pattern.js'
import { checkQueryPair, compileQueryMatcher } from './query-string.js'
import { checkAlbRegex } from './regex.js'
import { checkCidr, installedSourceIpMatcher } from './source-ip.js'
import type { AlbCondition, RuleRequest } from './types.js'

export type ConditionTest = (request: RuleRequest) => boolean

/**
 * The request test for one condition (its values OR-ed, spec/alb.md §1.2). Check it first. A
 * source-ip condition needs its matcher installed (source-ip.ts); albatross/lambda's createApp refuses
 * a route that has one without it, so this throws only for a caller that skipped createApp.
 */
export function compileCondition(c: AlbCondition): ConditionTest {
  switch (c.type) {
    case 'path-pattern': {
      const test = compilePathMatcher(c)
      return (request) => test(request.path)
    }
    case 'host-header':
      return compileHostMatcher(c)
    case 'http-header':
      return compileHeaderMatcher(c)
    case 'http-request-method':
      return compileMethodMatcher(c)
    case 'query-string':
      return compileQueryMatcher(c)
    case 'source-ip': {
      const sourceIpMatcher = installedSourceIpMatcher()
      if (sourceIpMatcher === undefined) throw new Error('a source-ip condition needs its matcher, which @SourceIp brings: declare the condition with @SourceIp')
      return sourceIpMatcher(c)
    }
  }
}

function listOf(c: AlbCondition, field: string): unknown[] | string {
  const list = (c as unknown as Record<string, unknown>)[field]
  if (!Array.isArray(list)) return `${c.type} condition has no ${field} list`
  return list
}

function checkEach<T>(list: unknown[] | string, check: (value: T) => string[]): string[] {
  return typeof list === 'string' ? [list] : list.flatMap((v) => check(v as T))
}

/**
 * Problems with one condition as sentences naming the ALB rule and its source; empty when ALB
 * accepts it. Value counts are not checked here: the manifest splits a condition with more values.
 */
export function checkCondition(c: AlbCondition): string[] {
  if (c === null || typeof c !== 'object') return [`condition ${String(c)} is not an object`]
  const empty = `${c.type} condition has no values; ALB requires at least one (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html)`
  const withRegex = (check: (v: string) => string[]): string[] => {
    const values = listOf(c, 'values')
    const regexValues = listOf(c, 'regexValues')
    const problems = [...checkEach(values, check), ...checkEach(regexValues, checkAlbRegex)]
    if (problems.length === 0 && values.length + regexValues.length === 0) problems.push(empty)
    return problems
  }
  const plain = (check: (v: never) => string[]): string[] => {
    const values = listOf(c, 'values')
    const problems = checkEach(values, check)
    if (problems.length === 0 && values.length === 0) problems.push(empty)
    return problems
  }
  switch (c.type) {
    case 'path-pattern':
      return withRegex(checkPathPattern)
    case 'host-header':
      return withRegex(checkHostPattern)
    case 'http-header':
      return [...checkHeaderName(c.name), ...withRegex(checkHeaderValuePattern)]
    case 'http-request-method':
      return plain(checkMethod)
    case 'query-string':
      return plain(checkQueryPair)
    case 'source-ip':
      return plain(checkCidr)
    default: {
      const type = String((c as { type: unknown }).type)
      return [`condition type "${type}" is not an ALB condition type (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html)`]
    }
  }
}

function joinValues(values: readonly string[], regexValues: readonly string[] = []): string {
  return [...values, ...regexValues.map((r) => `regex(${r})`)].join('|')
}

/** One line for CLI output: `path-pattern /users/*`, `http-header x-tenant=acme*|beta`. */
export function describeCondition(c: AlbCondition): string {
  switch (c.type) {
    case 'path-pattern':
    case 'host-header':
      return `${c.type} ${joinValues(c.values, c.regexValues)}`
    case 'http-header':
      return `${c.type} ${c.name.toLowerCase()}=${joinValues(c.values, c.regexValues)}`
    case 'http-request-method':
    case 'source-ip':
      return `${c.type} ${joinValues(c.values)}`
    case 'query-string': {
      const pairs = c.values.map((p) => (p.key === undefined ? p.value : `${p.key}=${p.value}`))
      return `${c.type} ${pairs.join('|')}`
    }
  }
}

/** Comparison strings toward ALB's 3-per-condition and 5-per-rule limits (spec/alb.md §1.4). */
export function countComparisons(c: AlbCondition): number {
  return 'regexValues' in c ? c.values.length + c.regexValues.length : c.values.length
}

/**
 * `*` and `?` toward the 5-per-rule budget (spec/alb.md §1.4): value patterns and query keys and
 * values, escapes excluded. Regex values are not value patterns and are not counted.
 */
export function countWildcards(c: AlbCondition): number {
  return wildcardsPerValue(c).reduce((n, v) => n + v.count, 0)
}

/** Each value's `*` and `?` (a query pair's key and value together), labelled for error messages. */
export function wildcardsPerValue(c: AlbCondition): Array<{ label: string; count: number }> {
  switch (c.type) {
    case 'path-pattern':
    case 'host-header':
    case 'http-header':
      return c.values.map((value) => ({ label: value, count: countPatternWildcards(value) }))
    case 'query-string':
      return c.values.map((pair) => ({
        label: pair.key === undefined ? pair.value : `${pair.key}=${pair.value}`,
        count: countPatternWildcards(pair.value, true) + countPatternWildcards(pair.key ?? '', true),
      }))
    case 'http-request-method':
    case 'source-ip':
      return []
  }
}
