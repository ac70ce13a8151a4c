import type { AuthSupport } from '../metadata/types.js'
import { checkAuthOptions, type AuthOptions } from './declaration.js'

/**
 * Reached only through `@Authenticate`, so an app without it bundles neither the verifier nor its
 * library. The import specifier is literal: a bundler follows it into apps that authenticate.
 */
export const AUTH_SUPPORT: AuthSupport = {
  checkOptions: (options, routes) => checkAuthOptions(options as AuthOptions | undefined, routes),
  load: () => import('./verifier.js'),
}
