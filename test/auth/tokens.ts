import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto'

/**
 * Test-side minting, independent of src/auth/mint.ts: real ES256 and RS256 signatures from
 * node:crypto, with every header field under the test's control.
 */

export const ALB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop/50dc6c495c0c9188'
export const OTHER_ALB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:210987654321:loadbalancer/app/evil/0123456789abcdef'
export const ISSUER = 'https://idp.example.com'
export const CLIENT_ID = 'web-client'

export interface EcKey {
  readonly kid: string
  readonly privateKey: KeyObject
  readonly pem: string
}

export function ecKey(kid: string = randomUUID()): EcKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return { kid, privateKey, pem: publicKey.export({ type: 'spki', format: 'pem' }) as string }
}

export function rsaKey(kid: string = `rsa-${randomUUID()}`): EcKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return { kid, privateKey, pem: publicKey.export({ type: 'spki', format: 'pem' }) as string }
}

/** base64url keeping `=` padding, as ALB writes every part of x-amzn-oidc-data (spec/alb.md §7). */
export const padded = (data: string | Buffer): string => Buffer.from(data).toString('base64').replace(/\+/g, '-').replace(/\//g, '_')

export interface OidcDataOptions {
  readonly key: EcKey
  readonly signWith?: KeyObject
  readonly kid?: string
  readonly signer?: string
  readonly issuer?: string
  readonly client?: string
  readonly exp?: number
  readonly claims?: Record<string, unknown>
  readonly alg?: string
}

/** x-amzn-oidc-data as ALB writes it: claims that matter in the header, parts padded, R‖S signature. */
export function oidcData(options: OidcDataOptions): string {
  const exp = options.exp ?? Math.floor(Date.now() / 1000) + 600
  const issuer = options.issuer ?? ISSUER
  const header = {
    typ: 'JWT',
    kid: options.kid ?? options.key.kid,
    alg: options.alg ?? 'ES256',
    iss: issuer,
    client: options.client ?? CLIENT_ID,
    signer: options.signer ?? ALB_ARN,
    exp,
  }
  // An email that makes the payload's base64 need padding, so the padding is really exercised.
  const payload = { sub: 'alice', email: 'alice@example.com', exp, iss: issuer, ...options.claims }
  const signed = `${padded(JSON.stringify(header))}.${padded(JSON.stringify(payload))}`
  const signature = sign('sha256', Buffer.from(signed), { key: options.signWith ?? options.key.privateKey, dsaEncoding: 'ieee-p1363' })
  return `${signed}.${padded(signature)}`
}

export function bearer(options: { key: EcKey; issuer: string; claims?: Record<string, unknown>; exp?: number; alg?: string }): string {
  const now = Math.floor(Date.now() / 1000)
  const header = { typ: 'JWT', alg: options.alg ?? 'RS256', kid: options.key.kid }
  const payload = { sub: 'partner-7', iat: now, exp: options.exp ?? now + 600, iss: options.issuer, ...options.claims }
  const signed = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
  return `${signed}.${sign('sha256', Buffer.from(signed), options.key.privateKey).toString('base64url')}`
}
