import type { AlbRequest, AlbResponse } from './alb/types.js'
import { installedRedirect } from './rules/redirect.js'
import type { FixedResponseAction, RedirectAction } from './rules/types.js'

// Behind a catch-all rule the Lambda serves the routes declared as ALB fixed-response and
// redirect actions itself, answering as the ALB would in a per-route manifest.

const FIXED = new WeakMap<FixedResponseAction, AlbResponse>()

/**
 * An ALB fixed-response action: the status, the content type (text/plain when unset) and the
 * body. Built once per action; formatResult copies what it sends, so requests can share it.
 */
export function fixedResponse(action: FixedResponseAction): AlbResponse {
  let response = FIXED.get(action)
  if (response === undefined) {
    response = {
      status: action.statusCode,
      // Frozen, so app.ts checks these response headers once, not on every request.
      headers: Object.freeze({ 'content-type': action.contentType ?? 'text/plain' }),
      body: action.messageBody ?? '',
    }
    FIXED.set(action, response)
  }
  return response
}

/**
 * What the ALB answers for a fixed-response or redirect action. Small on purpose: albatross/compiled
 * bundles it for every app, and a redirect's code is installed by @Redirect (rules/redirect.ts),
 * whose route every createApp refuses without it (runtime/features.ts; compiled/app.ts compares
 * the records, and only @Redirect declares one).
 */
export function nativeResponse(action: FixedResponseAction | RedirectAction, request: AlbRequest): AlbResponse {
  if (action.type === 'fixed-response') return fixedResponse(action)
  const locate = installedRedirect() as NonNullable<ReturnType<typeof installedRedirect>>
  return { status: action.statusCode, headers: { location: locate(action, request) } }
}
