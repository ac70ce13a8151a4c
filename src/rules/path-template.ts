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
  let pattern = ''
  const captures: (string | null)[] = []
  for (let i = 0; i < path.length; i++) {
    const c = path[i]
    if (c === '{') {
      const end = path.indexOf('}', i)
      const name = end < 0 ? '' : path.slice(i + 1, end)
      if (!NAME.test(name)) {
        return { problem: `path "${path}" has a malformed capture at ${i}: write {name} with an identifier inside` }
      }
      if (captures.includes(name)) return { problem: `path "${path}" captures {${name}} twice` }
      captures.push(name)
      pattern += '*'
      i = end
    } else if (c === '}') {
      return { problem: `path "${path}" has an unmatched "}" at ${i}` }
    } else {
      if (c === '*') captures.push(null)
      pattern += c
    }
  }
  return { pattern, captures }
}

/** Names of a regex path's named groups, in order: its captures. */
export function regexCaptures(source: string): (string | null)[] {
  return [...source.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)].map((m) => m[1] ?? null)
}
