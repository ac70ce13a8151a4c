import { AlbJwtVerifier } from 'aws-jwt-verify/alb-verifier'
import { JwtVerifier } from 'aws-jwt-verify/jwt-verifier'
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt'
import type { JwksCache } from 'aws-jwt-verify/jwk'
import type { AuthAction, JwtAdditionalClaim } from '../rules/types.js'
import { ALB_ARN, expectedIssuer, keyRegion, type AuthOptions } from './declaration.js'
import {
  KeyFetchError,
  SharedKeyCache,
  UnknownKeyError,
  albKeyUrl,
  fetchKeyDocument,
  pemToJwk,
  type KeyJwk,
} from './keys.js'

/** What the Lambda reads: the request's headers, in either header mode. */
export interface AuthRequest {
  headerValues(name: string): readonly string[] | undefined
}

export type Claims = Record<string, unknown>

export type VerifyOutcome =
  | { readonly ok: true; readonly claims: Claims | undefined }
  /**
   * 401: the token is missing or does not hold; 503: its key could not be fetched (try later);
   * 500: the verifier itself could not load.
   */
  | { readonly ok: false; readonly status: 401 | 503 | 500; readonly reason: string; readonly cause?: unknown }

export interface Verifier {
  verify(request: AuthRequest, action: AuthAction): Promise<VerifyOutcome>
}

/** kid is a UUID before any URL is built from it (spec/alb.md §7: SSRF). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** A JWKS kid is opaque, but bounded: it keys a cache and appears in messages. */
const JWKS_KID = /^[\x21-\x7e]{1,256}$/
/** x-amzn-oidc-data and bearer tokens beyond this are refused before any parsing. */
const MAX_TOKEN = 16 * 1024
/** A JWKS that answered without the token's kid is not fetched again sooner than this. */
const JWKS_REFETCH_MS = 10_000
/**
 * After a failed fetch of an ALB key, no key of another uncached kid is fetched for this long: a
 * stream of forged tokens with made-up kids (any UUID passes the header check) then costs one
 * fetch a second, not one per request. Cached keys, the usual case, are not affected.
 */
const ALB_FETCH_PAUSE_MS = 1_000
const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i

/**
 * The Lambda's half of `@Authenticate`. For oidc and cognito, `x-amzn-oidc-data` exactly as
 * spec/alb.md §7 says: three base64url parts with `=` padding signed as sent, ES256 (R‖S) with the
 * key for `kid`, `kid` a UUID before any URL is built, `signer` one of `auth.albArn`, `exp` in the
 * future; aws-jwt-verify's ALB verifier checks signature, `signer`, `client` and `iss`, and the
 * header's `exp` is checked here too. For jwt, the bearer token as ALB's jwt-validation checks it:
 * RS256 against the JWKS of `jwksEndpoint`, `iss`, `exp`, `nbf`/`iat`, and the additional claims.
 * `x-amzn-oidc-identity` and `x-amzn-oidc-accesstoken` are never read: nothing signs them.
 */
export function createVerifier(options: AuthOptions): Verifier {
  const albArns = options.albArn === undefined ? [] : typeof options.albArn === 'string' ? [options.albArn] : [...options.albArn]
  const albKeys = new SharedKeyCache<KeyJwk>()
  const jwks = new SharedKeyCache<ReadonlyMap<string, KeyJwk>>(16)
  const jwkByKid = new SharedKeyCache<KeyJwk>()
  const jwksFetchedAt = new Map<string, number>()
  const verifiers = new WeakMap<AuthAction, { verify(token: string): Promise<unknown> }>()
  let albFetchPausedUntil = 0

  /** The key ALB signed with: `auth.keys` first, else ALB's endpoint for the signer's region. */
  const albJwk = (kid: string, signer: string): Promise<KeyJwk> => {
    const arn = ALB_ARN.exec(signer)
    const region = options.region ?? arn?.[2] ?? keyRegion(options) ?? 'us-east-1'
    const partition = arn?.[1] ?? 'aws'
    return albKeys.get(`${region}/${kid}`, async () => {
      if (Date.now() < albFetchPausedUntil) {
        throw new KeyFetchError(`the key for kid ${kid} is not fetched: key fetches pause for ${ALB_FETCH_PAUSE_MS} ms after a failed one`)
      }
      try {
        const pem = (await callKeys(kid, region)) ?? (await fetchKeyDocument(albKeyUrl(region, partition, kid)))
        return pemToJwk(pem, kid, 'ES256')
      } catch (error) {
        albFetchPausedUntil = Date.now() + ALB_FETCH_PAUSE_MS
        throw error
      }
    })
  }

  const callKeys = async (kid: string, region: string): Promise<string | undefined> => {
    if (options.keys === undefined) return undefined
    try {
      return await options.keys(kid, region)
    } catch (error) {
      throw new KeyFetchError(`auth.keys failed for kid ${kid}: ${(error as Error)?.message ?? String(error)}`, { cause: error })
    }
  }

  const jwtJwk = (endpoint: string, kid: string): Promise<KeyJwk> =>
    jwkByKid.get(`${endpoint}#${kid}`, async () => {
      const pem = await callKeys(kid, options.region ?? keyRegion(options) ?? 'us-east-1')
      if (pem !== undefined) return pemToJwk(pem, kid, 'RS256')
      let set = jwks.peek(endpoint)
      if (set !== undefined && !set.has(kid) && Date.now() - (jwksFetchedAt.get(endpoint) ?? 0) >= JWKS_REFETCH_MS) {
        jwks.delete(endpoint) // keys rotate: a new kid may be in a fresh copy
        set = undefined
      }
      set ??= await jwks.get(endpoint, async () => {
        const parsed = parseJwks(await fetchKeyDocument(endpoint), endpoint)
        jwksFetchedAt.set(endpoint, Date.now())
        return parsed
      })
      const key = set.get(kid)
      if (key === undefined) throw new UnknownKeyError(`no key with kid ${JSON.stringify(kid)} in the JWKS of ${endpoint}`)
      return key
    })

  /** aws-jwt-verify asks this for keys; the token's header has been checked before it is asked. */
  const keySource = (kind: 'alb' | 'jwt'): JwksCache => ({
    getJwk: (uri, jwt) => {
      const kid = jwt.header.kid as string
      return (kind === 'alb' ? albJwk(kid, String(jwt.header['signer'])) : jwtJwk(uri, kid)) as ReturnType<JwksCache['getJwk']>
    },
    getCachedJwk: () => {
      throw new Error('albatross verifies asynchronously')
    },
    addJwks: () => undefined,
    getJwks: () => Promise.reject(new Error('albatross fetches keys by kid')),
  })
  const albSource = keySource('alb')
  const jwtSource = keySource('jwt')

  const verifierOf = (action: AuthAction) => {
    let verifier = verifiers.get(action)
    if (verifier !== undefined) return verifier
    if (action.type === 'jwt-validation') {
      verifier = JwtVerifier.create(
        {
          issuer: action.issuer,
          jwksUri: action.jwksEndpoint,
          audience: null,
          customJwtCheck: ({ payload }) => checkAdditionalClaims(payload, action.additionalClaims ?? []),
        },
        { jwksCache: jwtSource },
      )
    } else {
      const { issuer, client: clientId } = expectedIssuer(action)
      verifier = AlbJwtVerifier.create(
        {
          albArn: albArns,
          issuer,
          clientId,
          // Unused: the key source above builds ALB's URL from the signer's region and the kid.
          jwksUri: 'https://public-keys.auth.elb.invalid',
          customJwtCheck: ({ header }) => checkHeaderExpiry(header as Record<string, unknown>),
        },
        { jwksCache: albSource },
      )
    }
    verifiers.set(action, verifier)
    return verifier
  }

  return {
    async verify(request, action) {
      const jwt = action.type === 'jwt-validation'
      const token = jwt ? bearerToken(request) : oidcData(request)
      if (typeof token !== 'string') {
        if (token.reason === 'missing' && !jwt && action.onUnauthenticatedRequest === 'allow') return { ok: true, claims: undefined }
        return refuse(token.reason === 'missing' ? (jwt ? 'no bearer token in Authorization' : 'no x-amzn-oidc-data header') : token.reason)
      }
      let header: Record<string, unknown>
      try {
        header = decomposeUnverifiedJwt(token).header as Record<string, unknown>
      } catch (error) {
        return refuse(`the token is not a JWT: ${(error as Error).message}`, error)
      }
      const problem = jwt ? jwtHeaderProblem(header) : albHeaderProblem(header, albArns)
      if (problem !== undefined) return refuse(problem)
      try {
        const claims = (await verifierOf(action).verify(token)) as Claims
        return { ok: true, claims }
      } catch (error) {
        if (error instanceof KeyFetchError) return { ok: false, status: 503, reason: error.message, cause: error }
        return refuse((error as Error)?.message ?? String(error), error)
      }
    },
  }
}

function refuse(reason: string, cause?: unknown): VerifyOutcome {
  return cause === undefined ? { ok: false, status: 401, reason } : { ok: false, status: 401, reason, cause }
}

type TokenOrProblem = string | { reason: string }

function oidcData(request: AuthRequest): TokenOrProblem {
  const values = request.headerValues('x-amzn-oidc-data')
  if (values === undefined || values.length === 0 || values[0] === '') return { reason: 'missing' }
  if (values.length > 1) return { reason: 'more than one x-amzn-oidc-data header' }
  const token = values[0] as string
  return token.length > MAX_TOKEN ? { reason: 'x-amzn-oidc-data is too long' } : token
}

function bearerToken(request: AuthRequest): TokenOrProblem {
  const values = request.headerValues('authorization')
  if (values === undefined || values.length === 0) return { reason: 'missing' }
  if (values.length > 1) return { reason: 'more than one Authorization header' }
  const value = values[0] as string
  if (value.length > MAX_TOKEN) return { reason: 'the Authorization header is too long' }
  const match = BEARER.exec(value)
  return match === null ? { reason: 'Authorization is not "Bearer <token>"' } : (match[1] as string)
}

/** Checked before any key is looked up, so a forged header costs no fetch. */
function albHeaderProblem(header: Record<string, unknown>, albArns: readonly string[]): string | undefined {
  if (header['alg'] !== 'ES256') return `x-amzn-oidc-data alg is ${JSON.stringify(header['alg'])}; ALB signs with ES256`
  if (typeof header['kid'] !== 'string' || !UUID.test(header['kid'])) return 'x-amzn-oidc-data kid is not a UUID'
  if (typeof header['signer'] !== 'string' || !albArns.includes(header['signer'])) {
    return `x-amzn-oidc-data was signed by ${JSON.stringify(header['signer'])}, not by the configured load balancer`
  }
  try {
    checkHeaderExpiry(header)
  } catch (error) {
    return (error as Error).message
  }
  return undefined
}

function jwtHeaderProblem(header: Record<string, unknown>): string | undefined {
  // listener-verify-jwt: "Only the RS256 algorithm is supported".
  if (header['alg'] !== 'RS256') return `the bearer token's alg is ${JSON.stringify(header['alg'])}; ALB's jwt-validation accepts RS256 only`
  if (typeof header['kid'] !== 'string' || !JWKS_KID.test(header['kid'])) return 'the bearer token has no usable kid'
  return undefined
}

/** ALB puts `exp` in the header (spec/alb.md §7); aws-jwt-verify checks the payload's. */
function checkHeaderExpiry(header: Record<string, unknown>): void {
  const exp = typeof header['exp'] === 'string' && /^\d+$/.test(header['exp']) ? Number(header['exp']) : header['exp']
  if (exp === undefined) return
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new Error('x-amzn-oidc-data exp is not a number')
  if (exp < Date.now() / 1000) throw new Error(`x-amzn-oidc-data expired at ${new Date(exp * 1000).toISOString()}`)
}

/**
 * ALB's AdditionalClaims. The documentation names the formats, not how values compare; like
 * every ALB value list, any one listed value satisfies the claim [inf] (README, ALB facts).
 */
export function checkAdditionalClaims(payload: Record<string, unknown>, claims: readonly JwtAdditionalClaim[]): void {
  for (const claim of claims) {
    const value = payload[claim.name]
    const present =
      claim.format === 'single-string'
        ? typeof value === 'string' ? [value] : []
        : claim.format === 'space-separated-values'
          ? typeof value === 'string' ? value.split(' ').filter(Boolean) : []
          : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
    if (!present.some((v) => claim.values.includes(v))) {
      throw new Error(`the bearer token's ${claim.name} claim does not hold ${claim.values.map((v) => JSON.stringify(v)).join(' or ')}`)
    }
  }
}

function parseJwks(text: string, endpoint: string): ReadonlyMap<string, KeyJwk> {
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    throw new KeyFetchError(`the JWKS at ${endpoint} is not JSON`, { cause: error })
  }
  const keys = (document as { keys?: unknown })?.keys
  if (!Array.isArray(keys)) throw new KeyFetchError(`the JWKS at ${endpoint} has no "keys" array`)
  const byKid = new Map<string, KeyJwk>()
  for (const key of keys as Record<string, unknown>[]) {
    if (typeof key?.['kid'] === 'string' && key['kty'] === 'RSA' && (key['use'] === undefined || key['use'] === 'sig')) {
      byKid.set(key['kid'], { ...key, kid: key['kid'], kty: 'RSA', alg: 'RS256' })
    }
  }
  return byKid
}

