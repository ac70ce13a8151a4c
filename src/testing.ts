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
export { albEvent } from './alb/build-event.js'
export type { AlbEventInput } from './alb/build-event.js'
