import type { AuthOptions } from './declaration.js'

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
