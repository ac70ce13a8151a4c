/**
 * `albatross/auth`: ALB authentication. A separate entry point so that an app without
 * `@Authenticate` never reaches the verifier or aws-jwt-verify, not even for a bundler to resolve
 * (esbuild resolves every import it sees before it drops unused code).
 * @module
 */
export { Authenticate, Claims } from './decorators.js'
/** The option types, also exported (types only) by `albatross` itself. */
export type * from './options.js'
