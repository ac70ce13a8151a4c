/**
 * Test helpers, published as `albatross/testing` so they stay out of the main entry point.
 * @module
 */

/**
 * Builds the Lambda event ALB would send for a request: header names lower-cased and sorted,
 * x-amzn-trace-id and x-forwarded-for/-port/-proto added, the query kept URL-encoded, the body as
 * text or base64 by ALB's content-type rules, in single- or multi-value header mode. The same
 * input always builds the same event.
 *
 * @example
 * ```ts
 * import type { Context } from 'aws-lambda'
 * import { albEvent } from 'albatross/testing'
 * import { app } from '../src/app.js'
 *
 * const event = albEvent({
 *   method: 'POST',
 *   path: '/users?notify=true',
 *   headers: { cookie: ['s=1', 's=2'] },
 *   body: { name: 'Ada' }, // sent as JSON text with content-type application/json
 *   multiValue: true, // as with the target group's lambda.multi_value_headers.enabled=true
 * })
 * const result = await app.handler(event, {} as Context)
 * // result.multiValueHeaders, because the event was multi-value
 * ```
 */
import type { ALBEvent } from 'aws-lambda'
import { albEvent as buildEvent, type AlbEventInput as BaseInput } from './alb/build-event.js'
import { withUser } from './auth/local-user.js'
import type { RuleTable } from './rules/types.js'
import { createApp } from './app.js'
import { compiledChecks } from './compiled/mismatch.js'
import { registerCheckingApp, registerCompiledChecks, requireFullChecks } from './verified-table/mode.js'

// Tests run every declaration check, even for an app given a verified table (whose mismatch
// with its controllers is still an error): in effect for the apps created after this import.
requireFullChecks('full')
// `albatross/lambda`'s createApp, which bundles no checks, hands its apps to this one in tests.
registerCheckingApp(createApp)
registerCompiledChecks(compiledChecks)

export interface AlbEventInput extends BaseInput {
  /**
   * Claims of a logged-in user (`{ sub: 'alice', email: 'alice@example.com' }`). With `app`, the
   * event carries what ALB adds once the matched rule's `@Authenticate` let the user in: a signed
   * `x-amzn-oidc-data` (with `x-amzn-oidc-identity` and `-accesstoken`) for oidc and cognito, a
   * bearer token for jwt. The app is told to trust the local signing key; its signer is kept.
   */
  user?: Readonly<Record<string, unknown>>
  /** The app whose routes say which token to attach (required with `user`). */
  app?: { readonly table: RuleTable }
}

/**
 * See the module example; with `user` and `app`, the event also carries a valid token.
 *
 * @example
 * const event = albEvent({ path: '/me', user: { sub: 'alice' }, app })
 */
export function albEvent(input: AlbEventInput = {}): ALBEvent {
  const { user, app, ...rest } = input
  const event = buildEvent(rest)
  if (user === undefined) return event
  if (app === undefined) throw new TypeError('albEvent: `user` needs `app`, whose routes say which token ALB would attach')
  return withUser(app, event, user)
}
