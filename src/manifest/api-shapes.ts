import type { AlbCondition, AuthAction, AuthenticateOidcAction, ConditionType, JwtClaimFormat, OnUnauthenticatedRequest, RuleAction } from '../rules/types.js'

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
/** Fields both login actions share (API_AuthenticateOidcActionConfig, -CognitoActionConfig). */
export interface ApiLoginFields {
  Scope?: string
  SessionCookieName?: string
  SessionTimeout?: number
  OnUnauthenticatedRequest?: OnUnauthenticatedRequest
  AuthenticationRequestExtraParams?: Record<string, string>
}
export interface ApiOidcConfig<T> extends ApiLoginFields {
  Issuer: string
  AuthorizationEndpoint: string
  TokenEndpoint: string
  UserInfoEndpoint: string
  ClientId: string
  /** A parameter reference or placeholder: never the secret itself. */
  ClientSecret: T
}
export interface ApiCognitoConfig extends ApiLoginFields {
  UserPoolArn: string
  UserPoolClientId: string
  UserPoolDomain: string
}
export interface ApiJwtValidationConfig {
  JwksEndpoint: string
  Issuer: string
  AdditionalClaims?: { Format: JwtClaimFormat; Name: string; Values: string[] }[]
}
/**
 * `T` is how the format spells a target group ARN or a client secret (a string, or a
 * CloudFormation `Ref`). `Order` is set when a rule has two actions (spec/alb.md §1.6).
 */
export type ApiAction<T> = { Order?: number } & (
  | { Type: 'forward'; TargetGroupArn: T }
  | { Type: 'fixed-response'; FixedResponseConfig: ApiFixedResponseConfig }
  | { Type: 'redirect'; RedirectConfig: ApiRedirectConfig }
  | { Type: 'authenticate-oidc'; AuthenticateOidcConfig: ApiOidcConfig<T> }
  | { Type: 'authenticate-cognito'; AuthenticateCognitoConfig: ApiCognitoConfig }
  | { Type: 'jwt-validation'; JwtValidationConfig: ApiJwtValidationConfig }
)

/**
 * A rule's actions: the routing action alone, or the authenticate action with `Order` 1 and the
 * routing action with `Order` 2 (an auth action runs first; `Order` is required with two actions).
 */
export function apiActions<T>(
  rule: { readonly action: RuleAction; readonly auth?: AuthAction | undefined },
  targetArn: (target: string) => T,
  clientSecret: (action: AuthenticateOidcAction) => T,
): ApiAction<T>[] {
  const routing = apiAction(rule.action, targetArn)
  if (rule.auth === undefined) return [routing]
  return [{ Order: 1, ...apiAuthAction(rule.auth, clientSecret) }, { Order: 2, ...routing }]
}

export function apiAuthAction<T>(auth: AuthAction, clientSecret: (action: AuthenticateOidcAction) => T): ApiAction<T> {
  const login = (a: Exclude<AuthAction, { type: 'jwt-validation' }>): ApiLoginFields => {
    const fields: ApiLoginFields = {}
    if (a.scope !== undefined) fields.Scope = a.scope
    if (a.sessionCookieName !== undefined) fields.SessionCookieName = a.sessionCookieName
    if (a.sessionTimeout !== undefined) fields.SessionTimeout = a.sessionTimeout
    if (a.onUnauthenticatedRequest !== undefined) fields.OnUnauthenticatedRequest = a.onUnauthenticatedRequest
    if (a.authenticationRequestExtraParams !== undefined) fields.AuthenticationRequestExtraParams = { ...a.authenticationRequestExtraParams }
    return fields
  }
  switch (auth.type) {
    case 'authenticate-oidc':
      return {
        Type: 'authenticate-oidc',
        AuthenticateOidcConfig: {
          Issuer: auth.issuer,
          AuthorizationEndpoint: auth.authorizationEndpoint,
          TokenEndpoint: auth.tokenEndpoint,
          UserInfoEndpoint: auth.userInfoEndpoint,
          ClientId: auth.clientId,
          ClientSecret: clientSecret(auth),
          ...login(auth),
        },
      }
    case 'authenticate-cognito':
      return {
        Type: 'authenticate-cognito',
        AuthenticateCognitoConfig: {
          UserPoolArn: auth.userPoolArn,
          UserPoolClientId: auth.userPoolClientId,
          UserPoolDomain: auth.userPoolDomain,
          ...login(auth),
        },
      }
    case 'jwt-validation': {
      const config: ApiJwtValidationConfig = { JwksEndpoint: auth.jwksEndpoint, Issuer: auth.issuer }
      if (auth.additionalClaims !== undefined && auth.additionalClaims.length > 0) {
        config.AdditionalClaims = auth.additionalClaims.map((c) => ({ Format: c.format, Name: c.name, Values: [...c.values] }))
      }
      return { Type: 'jwt-validation', JwtValidationConfig: config }
    }
  }
}

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
