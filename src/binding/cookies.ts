/**
 * The `cookie` header(s) as name → values in arrival order (RFC 6265 §5.4: `; `-separated
 * pairs, the first `=` splits). In multi-value mode every `cookie` header counts; in
 * single-value mode ALB kept only the last one (spec/alb.md §4.4).
 *
 * Values are returned as sent, not URL-decoded and not unquoted: RFC 6265 leaves the encoding
 * to the application, and decoding here would garble values that merely contain a `%`.
 * A pair without `=` is not a cookie and is skipped. The map has no prototype.
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
        const name = header.slice(start, eq).trim()
        if (name !== '') {
          const value = header.slice(eq + 1, end).trim()
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
