import { describe, expect, it } from 'vitest'
import { Authenticate, Claims } from '../../src/auth/index.js'
import { Controller, FixedResponse, Get, createApp } from '../../src/index.js'
import type { OpenApiDocument } from '../../src/openapi/index.js'
import { expectValidOpenApi } from './valid-openapi.js'

// Issue #15 point 6: @Authenticate (DESIGN.md § ALB authentication) as OpenAPI security.

const ALB_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shop/0123456789abcdef'
const IDP = 'https://idp.example.com'
const OIDC = {
  type: 'oidc', issuer: IDP, authorizationEndpoint: `${IDP}/authorize`, tokenEndpoint: `${IDP}/token`,
  userInfoEndpoint: `${IDP}/userinfo`, clientId: 'shop', scope: 'openid email',
} as const

@Controller('/account')
@Authenticate(OIDC)
class Account {
  @Get('/me')
  me(@Claims() claims: unknown) {
    return claims
  }

  // ALB forwards an unauthenticated request too: signing in is optional.
  @Get('/greeting')
  @Authenticate({ ...OIDC, onUnauthenticatedRequest: 'allow' })
  greeting() {
    return 'hello'
  }

  @Get('/terms')
  @FixedResponse(200, 'terms', 'text/plain')
  terms() {}
}

@Controller('/pool')
@Authenticate({
  type: 'cognito', userPoolArn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf',
  userPoolClientId: 'client-1', userPoolDomain: 'shop-auth', onUnauthenticatedRequest: 'deny',
})
class Pool {
  @Get('/items')
  items() {
    return []
  }
}

@Controller('/api')
@Authenticate({ type: 'jwt', jwksEndpoint: `${IDP}/jwks`, issuer: IDP })
class Machines {
  @Get('/things')
  things() {
    return []
  }
}

@Controller('/open')
class Open {
  @Get('/hello')
  hello() {
    return 'hi'
  }
}

const app = createApp({ controllers: [Account, Pool, Machines, Open], auth: { albArn: ALB_ARN } })
const document: OpenApiDocument = await app.openapi()
const op = (path: string) => document.paths[path]?.get as NonNullable<OpenApiDocument['paths'][string]['get']>

describe('security from @Authenticate (issue #15 point 6)', () => {
  it('validates', async () => {
    await expectValidOpenApi(document)
  })

  it('describes oidc and cognito as openIdConnect and jwt as a bearer JWT', () => {
    expect(document.components.securitySchemes).toEqual({
      oidc: expect.objectContaining({ type: 'openIdConnect', openIdConnectUrl: `${IDP}/.well-known/openid-configuration` }),
      cognito: expect.objectContaining({
        type: 'openIdConnect',
        openIdConnectUrl: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf/.well-known/openid-configuration',
      }),
      jwt: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
    })
  })

  it('requires the route’s scheme with its scopes; allow makes it optional; an open route has none', () => {
    expect(op('/account/me').security).toEqual([{ oidc: ['openid', 'email'] }])
    expect(op('/account/greeting').security).toEqual([{ oidc: ['openid', 'email'] }, {}])
    expect(op('/pool/items').security).toEqual([{ cognito: ['openid'] }])
    expect(op('/api/things').security).toEqual([{ jwt: [] }])
    expect(op('/open/hello')).not.toHaveProperty('security')
  })

  it('adds 401 to authenticated routes, and the sign-in redirect where ALB sends one', () => {
    expect(op('/account/me').responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' })
    expect(op('/account/me').responses['302']).toMatchObject({ description: expect.stringMatching(/sign/i) })
    expect(op('/pool/items').responses).not.toHaveProperty('302') // deny: 401 only
    expect(op('/api/things').responses).not.toHaveProperty('302')
    expect(op('/api/things').responses['401']).toBeDefined()
    expect(op('/open/hello').responses).not.toHaveProperty('401')
    // ALB authenticates before it answers a fixed response, too.
    expect(op('/account/terms').security).toEqual([{ oidc: ['openid', 'email'] }])
  })
})
