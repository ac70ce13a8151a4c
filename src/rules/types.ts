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

export interface AlbRule {
  /** Index of the route in the table, stable across priority numbering. */
  readonly id: number
  readonly priority: number
  readonly conditions: readonly AlbCondition[]
  readonly action: RuleAction
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
}

export interface PriorityOptions {
  /** First automatic priority (default 1000). */
  readonly start?: number
  /** Gap between automatic priorities (default 10), leaving room for manifest splits. */
  readonly step?: number
}
