import { concatenated } from './none.js'
import type { RuleAction } from '../rules/types.js'
import { readRecord, type MemberRecord } from './store.js'
import type { AuthRecord, ClassType, ParamDefinition, RouteDeclaration, RouteDefinition } from './types.js'

export interface ReadResult {
  readonly routes: RouteDefinition[]
  /** Declaration problems found while reading, each naming `Controller.method`. */
  readonly problems: { source: string; message: string }[]
}

/**
 * Reads the routes of exactly the given classes, in declaration order (no global registry).
 * It runs in a Lambda's cold start, once per route: it makes the route and nothing else.
 */
export function readControllers(controllers: readonly ClassType[]): ReadResult {
  const routes: RouteDefinition[] = []
  const problems: { source: string; message: string }[] = []
  for (let c = 0; c < controllers.length; c++) {
    const controller = controllers[c] as ClassType
    const name = controller.name || '(anonymous class)'
    const record = typeof controller === 'function' ? readRecord(controller) : undefined
    if (record?.controller === undefined) {
      problems.push({ source: name, message: `${name} is not a controller: decorate the class with @Controller()` })
      continue
    }
    const { prefix, target, cors } = record.controller
    const base = prefixBase(prefix)
    // One forward action for the class's routes: rules never change their action.
    const forward: RuleAction = { type: 'forward', target: target ?? 'default' }
    // forEach rather than for…of: no entry array per method. What few routes need (their problems,
    // authentication) is in functions of their own: this runs for every route, and V8 keeps the
    // machine code of what ran that often for good (Sparkplug code is never flushed).
    record.members.forEach((member, methodName) => {
      const source = `${name}.${methodName}`
      if (member.routes.length === 0) {
        unroutedProblem(member, source, problems)
        return
      }
      if (member.action === undefined && typeof (controller.prototype as Record<string, unknown>)[methodName] !== 'function') {
        problems.push({ source, message: `${source} is not a method` })
        return
      }
      // The method's own @Authenticate replaces the class's, as ALB holds one auth action per rule.
      const auth = member.auth ?? record.classAuth
      if (auth !== undefined) authProblems(auth, source, problems)
      const conditions = concatenated(record.classConditions, member.conditions)
      const use = concatenated(record.use, member.use)
      const responseHeaders = concatenated(record.responseHeaders, member.responseHeaders)
      const action = member.action ?? forward
      for (let r = 0; r < member.routes.length; r++) {
        const declared = member.routes[r] as RouteDeclaration
        const joined = joinBase(base, prefix, declared.path)
        if (typeof joined === 'object' && 'problem' in joined) {
          problems.push({ source, message: `${source}: ${joined.problem}` })
          continue
        }
        const route: RouteDefinition = {
          controller,
          controllerName: name,
          methodName,
          source,
          path: joined,
          methods: declared.httpMethods,
          conditions,
          priority: member.priority,
          action,
          httpCode: member.httpCode,
          // In parameter order already (decorators/params.ts).
          params: member.params,
          cors,
          use,
          responseHeaders,
        }
        // Spread only for the routes that authenticate: a literal alone costs the others less.
        routes.push(auth?.action === undefined ? route : { ...route, auth: auth.action, authSupport: auth.support })
      }
    })
  }
  return { routes, problems }
}

/** A method without @Get/@Post/…/@All is no route; one that has routing decorators is a mistake. */
/** Whether a member declares anything a route carries (conditions, priority, action, middleware, response headers, auth). */
export function hasRoutingDecorators(member: MemberRecord): boolean {
  return (
    member.conditions.length > 0 || member.priority !== undefined || member.action !== undefined ||
    member.use.length > 0 || member.responseHeaders.length > 0 || member.auth !== undefined
  )
}

function unroutedProblem(member: MemberRecord, source: string, problems: { source: string; message: string }[]): void {
  if (hasRoutingDecorators(member)) {
    problems.push({ source, message: `${source} has routing decorators but no @Get/@Post/…/@All: add one` })
  }
}

function authProblems(auth: AuthRecord, source: string, problems: { source: string; message: string }[]): void {
  for (const problem of auth.problems) problems.push({ source, message: `${source}: @Authenticate ${problem}` })
}

/**
 * DESIGN.md: prefix and method path join with exactly one `/`; an omitted, `''` or `'/'` method
 * path means the prefix itself; any other trailing slash is kept (ALB: `/a` ≠ `/a/`).
 */
export function joinPath(
  prefix: string,
  path: string | RegExp | undefined,
): string | RegExp | { problem: string } {
  return joinBase(prefixBase(prefix), prefix, path)
}

/** The prefix as joinPath joins it: `''`, or `/` then the prefix without its outer slashes. */
function prefixBase(prefix: string): string {
  if (prefix === '' || prefix === '/') return ''
  // Slashes trimmed by index: a pattern is compiled on its first use, in a cold start.
  let start = 0
  let end = prefix.length
  while (start < end && prefix.charCodeAt(start) === SLASH) start++
  while (end > start && prefix.charCodeAt(end - 1) === SLASH) end--
  return '/' + prefix.slice(start, end)
}

function joinBase(base: string, prefix: string, path: string | RegExp | undefined): string | RegExp | { problem: string } {
  if (typeof path === 'string') {
    if (path === '' || path === '/') return base === '' ? '/' : base
    // Most paths start with one slash: no pattern to run.
    if (path.charCodeAt(0) === SLASH && path.charCodeAt(1) !== SLASH) return base + path
    return base + '/' + path.replace(/^\/+/, '')
  }
  if (path instanceof RegExp) {
    if (base === '') return path
    if (!path.source.startsWith('^')) {
      return { problem: `a RegExp path under the prefix "${prefix}" must start with ^ so the prefix can be joined` }
    }
    const escaped = base.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
    return new RegExp('^' + escaped + path.source.slice(1).replace(/^\\?\/?/, '\\/'), path.flags)
  }
  return base === '' ? '/' : base
}

const SLASH = 0x2f

/** The parameters of the routes that receive every value of a repeated header or query key. */
export function arrayBindings(routes: readonly Pick<RouteDefinition, 'source' | 'params'>[]): { source: string; name: string }[] {
  // One loop over every parameter, which allocates nothing for the many that bind one value:
  // createApp asks of every route.
  const found: { source: string; name: string }[] = []
  for (let r = 0; r < routes.length; r++) {
    const route = routes[r] as RouteDefinition
    for (let i = 0; i < route.params.length; i++) {
      const p = route.params[i] as ParamDefinition
      const source = p.source
      if (source === 'query' || source === 'header') {
        if (Array.isArray(p.options.type) || p.designType === Array) found.push({ source: route.source, name: p.name ?? (source === 'query' ? 'the query' : 'the headers') })
      } else if (source === 'query-object' || source === 'header-object') {
        found.push({ source: route.source, name: p.name ?? (source === 'query-object' ? 'the query' : 'the headers') })
      }
    }
  }
  return found
}
