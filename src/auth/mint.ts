import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto'
import type { AuthAction } from '../rules/types.js'
import { expectedIssuer } from './declaration.js'

/**
 * Tokens in ALB's own formats, signed with local keys: what `albatross dev --user` and
 * `albEvent({ user, app })` in `albatross/testing` attach, so authenticated routes run locally
 * with the real verifier. Never used by a deployed Lambda.
 */
export interface SigningKeys {
  /** A UUID, as ALB's kids are. */
  readonly ecKid: string
  readonly ecPrivateKey: KeyObject
  readonly ecPublicPem: string
  readonly rsaKid: string
  readonly rsaPrivateKey: KeyObject
  readonly rsaPublicPem: string
}

export function createSigningKeys(): SigningKeys {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    ecKid: randomUUID(),
    ecPrivateKey: ec.privateKey,
    ecPublicPem: ec.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    rsaKid: `albatross-local-${randomUUID()}`,
    rsaPrivateKey: rsa.privateKey,
    rsaPublicPem: rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string,
  }
}

/** `auth.keys` that answers for the local kids and defers to `fallback` for every other kid. */
export function localKeySource(
  keys: SigningKeys,
  fallback?: (kid: string, region: string) => string | undefined | Promise<string | undefined>,
): (kid: string, region: string) => string | undefined | Promise<string | undefined> {
  return (kid, region) => {
    if (kid === keys.ecKid) return keys.ecPublicPem
    if (kid === keys.rsaKid) return keys.rsaPublicPem
    return fallback?.(kid, region)
  }
}

/** base64url **with** `=` padding, as ALB writes x-amzn-oidc-data (spec/alb.md §7). */
function paddedBase64Url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
}

function base64Url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url')
}

export interface OidcDataInput {
  readonly signer: string
  readonly issuer: string
  readonly client: string
  readonly claims: Readonly<Record<string, unknown>>
  /** Seconds from now; default 3600. Negative mints an expired token. */
  readonly expiresIn?: number
  readonly kid?: string
}

/**
 * x-amzn-oidc-data as ALB writes it: the header carries alg, kid, signer, iss, client and exp, the
 * payload the user's claims; every part padded; the ES256 signature 64 bytes R‖S over the padded
 * parts.
 */
export function mintOidcData(keys: SigningKeys, input: OidcDataInput): string {
  const exp = Math.floor(Date.now() / 1000) + (input.expiresIn ?? 3600)
  const header = { typ: 'JWT', kid: input.kid ?? keys.ecKid, alg: 'ES256', iss: input.issuer, client: input.client, signer: input.signer, exp }
  const payload = { ...input.claims, exp, iss: input.issuer }
  const signed = `${paddedBase64Url(JSON.stringify(header))}.${paddedBase64Url(JSON.stringify(payload))}`
  const signature = sign('sha256', Buffer.from(signed), { key: keys.ecPrivateKey, dsaEncoding: 'ieee-p1363' })
  return `${signed}.${paddedBase64Url(signature)}`
}

/** A standard RS256 bearer token (RFC 7519), what ALB's jwt-validation accepts. */
export function mintBearer(keys: SigningKeys, input: { issuer: string; claims: Readonly<Record<string, unknown>>; expiresIn?: number }): string {
  const now = Math.floor(Date.now() / 1000)
  const header = { typ: 'JWT', alg: 'RS256', kid: keys.rsaKid }
  const payload = { iat: now, ...input.claims, iss: input.issuer, exp: now + (input.expiresIn ?? 3600) }
  const signed = `${base64Url(JSON.stringify(header))}.${base64Url(JSON.stringify(payload))}`
  return `${signed}.${base64Url(sign('sha256', Buffer.from(signed), keys.rsaPrivateKey))}`
}

/**
 * The headers ALB would add after `action` let the user in: for oidc and cognito the three
 * x-amzn-oidc-* headers, for jwt the bearer token the client would have sent.
 */
export function tokenHeaders(action: AuthAction, keys: SigningKeys, signer: string, claims: Readonly<Record<string, unknown>>): Array<[string, string]> {
  if (action.type === 'jwt-validation') return [['authorization', `Bearer ${mintBearer(keys, { issuer: action.issuer, claims })}`]]
  const { issuer, client } = expectedIssuer(action)
  const data = mintOidcData(keys, { signer, issuer, client, claims })
  const sub = typeof claims['sub'] === 'string' ? claims['sub'] : ''
  return [
    ['x-amzn-oidc-accesstoken', 'local-access-token'],
    ['x-amzn-oidc-identity', sub],
    ['x-amzn-oidc-data', data],
  ]
}

/** `--user 'sub=alice,email=alice@example.com'` → claims (values stay strings). */
export function parseUserClaims(text: string): Record<string, string> {
  const claims: Record<string, string> = {}
  for (const part of text.split(',')) {
    if (part.trim() === '') continue
    const eq = part.indexOf('=')
    if (eq <= 0) throw new TypeError(`--user takes name=value pairs separated by commas, got ${JSON.stringify(part)}`)
    claims[part.slice(0, eq).trim()] = part.slice(eq + 1).trim()
  }
  return claims
}
