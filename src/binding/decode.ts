import type { QueryPair } from '../alb/types.js'

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

export interface DecodedPairs {
  /** Decoded key → decoded values in arrival order. A null-prototype object. */
  readonly values: Record<string, string[]>
  /** Pairs left out of `values` because their key or value is malformed; empty when none. */
  readonly malformed: readonly MalformedPair[]
}

const NO_MALFORMED: readonly MalformedPair[] = []

/**
 * The query as delivered by ALB (spec/alb.md §4.2: keys and values still encoded, `+` not yet a
 * space) decoded into key → values. The map has no prototype, so keys such as `__proto__` or
 * `constructor` are ordinary entries.
 */
export function decodeQuery(pairs: readonly QueryPair[]): DecodedPairs {
  const values: Record<string, string[]> = Object.create(null)
  let malformed: MalformedPair[] | undefined
  for (const pair of pairs) {
    const key = decodeComponent(pair.key, true)
    const value = key === undefined ? undefined : decodeComponent(pair.value, true)
    if (key === undefined || value === undefined) {
      ;(malformed ??= []).push({ key: key ?? pair.key, rawValue: pair.value })
      continue
    }
    const list = values[key]
    if (list === undefined) values[key] = [value]
    else list.push(value)
  }
  return { values, malformed: malformed ?? NO_MALFORMED }
}

/** Form-urlencoded text (WHATWG URL §5.1): `&`-separated pairs, the first `=` splits each. */
export function decodeForm(text: string): DecodedPairs {
  const pairs: QueryPair[] = []
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
      pairs.push(
        eq >= end
          ? { key: text.slice(start, end), value: '' }
          : { key: text.slice(start, eq), value: text.slice(eq + 1, end) },
      )
    }
    start = end + 1
  }
  return decodeQuery(pairs)
}
