/**
 * Resource names derived from route and target names. Each format has its own alphabet
 * (CloudFormation logical IDs: `[A-Za-z0-9]`; Terraform: letters, digits, `_`, `-`, not starting
 * with a digit), so names are rebuilt from words rather than escaped.
 */

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
}

/** `Users.get` → `UsersGet`; empty input → `fallback`. */
export function pascalName(name: string, fallback = 'Route'): string {
  const out = words(name)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')
  return out === '' ? fallback : out
}

/** `Users.getById` → `users_get_by_id`; never starts with a digit. */
export function snakeName(name: string, fallback = 'route'): string {
  const out = words(name)
    .map((w) => w.toLowerCase())
    .join('_')
  if (out === '') return fallback
  return /^[0-9]/.test(out) ? `_${out}` : out
}

/** `users-api` → `USERS_API`, for shell-style placeholders (so never starting with a digit). */
export function upperSnakeName(name: string, fallback = 'TARGET'): string {
  const out = snakeName(name, '').toUpperCase()
  return out === '' ? fallback : out
}

/**
 * A resource tag value: ELBv2 allows letters, digits, spaces and `_ . : / = + - @`, up to 256
 * characters, so a `$` in a method name becomes `_`.
 */
export function tagValue(text: string): string {
  return text.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_').slice(0, 256)
}

/** Hands out names, suffixing `separator + n` (n ≥ 2) when two sources sanitise alike. */
export class NameRegistry {
  readonly #used = new Set<string>()
  readonly #separator: string
  constructor(separator: string) {
    this.#separator = separator
  }
  take(base: string): string {
    let name = base
    for (let n = 2; this.#used.has(name); n++) name = `${base}${this.#separator}${n}`
    this.#used.add(name)
    return name
  }
}
