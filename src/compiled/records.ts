import { hasRoutingDecorators, joinPath } from '../metadata/read-controller.js'
import { concatenated } from '../metadata/none.js'
import { readRecord } from '../metadata/store.js'
import type { ClassType, ParamDefinition, RouteDeclaration } from '../metadata/types.js'
import { typeKey } from '../verified-table/declaration-key.js'
import { extraOf, type CompiledMember, type CompiledParam, type CompiledRule, type CompiledTable } from './format.js'

/**
 * The classes the compiled table holds, in `controllers` order: a controller without routes is in
 * no rule and no part of the verified table's key, so the checks (and albatross/lambda) accept the
 * table whatever becomes of it; leaving it out here and in the table does the same. A class that
 * is no controller stays, for recordMismatch to name.
 */
export function routedClasses(classes: readonly ClassType[]): ClassType[] {
  return classes.filter((cls) => {
    const record = readRecord(cls)
    if (record?.controller === undefined) return true
    for (const member of record.members.values()) if (member.routes.length > 0) return true
    return false
  })
}

/**
 * Why the controllers' decorator records are not the ones `compiled` was checked with (naming the
 * first member that differs), or undefined when they are. Records, not route definitions: the
 * rules and everything else the table holds were derived from exactly these records by the
 * checks of the same albatross (`head` holds its checks' version), so equal records stand for
 * equal routes. Field by field, with no text built: this runs in every cold start.
 *
 * `names`: each class's name as the table's sources give it (a minifier may have renamed it).
 */
export function recordMismatch(classes: readonly ClassType[], compiled: CompiledTable, names: (controller: number) => string): string | undefined {
  if (classes.length !== compiled.controllers.length) return `the app has ${classes.length} controllers, the table ${compiled.controllers.length}`
  // Whether any class or member declares a condition or a native action: most apps declare none,
  // and their rules need only be seen to hold none either (ruleMismatch).
  let guarded = false
  for (let c = 0; c < classes.length; c++) {
    const record = readRecord(classes[c] as ClassType)
    // Tuples read by index here and below: a destructuring pattern steps an iterator through each
    // (V8's interpreter), for every controller, member, route and parameter of a cold start.
    const entry = compiled.controllers[c] as CompiledTable['controllers'][number]
    const prefix = entry[0]
    const target = entry[1]
    const members = entry[2]
    const extra = entry[3]
    const name = names(c)
    if (record?.controller === undefined) return `${name} is no longer a controller`
    const declared = record.controller
    // The prefix is compared joined with each route's path (sameMember), as the checks compare it.
    if ((declared.target ?? null) !== target || declared.cors !== undefined) return `${name}'s @Controller changed`
    // The checks refuse the host option (it brings no matcher, @Host does); its condition is the
    // same as @Host's, so only the option itself tells a class that moved @Host into it.
    if (declared.host !== undefined) return `${name}'s @Controller has the host option, which albatross/compiled leaves out (declare it with @Host on the class)`
    if (record.classAuth !== undefined || record.use.length > 0) return `${name} has class decorators albatross/compiled leaves out`
    // Every route of the class has them: the first is named, as for a changed prefix. Most
    // classes and members declare none: extraOf builds their text only when they do.
    if (record.classConditions.length > 0) guarded = true
    if (extraOf(record.classConditions, record.responseHeaders, undefined) !== extra) {
      return `${name}.${(members[0] as CompiledMember | undefined)?.[0] ?? '(no route)'} changed since the check (its class's conditions or @ResponseHeader)`
    }
    let m = 0
    let found: string | undefined
    record.members.forEach((member, method) => {
      if (found !== undefined) return
      if (member.routes.length === 0) {
        // read-controller.ts skips these, and refuses one that has routing decorators.
        if (hasRoutingDecorators(member)) {
          found = `${name}.${method} has routing decorators but no route`
        }
        return
      }
      const expected = members[m++]
      if (expected === undefined || expected[0] !== method) {
        found = `${name}.${method} is not where the table has it (a route added, removed or reordered since the check)`
        return
      }
      // Conditions, response headers and native action as one exact text (compiled/format.ts memberExtra).
      if (member.conditions.length > 0 || member.action !== undefined) guarded = true
      if (member.auth !== undefined || member.use.length > 0 || extraOf(member.conditions, member.responseHeaders, member.action) !== expected[5] || !sameMember(declared.prefix, prefix, member.routes, member.priority, member.httpCode, member.params, expected)) {
        found = `${name}.${method} changed since the check (its path, methods, conditions, priority, @HttpCode, parameters or other decorators)`
      }
    })
    if (found !== undefined) return found
    if (m !== members.length) return `${name}.${(members[m] as CompiledMember)[0]} is in the table but no longer declared`
  }
  return ruleMismatch(classes, compiled, names, guarded)
}

/**
 * Why a rule's conditions or native action are not its route's, as the records (now matched)
 * declare them, or undefined. The router trusts the rules, and a rule that lost a condition or
 * its action (a table edited or merged by hand) would route wider than ALB: its route's
 * conditions are the class's then the member's (read-controller.ts), its action the member's.
 * `guarded`: some class or member declares one; otherwise every rule must hold none, two reads
 * each (a cold start of the bench app's 63 rules: no record is read, no JSON built).
 */
function ruleMismatch(classes: readonly ClassType[], compiled: CompiledTable, names: (controller: number) => string, guarded: boolean): string | undefined {
  const rules = compiled.rules
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r] as CompiledRule
    const conditions = rule[7]
    const action = rule[8]
    if (!guarded && conditions == null && action == null) continue
    const controller = rule[5]
    const cls = classes[controller] as ClassType | undefined
    const record = cls === undefined ? undefined : readRecord(cls)
    const member = record?.members.get(rule[6])
    const same =
      record === undefined || member === undefined
        ? false
        : record.classConditions.length + member.conditions.length === 0 && member.action === undefined
          ? conditions == null && action == null
          : JSON.stringify(conditions ?? []) === JSON.stringify(concatenated(record.classConditions, member.conditions)) && JSON.stringify(action ?? null) === JSON.stringify(member.action ?? null)
    if (!same) return `${names(controller)}.${String(rule[6])}: its rule's conditions or action are not the ones declared (the table was edited by hand)`
  }
  return undefined
}

function sameMember(
  prefix: string,
  ePrefix: string,
  routes: readonly RouteDeclaration[],
  priority: number | undefined,
  httpCode: number | undefined,
  params: readonly ParamDefinition[],
  expected: CompiledMember,
): boolean {
  const eRoutes = expected[1]
  const ePriority = expected[2]
  const eCode = expected[3]
  const eParams = expected[4]
  // Object.is: NaN, which the checks refuse, never equals the null of "not declared".
  if (!Object.is(priority ?? null, ePriority) || !Object.is(httpCode ?? null, eCode)) return false
  if (routes.length !== eRoutes.length || params.length !== eParams.length) return false
  for (let r = 0; r < routes.length; r++) {
    const route = routes[r] as RouteDeclaration
    const eRoute = eRoutes[r] as CompiledMember[1][number]
    const path = eRoute[0]
    const methods = eRoute[1]
    // The table holds no RegExp path (albatross/compiled refuses them); null is "no path".
    if (route.path instanceof RegExp) return false
    // The path as the rule matches it: the same prefix and path, or another split of the same
    // joined path (`/a` + `/b` = `/a/b` + ``), which the checks' key (the joined path) accepts too.
    if ((prefix !== ePrefix || route.path !== (path ?? undefined)) && joinPath(prefix, route.path) !== joinPath(ePrefix, path ?? undefined)) return false
    if (!sameList(route.httpMethods, methods)) return false
  }
  for (let p = 0; p < params.length; p++) if (!sameParam(params[p] as ParamDefinition, eParams[p] as CompiledParam)) return false
  return true
}

function sameList(list: readonly string[] | undefined, expected: readonly string[] | null): boolean {
  if (list === undefined || expected === null) return list === undefined && expected === null
  if (list.length !== expected.length) return false
  for (let i = 0; i < list.length; i++) if (list[i] !== expected[i]) return false
  return true
}

function sameParam(param: ParamDefinition, expected: CompiledParam): boolean {
  if (param.index !== expected[0] || param.source !== expected[1] || (param.name ?? null) !== expected[2] || (param.options.optional === true ? 1 : 0) !== expected[3] || param.custom !== undefined) return false
  const type = expected[4]
  const key = typeKey(param.options.type ?? param.designType)
  // Most types are a built-in's name; the rest (arrays, DTO tags) compare as JSON.
  return typeof key === 'string' ? key === type : JSON.stringify(key) === JSON.stringify(type)
}
