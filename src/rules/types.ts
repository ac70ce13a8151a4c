/**
 * The ALB rule model. Names follow the ELBv2 API verbatim so a rule reads the same here, in
 * `albatross routes` and in a manifest. A rule in the table may hold more OR-ed values than one
 * ALB rule allows (3 per condition, 5 per rule); the manifest splits such a rule into several
 * consecutive ALB rules whose union matches exactly the same requests.
 */

export type ConditionType =
  | 'path-pattern'
  | 'host-header'
  | 'http-header'
  | 'http-request-method'
  | 'query-string'
  | 'source-ip'

/** Value patterns (`*`, `?` globs) and regex values are OR-ed together. */
export interface PathPatternCondition {
  readonly type: 'path-pattern'
  readonly values: readonly string[]
  readonly regexValues: readonly string[]
}

export interface HostHeaderCondition {
  readonly type: 'host-header'
  readonly values: readonly string[]
  readonly regexValues: readonly string[]
}

export interface HttpHeaderCondition {
  readonly type: 'http-header'
  /** As declared; compared case-insensitively. */
  readonly name: string
  readonly values: readonly string[]
  readonly regexValues: readonly string[]
}

export interface HttpRequestMethodCondition {
  readonly type: 'http-request-method'
  readonly values: readonly string[]
}

/** `key` absent: ALB's key-less form, "any key whose value matches". */
export interface QueryStringPair {
  readonly key?: string
  readonly value: string
}

export interface QueryStringCondition {
  readonly type: 'query-string'
  readonly values: readonly QueryStringPair[]
}

export interface SourceIpCondition {
  readonly type: 'source-ip'
  /** CIDR blocks, IPv4 or IPv6. */
  readonly values: readonly string[]
}

export type AlbCondition =
  | PathPatternCondition
  | HostHeaderCondition
  | HttpHeaderCondition
  | HttpRequestMethodCondition
  | QueryStringCondition
  | SourceIpCondition

export type FixedResponseContentType =
  | 'text/plain'
  | 'text/css'
  | 'text/html'
  | 'application/javascript'
  | 'application/json'

export interface ForwardAction {
  readonly type: 'forward'
  /** Logical target-group name (`@Controller(prefix, { target })`), mapped to an ARN by the manifest. */
  readonly target: string
}

export interface FixedResponseAction {
  readonly type: 'fixed-response'
  readonly statusCode: number
  readonly contentType?: FixedResponseContentType
  readonly messageBody?: string
}

export interface RedirectAction {
  readonly type: 'redirect'
  readonly statusCode: 301 | 302
  readonly protocol?: string
  readonly host?: string
  readonly port?: string
  readonly path?: string
  readonly query?: string
}

export type RuleAction = ForwardAction | FixedResponseAction | RedirectAction

/** `OnUnauthenticatedRequest` of ALB's authenticate actions (default `authenticate`). */
export type OnUnauthenticatedRequest = 'deny' | 'allow' | 'authenticate'

/**
 * Fields both user-authentication actions share (API_AuthenticateOidcActionConfig and -Cognito-),
 * the same in `@Authenticate({ type: 'oidc' | 'cognito' })` and in the rule model.
 */
export interface UserAuthenticationFields {
  /** The claims to request from the IdP (ALB's default: `openid`). */
  readonly scope?: string
  /** ALB's default: `AWSELBAuthSessionCookie`. */
  readonly sessionCookieName?: string
  /** Seconds, 1–604800 (ALB's default and maximum: 7 days). */
  readonly sessionTimeout?: number
  /**
   * `authenticate` (ALB's default: log the user in), `deny` (ALB answers 401) or `allow` (ALB
   * forwards the request without user claims; the Lambda then lets a request without
   * `x-amzn-oidc-data` through, with `@Claims()` undefined).
   */
  readonly onUnauthenticatedRequest?: OnUnauthenticatedRequest
  /** At most 10 query parameters ALB adds to the redirect to the IdP's authorization endpoint. */
  readonly authenticationRequestExtraParams?: Readonly<Record<string, string>>
}

/** The IdP of ALB's `authenticate-oidc` (API_AuthenticateOidcActionConfig), field for field. */
export interface OidcProviderFields {
  readonly issuer: string
  readonly authorizationEndpoint: string
  readonly tokenEndpoint: string
  readonly userInfoEndpoint: string
  readonly clientId: string
  /**
   * Never written into a manifest in clear: manifests carry a NoEcho parameter, a sensitive
   * Terraform variable or a `${…}` placeholder. A CloudFormation dynamic reference
   * (`{{resolve:secretsmanager:…}}`) is the one value a CloudFormation manifest keeps.
   */
  readonly clientSecret?: string
}

/** The user pool of ALB's `authenticate-cognito` (API_AuthenticateCognitoActionConfig). */
export interface CognitoPoolFields {
  readonly userPoolArn: string
  readonly userPoolClientId: string
  /** The domain prefix or the fully qualified domain of the user pool. */
  readonly userPoolDomain: string
}

/** ALB's `authenticate-oidc` action (spec/alb.md §7). */
export interface AuthenticateOidcAction extends UserAuthenticationFields, OidcProviderFields {
  readonly type: 'authenticate-oidc'
}

/** ALB's `authenticate-cognito` action (spec/alb.md §7). */
export interface AuthenticateCognitoAction extends UserAuthenticationFields, CognitoPoolFields {
  readonly type: 'authenticate-cognito'
}

export type JwtClaimFormat = 'single-string' | 'space-separated-values' | 'string-array'

/** One of `AdditionalClaims` (API_JwtValidationActionAdditionalClaim). */
export interface JwtAdditionalClaim {
  readonly name: string
  readonly format: JwtClaimFormat
  readonly values: readonly string[]
}

/** ALB's `jwt-validation` action: a bearer token checked against a JWKS (spec/alb.md §7). */
export interface JwtValidationAction {
  readonly type: 'jwt-validation'
  readonly jwksEndpoint: string
  readonly issuer: string
  readonly additionalClaims?: readonly JwtAdditionalClaim[]
}

/** The action ALB runs before the routing action of an authenticated rule (`Order` 1, then 2). */
export type AuthAction = AuthenticateOidcAction | AuthenticateCognitoAction | JwtValidationAction

export interface AlbRule {
  /** Index of the route in the table, stable across priority numbering. */
  readonly id: number
  readonly priority: number
  readonly conditions: readonly AlbCondition[]
  readonly action: RuleAction
  /** `@Authenticate`: the action ALB runs before `action`, and what the Lambda verifies. */
  readonly auth?: AuthAction
  /** `Controller.method`, the name `routes`, `explain` and manifests print. */
  readonly source: string
  /**
   * One entry per `*` in the path pattern's first value: the `{name}` it came from, or null for
   * a plain `*`. For a regex path, the regex's named groups are the captures.
   */
  readonly captures: readonly (string | null)[]
}

export interface RuleTable {
  /** Ascending priority: the order ALB evaluates them. */
  readonly rules: readonly AlbRule[]
}

/**
 * The request as rules see it. `alb/` produces a structurally compatible object; neither module
 * imports the other.
 */
export interface RuleRequest {
  readonly method: string
  /** The path exactly as delivered in the event (never decoded, spec/alb.md §6 #2). */
  readonly path: string
  /** The raw Host header, including any `:port` (spec/alb.md §6 #7); undefined when absent. */
  readonly host: string | undefined
  /** Every value of a header, in arrival order; `name` is lower case. */
  headerValues(name: string): readonly string[] | undefined
  /** Query pairs in arrival order, still URL-encoded as ALB forwards them. */
  readonly queryPairs: readonly RawQueryPair[]
  /** The client address ALB appended to x-forwarded-for (spec/alb.md §6 #10). */
  readonly sourceIp: string | undefined
}

export interface RawQueryPair {
  readonly key: string
  readonly value: string
}

/** What a matcher returns: the rule and the values its `{name}` captures took. */
export interface RuleMatch {
  readonly rule: AlbRule
  readonly params: Readonly<Record<string, string>>
}

/** Implemented by the naive evaluator (rules/evaluate.ts) and the compiled router. */
export interface RuleMatcher {
  match(request: RuleRequest): RuleMatch | undefined
}

/** A route as declared, before validation and numbering (metadata/ produces these). */
export interface RouteSpec {
  /** `Controller.method`. */
  readonly source: string
  /**
   * Joined controller prefix + method path: an ALB path pattern whose `{name}` parts are named
   * `*` captures, a RegExp (an ALB regex value), or undefined for "any path".
   */
  readonly path: string | RegExp | undefined
  /** Methods for the http-request-method condition; undefined for `@All`. */
  readonly methods: readonly string[] | undefined
  /** host-header, http-header, query-string and source-ip conditions, class ones first. */
  readonly conditions: readonly AlbCondition[]
  readonly priority: number | undefined
  readonly action: RuleAction
  /** `@Authenticate` on the method or its class (the method's wins). */
  readonly auth?: AuthAction
}

export interface PriorityOptions {
  /** First automatic priority (default 1000). */
  readonly start?: number
  /** Gap between automatic priorities (default 10), leaving room for manifest splits. */
  readonly step?: number
}
