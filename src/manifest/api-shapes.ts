import type { AlbCondition, ConditionType, RuleAction } from '../rules/types.js'

/**
 * Condition and action shapes shared verbatim by CloudFormation, the ELBv2 API, the CLI and
 * `describe-rules` (spec/alb.md §5: identical key names and casing in all of them). Arrays are
 * mutable so the objects are assignable to the SDK's input types.
 */
export interface ApiValuesConfig {
  Values?: string[]
  RegexValues?: string[]
}
export interface ApiCondition {
  Field: ConditionType
  HostHeaderConfig?: ApiValuesConfig
  PathPatternConfig?: ApiValuesConfig
  HttpHeaderConfig?: ApiValuesConfig & { HttpHeaderName: string }
  HttpRequestMethodConfig?: { Values: string[] }
  QueryStringConfig?: { Values: { Key?: string; Value: string }[] }
  SourceIpConfig?: { Values: string[] }
}
export interface ApiFixedResponseConfig {
  StatusCode: string
  ContentType?: string
  MessageBody?: string
}
export interface ApiRedirectConfig {
  StatusCode: 'HTTP_301' | 'HTTP_302'
  Protocol?: string
  Host?: string
  Port?: string
  Path?: string
  Query?: string
}
/** `T` is how the format spells a target group ARN (a string, or a CloudFormation `Ref`). */
export type ApiAction<T> =
  | { Type: 'forward'; TargetGroupArn: T }
  | { Type: 'fixed-response'; FixedResponseConfig: ApiFixedResponseConfig }
  | { Type: 'redirect'; RedirectConfig: ApiRedirectConfig }

export function apiCondition(c: AlbCondition): ApiCondition {
  const config = (values: readonly string[], regexValues: readonly string[]): ApiValuesConfig =>
    regexValues.length > 0 ? { RegexValues: [...regexValues] } : { Values: [...values] }
  switch (c.type) {
    case 'path-pattern':
      return { Field: c.type, PathPatternConfig: config(c.values, c.regexValues.map(queryTolerant)) }
    case 'host-header':
      return { Field: c.type, HostHeaderConfig: config(c.values, c.regexValues) }
    case 'http-header':
      return {
        Field: c.type,
        HttpHeaderConfig: { HttpHeaderName: c.name, ...config(c.values, c.regexValues) },
      }
    case 'http-request-method':
      return { Field: c.type, HttpRequestMethodConfig: { Values: [...c.values] } }
    case 'query-string':
      return {
        Field: c.type,
        QueryStringConfig: {
          Values: c.values.map((p) =>
            p.key === undefined ? { Value: p.value } : { Key: p.key, Value: p.value },
          ),
        },
      }
    case 'source-ip':
      return { Field: c.type, SourceIpConfig: { Values: [...c.values] } }
  }
}

export function apiAction<T>(action: RuleAction, targetArn: (target: string) => T): ApiAction<T> {
  switch (action.type) {
    case 'forward':
      return { Type: 'forward', TargetGroupArn: targetArn(action.target) }
    case 'fixed-response': {
      const config: ApiFixedResponseConfig = { StatusCode: String(action.statusCode) }
      if (action.contentType !== undefined) config.ContentType = action.contentType
      if (action.messageBody !== undefined) config.MessageBody = action.messageBody
      return { Type: 'fixed-response', FixedResponseConfig: config }
    }
    case 'redirect': {
      const config: ApiRedirectConfig = {
        StatusCode: action.statusCode === 301 ? 'HTTP_301' : 'HTTP_302',
      }
      if (action.protocol !== undefined) config.Protocol = action.protocol
      if (action.host !== undefined) config.Host = action.host
      if (action.port !== undefined) config.Port = action.port
      if (action.path !== undefined) config.Path = action.path
      if (action.query !== undefined) config.Query = action.query
      return { Type: 'redirect', RedirectConfig: config }
    }
  }
}

/**
 * Whether ALB's path-pattern regex sees `?query` is undocumented (spec/alb.md §2.4, §6 #3); the
 * router tests the path only. A `$`-anchored regex would then fail on every request that has a
 * query, so the manifest lets an optional query follow the anchor: `^/a$` → `^/a(\?.*)?$`. Both
 * readings then agree (a path never contains `?`). Left as is when that would pass 128 characters.
 */
export function queryTolerant(regex: string): string {
  const trailing = /(\\*)\$$/.exec(regex)
  if (trailing === null || (trailing[1] as string).length % 2 === 1) return regex
  const tolerant = regex.slice(0, -1) + '(\\?.*)?$'
  return tolerant.length <= 128 ? tolerant : regex
}
