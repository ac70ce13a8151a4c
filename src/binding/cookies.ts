/**
 * The `cookie` header(s) as name → values in arrival order. In multi-value mode every `cookie`
 * header counts, in order (as HTTP/2 would concatenate them, RFC 9113 §8.2.3); in single-value
 * mode ALB kept only the last one (spec/alb.md §4.4).
 *
 * Parsed as the `cookie` npm package (1.x) parses, plus RFC 6265's quoted form:
 * - pairs split at `;`, name and value at the first `=`, both trimmed of spaces and tabs
 *   (RFC 6265 §4.2.1 `OWS`); a pair without `=` or with an empty name is skipped;
 * - a value in double quotes (RFC 6265 §4.1.1 `DQUOTE *cookie-octet DQUOTE`) is unquoted;
 * - a value containing `%` is percent-decoded when it is valid UTF-8 percent-encoding, and kept
 *   as sent when it is not (`cookie`'s rule: `a%` or `%ZZ` stay as they are);
 * - names are taken as sent.
 * Which of a repeated name's values a scalar gets is the binder's choice (the first: RFC 6265
 * §5.4 sends the cookie of the longest matching path first). The map has no prototype, so
 * `__proto__` is only a name; the work is one pass over the header(s).
 */
export function parseCookies(headers: readonly string[] | undefined): Record<string, string[]> {
  const cookies: Record<string, string[]> = Object.create(null)
  if (headers === undefined) return cookies
  for (const header of headers) {
    let start = 0
    while (start < header.length) {
      let end = header.indexOf(';', start)
      if (end === -1) end = header.length
      const eq = header.indexOf('=', start)
      if (eq !== -1 && eq < end) {
        const name = trimmed(header, start, eq)
        if (name !== '') {
          const value = cookieValue(trimmed(header, eq + 1, end))
          const list = cookies[name]
          if (list === undefined) cookies[name] = [value]
          else list.push(value)
        }
      }
      start = end + 1
    }
  }
  return cookies
}

/** `text.slice(start, end)` without leading and trailing spaces and tabs. */
function trimmed(text: string, start: number, end: number): string {
  while (start < end && isBlank(text.charCodeAt(start))) start++
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--
  return text.slice(start, end)
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09
}

/** A raw value unquoted, then percent-decoded when that is valid. */
export function cookieValue(raw: string): string {
  const value = raw.length >= 2 && raw.charCodeAt(0) === 0x22 && raw.charCodeAt(raw.length - 1) === 0x22 ? raw.slice(1, -1) : raw
  if (!value.includes('%')) return value
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
