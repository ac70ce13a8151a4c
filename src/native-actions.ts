import type { AlbRequest, AlbResponse } from './alb/types.js'
import { installedRedirect } from './rules/redirect.js'
import type { FixedResponseAction, RuleAction } from './rules/types.js'

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

/** What the ALB answers for a fixed-response or redirect action (a forward action has no such answer). */
export function nativeResponse(action: RuleAction, request: AlbRequest): AlbResponse {
  if (action.type === 'forward') throw new TypeError('a forward action is answered by its route, not natively')
  if (action.type === 'fixed-response') return fixedResponse(action)
  // Installed by @Redirect (rules/redirect.ts); createApp refuses a redirect route without it.
  const locate = installedRedirect()
  if (locate === undefined) throw new Error('a redirect action needs its code, which @Redirect brings: declare it with @Redirect')
  return { status: action.statusCode, headers: { location: locate(action, request) } }
}
