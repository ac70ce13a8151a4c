import type {
  AuthAction,
  CognitoPoolFields,
  JwtAdditionalClaim,
  JwtClaimFormat,
  OidcProviderFields,
  OnUnauthenticatedRequest,
  UserAuthenticationFields,
} from '../rules/types.js'

/** ALB's `authenticate-oidc` (API_AuthenticateOidcActionConfig), field for field. */
export interface OidcAuthenticateOptions extends UserAuthenticationFields, OidcProviderFields {
  readonly type: 'oidc'
}

/** ALB's `authenticate-cognito` (API_AuthenticateCognitoActionConfig). */
export interface CognitoAuthenticateOptions extends UserAuthenticationFields, CognitoPoolFields {
  readonly type: 'cognito'
}

/** ALB's `jwt-validation` (API_JwtValidationActionConfig): a bearer token in `Authorization`. */
export interface JwtAuthenticateOptions {
  readonly type: 'jwt'
  /** A full `https://` URL, at most 256 characters. */
  readonly jwksEndpoint: string
  /** At most 256 characters. */
  readonly issuer: string
  /** ALB's `AdditionalClaims`: at most 10, none of `exp`, `iss`, `nbf`, `iat`. */
  readonly claims?: readonly JwtAdditionalClaim[]
}

export type AuthenticateOptions = OidcAuthenticateOptions | CognitoAuthenticateOptions | JwtAuthenticateOptions

/** Limits from the ELBv2 API reference pages named beside each check (spec/alb.md §7). */
const SESSION_TIMEOUT_MAX = 604_800
const EXTRA_PARAMS_MAX = 10
const JWT_FIELD_MAX = 256
const JWT_CLAIMS_MAX = 10
const JWT_CLAIM_VALUES_MAX = 10
const JWT_DEFAULT_CLAIMS = new Set(['exp', 'iss', 'nbf', 'iat'])
const CLAIM_FORMATS: ReadonlySet<string> = new Set<JwtClaimFormat>(['single-string', 'space-separated-values', 'string-array'])
const ON_UNAUTHENTICATED: ReadonlySet<string> = new Set<OnUnauthenticatedRequest>(['deny', 'allow', 'authenticate'])
/** arn:partition:cognito-idp:region:account:userpool/region_id */
const USER_POOL_ARN = /^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[\w-]+_[0-9a-zA-Z]+$/
/** arn:partition:elasticloadbalancing:region:account:loadbalancer/app/name/id */
export const ALB_ARN = /^arn:(aws[a-z-]*):elasticloadbalancing:([a-z0-9-]+):\d{12}:loadbalancer\/app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/

/**
 * The declaration as ALB's action, with every problem ALB would report at deploy time, each
 * naming the AWS field. `problems` empty means the action deploys.
 */
export function toAuthAction(options: AuthenticateOptions): { action: AuthAction | undefined; problems: string[] } {
  const problems: string[] = []
  if (typeof options !== 'object' || options === null) {
    return { action: undefined, problems: ["@Authenticate takes { type: 'oidc' | 'cognito' | 'jwt', … }"] }
  }
  switch (options.type) {
    case 'oidc': {
      for (const [field, aws] of [
        ['issuer', 'Issuer'],
        ['authorizationEndpoint', 'AuthorizationEndpoint'],
        ['tokenEndpoint', 'TokenEndpoint'],
        ['userInfoEndpoint', 'UserInfoEndpoint'],
      ] as const) {
        httpsUrl(options[field], field, aws, problems)
      }
      required(options.clientId, 'clientId', 'ClientId', problems)
      if (options.clientSecret !== undefined && (typeof options.clientSecret !== 'string' || options.clientSecret === '')) {
        problems.push('clientSecret (ClientSecret) must be a non-empty string when given')
      }
      checkUserLogin(options, problems)
      const { type: _type, ...fields } = options
      return { action: problems.length > 0 ? undefined : { type: 'authenticate-oidc', ...fields }, problems }
    }
    case 'cognito': {
      if (typeof options.userPoolArn !== 'string' || !USER_POOL_ARN.test(options.userPoolArn)) {
        problems.push(
          `userPoolArn (UserPoolArn) must be a user pool ARN such as arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123, got ${show(options.userPoolArn)}`,
        )
      }
      required(options.userPoolClientId, 'userPoolClientId', 'UserPoolClientId', problems)
      required(options.userPoolDomain, 'userPoolDomain', 'UserPoolDomain', problems)
      checkUserLogin(options, problems)
      const { type: _type, ...fields } = options
      return { action: problems.length > 0 ? undefined : { type: 'authenticate-cognito', ...fields }, problems }
    }
    case 'jwt': {
      httpsUrl(options.jwksEndpoint, 'jwksEndpoint', 'JwksEndpoint', problems)
      if (typeof options.jwksEndpoint === 'string' && options.jwksEndpoint.length > JWT_FIELD_MAX) {
        problems.push(`jwksEndpoint (JwksEndpoint) is over ${JWT_FIELD_MAX} characters`)
      }
      required(options.issuer, 'issuer', 'Issuer', problems)
      if (typeof options.issuer === 'string' && options.issuer.length > JWT_FIELD_MAX) {
        problems.push(`issuer (Issuer) is over ${JWT_FIELD_MAX} characters`)
      }
      const claims = options.claims ?? []
      if (!Array.isArray(claims)) problems.push('claims (AdditionalClaims) must be an array of { name, format, values }')
      else checkClaims(claims, problems)
      const action: AuthAction = {
        type: 'jwt-validation',
        jwksEndpoint: options.jwksEndpoint,
        issuer: options.issuer,
        ...(options.claims === undefined ? {} : { additionalClaims: options.claims }),
      }
      return { action: problems.length > 0 ? undefined : action, problems }
    }
    default:
      return {
        action: undefined,
        problems: [`@Authenticate type must be 'oidc', 'cognito' or 'jwt', got ${show((options as { type?: unknown }).type)}`],
      }
  }
}

function checkUserLogin(options: UserAuthenticationFields, problems: string[]): void {
  const { sessionTimeout, onUnauthenticatedRequest, authenticationRequestExtraParams, scope, sessionCookieName } = options
  if (sessionTimeout !== undefined && (!Number.isInteger(sessionTimeout) || sessionTimeout < 1 || sessionTimeout > SESSION_TIMEOUT_MAX)) {
    problems.push(`sessionTimeout (SessionTimeout) must be whole seconds from 1 to ${SESSION_TIMEOUT_MAX} (7 days), got ${show(sessionTimeout)}`)
  }
  if (onUnauthenticatedRequest !== undefined && !ON_UNAUTHENTICATED.has(onUnauthenticatedRequest)) {
    problems.push(`onUnauthenticatedRequest (OnUnauthenticatedRequest) must be 'deny', 'allow' or 'authenticate', got ${show(onUnauthenticatedRequest)}`)
  }
  if (scope !== undefined && (typeof scope !== 'string' || scope.trim() === '')) problems.push('scope (Scope) must be a non-empty string')
  if (sessionCookieName !== undefined && (typeof sessionCookieName !== 'string' || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(sessionCookieName))) {
    problems.push(`sessionCookieName (SessionCookieName) must be a cookie name (RFC 6265 token), got ${show(sessionCookieName)}`)
  }
  if (authenticationRequestExtraParams !== undefined) {
    const keys = typeof authenticationRequestExtraParams === 'object' && authenticationRequestExtraParams !== null ? Object.keys(authenticationRequestExtraParams) : undefined
    if (keys === undefined) problems.push('authenticationRequestExtraParams (AuthenticationRequestExtraParams) must be an object of strings')
    else {
      if (keys.length > EXTRA_PARAMS_MAX) {
        problems.push(`authenticationRequestExtraParams (AuthenticationRequestExtraParams) has ${keys.length} entries; ALB takes at most ${EXTRA_PARAMS_MAX}`)
      }
      // The CloudFormation schema's key pattern: letters and digits.
      const bad = keys.filter((k) => !/^[a-zA-Z0-9]+$/.test(k) || typeof authenticationRequestExtraParams[k] !== 'string')
      if (bad.length > 0) problems.push(`authenticationRequestExtraParams (AuthenticationRequestExtraParams): ${bad.map(show).join(', ')} must be letters and digits with a string value`)
    }
  }
}

function checkClaims(claims: readonly JwtAdditionalClaim[], problems: string[]): void {
  if (claims.length > JWT_CLAIMS_MAX) problems.push(`claims (AdditionalClaims) has ${claims.length} entries; ALB takes at most ${JWT_CLAIMS_MAX}`)
  const names = new Set<string>()
  for (const claim of claims) {
    const where = `claims (AdditionalClaims) ${show(claim?.name)}`
    if (typeof claim !== 'object' || claim === null || typeof claim.name !== 'string' || claim.name === '') {
      problems.push('claims (AdditionalClaims): each entry needs a name (Name), a format (Format) and values (Values)')
      continue
    }
    if (JWT_DEFAULT_CLAIMS.has(claim.name)) problems.push(`${where}: ALB validates exp, iss, nbf and iat itself and refuses them as additional claims`)
    if (names.has(claim.name)) problems.push(`${where} is given twice`)
    names.add(claim.name)
    if (!CLAIM_FORMATS.has(claim.format)) {
      problems.push(`${where}: format (Format) must be 'single-string', 'space-separated-values' or 'string-array', got ${show(claim.format)}`)
    }
    if (!Array.isArray(claim.values) || claim.values.length === 0 || claim.values.length > JWT_CLAIM_VALUES_MAX) {
      problems.push(`${where}: values (Values) must hold 1 to ${JWT_CLAIM_VALUES_MAX} strings`)
      continue
    }
    for (const value of claim.values) {
      if (typeof value !== 'string' || value === '' || value.length > JWT_FIELD_MAX) {
        problems.push(`${where}: each value must be a string of 1 to ${JWT_FIELD_MAX} characters, got ${show(value)}`)
      } else if (claim.format === 'space-separated-values' && /\s/.test(value)) {
        problems.push(`${where}: a space-separated-values value cannot contain spaces, got ${show(value)}`)
      }
    }
    if (new Set(claim.values).size !== claim.values.length) problems.push(`${where}: values (Values) must be unique`)
  }
}

/** "This must be a full URL, including the HTTPS protocol, the domain, and the path." (API reference) */
function httpsUrl(value: unknown, field: string, aws: string, problems: string[]): void {
  let url: URL | undefined
  try {
    url = typeof value === 'string' ? new URL(value) : undefined
  } catch {
    url = undefined
  }
  if (url === undefined || url.protocol !== 'https:' || url.hostname === '') {
    problems.push(`${field} (${aws}) must be a full https:// URL, got ${show(value)}`)
  }
}

function required(value: unknown, field: string, aws: string, problems: string[]): void {
  if (typeof value !== 'string' || value.trim() === '') problems.push(`${field} (${aws}) is required: a non-empty string`)
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? value.slice(0, 80) + '…' : value)
  return String(value)
}

/** Where the Lambda finds ALB's public keys and which load balancer must have signed. */
export interface AuthOptions {
  /**
   * The region of ALB's key endpoint `https://public-keys.auth.elb.<region>.amazonaws.com/<kid>`;
   * default: the region of `albArn`.
   */
  readonly region?: string
  /**
   * The load balancer that must have signed `x-amzn-oidc-data` (its `signer` header field); one
   * ARN, or several when the function sits behind several load balancers. Required by
   * oidc and cognito routes: without it any ALB in any account could mint accepted tokens.
   */
  readonly albArn?: string | readonly string[]
  /**
   * The PEM public key for a `kid`, instead of fetching it (tests, `albatross dev`, a private key
   * mirror). Returning `undefined` falls back to the fetch. For `jwt` routes, the PEM of the
   * JWKS key with that `kid`.
   */
  readonly keys?: (kid: string, region: string) => string | undefined | Promise<string | undefined>
}

/** `createApp({ auth })` problems, given the routes that declare `@Authenticate`. */
export function checkAuthOptions(auth: AuthOptions | undefined, actions: readonly { source: string; action: AuthAction }[]): { source: string; message: string }[] {
  const problems: { source: string; message: string }[] = []
  const signed = actions.filter((a) => a.action.type !== 'jwt-validation')
  const arns = auth?.albArn === undefined ? [] : typeof auth.albArn === 'string' ? [auth.albArn] : [...auth.albArn]
  if (signed.length > 0 && arns.length === 0) {
    const first = signed[0] as { source: string }
    problems.push({
      source: first.source,
      message:
        `${first.source} authenticates users through ALB (${signed[0]?.action.type}), so the Lambda must check who signed ` +
        'x-amzn-oidc-data: give createApp({ auth: { albArn: "arn:aws:elasticloadbalancing:…:loadbalancer/app/…" } })',
    })
  }
  for (const arn of arns) {
    if (typeof arn !== 'string' || !ALB_ARN.test(arn)) {
      problems.push({ source: 'createApp({ auth })', message: `auth.albArn ${show(arn)} is not an Application Load Balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>)` })
    }
  }
  if (auth?.region !== undefined && (typeof auth.region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(auth.region))) {
    problems.push({ source: 'createApp({ auth })', message: `auth.region ${show(auth.region)} is not an AWS region such as us-east-1` })
  }
  if (auth?.keys !== undefined && typeof auth.keys !== 'function') {
    problems.push({ source: 'createApp({ auth })', message: 'auth.keys must be a function (kid, region) => PEM' })
  }
  return problems
}

/** The region of ALB's key endpoint: `auth.region`, else the first load balancer ARN's. */
export function keyRegion(auth: AuthOptions): string | undefined {
  if (auth.region !== undefined) return auth.region
  const first = typeof auth.albArn === 'string' ? auth.albArn : auth.albArn?.[0]
  return first === undefined ? undefined : ALB_ARN.exec(first)?.[2]
}

/**
 * The `iss` and `client` ALB writes into x-amzn-oidc-data: the IdP's issuer and client id. A
 * Cognito pool's issuer is `https://cognito-idp.<region>.amazonaws.com/<pool id>` (aws-jwt-verify's
 * ALB documentation).
 */
export function expectedIssuer(action: AuthAction): { issuer: string; client: string } {
  switch (action.type) {
    case 'authenticate-oidc':
      return { issuer: action.issuer, client: action.clientId }
    case 'authenticate-cognito': {
      const [, , , region, , resource] = action.userPoolArn.split(':')
      const poolId = (resource ?? '').replace(/^userpool\//, '')
      return { issuer: `https://cognito-idp.${region ?? ''}.amazonaws.com/${poolId}`, client: action.userPoolClientId }
    }
    case 'jwt-validation':
      return { issuer: action.issuer, client: '' }
  }
}
