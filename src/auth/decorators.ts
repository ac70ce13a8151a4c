import { bindParam } from '../decorators/params.js'
import { assertLegacyDecorator } from '../decorators/legacy.js'
import { memberOf, recordOf } from '../metadata/store.js'
import type { AuthRecord, ParamOptions } from '../metadata/types.js'
import { toAuthAction, type AuthenticateOptions } from './declaration.js'
import { AUTH_SUPPORT } from './support.js'

/**
 * Puts ALB's authentication in front of a route (on a method) or of every route of a controller
 * (on the class; a method's own `@Authenticate` replaces it). The manifest emits the action before
 * the rule's `forward`; the Lambda verifies what ALB forwarded (`x-amzn-oidc-data` for oidc and
 * cognito, the bearer token for jwt) and answers 401 before any middleware when it does not hold.
 *
 * @example
 * @Controller('/me')
 * @Authenticate({ type: 'cognito', userPoolArn, userPoolClientId: 'abc', userPoolDomain: 'login' })
 * class Me { @Get() get(@Claims() claims: { sub: string }) { return claims } }
 */
export function Authenticate(options: AuthenticateOptions): ClassDecorator & MethodDecorator {
  const { action, problems } = toAuthAction(options)
  const record: AuthRecord = { action, problems, support: AUTH_SUPPORT }
  return ((target: object, key?: unknown) => {
    assertLegacyDecorator(key, 'Authenticate')
    if (typeof target === 'function' && key === undefined) recordOf(target).classAuth = record
    else memberOf((target as { constructor: object }).constructor, key as string | symbol).auth = record
  }) as ClassDecorator & MethodDecorator
}

/**
 * The verified claims: for oidc and cognito the payload of `x-amzn-oidc-data` (the IdP's user
 * info: `sub`, `email`, …), for jwt the bearer token's payload. With `opts.type` (a DTO class) they
 * are converted and validated like a body; a failure is a 400 naming `claims.<field>`.
 *
 * @example
 * @Get('/me') me(@Claims() claims: { sub: string; email?: string }) { return claims.sub }
 */
export function Claims(options: ParamOptions = {}): ParameterDecorator {
  return bindParam('claims', undefined, options)
}
