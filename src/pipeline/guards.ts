import type { RouteDefinition } from '../metadata/types.js'
import type { Guard } from './types.js'

/** The guards of one route, outermost first. */
export type GuardProvider = (route: RouteDefinition) => readonly Guard[]

const NONE: readonly Guard[] = Object.freeze([])

/**
 * The hook for checks that a per-route deployment makes in the ALB itself, before the Lambda is
 * invoked (ALB authentication: a failed verification must stop the request before any
 * middleware). createApp passes one provider per feature; each returns the guards a route needs
 * (read from the route's metadata), and they run in the order given, before the app's `use`.
 * A guard passes by returning, stops the request by throwing (an HttpError is answered as
 * problem+json), and may leave values in `ctx.state` for a custom parameter to read.
 * A route without guards or middleware keeps the synchronous path.
 */
export function combineGuards(providers: readonly GuardProvider[]): GuardProvider {
  if (providers.length === 0) return () => NONE
  return (route) => providers.flatMap((provide) => provide(route))
}
