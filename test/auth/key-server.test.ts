import { createPublicKey } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { albKeyUrl, fetchKeyDocument, SharedKeyCache } from '../../src/auth/keys.js'
import { createVerifier } from '../../src/auth/verifier.js'
import type { AuthenticateOidcAction, JwtValidationAction } from '../../src/rules/types.js'
import { ALB_ARN, bearer, CLIENT_ID, ecKey, ISSUER, oidcData, rsaKey } from './tokens.js'

/*
 * The fetch path itself, against a local node:http server standing in for a JWKS endpoint: no
 * test reaches the network. (Declarations require https; the verifier is driven directly here.)
 */

const key = rsaKey()
const albKey = ecKey()
const jwk = { ...(createPublicKey(key.pem).export({ format: 'jwk' }) as object), kid: key.kid, use: 'sig', alg: 'RS256' }
let server: Server
let base = ''
let hits = 0
let failNext = 0

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++
    if (failNext > 0) {
      failNext--
      res.writeHead(500).end('down')
      return
    }
    if (req.url === '/jwks') {
      // Slow enough that concurrent requests overlap.
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })), 30)
      return
    }
    if (req.url === `/alb/${albKey.kid}`) {
      res.writeHead(200).end(albKey.pem)
      return
    }
    if (req.url === '/huge') {
      res.writeHead(200).end('x'.repeat(200 * 1024))
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const request = (token: string) => ({ headerValues: (name: string) => (name === 'authorization' ? [`Bearer ${token}`] : undefined) })

describe('JWKS of a jwt route, fetched from a local key server', () => {
  it('a failed fetch is answered 503 and not cached; the retry fetches, and then the key is cached', async () => {
    const action: JwtValidationAction = { type: 'jwt-validation', jwksEndpoint: `${base}/jwks`, issuer: 'https://partner' }
    const verifier = createVerifier({})
    const token = bearer({ key, issuer: 'https://partner' })
    hits = 0
    failNext = 1
    const first = await verifier.verify(request(token), action)
    expect(first).toMatchObject({ ok: false, status: 503 })
    expect(await verifier.verify(request(token), action)).toMatchObject({ ok: true, claims: { sub: 'partner-7' } })
    expect(await verifier.verify(request(token), action)).toMatchObject({ ok: true })
    expect(hits).toBe(2)
  })

  it('concurrent requests share one JWKS fetch', async () => {
    const action: JwtValidationAction = { type: 'jwt-validation', jwksEndpoint: `${base}/jwks`, issuer: 'https://partner' }
    const verifier = createVerifier({})
    hits = 0
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => verifier.verify(request(bearer({ key, issuer: 'https://partner' })), action)))
    expect(outcomes.every((o) => o.ok)).toBe(true)
    expect(hits).toBe(1)
  })

  it('a kid the JWKS lacks is a 401, not a server fault', async () => {
    const action: JwtValidationAction = { type: 'jwt-validation', jwksEndpoint: `${base}/jwks`, issuer: 'https://partner' }
    const stranger = rsaKey()
    expect(await createVerifier({}).verify(request(bearer({ key: stranger, issuer: 'https://partner' })), action)).toMatchObject({ ok: false, status: 401 })
  })
})

describe('ALB keys fetched by kid (spec/alb.md §7: one PEM per kid, at the regional endpoint)', () => {
  // `auth.keys` fetching from the local server stands in for ALB's endpoint, which no test reaches.
  const oidc: AuthenticateOidcAction = {
    type: 'authenticate-oidc',
    issuer: ISSUER,
    authorizationEndpoint: `${ISSUER}/authorize`,
    tokenEndpoint: `${ISSUER}/token`,
    userInfoEndpoint: `${ISSUER}/userinfo`,
    clientId: CLIENT_ID,
  }
  const oidcRequest = (token: string) => ({ headerValues: (name: string) => (name === 'x-amzn-oidc-data' ? [token] : undefined) })
  const fetchingVerifier = () =>
    createVerifier({
      albArn: ALB_ARN,
      keys: async (kid) => {
        const response = await fetch(`${base}/alb/${kid}`)
        if (response.status !== 200) throw new Error(`answered ${response.status}`)
        return response.text()
      },
    })

  it('made-up kids cost one fetch, not one per request: after a failed fetch, uncached kids wait (503) while a cached key still verifies', async () => {
    const verifier = fetchingVerifier()
    hits = 0
    expect(await verifier.verify(oidcRequest(oidcData({ key: albKey })), oidc)).toMatchObject({ ok: true })
    expect(hits).toBe(1)
    // Forged tokens: any UUID passes the header check, and the signature cannot be checked without
    // the key, so each new kid would be a fetch of its own.
    const forged = Array.from({ length: 20 }, () => oidcData({ key: ecKey() }))
    const outcomes = []
    for (const token of forged) outcomes.push(await verifier.verify(oidcRequest(token), oidc))
    expect(outcomes.every((o) => !o.ok && o.status === 503)).toBe(true)
    expect(hits).toBe(2)
    expect(outcomes.at(-1)).toMatchObject({ reason: expect.stringContaining('key fetches pause') })
    expect(await verifier.verify(oidcRequest(oidcData({ key: albKey })), oidc)).toMatchObject({ ok: true })
    expect(hits).toBe(2)
  })
})

describe('fetchKeyDocument', () => {
  it('refuses a status other than 200 and a document over 150 KB (ALB bounds a JWKS at 150 KB)', async () => {
    await expect(fetchKeyDocument(`${base}/missing`)).rejects.toThrow(/answered 404/)
    await expect(fetchKeyDocument(`${base}/huge`)).rejects.toThrow(/over 153600 bytes/)
  })
})

describe("ALB's key endpoint (spec/alb.md §7)", () => {
  it('is regional, and in S3 for GovCloud', () => {
    const kid = '2a1b2c3d-0000-4000-8000-000000000000'
    expect(albKeyUrl('eu-west-1', 'aws', kid)).toBe(`https://public-keys.auth.elb.eu-west-1.amazonaws.com/${kid}`)
    expect(albKeyUrl('us-gov-west-1', 'aws-us-gov', kid)).toBe(`https://s3-us-gov-west-1.amazonaws.com/aws-elb-public-keys-prod-us-gov-west-1/${kid}`)
  })
})

describe('SharedKeyCache', () => {
  it('bounds its size, dropping the oldest key', async () => {
    const cache = new SharedKeyCache<number>(2)
    await cache.get('a', async () => 1)
    await cache.get('b', async () => 2)
    await cache.get('c', async () => 3)
    expect([cache.peek('a'), cache.peek('b'), cache.peek('c')]).toEqual([undefined, 2, 3])
  })
})
