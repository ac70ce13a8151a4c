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
 * Query or form pairs, checked once and decoded as they are read. Every key and value is checked
 * to be well-formed when the pairs are built (a malformed pair anywhere fails the request); keys
 * are decoded then, values on first read: a route reads a few keys of a query that may carry
 * more, and decoding the others only built strings nobody read. A route's scalar parameters look
 * their keys up with `last`/`all` (a short scan, as the request's headers are): a key → values
 * map cost an object in dictionary mode and an array per key on every request. The map is built
 * on first use, for the readers that want every key (DTOs, untyped `@Query()`).
 */
export class DecodedPairs {
  /** Pairs left out because their key or value is malformed; empty when none. */
  readonly malformed: readonly MalformedPair[]
  /** The pairs as delivered, `[key, value, …]`, still encoded. */
  readonly #raw: readonly string[]
  /** Decoded keys by pair (undefined: the pair is malformed); undefined when every key is as delivered and well-formed. */
  readonly #keys: readonly (string | undefined)[] | undefined
  /** Decoded values by pair, of the values checking already decoded (non-ASCII escapes). */
  readonly #decoded: (string | undefined)[] | undefined
  #values: Record<string, string[]> | undefined

  constructor(raw: readonly string[], keys: readonly (string | undefined)[] | undefined, malformed: readonly MalformedPair[], decoded: (string | undefined)[] | undefined) {
    this.#raw = raw
    this.#keys = keys
    this.malformed = malformed
    this.#decoded = decoded
  }

  /** The last value of `key` (what single-value mode keeps, spec/alb.md §4.2), if any. */
  last(key: string): string | undefined {
    for (let pair = this.#raw.length / 2 - 1; pair >= 0; pair--) if (this.#keyOf(pair) === key) return this.#valueOf(pair)
    return undefined
  }

  /** Every value of `key` in arrival order, or undefined when it has none. */
  all(key: string): string[] | undefined {
    let found: string[] | undefined
    const pairs = this.#raw.length / 2
    for (let pair = 0; pair < pairs; pair++) if (this.#keyOf(pair) === key) (found ??= []).push(this.#valueOf(pair))
    return found
  }

  /**
   * The distinct decoded keys in the order they first came, which is the order of `values`
   * when no key is an array index (those come first there, in numeric order); undefined
   * when some key may be one, or there are more than `max` pairs.
   */
  orderedKeys(max: number): string[] | undefined {
    const pairs = this.#raw.length / 2
    if (pairs > max) return undefined
    const keys: string[] = []
    for (let pair = 0; pair < pairs; pair++) {
      const key = this.#keyOf(pair)
      if (key === undefined) continue
      const first = key.charCodeAt(0)
      if (first >= 0x30 && first <= 0x39) return undefined
      if (!keys.includes(key)) keys.push(key)
    }
    return keys
  }

  /** How many pairs came, malformed ones included (`keyAt` is undefined for those). */
  get count(): number {
    return this.#raw.length / 2
  }

  /** The decoded key of pair `pair`, or undefined for a malformed pair. */
  keyAt(pair: number): string | undefined {
    return this.#keyOf(pair)
  }

  /** The well-formed pairs decoded, `[key, value, …]` in arrival order. */
  get fields(): string[] {
    const fields: string[] = []
    const pairs = this.#raw.length / 2
    for (let pair = 0; pair < pairs; pair++) {
      const key = this.#keyOf(pair)
      if (key !== undefined) fields.push(key, this.#valueOf(pair))
    }
    return fields
  }

  /**
   * Decoded key → values in arrival order. A null-prototype object, so keys such as
   * `__proto__` or `constructor` are ordinary entries.
   */
  get values(): Record<string, string[]> {
    if (this.#values !== undefined) return this.#values
    const values: Record<string, string[]> = Object.create(null)
    const pairs = this.#raw.length / 2
    for (let pair = 0; pair < pairs; pair++) {
      const key = this.#keyOf(pair)
      if (key === undefined) continue
      const list = values[key]
      if (list === undefined) values[key] = [this.#valueOf(pair)]
      else list.push(this.#valueOf(pair))
    }
    return (this.#values = values)
  }

  #keyOf(pair: number): string | undefined {
    return this.#keys === undefined ? this.#raw[2 * pair] : this.#keys[pair]
  }

  /** The decoded value of a well-formed pair. */
  #valueOf(pair: number): string {
    const known = this.#decoded?.[pair]
    if (known !== undefined) return known
    const raw = this.#raw[2 * pair + 1] as string
    if (raw.indexOf('%') === -1 && raw.indexOf('+') === -1) return raw
    // Not kept: a route reads a value once, and the array that kept it cost more than decoding twice.
    return decodeComponent(raw, true) as string
  }
}

/**
 * Whether `text` decodes (decodeComponent's `undefined` is the answer for no), without building
 * the decoded string for the usual value, whose escapes are all of ASCII bytes; a value with
 * others is decoded (decodeURIComponent checks UTF-8), and that decoding handed back for reuse.
 */
function checkEncoding(text: string): boolean | string {
  let percent = text.indexOf('%')
  while (percent !== -1) {
    const high = hexValue(text.charCodeAt(percent + 1))
    const low = hexValue(text.charCodeAt(percent + 2))
    if (high < 0 || low < 0) return false
    if (high >= 8) return decodeComponent(text, true) ?? false
    percent = text.indexOf('%', percent + 3)
  }
  return true
}

/**
 * The query as delivered by ALB (spec/alb.md §4.2: keys and values still encoded, `+` not yet a
 * space), `[key, value, …]` flat as the request model reads it. Every key and value is checked
 * here; a pair with a malformed one is left out and listed in `malformed`.
 */
export function decodeQuery(raw: readonly string[]): DecodedPairs {
  let keys: (string | undefined)[] | undefined
  let decoded: (string | undefined)[] | undefined
  let malformed: MalformedPair[] | undefined
  for (let i = 0; i < raw.length; i += 2) {
    const rawKey = raw[i] as string
    const rawValue = raw[i + 1] as string
    const key = decodeComponent(rawKey, true)
    const checked = key === undefined ? false : checkEncoding(rawValue)
    if (key === undefined || checked === false) {
      ;(malformed ??= []).push({ key: key ?? rawKey, rawValue })
      keys ??= keysBefore(raw, i)
      keys[i / 2] = undefined
      continue
    }
    // Arrays sized once, by pair: growing them as filled allocated them several times over.
    if (typeof checked === 'string') (decoded ??= new Array<string | undefined>(raw.length / 2))[i / 2] = checked
    if (keys !== undefined) keys[i / 2] = key
    else if (key !== rawKey) (keys = keysBefore(raw, i))[i / 2] = key
  }
  return new DecodedPairs(raw, keys, malformed ?? NO_MALFORMED, decoded)
}

/** A key array for every pair of `raw`, holding the keys of the pairs before index `end`, which all were as delivered. */
function keysBefore(raw: readonly string[], end: number): (string | undefined)[] {
  const keys = new Array<string | undefined>(raw.length / 2)
  for (let i = 0; i < end; i += 2) keys[i / 2] = raw[i]
  return keys
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
