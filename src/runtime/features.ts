import type { RouteDefinition } from '../metadata/types.js'
import type { RouteProblem } from '../rules/errors.js'
import { installRedirect, installedRedirect } from '../rules/redirect.js'
import { installSourceIpMatcher, installedSourceIpMatcher } from '../rules/source-ip.js'

// Code an app bundles only when its own source names the feature (issue #18): the decorator that
// declares it installs it (`@SourceIp` the source-ip matcher, rules/source-ip.ts; `@Redirect` the
// redirect action's answer, rules/redirect.ts), so a bundler leaves out what the app never declares.

/**
 * For the checking createApp (the CLI, `dev`, tests), whose routes may be declared any way and
 * whose size does not matter: every feature.
 */
export function installAllFeatures(): void {
  installSourceIpMatcher()
  installRedirect()
}

/**
 * For albatross/lambda's createApp: the routes that need a feature whose code is not installed
 * (declared without its decorator), refused rather than routed without it.
 */
export function missingFeatures(routes: readonly RouteDefinition[]): RouteProblem[] {
  const problems: RouteProblem[] = []
  const sourceIp = installedSourceIpMatcher() !== undefined
  const redirect = installedRedirect() !== undefined
  if (sourceIp && redirect) return problems
  for (const route of routes) {
    if (!sourceIp && route.conditions.some((c) => c.type === 'source-ip')) {
      problems.push({ source: route.source, message: 'has a source-ip condition, but no @SourceIp brought its matcher into this build: declare the condition with @SourceIp' })
    }
    if (!redirect && route.action.type === 'redirect') {
      problems.push({ source: route.source, message: 'is a redirect action, but no @Redirect brought its code into this build: declare it with @Redirect' })
    }
  }
  return problems
}
