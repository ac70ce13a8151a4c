/**
 * One URL-encoded component decoded exactly once: `+` becomes a space first (form encoding, so
 * `%2B` still yields `+`), then `%XX` sequences as UTF-8. `undefined` means malformed: a `%`
 * not followed by two hex digits, or bytes that are not UTF-8 (`%C3` alone, `%FF`).
 * Path segments pass `plusAsSpace: false` (a `+` in a path is a plus).
 */
export function decodeComponent(raw: string, plusAsSpace: boolean): string | undefined {
  const text = plusAsSpace && raw.includes('+') ? raw.replaceAll('+', ' ') : raw
  let percent = text.indexOf('%')
  if (percent === -1) return text
  // Escapes of ASCII bytes (`%20`, `%26`) are decoded here: cheaper than decodeURIComponent's
  // runtime call, and the usual query has no others. A byte from 0x80 up starts a UTF-8
  // sequence, which decodeURIComponent checks strictly (well-formed, no surrogates); its
  // URIError is caught right here.
  let decoded = ''
  let copied = 0
  while (percent !== -1) {
    const high = hexValue(text.charCodeAt(percent + 1))
    const low = hexValue(text.charCodeAt(percent + 2))
    if (high < 0 || low < 0) return undefined
    if (high >= 8) return decodeStrictly(text)
    decoded += text.slice(copied, percent) + String.fromCharCode(high * 16 + low)
    copied = percent + 3
    percent = text.indexOf('%', copied)
  }
  return decoded + text.slice(copied)
}

function decodeStrictly(text: string): string | undefined {
  try {
    return decodeURIComponent(text)
  } catch {
    return undefined
  }
}

/** The value of one hex digit's char code, or -1 (also for NaN, past the end of the string). */
function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30
  const lower = code | 0x20
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1
}

/** A query pair or form field that failed to decode; `key` is decoded if only the value failed. */
export interface MalformedPair {
  readonly key: string
  readonly rawValue: string
}

const NO_MALFORMED: readonly MalformedPair[] = []

/**
 * Query or form pairs decoded once, kept flat: `fields` is `[key, value, key, value, …]` in
 * arrival order, malformed pairs left out. A route's scalar parameters look their keys up in it
 * (a short scan, as the request's headers are): building a key → values map cost an object in
 * dictionary mode and an array per key on every request. The map is built on first use, for
 * the readers that want every key (DTOs, untyped `@Query()`).
 */
export class DecodedPairs {
  /** Decoded `[key, value, …]`; the raw pairs themselves when none needed decoding. */
  readonly fields: readonly string[]
  /** Pairs left out of `fields` because their key or value is malformed; empty when none. */
  readonly malformed: readonly MalformedPair[]
  #values: Record<string, string[]> | undefined

  constructor(fields: readonly string[], malformed: readonly MalformedPair[]) {
    this.fields = fields
    this.malformed = malformed
  }

  /** The last value of `key` (what single-value mode keeps, spec/alb.md §4.2), if any. */
  last(key: string): string | undefined {
    const fields = this.fields
    for (let i = fields.length - 2; i >= 0; i -= 2) if (fields[i] === key) return fields[i + 1]
    return undefined
  }

  /** Every value of `key` in arrival order, or undefined when it has none. */
  all(key: string): string[] | undefined {
    const fields = this.fields
    let found: string[] | undefined
    for (let i = 0; i < fields.length; i += 2) if (fields[i] === key) (found ??= []).push(fields[i + 1] as string)
    return found
  }

  /**
   * Decoded key → values in arrival order. A null-prototype object, so keys such as
   * `__proto__` or `constructor` are ordinary entries.
   */
  get values(): Record<string, string[]> {
    if (this.#values !== undefined) return this.#values
    const values: Record<string, string[]> = Object.create(null)
    const fields = this.fields
    for (let i = 0; i < fields.length; i += 2) {
      const key = fields[i] as string
      const list = values[key]
      if (list === undefined) values[key] = [fields[i + 1] as string]
      else list.push(fields[i + 1] as string)
    }
    return (this.#values = values)
  }
}

/**
 * The query as delivered by ALB (spec/alb.md §4.2: keys and values still encoded, `+` not yet a
 * space), `[key, value, …]` flat as the request model reads it, decoded. Nothing is copied when
 * no pair needed decoding (decodeComponent returns such a string itself).
 */
export function decodeQuery(raw: readonly string[]): DecodedPairs {
  let fields: string[] | undefined
  let malformed: MalformedPair[] | undefined
  for (let i = 0; i < raw.length; i += 2) {
    const rawKey = raw[i] as string
    const rawValue = raw[i + 1] as string
    const key = decodeComponent(rawKey, true)
    const value = key === undefined ? undefined : decodeComponent(rawValue, true)
    if (key === undefined || value === undefined) {
      ;(malformed ??= []).push({ key: key ?? rawKey, rawValue })
      fields ??= raw.slice(0, i)
      continue
    }
    if (fields === undefined) {
      if (key === rawKey && value === rawValue) continue
      fields = raw.slice(0, i)
    }
    fields.push(key, value)
  }
  return new DecodedPairs(fields ?? raw, malformed ?? NO_MALFORMED)
}

/** Form-urlencoded text (WHATWG URL §5.1): `&`-separated pairs, the first `=` splits each. */
export function decodeForm(text: string): DecodedPairs {
  const pairs: string[] = []
  let start = 0
  // The next `=` at or after `start`, found again only once passed: searching from every pair
  // rescanned the rest of the body for each pair without one (`a&a&…&a=1`), quadratic.
  // (`text.length` when there is none left.)
  let eq = -1
  while (start <= text.length) {
    let end = text.indexOf('&', start)
    if (end === -1) end = text.length
    if (end > start) {
      if (eq < start) {
        eq = text.indexOf('=', start)
        if (eq === -1) eq = text.length
      }
      if (eq >= end) pairs.push(text.slice(start, end), '')
      else pairs.push(text.slice(start, eq), text.slice(eq + 1, end))
    }
    start = end + 1
  }
  return decodeQuery(pairs)
}
