import { NONE } from './none.js'
import type { AlbCondition } from '../rules/types.js'
import { readRecord } from './store.js'
import type { ClassType, RouteDefinition } from './types.js'

export interface ReadResult {
  readonly routes: RouteDefinition[]
  /** Declaration problems found while reading, each naming `Controller.method`. */
  readonly problems: { source: string; message: string }[]
}

/** Reads the routes of exactly the given classes, in declaration order (no global registry). */
export function readControllers(controllers: readonly ClassType[]): ReadResult {
  const routes: RouteDefinition[] = []
  const problems: { source: string; message: string }[] = []
  for (const controller of controllers) {
    const name = controller.name || '(anonymous class)'
    const record = typeof controller === 'function' ? readRecord(controller) : undefined
    if (record?.controller === undefined) {
      problems.push({ source: name, message: `${name} is not a controller: decorate the class with @Controller()` })
      continue
    }
    const { prefix, target, cors } = record.controller
    for (const [methodName, member] of record.members) {
      const source = `${name}.${methodName}`
      if (member.routes.length === 0) {
        if (
          member.conditions.length > 0 || member.priority !== undefined || member.action !== undefined ||
          member.use.length > 0 || member.responseHeaders.length > 0 || member.auth !== undefined
        ) {
          problems.push({ source, message: `${source} has routing decorators but no @Get/@Post/…/@All: add one` })
        }
        continue
      }
      if (member.action === undefined && typeof (controller.prototype as Record<string, unknown>)[methodName] !== 'function') {
        problems.push({ source, message: `${source} is not a method` })
        continue
      }
      const params = [...member.params].sort((a, b) => a.index - b.index)
      // The method's own @Authenticate replaces the class's, as ALB holds one auth action per rule.
      const auth = member.auth ?? record.classAuth
      for (const problem of auth?.problems ?? []) problems.push({ source, message: `${source}: @Authenticate ${problem}` })
      for (const declared of member.routes) {
        const joined = joinPath(prefix, declared.path)
        if (typeof joined === 'object' && 'problem' in joined) {
          problems.push({ source, message: `${source}: ${joined.problem}` })
          continue
        }
        const conditions = concatenated(record.classConditions, member.conditions)
        routes.push({
          controller,
          controllerName: name,
          methodName,
          source,
          path: joined,
          methods: declared.httpMethods,
          conditions,
          priority: member.priority,
          action: member.action ?? { type: 'forward', target: target ?? 'default' },
          httpCode: member.httpCode,
          params,
          cors,
          use: concatenated(record.use, member.use),
          responseHeaders: concatenated(record.responseHeaders, member.responseHeaders),
          ...(auth?.action === undefined ? {} : { auth: auth.action, authSupport: auth.support }),
        })
      }
    }
  }
  return { routes, problems }
}

/** The class's entries then the method's, a new array; the shared empty list when both are empty. */
function concatenated<T>(a: readonly T[], b: readonly T[]): readonly T[] {
  return a.length === 0 && b.length === 0 ? NONE : [...a, ...b]
}

/**
 * DESIGN.md: prefix and method path join with exactly one `/`; an omitted, `''` or `'/'` method
 * path means the prefix itself; any other trailing slash is kept (ALB: `/a` ≠ `/a/`).
 */
export function joinPath(
  prefix: string,
  path: string | RegExp | undefined,
): string | RegExp | { problem: string } {
  const base = prefix === '' || prefix === '/' ? '' : '/' + prefix.replace(/^\/+/, '').replace(/\/+$/, '')
  if (path instanceof RegExp) {
    if (base === '') return path
    if (!path.source.startsWith('^')) {
      return { problem: `a RegExp path under the prefix "${prefix}" must start with ^ so the prefix can be joined` }
    }
    const escaped = base.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
    return new RegExp('^' + escaped + path.source.slice(1).replace(/^\\?\/?/, '\\/'), path.flags)
  }
  if (path === undefined || path === '' || path === '/') return base === '' ? '/' : base
  return base + '/' + path.replace(/^\/+/, '')
}

/** The parameters of a route that receive every value of a repeated header or query key. */
export function arrayBindings(route: RouteDefinition): { source: string; name: string }[] {
  return route.params
    .filter(
      (p) =>
        (p.source === 'query' || p.source === 'header' || p.source === 'query-object' || p.source === 'header-object') &&
        (Array.isArray(p.options.type) || p.designType === Array || p.source.endsWith('-object')),
    )
    .map((p) => ({ source: route.source, name: p.name ?? (p.source.startsWith('query') ? 'the query' : 'the headers') }))
}
