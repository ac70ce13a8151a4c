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
      text = jsonPrefix(value, ECHO_MAX_CHARS)
    } catch {
      text = undefined
    }
  }
  if (text === undefined) return undefined
  return text.length > ECHO_MAX_CHARS ? `${truncate(text, ECHO_MAX_CHARS - 1)}…` : text
}

/** The first `length` UTF-16 units of `text`, one fewer rather than half a surrogate pair. */
function truncate(text: string, length: number): string {
  const last = text.charCodeAt(length - 1)
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? length - 1 : length)
}

/**
 * JSON.stringify(value), or a prefix of it longer than `max` characters: writing stops there, so
 * echoing an array of a million items costs as much as echoing a short one. Throws where
 * JSON.stringify throws (a cycle, a BigInt, a throwing toJSON).
 */
export function jsonPrefix(value: unknown, max: number): string | undefined {
  const out: string[] = []
  let length = 0
  const stack: object[] = []
  const put = (text: string): boolean => {
    out.push(text)
    length += text.length
    return length <= max
  }
  // Returns false once enough is written; `false` from write() unwinds everything.
  const write = (item: unknown, key: string, inArray: boolean): boolean => {
    if (typeof item === 'object' && item !== null && typeof (item as { toJSON?: unknown }).toJSON === 'function') {
      item = (item as { toJSON: (key: string) => unknown }).toJSON(key)
    }
    if (item instanceof Number || item instanceof String || item instanceof Boolean) item = item.valueOf()
    switch (typeof item) {
      case 'string':
        // A long string is cut (never inside a surrogate pair) and left unclosed: writing stops.
        return item.length > max ? put(JSON.stringify(truncate(item, max + 1)).slice(0, -1)) && false : put(JSON.stringify(item))
      case 'number':
        return put(Number.isFinite(item) ? String(item) : 'null')
      case 'boolean':
        return put(String(item))
      case 'bigint':
        throw new TypeError('Do not know how to serialize a BigInt')
      case 'object':
        break
      default:
        // undefined, functions and symbols: left out of objects, null in arrays (as JSON.stringify).
        return inArray ? put('null') : true
    }
    if (item === null) return put('null')
    if (stack.includes(item)) throw new TypeError('Converting circular structure to JSON')
    stack.push(item)
    let going: boolean
    if (Array.isArray(item)) {
      going = put('[')
      for (let i = 0; going && i < item.length; i++) {
        going = (i === 0 || put(',')) && write(item[i], String(i), true)
      }
      going = going && put(']')
    } else {
      going = put('{')
      let first = true
      for (const name of Object.keys(item)) {
        if (!going) break
        const member: unknown = (item as Record<string, unknown>)[name]
        const kind = typeof member
        if (kind === 'undefined' || kind === 'function' || kind === 'symbol') continue
        going = (first || put(',')) && put(`${JSON.stringify(name)}:`) && write(member, name, false)
        first = false
      }
      going = going && put('}')
    }
    stack.pop()
    return going
  }
  if (!write(value, '', false)) return out.join('')
  return length === 0 ? undefined : out.join('')
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

/** Reports an issue, echoing its value only while the answer still lists issues. */
export function reportIssue(
  sink: IssueSink,
  location: string,
  message: string,
  constraint: string,
  echo: boolean,
  value?: unknown,
): void {
  sink.report(sink.full === true ? { location, message, constraint } : makeIssue(location, message, constraint, echo, value))
}

/** Where conversion and validation report; the request's bind context implements it. */
export interface IssueSink {
  /** Keeps the issue, or only counts it once the answer lists as many as it will. */
  report(issue: ValidationIssue): void
  /** True once further issues are only counted: callers may then skip building them. */
  readonly full?: boolean
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
        reportIssue(sink, location, message, constraint, echo, error.value)
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
