import type { RouteDefinition } from '../metadata/types.js'
import { hasSourceIpMatcher, installSourceIpMatcher } from '../rules/condition.js'
import type { RouteProblem } from '../rules/errors.js'
import { compileSourceIpMatcher } from '../rules/source-ip.js'

// Code an app bundles only when its own source names the feature (issue #18): the decorator that
// declares it installs it (`@SourceIp`, the source-ip matcher, rules/condition.ts), so a bundler
// leaves out what the app never declares.

/**
 * For the checking createApp (the CLI, `dev`, tests), whose routes may be declared any way and
 * whose size does not matter: every feature.
 */
export function installAllFeatures(): void {
  installSourceIpMatcher(compileSourceIpMatcher)
}

/**
 * For albatross/lambda's createApp: the routes that need a feature whose code is not installed
 * (declared without its decorator), refused rather than routed without it.
 */
export function missingFeatures(routes: readonly RouteDefinition[]): RouteProblem[] {
  if (hasSourceIpMatcher()) return []
  return routes
    .filter((route) => route.conditions.some((c) => c.type === 'source-ip'))
    .map((route) => ({
      source: route.source,
      message: 'has a source-ip condition, but no @SourceIp brought its matcher into this build: declare the condition with @SourceIp',
    }))
}
