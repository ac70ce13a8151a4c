import type { AuthAction } from '../rules/types.js'
import type { SecuritySchemeObject } from './types.js'

/**
 * `@Authenticate` as OpenAPI security: `openIdConnect` for ALB's authenticate-oidc and
 * authenticate-cognito actions (the IdP's discovery document; scopes from `scope`, ALB's default
 * `openid`), `http` bearer for jwt-validation. One scheme per distinct configuration.
 */
export class SecuritySchemes {
  readonly schemes: Record<string, SecuritySchemeObject> = {}
  readonly #byKey = new Map<string, string>()

  /** The operation's `security`: the route's scheme, or that or none for `onUnauthenticatedRequest: 'allow'`. */
  requirement(auth: AuthAction): Record<string, string[]>[] {
    const { name, scopes } = this.#scheme(auth)
    const requirement = { [name]: scopes }
    return auth.type !== 'jwt-validation' && auth.onUnauthenticatedRequest === 'allow' ? [requirement, {}] : [requirement]
  }

  #scheme(auth: AuthAction): { name: string; scopes: string[] } {
    const scheme = schemeOf(auth)
    const key = JSON.stringify(scheme)
    let name = this.#byKey.get(key)
    if (name === undefined) {
      const base = auth.type === 'authenticate-oidc' ? 'oidc' : auth.type === 'authenticate-cognito' ? 'cognito' : 'jwt'
      name = base
      for (let n = 2; Object.hasOwn(this.schemes, name); n++) name = `${base}${n}`
      this.#byKey.set(key, name)
      this.schemes[name] = scheme
    }
    const scopes = auth.type === 'jwt-validation' ? [] : (auth.scope ?? 'openid').split(/\s+/).filter((s) => s !== '')
    return { name, scopes }
  }
}

function schemeOf(auth: AuthAction): SecuritySchemeObject {
  switch (auth.type) {
    case 'authenticate-oidc':
      return {
        type: 'openIdConnect',
        openIdConnectUrl: `${auth.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`,
        description:
          `ALB authenticate-oidc (client ${auth.clientId}): ALB signs the user in with ${auth.issuer} and keeps the ` +
          `session in the ${auth.sessionCookieName ?? 'AWSELBAuthSessionCookie'} cookie; the function receives ` +
          'x-amzn-oidc-data, x-amzn-oidc-identity and x-amzn-oidc-accesstoken.',
      }
    case 'authenticate-cognito': {
      // arn:aws:cognito-idp:<region>:<account>:userpool/<pool id>
      const [, , , region, , resource] = auth.userPoolArn.split(':')
      const pool = resource?.split('/')[1] ?? ''
      return {
        type: 'openIdConnect',
        openIdConnectUrl: `https://cognito-idp.${region ?? ''}.amazonaws.com/${pool}/.well-known/openid-configuration`,
        description:
          `ALB authenticate-cognito (user pool ${pool}, app client ${auth.userPoolClientId}, domain ` +
          `${auth.userPoolDomain}): ALB signs the user in and keeps the session in the ` +
          `${auth.sessionCookieName ?? 'AWSELBAuthSessionCookie'} cookie; the function receives x-amzn-oidc-data.`,
      }
    }
    case 'jwt-validation': {
      const claims = (auth.additionalClaims ?? []).map((c) => `${c.name} (${c.format}) one of ${c.values.join(', ')}`)
      return {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          `ALB jwt-validation: a bearer token signed by a key from ${auth.jwksEndpoint}, issued by ${auth.issuer}` +
          (claims.length === 0 ? '.' : `, with ${claims.join('; ')}.`),
      }
    }
  }
}

/** Whether ALB sends an unauthenticated browser to sign in (a 302) instead of answering 401. */
export function redirectsToSignIn(auth: AuthAction): boolean {
  return auth.type !== 'jwt-validation' && (auth.onUnauthenticatedRequest ?? 'authenticate') === 'authenticate'
}
