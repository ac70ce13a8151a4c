/** How a body is read, from its content-type's media type (parameters and case ignored). */
export type MediaKind = 'json' | 'form' | 'text' | 'other' | 'none'

/** Deeper JSON is refused before class-transformer and class-validator recurse into it. */
export const JSON_MAX_DEPTH = 64

/**
 * spec/alb.md §4.3 leaves parameter and case handling of content-type undocumented; the media
 * type is compared without parameters, case-insensitively (RFC 9110 §8.3.1).
 */
export function mediaKind(contentType: string | undefined): MediaKind {
  if (contentType === undefined) return 'none'
  // What nearly every JSON request sends, answered without slicing and lower-casing a copy.
  if (contentType === 'application/json') return 'json'
  const semicolon = contentType.indexOf(';')
  const media = semicolon === -1 ? contentType : contentType.slice(0, semicolon)
  const type = media.trim().toLowerCase()
  if (type === '') return 'none'
  if (type === 'application/json' || type.endsWith('+json')) return 'json'
  if (type === 'application/x-www-form-urlencoded') return 'form'
  return type.startsWith('text/') ? 'text' : 'other'
}

/** A JSON object, as opposed to an array, `null` or a primitive. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Whether brackets nest deeper than `max`, counted over the text without recursing. */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  if (text.length <= max || !hasMoreOpeningBrackets(text, max)) return false
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) {
      inString = true
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true
    } else if (c === 0x7d || c === 0x5d) {
      depth--
    }
  }
  return false
}

/**
 * Whether `text` holds more than `max` of `{` and `[` (strings included): nesting cannot be
 * deeper than that count, so the usual body is cleared by a few native indexOf calls instead of
 * a scan of every character.
 */
function hasMoreOpeningBrackets(text: string, max: number): boolean {
  let count = 0
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1)) if (++count > max) return true
  for (let i = text.indexOf('['); i !== -1; i = text.indexOf('[', i + 1)) if (++count > max) return true
  return false
}

// V8 quotes the input around the problem (`Unexpected token 'x', "{"a":x}" is not valid JSON`);
// the quote starts at the first `, "` or `, ..."`, and everything from there is dropped.
const QUOTED_INPUT = /, (?:\.\.\.)?"/

/** The body parsed as JSON, or a message naming the problem without echoing the body. */
export function parseJson(text: string): { value: unknown } | { error: string } {
  if (jsonNestsDeeperThan(text, JSON_MAX_DEPTH)) {
    return { error: `body is not accepted: JSON nested deeper than ${JSON_MAX_DEPTH} levels` }
  }
  try {
    return { value: JSON.parse(text) as unknown }
  } catch (error) {
    const message = error instanceof Error ? error.message : ''
    const cut = message.search(QUOTED_INPUT)
    const problem = (cut === -1 ? message : message.slice(0, cut)).slice(0, 120)
    return { error: `body is not valid JSON: ${problem === '' ? 'syntax error' : problem}` }
  }
}
