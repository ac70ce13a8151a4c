/**
 * `{name}` in a declared path is a named ALB `*`: it matches any run of characters, `/` included,
 * exactly as the `*` it becomes (spec/alb.md §2.0). Plain `*` stays an unnamed wildcard.
 */
export interface PathTemplate {
  /** The ALB path pattern (`{name}` replaced by `*`). */
  readonly pattern: string
  /** One entry per `*` in `pattern`: the capture name, or null. */
  readonly captures: readonly (string | null)[]
}

const NAME = /^[A-Za-z_$][\w$]*$/

export function parsePathTemplate(path: string): PathTemplate | { problem: string } {
  // From brace to brace with indexOf rather than a character at a time: it runs once per route
  // in a Lambda's cold start, where every step of a loop is interpreted.
  let pattern = ''
  const captures: (string | null)[] = []
  let from = 0
  for (;;) {
    const open = path.indexOf('{', from)
    const close = path.indexOf('}', from)
    const brace = open < 0 ? close : close < 0 ? open : Math.min(open, close)
    const end = brace < 0 ? path.length : brace
    for (let star = path.indexOf('*', from); star >= 0 && star < end; star = path.indexOf('*', star + 1)) captures.push(null)
    if (brace < 0) break
    if (brace === close) return { problem: `path "${path}" has an unmatched "}" at ${brace}` }
    const name = close < 0 ? '' : path.slice(open + 1, close)
    if (!NAME.test(name)) {
      return { problem: `path "${path}" has a malformed capture at ${open}: write {name} with an identifier inside` }
    }
    if (captures.includes(name)) return { problem: `path "${path}" captures {${name}} twice` }
    captures.push(name)
    pattern += path.slice(from, open) + '*'
    from = close + 1
  }
  // A path without braces is its own pattern, and one without captures shares the empty list.
  return { pattern: from === 0 ? path : pattern + path.slice(from), captures: captures.length === 0 ? NO_CAPTURES : captures }
}

const NO_CAPTURES: readonly (string | null)[] = Object.freeze([])

/** Names of a regex path's named groups, in order: its captures. */
export function regexCaptures(source: string): (string | null)[] {
  return [...source.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)].map((m) => m[1] ?? null)
}
