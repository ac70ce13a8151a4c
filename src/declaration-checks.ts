import { isValidStatus } from './alb/status.js'
import { bindingProblems } from './binding/binder.js'
import { boundByDeclaration } from './binding/bound-by-declaration.js'
import type { CorsOptions } from './cors.js'
import type { RouteDefinition } from './metadata/types.js'
import type { ValidatorOptions } from 'class-validator'
import { parsePathTemplate, regexCaptures } from './rules/path-template.js'
import type { RouteProblem } from './rules/errors.js'

/**
 * Declarations that cannot work, found at createApp with the ALB problems (one
 * RouteDeclarationError): parameters whose type this build cannot know or bind, `@Param` names
 * the path does not capture, `@HttpCode` statuses no response can carry, and CORS that would
 * hand every origin the user's credentials.
 *
 * `trusted`: the routes match a verified table (`albatross check` ran these checks on the same
 * declarations), so only what the table's fingerprints do not cover is checked: parameters whose
 * binding depends on more than their declaration (DTO classes, custom parameters) and CORS.
 */
export function declarationProblems(
  routes: readonly RouteDefinition[],
  options: { readonly validation?: ValidatorOptions | undefined; readonly cors?: CorsOptions | undefined },
  trusted = false,
): RouteProblem[] {
  const problems: RouteProblem[] = []
  const add = (source: string, message: string) => problems.push({ source, message })
  for (const route of routes) {
    if (route.action.type !== 'forward') continue
    if (trusted) {
      if (!boundByDeclaration(route.params)) for (const message of bindingProblems(route, { validation: options.validation })) add(route.source, message)
      continue
    }
    for (const message of bindingProblems(route, { validation: options.validation })) add(route.source, message)
    const captures = capturesOf(route.path)
    for (const param of route.params) {
      if (param.source !== 'path' || param.name === undefined || param.name === '' || captures.has(param.name)) continue
      const have = captures.size === 0 ? 'it captures nothing' : `it captures ${[...captures].map((c) => `{${c}}`).join(', ')}`
      add(route.source, `@Param('${param.name}') names no {${param.name}} in the path ${String(route.path)} (${have}): rename one of them`)
    }
    if (route.httpCode !== undefined && !isValidStatus(route.httpCode)) {
      add(route.source, `@HttpCode(${String(route.httpCode)}) is not an HTTP status a response can carry: give an integer from 100 to 599`)
    }
  }
  if (options.cors !== undefined) {
    const checked = new Set<unknown>()
    if (credentialsForAnyOrigin(options.cors)) add('createApp({ cors })', CORS_PROBLEM)
    for (const route of routes) {
      const own = route.cors
      if (typeof own !== 'object' || own === null || checked.has(own)) continue
      checked.add(own)
      if (credentialsForAnyOrigin({ ...options.cors, ...(own as Partial<CorsOptions>) })) add(`@Controller(${route.controllerName}, { cors })`, CORS_PROBLEM)
    }
  }
  return problems
}

// Fetch standard § CORS protocol: browsers refuse `*` with credentials, and reflecting any
// origin instead would let every site read answers made with the user's cookies.
const CORS_PROBLEM =
  "origins '*' with credentials: true would let any web site read responses made with your users' " +
  'cookies (browsers refuse `*` with credentials): list the origins, or give a predicate'

function credentialsForAnyOrigin(cors: CorsOptions): boolean {
  return cors.origins === '*' && cors.credentials === true
}

function capturesOf(path: string | RegExp | undefined): ReadonlySet<string> {
  if (path === undefined) return new Set()
  const names = path instanceof RegExp ? regexCaptures(path.source) : captureNames(path)
  return new Set(names.filter((name): name is string => name !== null))
}

function captureNames(path: string): readonly (string | null)[] {
  const template = parsePathTemplate(path)
  return 'problem' in template ? [] : template.captures
}
