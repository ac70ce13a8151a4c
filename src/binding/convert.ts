import { COERCE_FAILURE, INVALID, coerce } from './coerce.js'
import type { ScalarKind } from './coerce.js'
import type { DecodedPairs } from './decode.js'
import type { DtoPlan } from './dto-plan.js'
import { reportIssue } from './validation-details.js'
import type { IssueSink } from './validation-details.js'

/**
 * The values of a repeated key for one target: every value for an array, else the last one
 * (what ALB keeps in single-value mode, spec/alb.md §4.2), each converted to `kind`.
 * `INVALID` after reporting every value that failed.
 */
export function convertValues(
  values: readonly string[],
  array: boolean,
  kind: ScalarKind | undefined,
  location: string,
  echo: boolean,
  sink: IssueSink,
): unknown {
  if (!array) return convertValue(values[values.length - 1] as string, kind, location, echo, sink)
  if (kind === undefined || kind === 'string') return values.slice()
  const out = new Array<unknown>(values.length)
  let failed = false
  for (let i = 0; i < values.length && !(failed && sink.full === true); i++) {
    const raw = values[i] as string
    const value = coerce(kind, raw)
    if (value === INVALID) {
      fail(kind, `${location}[${i}]`, raw, echo, sink)
      failed = true
    }
    out[i] = value
  }
  if (!failed) return out
  sink.suppress(location)
  return INVALID
}

/** One value converted to `kind`; `INVALID` once the failure is reported. */
export function convertValue(
  raw: string,
  kind: ScalarKind | undefined,
  location: string,
  echo: boolean,
  sink: IssueSink,
): unknown {
  if (kind === undefined || kind === 'string') return raw
  const value = coerce(kind, raw)
  if (value !== INVALID) return value
  fail(kind, location, raw, echo, sink)
  sink.suppress(location)
  return INVALID
}

function fail(
  kind: Exclude<ScalarKind, 'string'>,
  location: string,
  raw: string,
  echo: boolean,
  sink: IssueSink,
): void {
  const { constraint, message } = COERCE_FAILURE[kind]
  reportIssue(sink, location, `${location} ${message}`, constraint, echo, raw)
}

/** Without a DTO the types are unknown: a key sent once gives a string, a repeated key an array. */
export function lastOrAll(
  values: Readonly<Record<string, readonly string[]>>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null)
  for (const key in values) {
    const list = values[key] as readonly string[]
    out[key] = list.length === 1 ? (list[0] as string) : list.slice()
  }
  return out
}

/**
 * Query or form pairs as the plain object handed to class-transformer: declared properties
 * converted, unknown keys as their last value (for `whitelist` to strip or
 * `forbidNonWhitelisted` to report). Null-prototype, so a `__proto__` key stays data.
 */
export function plainFromPairs(
  plan: DtoPlan,
  pairs: DecodedPairs,
  base: string,
  sink: IssueSink,
): Record<string, unknown> {
  const plain: Record<string, unknown> = Object.create(null)
  for (const key in pairs.values) {
    const values = pairs.values[key] as string[]
    const property = plan.byKey[key]
    if (property === undefined) {
      plain[key] = values[values.length - 1]
      continue
    }
    const value = convertValues(values, property.array, property.kind, `${base}.${key}`, true, sink)
    if (value !== INVALID) plain[key] = value
  }
  for (const pair of pairs.malformed) sink.suppress(`${base}.${pair.key}`)
  return plain
}

/**
 * Headers as a DTO's plain object: only declared properties are read (ALB adds headers of its
 * own, spec/alb.md §4.2, which `forbidNonWhitelisted` must not reject). `headerNames[i]` is the
 * lower-case header of `plan.properties[i]`. Values are never echoed.
 */
export function plainFromHeaders(
  plan: DtoPlan,
  headerNames: readonly string[],
  headerValues: (name: string) => readonly string[] | undefined,
  sink: IssueSink,
): Record<string, unknown> {
  const plain: Record<string, unknown> = Object.create(null)
  const properties = plan.properties
  for (let i = 0; i < properties.length; i++) {
    const property = properties[i] as DtoPlan['properties'][number]
    const header = headerNames[i] as string
    const values = headerValues(header)
    if (values === undefined || values.length === 0) continue
    const location = `header.${header}`
    const value = convertValues(values, property.array, property.kind, location, false, sink)
    if (value !== INVALID) plain[property.key] = value
  }
  return plain
}

/**
 * JSON has no dates: ISO 8601 strings in Date properties (also nested and in arrays) become
 * Dates here, strictly, before class-transformer's lenient `new Date(value)` could see them.
 * Mutates the freshly parsed body; reads only declared own properties.
 */
export function convertJsonDates(
  plan: DtoPlan,
  value: unknown,
  location: string,
  sink: IssueSink,
): void {
  if (!plan.hasDates || typeof value !== 'object' || value === null || Array.isArray(value)) return
  const record = value as Record<string, unknown>
  for (const property of plan.properties) {
    if (!Object.hasOwn(record, property.key)) continue
    const item = record[property.key]
    const at = `${location}.${property.key}`
    if (property.kind === 'date') {
      if (!Array.isArray(item)) {
        const date = jsonDate(item, at, sink)
        if (date !== INVALID) record[property.key] = date
        else sink.suppress(at)
        continue
      }
      let failed = false
      for (let i = 0; i < item.length && sink.full !== true; i++) {
        const date = jsonDate(item[i], `${at}[${i}]`, sink)
        if (date === INVALID) failed = true
        else item[i] = date
      }
      // class-validator reports `each` failures on the array itself, already covered here.
      if (failed) sink.suppress(at)
    } else if (property.nested?.hasDates === true) {
      if (Array.isArray(item)) {
        for (let i = 0; i < item.length; i++) {
          convertJsonDates(property.nested, item[i], `${at}[${i}]`, sink)
        }
      } else {
        convertJsonDates(property.nested, item, at, sink)
      }
    }
  }
}

/**
 * A Date for an ISO 8601 string, the item itself for a non-string, INVALID once reported. The
 * caller suppresses the location: once per array, not per item.
 */
function jsonDate(item: unknown, location: string, sink: IssueSink): unknown {
  if (typeof item !== 'string') return item
  const date = coerce('date', item)
  if (date !== INVALID) return date
  fail('date', location, item, true, sink)
  return INVALID
}
