import type { AuthSupport } from '../metadata/types.js'
import type { AuthOptions } from './declaration.js'
import { createAuthGate } from './gate.js'

/**
 * Reached only through `@Authenticate`, so an app without it bundles none of the gate, the
 * verifier or its library. The verifier's import specifier is literal (in gate.ts): a bundler
 * follows it into apps that authenticate.
 */
export const AUTH_SUPPORT: AuthSupport = {
  createGate: (routes, options, problems) => createAuthGate(routes, options as AuthOptions | undefined, problems),
}
