import type { AlbRequest } from '../alb/types.js'
import { CLAIMS } from '../binding/bind-context.js'
import { levelOf, type OnError } from '../error-report.js'
import { AlbatrossError, HttpError } from '../http-error.js'
import type { RouteDefinition } from '../metadata/types.js'
import type { Guard, RequestContext } from '../pipeline/types.js'
import type { AlbRule, AuthAction } from '../rules/types.js'
import { checkAuthOptions, type AuthOptions } from './declaration.js'
import { AUTH_TRUST, type AuthTrust } from './trust.js'
import type { AuthRequest, Claims, Verifier, VerifyOutcome } from './verifier.js'

export type { AuthOptions } from './declaration.js'

/**
 * The Lambda's half of `@Authenticate`, as createApp uses it: a guard per authenticated route
 * (the pipeline runs it before any middleware), and `admit` for the fixed-response and redirect
 * rules ALB also authenticates before answering.
 */
export interface AuthGate {
  /** The pipeline's guard provider; refusals are reported to `onError` before they are thrown. */
  guardsFor(onError: OnError): (route: RouteDefinition) => readonly Guard[]
  /** Undefined when the request may pass, else the HttpError to answer with (already reported). */
  admit(request: AlbRequest, rule: Pick<AlbRule, 'auth' | 'source'>, onError: OnError): Promise<HttpError | undefined>
  /** Trusts other keys and load balancers from now on (albatross dev, albatross/testing). */
  retrust(options: AuthOptions): void
  /** Puts the AUTH_TRUST hook on the app createApp returns. */
  attach<T extends object>(app: T): T
}

/** The verified claims handed to `@Claims()`. */
export type { Claims }

/**
 * Reached only through `@Authenticate` (auth/support.ts), so an app without authenticated routes
 * bundles none of it. The verifier (and aws-jwt-verify) starts loading here, at init; the first
 * authenticated request waits for it.
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

  async function verify(request: AuthRequest, action: AuthAction): Promise<VerifyOutcome> {
    let verifier: Verifier
    try {
      verifier = await current
    } catch (error) {
      return { ok: false, status: 500, reason: (error as Error).message, cause: (error as Error).cause }
    }
    return verifier.verify(request, action)
  }

  /** Verifies; a refusal is reported (a warning for a bad token) and returned as the HttpError to answer. */
  async function check(request: AlbRequest, action: AuthAction, source: string, onError: OnError, ctx?: RequestContext): Promise<HttpError | undefined> {
    const outcome = await verify(request, action)
    if (outcome.ok) {
      if (ctx !== undefined) {
        Object.defineProperty(ctx, CLAIMS, { value: outcome.claims })
        // For middleware (a role check, a log line); @Claims() reads the copy above.
        ctx.state['claims'] = outcome.claims
      }
      return undefined
    }
    const code = outcome.status === 401 ? 'WARN_AUTH_REFUSED' : 'ERR_AUTH_UNAVAILABLE'
    const reason = new AlbatrossError(code, `${source}: answered ${outcome.status}: ${outcome.reason}`, { cause: outcome.cause })
    onError(reason, { source, request, code, level: levelOf(code) })
    return refusal(outcome.status, action)
  }

  const gate: AuthGate = {
    guardsFor: (onError) => (route) => {
      const action = route.auth
      if (action === undefined) return []
      const guard: Guard = {
        name: action.type,
        check: async (ctx) => {
          const refused = await check(ctx.request, action, route.source, onError, ctx)
          if (refused !== undefined) throw refused
        },
      }
      return [guard]
    },
    admit: (request, rule, onError) => (rule.auth === undefined ? Promise.resolve(undefined) : check(request, rule.auth, rule.source, onError)),
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

/** 401 (RFC 6750 §3: a bearer route names its scheme), 503 to retry a key fetch, 500 without a verifier. */
function refusal(status: 401 | 503 | 500, action: AuthAction): HttpError {
  if (status === 401) {
    const headers = action.type === 'jwt-validation' ? { 'www-authenticate': 'Bearer error="invalid_token"' } : undefined
    return new HttpError(401, 'A valid token from the load balancer is required', headers === undefined ? undefined : { headers })
  }
  if (status === 503) return new HttpError(503, 'The token cannot be verified now; retry', { headers: { 'retry-after': '1' } })
  return new HttpError(500, 'Internal Server Error')
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

