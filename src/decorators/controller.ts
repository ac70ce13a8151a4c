import { prepend, recordOf } from '../metadata/store.js'
import { assertLegacyDecorator } from './legacy.js'

export interface ControllerOptions {
  /** Target group this controller's routes forward to in a per-route manifest (default "default"). */
  readonly target?: string
  /** Host patterns required for every route (a host-header condition). */
  readonly host?: string | RegExp | readonly (string | RegExp)[]
  /** CORS settings for this controller's routes, overriding `createApp({ cors })`; `false` turns CORS off. */
  readonly cors?: unknown
}

/**
 * Marks a class as a controller; `prefix` is joined to each method path with exactly one `/`.
 *
 * @example
 * @Controller('/users', { target: 'users' })
 * class Users { @Get('/{id}') get(@Param('id') id: string) { return { id } } }
 */
export function Controller(prefix = '', options: ControllerOptions = {}): ClassDecorator {
  return ((target: Function, context?: unknown) => {
    assertLegacyDecorator(context, 'Controller')
    const record = recordOf(target)
    // `host` kept too, when given: albatross/compiled, whose host matcher comes with @Host, refuses the option.
    record.controller = { prefix, target: options.target, cors: options.cors, host: options.host }
    if (options.host !== undefined) {
      const hosts = Array.isArray(options.host) ? options.host : [options.host]
      record.classConditions = prepend(record.classConditions, splitRegex('host-header', hosts as (string | RegExp)[]))
    }
  }) as ClassDecorator
}

export function splitRegex<T extends 'host-header'>(
  type: T,
  patterns: readonly (string | RegExp)[],
): { type: T; values: string[]; regexValues: string[] } {
  const values: string[] = []
  const regexValues: string[] = []
  for (const p of patterns) {
    if (p instanceof RegExp) regexValues.push(regexSource(p))
    else values.push(p)
  }
  return { type, values, regexValues }
}

/** ALB regex values have no flags; keep them visible so rules/ can reject them with a clear error. */
export function regexSource(re: RegExp): string {
  return re.flags === '' ? re.source : `(?${re.flags})${re.source}`
}
