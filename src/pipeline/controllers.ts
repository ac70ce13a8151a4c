import type { ClassType } from '../metadata/types.js'
import type { RouteProblem } from '../rules/errors.js'

/** `createApp({ resolve })`: a DI container's lookup, e.g. `(cls) => container.resolve(cls)`. */
export type Resolve = (controller: ClassType) => object

export interface ControllerSet {
  /** The classes, in the order given, for metadata/read-controller. */
  readonly classes: readonly ClassType[]
  /**
   * Problems that stop createApp before anything is built: a class whose constructor declares
   * parameters, given without an instance or `resolve`, for each class in `needed`.
   */
  check(needed: ReadonlySet<ClassType>): RouteProblem[]
  /** The one instance of a class: given, or built on first call by `resolve` or `new cls()`. */
  instanceOf(controller: ClassType, problems: RouteProblem[]): Record<string, unknown> | undefined
}

/**
 * Sorts `createApp({ controllers })` into classes and instances. A class is built once, by
 * `resolve` when given, else `new cls()`. A class whose constructor declares parameters cannot be
 * built with `new cls()` (it would run with `undefined` dependencies and fail on its first
 * request), so without `resolve` it is a declaration problem.
 */
export function collectControllers(
  given: readonly (ClassType | object)[],
  resolve: Resolve | undefined,
  problems: RouteProblem[],
): ControllerSet {
  const classes: ClassType[] = []
  const instances = new Map<ClassType, Record<string, unknown> | undefined>()
  for (const item of given) {
    if (typeof item === 'function') {
      classes.push(item as ClassType)
    } else if (typeof item !== 'object' || item === null) {
      problems.push({ source: 'createApp({ controllers })', message: `${String(item)} is neither a controller class nor an instance of one` })
    } else {
      const controller = (item as { constructor: ClassType }).constructor
      if (instances.has(controller)) {
        problems.push({ source: nameOf(controller), message: `two instances of ${nameOf(controller)} are given: give one` })
      } else {
        instances.set(controller, item as Record<string, unknown>)
        classes.push(controller)
      }
    }
  }
  return {
    classes,
    check(needed) {
      if (resolve !== undefined) return []
      const found: RouteProblem[] = []
      for (const controller of needed) {
        // `length` counts the parameters before the first default, the same under tsc and esbuild
        // (design:paramtypes is tsc-only, and also counts parameters that have defaults).
        if (instances.has(controller) || controller.length === 0) continue
        const name = nameOf(controller)
        found.push({
          source: name,
          message:
            `${name}'s constructor declares ${controller.length} parameter(s), which new ${name}() would leave undefined: ` +
            `give an instance (controllers: [new ${name}(…)]) or a resolver (createApp({ resolve: (cls) => container.resolve(cls) }))`,
        })
      }
      return found
    },
    instanceOf(controller, found) {
      if (instances.has(controller)) return instances.get(controller)
      const name = nameOf(controller)
      let instance: Record<string, unknown> | undefined
      try {
        const built: unknown = resolve === undefined ? new (controller as new () => unknown)() : resolve(controller)
        if (typeof built !== 'object' || built === null || typeof (built as { then?: unknown }).then === 'function') {
          found.push({ source: name, message: `resolve(${name}) returned ${describe(built)}: it must return the instance itself, synchronously` })
        } else instance = built as Record<string, unknown>
      } catch (error) {
        const how = resolve === undefined ? `new ${name}()` : `resolve(${name})`
        found.push({ source: name, message: `${how} threw: ${error instanceof Error ? error.message : String(error)}` })
      }
      instances.set(controller, instance)
      return instance
    },
  }
}

function nameOf(controller: ClassType): string {
  return controller.name || '(anonymous class)'
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  return typeof value === 'object' ? 'a promise' : `a ${typeof value}`
}
