import type { AlbResponse } from '../alb/types.js'
import type { RouteDefinition } from '../metadata/types.js'
import type { AuthAction } from '../rules/types.js'
import { checkAuthOptions, type AuthOptions } from './declaration.js'
import type { AuthRequest, Claims, Verifier, VerifyOutcome } from './verifier.js'

export type { AuthOptions } from './declaration.js'

/** Verifies the token of an authenticated rule; answers what createApp sends when it fails. */
export interface AuthGate {
  verify(request: AuthRequest, action: AuthAction): Promise<VerifyOutcome>
  /** The 401 (or 503 when a key could not be fetched) problem+json for a failed outcome. */
  refusal(outcome: Extract<VerifyOutcome, { ok: false }>, action: AuthAction, method: string): AlbResponse
  /** Trusts other keys and load balancers from now on (albatross dev, albatross/testing). */
  retrust(options: AuthOptions): void
  /** Puts the AUTH_TRUST hook on the app createApp returns. */
  attach<T extends object>(app: T): T
}

/** The verified claims handed to `@Claims()`. */
export type { Claims }

const PROBLEM = { 'content-type': 'application/problem+json' }

/**
 * What createApp verifies with, reached through the routes' `authSupport` (written by the
 * decorator), so an app without authenticated routes bundles none of it. The verifier (and
 * aws-jwt-verify) starts loading here, at init; the first authenticated request waits for it.
 */
export function createAuthGate(
  routes: readonly RouteDefinition[],
  options: AuthOptions | undefined,
  problems: { source: string; message: string }[],
): AuthGate | undefined {
  const authenticated = routes.filter((r) => r.auth !== undefined)
  if (authenticated.length === 0) return undefined
  problems.push(...checkAuthOptions(options, authenticated.map((r) => ({ source: r.source, action: r.auth as AuthAction }))))
  if (problems.length > 0) return undefined
  const module = import('./verifier.js')
  let current = loadVerifier(module, options ?? {})
  const gate: AuthGate = {
    verify: async (request, action) => {
      let verifier: Verifier
      try {
        verifier = await current
      } catch (error) {
        return { ok: false, status: 500, reason: (error as Error).message, cause: (error as Error).cause }
      }
      return verifier.verify(request, action)
    },
    refusal: (outcome, action, method) => {
      const status = outcome.status
      const title = status === 401 ? 'Unauthorized' : status === 503 ? 'Service Unavailable' : 'Internal Server Error'
      const detail =
        status === 401 ? 'A valid token from the load balancer is required' : status === 503 ? 'The token cannot be verified now; retry' : undefined
      const headers: Record<string, string> = { ...PROBLEM }
      // RFC 6750 §3: a bearer-protected resource names its scheme in the 401.
      if (status === 401 && action.type === 'jwt-validation') headers['www-authenticate'] = 'Bearer error="invalid_token"'
      if (status === 503) headers['retry-after'] = '1'
      const body = JSON.stringify({ type: 'about:blank', title, status, ...(detail === undefined ? {} : { detail }) })
      return method === 'HEAD' ? { status, headers } : { status, headers, body }
    },
    retrust: (next) => {
      current = loadVerifier(module, next)
    },
    attach: (app) => {
      const trust: AuthTrust = { options, retrust: (next) => gate.retrust(next) }
      return Object.defineProperty(app, AUTH_TRUST, { value: trust })
    },
  }
  return gate
}

function loadVerifier(module: Promise<typeof import('./verifier.js')>, options: AuthOptions): Promise<Verifier> {
  const verifier = module.then(
    (m) => m.createVerifier(options),
    (error: unknown) => {
      throw new Error(
        '@Authenticate needs aws-jwt-verify, an optional peer dependency of albatross: npm install aws-jwt-verify',
        { cause: error },
      )
    },
  )
  verifier.catch(() => undefined) // reported by the request that needs it, not as an unhandled rejection
  return verifier
}

/** Where `albatross dev` and `albatross/testing` find an app's authentication (not public API). */
export const AUTH_TRUST: unique symbol = Symbol.for('albatross.auth') as never

export interface AuthTrust {
  /** `createApp({ auth })` as given. */
  readonly options: AuthOptions | undefined
  /** Verify with these options from now on (local keys and signer). */
  retrust(options: AuthOptions): void
}

export function authTrustOf(app: object): AuthTrust | undefined {
  return (app as { [AUTH_TRUST]?: AuthTrust })[AUTH_TRUST]
}
