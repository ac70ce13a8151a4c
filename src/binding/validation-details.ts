import type { ValidationError } from 'class-validator'

/** One failing field of a 400 answer (DESIGN.md § Errors). */
export interface ValidationIssue {
  /** Where it came from: `path.id`, `query.ids[1]`, `header.x-tenant`, `body.items[2].qty`. */
  readonly location: string
  readonly message: string
  /** class-validator's constraint name, or ours (`isDefined`, `isNumber`, `isUrlEncoded` …). */
  readonly constraint: string
  /** The offending value, stringified and truncated; only for path, query and body fields. */
  readonly value?: string
}

export const ECHO_MAX_CHARS = 100

/** `value` as echoed in an issue: a string of at most ECHO_MAX_CHARS characters, or undefined. */
export function echoValue(value: unknown): string | undefined {
  let text: string | undefined
  if (typeof value === 'string') {
    text = value
  } else if (value === null || typeof value === 'number' || typeof value === 'boolean') {
    text = String(value)
  } else if (value instanceof Date) {
    text = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()
  } else if (typeof value === 'object') {
    // A user's toJSON may throw or the value may be circular; then nothing is echoed.
    try {
      text = JSON.stringify(value)
    } catch {
      text = undefined
    }
  }
  if (text === undefined) return undefined
  return text.length > ECHO_MAX_CHARS ? `${text.slice(0, ECHO_MAX_CHARS - 1)}…` : text
}

export function makeIssue(
  location: string,
  message: string,
  constraint: string,
  echo: boolean,
  value?: unknown,
): ValidationIssue {
  const echoed = echo ? echoValue(value) : undefined
  return echoed === undefined
    ? { location, message, constraint }
    : { location, message, constraint, value: echoed }
}

/** Where conversion and validation report; the request's bind context implements it. */
export interface IssueSink {
  report(issue: ValidationIssue): void
  /** Marks a location as reported, so class-validator's errors at or below it are dropped. */
  suppress(location: string): void
  readonly suppressed: ReadonlySet<string> | undefined
}

/** How a DTO's property names appear in locations, and the plans of nested DTOs. */
export interface LocationNames {
  /** Property → the key the client sent (`@Expose({ name })`, header name); absent = same. */
  readonly locationNames: Readonly<Record<string, string>>
  readonly nestedOf: (property: string) => LocationNames | undefined
}

/**
 * Flattens class-validator's error tree into issues, one per failed constraint. Child errors
 * of arrays (and Sets, Maps) are indexed `items[2]`, of objects dotted `items[2].qty`, the way
 * Nest's ValidationPipe prepends parent names. A location in `sink.suppressed` (already reported by
 * decoding or conversion) is skipped with everything below it.
 */
export function flattenValidationErrors(
  errors: readonly ValidationError[],
  base: string,
  names: LocationNames | undefined,
  echo: boolean,
  sink: IssueSink,
): void {
  walk(errors, base, false, names, echo, sink)
}

function walk(
  errors: readonly ValidationError[],
  base: string,
  indexed: boolean,
  names: LocationNames | undefined,
  echo: boolean,
  sink: IssueSink,
): void {
  for (const error of errors) {
    const property = error.property as string | undefined
    // class-validator's `unknownValue` error has no property: it is about the object itself.
    const location =
      property === undefined
        ? base
        : indexed
          ? `${base}[${property}]`
          : `${base}.${names?.locationNames[property] ?? property}`
    if (sink.suppressed?.has(location) === true) continue
    const constraints = error.constraints
    if (constraints !== undefined) {
      for (const constraint of Object.keys(constraints)) {
        const message = constraints[constraint] ?? constraint
        sink.report(makeIssue(location, message, constraint, echo, error.value))
      }
    }
    const children = error.children
    if (children !== undefined && children.length > 0) {
      const value: unknown = error.value
      const childIndexed = Array.isArray(value) || value instanceof Set || value instanceof Map
      const childNames = indexed || property === undefined ? names : names?.nestedOf(property)
      walk(children, location, childIndexed, childNames, echo, sink)
    }
  }
}
