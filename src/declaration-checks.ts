import { isValidStatus } from './alb/status.js'
import { bindingProblems } from './binding/binder.js'
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
 */
export function declarationProblems(
  routes: readonly RouteDefinition[],
  options: { readonly validation?: ValidatorOptions | undefined; readonly cors?: CorsOptions | undefined },
): RouteProblem[] {
  const problems: RouteProblem[] = []
  const add = (source: string, message: string) => problems.push({ source, message })
  for (const route of routes) {
    if (route.action.type !== 'forward') continue
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
  problems.push(...corsProblems(routes, options.cors))
  return problems
}

/**
 * The CORS part of the declaration checks, which an app given a verified table still runs (its
 * options may hold predicates, which the table's key cannot cover); its parameters whose binding
 * depends on more than their declaration are checked as their binders are built (pipeline/).
 */
export function corsProblems(routes: readonly RouteDefinition[], cors: CorsOptions | undefined): RouteProblem[] {
  if (cors === undefined) return []
  const problems: RouteProblem[] = []
  const checked = new Set<unknown>()
  if (credentialsForAnyOrigin(cors)) problems.push({ source: 'createApp({ cors })', message: CORS_PROBLEM })
  for (const route of routes) {
    const own = route.cors
    if (typeof own !== 'object' || own === null || checked.has(own)) continue
    checked.add(own)
    if (credentialsForAnyOrigin({ ...cors, ...(own as Partial<CorsOptions>) })) problems.push({ source: `@Controller(${route.controllerName}, { cors })`, message: CORS_PROBLEM })
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
