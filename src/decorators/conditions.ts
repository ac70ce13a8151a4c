import { memberOf, prepend, recordOf } from '../metadata/store.js'
import type { ParamOptions } from '../metadata/types.js'
import type { AlbCondition } from '../rules/types.js'
import { regexSource, splitRegex } from './controller.js'
import { assertLegacyDecorator } from './legacy.js'
import { bindParam } from './params.js'

/** A decorator usable on a class, a method and (for @Query/@Header) a parameter. */
export type ConditionDecorator = ClassDecorator & MethodDecorator
export type BindingOrConditionDecorator = ClassDecorator & MethodDecorator & ParameterDecorator

// Legacy decorators are told apart by their arguments: a class gets (ctor), a method
// (prototype, key, descriptor), a parameter (prototype, key, index).
function condition(
  make: () => AlbCondition,
  onParameter?: (target: object, key: string | symbol | undefined, index: number) => void,
): BindingOrConditionDecorator {
  return ((target: object, key?: string | symbol, third?: unknown) => {
    assertLegacyDecorator(key, 'Host/Header/Query/SourceIp')
    if (typeof third === 'number') {
      if (onParameter === undefined) throw new TypeError('This decorator is a routing condition: use it on a class or method')
      onParameter(target, key, third)
    } else if (key === undefined) {
      const record = recordOf(target)
      record.classConditions = prepend(record.classConditions, make())
    } else {
      const member = memberOf((target as { constructor: object }).constructor, key)
      member.conditions = prepend(member.conditions, make())
    }
  }) as BindingOrConditionDecorator
}

function isOptions(value: unknown): value is ParamOptions {
  return typeof value === 'object' && value !== null && !(value instanceof RegExp)
}

function paramUse(decorator: string, name: string | undefined, rest: readonly unknown[]) {
  const [first] = rest
  if (rest.length > 1 || (rest.length === 1 && !isOptions(first))) {
    return () => {
      throw new TypeError(
        `@${decorator}(${JSON.stringify(name)}, …values) is a routing condition; on a parameter pass options instead: @${decorator}(${JSON.stringify(name)}, { type: Number })`,
      )
    }
  }
  return undefined
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
  if (typeof nameOrOptions !== 'string') {
    const options = nameOrOptions ?? {}
    return condition(
      () => {
        throw new TypeError('@Header() without a name binds a parameter; as a routing condition write @Header(name, ...values)')
      },
      (target, key, index) => bindParam('header-object', undefined, options)(target, key, index),
    )
  }
  const name = nameOrOptions
  const patterns = rest.filter((v): v is string | RegExp => typeof v === 'string' || v instanceof RegExp)
  const bad = paramUse('Header', name, rest)
  return condition(
    () => {
      const values: string[] = []
      const regexValues: string[] = []
      for (const p of patterns) (p instanceof RegExp ? regexValues.push(regexSource(p)) : values.push(p))
      if (values.length === 0 && regexValues.length === 0) values.push('*')
      return { type: 'http-header', name, values, regexValues }
    },
    (target, key, index) => {
      bad?.()
      bindParam('header', name, isOptions(rest[0]) ? rest[0] : {})(target, key, index)
    },
  )
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
  if (typeof keyOrOptions !== 'string') {
    const options = keyOrOptions ?? {}
    return condition(
      () => {
        throw new TypeError('@Query() without a key binds a parameter; as a routing condition write @Query(key, ...values)')
      },
      (target, key, index) => bindParam('query-object', undefined, options)(target, key, index),
    )
  }
  const queryKey = keyOrOptions
  const values = rest.filter((v): v is string => typeof v === 'string')
  const bad = paramUse('Query', queryKey, rest)
  return condition(
    () => {
      const patterns = values.length === 0 ? ['*'] : values
      return {
        type: 'query-string',
        values: patterns.map((value) => (queryKey === '*' ? { value } : { key: queryKey, value })),
      }
    },
    (target, key, index) => {
      bad?.()
      bindParam('query', queryKey, isOptions(rest[0]) ? rest[0] : {})(target, key, index)
    },
  )
}

/**
 * An ALB host-header condition: case-insensitive globs (`*.example.com`) or RegExp regex values
 * (the only way to match a `:port`).
 *
 * @example
 * @Controller('/') @Host('api.example.com', /^api\.example\.com:8443$/) class Api {}
 */
export function Host(...patterns: (string | RegExp)[]): ConditionDecorator {
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
