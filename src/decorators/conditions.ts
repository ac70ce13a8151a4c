import { memberOf, prepend, recordOf } from '../metadata/store.js'
import type { ParamOptions } from '../metadata/types.js'
import { compileHostMatcher } from '../rules/host-header.js'
import { compileHeaderMatcher } from '../rules/http-header.js'
import { installConditionMatcher } from '../rules/installed-matchers.js'
import { compileQueryMatcher } from '../rules/query-string.js'
import { installSourceIpMatcher } from '../rules/source-ip.js'
import type { AlbCondition } from '../rules/types.js'
import { regexSource, splitRegex } from './controller.js'
import { assertLegacyDecorator } from './legacy.js'
import { recordParam } from './params.js'

/** A decorator usable on a class, a method and (for @Query/@Header) a parameter. */
export type ConditionDecorator = ClassDecorator & MethodDecorator
export type BindingOrConditionDecorator = ClassDecorator & MethodDecorator & ParameterDecorator

// Legacy decorators are told apart by their arguments: a class gets (ctor), a method
// (prototype, key, descriptor), a parameter (prototype, key, index).
function condition(make: () => AlbCondition): ConditionDecorator {
  return ((target: object, key?: string | symbol, third?: unknown) => {
    assertLegacyDecorator(key, CONDITION_DECORATORS)
    if (typeof third === 'number') throw new TypeError('This decorator is a routing condition: use it on a class or method')
    addCondition(target, key, make())
  }) as ConditionDecorator
}

const CONDITION_DECORATORS = 'Host/Header/Query/SourceIp'

/** A condition on the class (`key` undefined) or on method `key`, in the order written. */
function addCondition(target: object, key: string | symbol | undefined, made: AlbCondition): void {
  if (key === undefined) {
    const record = recordOf(target)
    record.classConditions = prepend(record.classConditions, made)
  } else {
    const member = memberOf((target as { constructor: object }).constructor, key)
    member.conditions = prepend(member.conditions, made)
  }
}

function isOptions(value: unknown): value is ParamOptions {
  return typeof value === 'object' && value !== null && !(value instanceof RegExp)
}

/** On a parameter, `@Header(name, …)` and `@Query(key, …)` take one options object, nothing else. */
function checkParamUse(decorator: string, name: string, rest: readonly unknown[]): void {
  if (rest.length > 1 || (rest.length === 1 && !isOptions(rest[0]))) {
    throw new TypeError(
      `@${decorator}(${JSON.stringify(name)}, …values) is a routing condition; on a parameter pass options instead: @${decorator}(${JSON.stringify(name)}, { type: Number })`,
    )
  }
}

/**
 * On a class or method: an ALB http-header condition (name case-insensitive; values are
 * case-insensitive globs or RegExp regex values; with no values, "header present").
 * On a parameter: binds one header (`@Header('x-tenant')`) or all headers to a DTO (`@Header()`).
 *
 * @example
 * @Get('/') @Header('x-tenant', 'acme*') list(@Header('x-request-id', { type: String }) id: string) {}
 */
export function Header(options?: ParamOptions): BindingOrConditionDecorator
export function Header(name: string, ...values: (string | RegExp)[]): BindingOrConditionDecorator
export function Header(name: string, options: ParamOptions): BindingOrConditionDecorator
export function Header(nameOrOptions?: string | ParamOptions, ...rest: unknown[]): BindingOrConditionDecorator {
  return bindingOrCondition('Header', 'header', nameOrOptions, rest, (name) => {
    const values: string[] = []
    const regexValues: string[] = []
    for (const p of rest) {
      if (p instanceof RegExp) regexValues.push(regexSource(p))
      else if (typeof p === 'string') values.push(p)
    }
    if (values.length === 0 && regexValues.length === 0) values.push('*')
    // As a condition only: albatross/compiled routes with the matchers the app's decorators installed.
    installConditionMatcher('http-header', compileHeaderMatcher)
    return { type: 'http-header', name, values, regexValues }
  })
}

/**
 * On a class or method: an ALB query-string condition. `@Query('v', 'v1', 'v2')` means key `v`
 * with value v1 or v2 (case-insensitive globs, `\*` `\?` literal); `@Query('v')` means "key
 * present"; `@Query('*', 'x')` is ALB's key-less form (any key with value x).
 * On a parameter: binds one query key (`@Query('page')`) or the whole query to a DTO (`@Query()`).
 *
 * @example
 * @Get('/search') @Query('q') search(@Query('page', { type: Number }) page: number) {}
 */
export function Query(options?: ParamOptions): BindingOrConditionDecorator
export function Query(key: string, ...values: string[]): BindingOrConditionDecorator
export function Query(key: string, options: ParamOptions): BindingOrConditionDecorator
export function Query(keyOrOptions?: string | ParamOptions, ...rest: unknown[]): BindingOrConditionDecorator {
  return bindingOrCondition('Query', 'query', keyOrOptions, rest, (key) => {
    const values: { key?: string; value: string }[] = []
    for (const value of rest) if (typeof value === 'string') values.push(key === '*' ? { value } : { key, value })
    if (values.length === 0) values.push(key === '*' ? { value: '*' } : { key, value: '*' })
    installConditionMatcher('query-string', compileQueryMatcher)
    return { type: 'query-string', values }
  })
}

/**
 * @Header and @Query: one closure per use, which tells a parameter from a class or method when it
 * runs. Most uses bind a parameter (`source`, or the whole `…-object` without a name), and the
 * condition is only made for the others, by `makeCondition`.
 */
function bindingOrCondition(
  decorator: 'Header' | 'Query',
  source: 'header' | 'query',
  nameOrOptions: string | ParamOptions | undefined,
  rest: readonly unknown[],
  makeCondition: (name: string) => AlbCondition,
): BindingOrConditionDecorator {
  return ((target: object, key?: string | symbol, third?: unknown) => {
    // A string or symbol key on every legacy use: only an object (a TC39 context) needs the check.
    if (typeof key === 'object') assertLegacyDecorator(key, CONDITION_DECORATORS)
    if (typeof third === 'number') {
      if (typeof nameOrOptions !== 'string') return recordParam(target, key, third, `${source}-object`, undefined, nameOrOptions ?? {})
      if (rest.length !== 0) checkParamUse(decorator, nameOrOptions, rest)
      return recordParam(target, key, third, source, nameOrOptions, isOptions(rest[0]) ? rest[0] : {})
    }
    if (typeof nameOrOptions !== 'string') {
      const what = decorator === 'Header' ? 'name' : 'key'
      throw new TypeError(`@${decorator}() without a ${what} binds a parameter; as a routing condition write @${decorator}(${what}, ...values)`)
    }
    addCondition(target, key, makeCondition(nameOrOptions))
  }) as BindingOrConditionDecorator
}

/**
 * An ALB host-header condition: case-insensitive globs (`*.example.com`) or RegExp regex values
 * (the only way to match a `:port`).
 *
 * @example
 * @Controller('/') @Host('api.example.com', /^api\.example\.com:8443$/) class Api {}
 */
export function Host(...patterns: (string | RegExp)[]): ConditionDecorator {
  // The matcher comes with the decorator, as @SourceIp's (rules/installed-matchers.ts).
  installConditionMatcher('host-header', compileHostMatcher)
  return condition(() => splitRegex('host-header', patterns))
}

/**
 * An ALB source-ip condition: IPv4/IPv6 CIDR blocks, compared with the client address ALB
 * appends to x-forwarded-for.
 *
 * @example
 * @Get('/admin') @SourceIp('10.0.0.0/8', '2001:db8::/32') admin() {}
 */
export function SourceIp(...cidrs: string[]): ConditionDecorator {
  // The matcher comes with the decorator: an app that never names @SourceIp bundles none.
  installSourceIpMatcher()
  return condition(() => ({ type: 'source-ip', values: cidrs }))
}

/**
 * An explicit ALB rule priority (1–50000), kept exactly; lower runs first.
 *
 * @example
 * @Get('/*') @Priority(40000) fallback() {}
 */
export function Priority(priority: number): MethodDecorator {
  return (target, key) => {
    assertLegacyDecorator(key, 'Priority')
    memberOf(target.constructor, key).priority = priority
  }
}
