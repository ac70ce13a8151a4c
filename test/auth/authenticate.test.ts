// DTO support (class-transformer, class-validator, reflect-metadata): the @Claims() DTOs need it.
import '../../src/dto.js'
import { Type } from 'class-transformer'
import { IsBoolean, IsEmail, IsOptional, IsString } from 'class-validator'
import { describe, expect, it, vi } from 'vitest'
import { Controller, Get, RouteDeclarationError, createApp, type AuthOptions, type ErrorInfo } from '../../src/index.js'
import { Authenticate, Claims } from '../../src/auth/index.js'
import { albEvent } from '../../src/alb/build-event.js'
import type { ALBEvent, ALBResult } from '../../src/alb/types.js'
import { ALB_ARN, CLIENT_ID, ISSUER, OTHER_ALB_ARN, bearer, ecKey, oidcData, rsaKey } from './tokens.js'

/*
 * The Lambda's half of @Authenticate (spec/alb.md §7): x-amzn-oidc-data verified as ALB writes
 * it (padded base64url, ES256 R‖S, kid a UUID, signer pinned, exp), the bearer token of jwt routes
 * against its JWKS, 401 problem+json before the route runs. Keys come from `auth.keys`: no test
 * reaches the network.
 */

const OIDC = {
  type: 'oidc',
  issuer: ISSUER,
  authorizationEndpoint: `${ISSUER}/authorize`,
  tokenEndpoint: `${ISSUER}/token`,
  userInfoEndpoint: `${ISSUER}/userinfo`,
  clientId: CLIENT_ID,
} as const
const PARTNER = 'https://auth.partner.example.com'
const JWT = {
  type: 'jwt',
  jwksEndpoint: `${PARTNER}/.well-known/jwks.json`,
  issuer: PARTNER,
  claims: [{ name: 'scope', format: 'space-separated-values', values: ['orders:read'] }],
} as const

const calls: string[] = []

class UserClaims {
  @IsString() sub!: string
  @IsEmail() email!: string
  // Some IdPs send it as the string "false": class-transformer's Boolean() would make that true.
  @IsOptional() @Type(() => Boolean) @IsBoolean() email_verified?: boolean
}

@Controller('/me')
@Authenticate(OIDC)
class Me {
  @Get()
  get(@Claims() claims: Record<string, unknown>) {
    calls.push('Me.get')
    return claims
  }

  /** The method's own @Authenticate replaces the class's (ALB: one auth action per rule). */
  @Get('/partner')
  @Authenticate(JWT)
  partner(@Claims() claims: Record<string, unknown>) {
    calls.push('Me.partner')
    return { partner: claims['sub'] }
  }
}

@Controller('/open')
class Open {
  @Get()
  get() {
    calls.push('Open.get')
    return { open: true }
  }

  @Get('/typed')
  @Authenticate(OIDC)
  typed(@Claims({ type: UserClaims }) claims: UserClaims) {
    return { isDto: claims instanceof UserClaims, email: claims.email, verified: claims.email_verified }
  }

  @Get('/maybe')
  @Authenticate({ ...OIDC, onUnauthenticatedRequest: 'allow' })
  maybe(@Claims() claims: Record<string, unknown> | undefined) {
    return { anonymous: claims === undefined }
  }
}

const alb = ecKey()
const partnerKey = rsaKey()

function setup(keys?: AuthOptions['keys']) {
  const reports: { error: Error; info: ErrorInfo }[] = []
  const keyCalls: string[] = []
  const app = createApp({
    controllers: [Me, Open],
    auth: {
      albArn: ALB_ARN,
      keys:
        keys ??
        ((kid) => {
          keyCalls.push(kid)
          return kid === alb.kid ? alb.pem : kid === partnerKey.kid ? partnerKey.pem : undefined
        }),
    },
    onError: (error, info) => reports.push({ error: error as Error, info }),
  })
  return { app, reports, keyCalls }
}

const modes = [['single-value', false], ['multi-value', true]] as const

function event(path: string, headers: Record<string, string>, multiValue = false): ALBEvent {
  return albEvent({ path, headers, multiValue })
}

function bodyOf(result: ALBResult): Record<string, unknown> {
  return JSON.parse(result.body ?? 'null') as Record<string, unknown>
}

describe('x-amzn-oidc-data on an oidc route (spec/alb.md §7)', () => {
  it.each(modes)('a valid token reaches the method with its claims (%s header mode)', async (_, multiValue) => {
    const { app } = setup()
    const result = await app.handler(event('/me', { 'x-amzn-oidc-data': oidcData({ key: alb }) }, multiValue))
    expect(result.statusCode).toBe(200)
    expect(bodyOf(result)).toMatchObject({ sub: 'alice', email: 'alice@example.com', iss: ISSUER })
  })

  it.each(modes)('no token: 401 problem+json, the method never runs, onError gets a warning (%s)', async (_, multiValue) => {
    const { app, reports } = setup()
    calls.length = 0
    const result = await app.handler(event('/me', {}, multiValue))
    expect(result.statusCode).toBe(401)
    const headers = multiValue ? result.multiValueHeaders : result.headers
    expect(headers?.['content-type']).toEqual(multiValue ? ['application/problem+json'] : 'application/problem+json')
    expect(bodyOf(result)).toMatchObject({ status: 401, title: 'Unauthorized' })
    expect(calls).toEqual([])
    expect(reports.map((r) => [r.info.code, r.info.level, r.info.source])).toEqual([['WARN_AUTH_REFUSED', 'warning', 'Me.get']])
    expect(reports[0]?.error.message).toMatch(/no x-amzn-oidc-data/)
  })

  it('x-amzn-oidc-identity and -accesstoken alone are not trusted: nothing signs them', async () => {
    const { app } = setup()
    const result = await app.handler(event('/me', { 'x-amzn-oidc-identity': 'alice', 'x-amzn-oidc-accesstoken': 'anything' }))
    expect(result.statusCode).toBe(401)
  })

  it('a token signed with another key under the same kid is refused', async () => {
    const { app, reports } = setup()
    const forged = oidcData({ key: alb, signWith: ecKey().privateKey })
    expect((await app.handler(event('/me', { 'x-amzn-oidc-data': forged }))).statusCode).toBe(401)
    expect(reports[0]?.error.message).toMatch(/signature/i)
  })

  it('an expired token is refused (exp in the header and the payload)', async () => {
    const { app, reports } = setup()
    const expired = oidcData({ key: alb, exp: Math.floor(Date.now() / 1000) - 5 })
    expect((await app.handler(event('/me', { 'x-amzn-oidc-data': expired }))).statusCode).toBe(401)
    expect(reports[0]?.error.message).toMatch(/expired/)
  })

  it('a token another load balancer signed is refused before any key is looked up', async () => {
    const { app, keyCalls, reports } = setup()
    // Validly signed, but by an ALB in another account: without the signer check any ALB could mint it.
    const foreign = oidcData({ key: alb, signer: OTHER_ALB_ARN })
    expect((await app.handler(event('/me', { 'x-amzn-oidc-data': foreign }))).statusCode).toBe(401)
    expect(keyCalls).toEqual([])
    expect(reports[0]?.error.message).toMatch(/not by the configured load balancer/)
  })

  it('the signature covers the padded parts: the same token unpadded, or garbled, is refused', async () => {
    const { app } = setup()
    const token = oidcData({ key: alb, claims: { email: 'al@example.com' } })
    expect(token).toMatch(/=\./) // the test is only meaningful when some part is padded
    const unpadded = token.replace(/=+(\.|$)/g, '$1')
    const [h, p, s] = token.split('.') as [string, string, string]
    const garbled = `${h}.${p.slice(0, 10)}${p[10] === 'A' ? 'B' : 'A'}${p.slice(11)}.${s}`
    for (const bad of [unpadded, garbled, `${h}.${p}`, 'not-a-token', `${h}.${p}.${s}.x`]) {
      expect((await app.handler(event('/me', { 'x-amzn-oidc-data': bad }))).statusCode, bad.slice(0, 40)).toBe(401)
    }
    expect((await app.handler(event('/me', { 'x-amzn-oidc-data': token }))).statusCode).toBe(200)
  })

  it('a kid that is not a UUID is refused before the key source is called (no URL is built from it)', async () => {
    const { app, keyCalls } = setup()
    for (const kid of ['../../latest/meta-data', 'a'.repeat(36), 'evil.example.com/x']) {
      const token = oidcData({ key: alb, kid })
      expect((await app.handler(event('/me', { 'x-amzn-oidc-data': token }))).statusCode).toBe(401)
    }
    expect(keyCalls).toEqual([])
  })

  it('alg other than ES256 is refused', async () => {
    const { app } = setup()
    expect((await app.handler(event('/me', { 'x-amzn-oidc-data': oidcData({ key: alb, alg: 'none' }) }))).statusCode).toBe(401)
  })

  it('a token for another client id of the same ALB is refused', async () => {
    const { app } = setup()
    expect((await app.handler(event('/me', { 'x-amzn-oidc-data': oidcData({ key: alb, client: 'other-client' }) }))).statusCode).toBe(401)
  })

  it('a key that cannot be fetched answers 503 (retry-after 1) and is not cached: a second later the next request fetches again and passes', async () => {
    let attempts = 0
    const { app, reports } = setup(() => {
      attempts++
      if (attempts === 1) throw new Error('connect ETIMEDOUT')
      return alb.pem
    })
    const token = oidcData({ key: alb })
    const first = await app.handler(event('/me', { 'x-amzn-oidc-data': token }))
    expect(first.statusCode).toBe(503)
    expect(first.headers?.['retry-after']).toBe('1')
    expect(reports.map((r) => [r.info.code, r.info.level])).toEqual([['ERR_AUTH_UNAVAILABLE', 'error']])
    // Within the second, fetches pause (a stream of made-up kids must not cost a fetch each).
    expect((await app.handler(event('/me', { 'x-amzn-oidc-data': token }))).statusCode).toBe(503)
    expect(attempts).toBe(1)
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 1_001 })
    try {
      expect((await app.handler(event('/me', { 'x-amzn-oidc-data': token }))).statusCode).toBe(200)
      expect((await app.handler(event('/me', { 'x-amzn-oidc-data': token }))).statusCode).toBe(200)
    } finally {
      vi.useRealTimers()
    }
    expect(attempts).toBe(2) // cached after the success
  })

  it('concurrent requests for an unknown kid share one fetch', async () => {
    let attempts = 0
    const { app } = setup(async () => {
      attempts++
      await new Promise((resolve) => setTimeout(resolve, 20))
      return alb.pem
    })
    const token = oidcData({ key: alb })
    const results = await Promise.all(Array.from({ length: 8 }, () => app.handler(event('/me', { 'x-amzn-oidc-data': token }))))
    expect(results.map((r) => r.statusCode)).toEqual(new Array(8).fill(200))
    expect(attempts).toBe(1)
  })
})

describe('class-level and method-level @Authenticate', () => {
  it('a class without @Authenticate needs no token; its authenticated method does', async () => {
    const { app } = setup()
    expect((await app.handler(event('/open', {}))).statusCode).toBe(200)
    expect((await app.handler(event('/open/typed', {}))).statusCode).toBe(401)
  })

  it("the method's jwt declaration replaces the class's oidc one", async () => {
    const { app } = setup()
    const oidc = { 'x-amzn-oidc-data': oidcData({ key: alb }) }
    expect((await app.handler(event('/me/partner', oidc))).statusCode).toBe(401)
    const token = bearer({ key: partnerKey, issuer: PARTNER, claims: { scope: 'orders:read orders:write' } })
    const result = await app.handler(event('/me/partner', { authorization: `Bearer ${token}` }))
    expect(result.statusCode).toBe(200)
    expect(bodyOf(result)).toEqual({ partner: 'partner-7' })
    // ...and a bearer token does nothing for the class's oidc routes.
    expect((await app.handler(event('/me', { authorization: `Bearer ${token}` }))).statusCode).toBe(401)
  })
})

describe('bearer tokens on a jwt route (ALB jwt-validation)', () => {
  const call = async (authorization: string | undefined) => {
    const { app, reports } = setup()
    const result = await app.handler(event('/me/partner', authorization === undefined ? {} : { authorization }))
    return { result, reason: reports[0]?.error.message }
  }
  const valid = (extra: Parameters<typeof bearer>[0] extends infer O ? Partial<O> : never = {}) =>
    bearer({ key: partnerKey, issuer: PARTNER, claims: { scope: 'orders:read' }, ...extra })

  it('refuses a missing or malformed Authorization with WWW-Authenticate: Bearer (RFC 6750 §3)', async () => {
    for (const header of [undefined, valid(), `Basic ${valid()}`]) {
      const { result } = await call(header)
      expect(result.statusCode).toBe(401)
      expect(result.headers?.['www-authenticate']).toBe('Bearer error="invalid_token"')
    }
  })

  it('refuses another issuer, an expired token, a non-RS256 alg and a token without the required scope', async () => {
    expect((await call(`Bearer ${valid({ issuer: 'https://evil.example.com' })}`)).result.statusCode).toBe(401)
    expect((await call(`Bearer ${valid({ exp: Math.floor(Date.now() / 1000) - 1 })}`)).result.statusCode).toBe(401)
    expect((await call(`Bearer ${valid({ alg: 'RS512' })}`)).reason).toMatch(/RS256 only/)
    const { result, reason } = await call(`Bearer ${valid({ claims: { scope: 'orders:write' } })}`)
    expect(result.statusCode).toBe(401)
    expect(reason).toMatch(/scope claim/)
  })
})

describe('@Claims()', () => {
  it('converts and validates the claims as a DTO; invalid claims are a 400 naming claims.<field>', async () => {
    const { app } = setup()
    const ok = await app.handler(event('/open/typed', { 'x-amzn-oidc-data': oidcData({ key: alb }) }))
    expect(bodyOf(ok)).toEqual({ isDto: true, email: 'alice@example.com' })
    const bad = await app.handler(event('/open/typed', { 'x-amzn-oidc-data': oidcData({ key: alb, claims: { email: 'not-an-email' } }) }))
    expect(bad.statusCode).toBe(400)
    const errors = bodyOf(bad)['errors'] as { location: string; value?: unknown }[]
    expect(errors.map((e) => e.location)).toEqual(['claims.email'])
    expect(errors[0]?.value).toBeUndefined() // claims are personal data: never echoed
  })

  // #12 § 3: one conversion rule for every location, claims included.
  it('converts a claim under a scalar @Type by the query rule: "false" is false, "nope" a 400 that echoes nothing', async () => {
    const { app } = setup()
    const verified = async (value: unknown) =>
      app.handler(event('/open/typed', { 'x-amzn-oidc-data': oidcData({ key: alb, claims: { email_verified: value } }) }))
    expect(bodyOf(await verified('false'))).toEqual({ isDto: true, email: 'alice@example.com', verified: false })
    expect(bodyOf(await verified(true))).toEqual({ isDto: true, email: 'alice@example.com', verified: true })
    const bad = await verified('nope')
    expect(bad.statusCode).toBe(400)
    expect(bodyOf(bad)['errors']).toEqual([{ location: 'claims.email_verified', message: 'claims.email_verified must be a boolean (true, false, 1 or 0)', constraint: 'isBoolean' }])
  })

  it("onUnauthenticatedRequest 'allow': ALB forwards anonymous requests, a present token must still hold", async () => {
    const { app } = setup()
    expect(bodyOf(await app.handler(event('/open/maybe', {})))).toEqual({ anonymous: true })
    expect(bodyOf(await app.handler(event('/open/maybe', { 'x-amzn-oidc-data': oidcData({ key: alb }) })))).toEqual({ anonymous: false })
    const foreign = oidcData({ key: alb, signer: OTHER_ALB_ARN })
    expect((await app.handler(event('/open/maybe', { 'x-amzn-oidc-data': foreign }))).statusCode).toBe(401)
  })
})

describe('declaration errors at createApp (one RouteDeclarationError naming Controller.method and the AWS field)', () => {
  function problemsOf(build: () => unknown): string[] {
    try {
      build()
    } catch (error) {
      if (error instanceof RouteDeclarationError) return error.problems.map((p) => p.message)
      throw error
    }
    throw new Error('createApp did not throw')
  }

  it('checks ALB fields and limits', () => {
    @Controller('/bad')
    class Bad {
      @Get('/a')
      @Authenticate({ ...OIDC, tokenEndpoint: 'http://idp.example.com/token', sessionTimeout: 604_801 })
      a() {}

      @Get('/b')
      @Authenticate({ type: 'cognito', userPoolArn: 'arn:aws:cognito-idp:eu-west-1:1:userpool/x', userPoolClientId: '', userPoolDomain: 'login' })
      b() {}

      @Get('/c')
      @Authenticate({
        type: 'jwt',
        jwksEndpoint: `${PARTNER}/jwks`,
        issuer: PARTNER,
        claims: [
          { name: 'exp', format: 'single-string', values: ['1'] },
          { name: 'scope', format: 'space-separated-values', values: ['a b'] },
          ...Array.from({ length: 9 }, (_, i) => ({ name: `c${i}`, format: 'string-array' as const, values: ['x'] })),
        ],
      })
      c() {}
    }
    const problems = problemsOf(() => createApp({ controllers: [Bad], auth: { albArn: ALB_ARN } }))
    expect(problems).toEqual([
      expect.stringMatching(/^Bad\.a: @Authenticate tokenEndpoint \(TokenEndpoint\) must be a full https:\/\/ URL/),
      expect.stringMatching(/^Bad\.a: @Authenticate sessionTimeout \(SessionTimeout\) must be whole seconds from 1 to 604800/),
      expect.stringMatching(/^Bad\.b: @Authenticate userPoolArn \(UserPoolArn\) must be a user pool ARN/),
      expect.stringMatching(/^Bad\.b: @Authenticate userPoolClientId \(UserPoolClientId\) is required/),
      expect.stringMatching(/^Bad\.c: @Authenticate claims \(AdditionalClaims\) has 11 entries; ALB takes at most 10/),
      expect.stringMatching(/^Bad\.c: @Authenticate claims \(AdditionalClaims\) "exp": ALB validates exp, iss, nbf and iat itself/),
      expect.stringMatching(/^Bad\.c: @Authenticate claims \(AdditionalClaims\) "scope": a space-separated-values value cannot contain spaces/),
    ])
  })

  it('needs auth.albArn for oidc and cognito routes: the signer to pin', () => {
    expect(problemsOf(() => createApp({ controllers: [Me] }))).toEqual([expect.stringMatching(/Me\.get authenticates users through ALB .*albArn/)])
    expect(problemsOf(() => createApp({ controllers: [Me], auth: { albArn: 'arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/x/y' } }))).toEqual([
      expect.stringMatching(/is not an Application Load Balancer ARN/),
    ])
  })
})
