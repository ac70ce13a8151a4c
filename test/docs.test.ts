import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// STYLE.md § Errors: every error code is listed in the README, and the README lists no code the
// sources no longer throw.
const root = fileURLToPath(new URL('..', import.meta.url))

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [readFileSync(path.join(dir, e.name), 'utf8')] : [],
  )
}

describe('README error codes', () => {
  const inSources = new Set(sources(path.join(root, 'src')).flatMap((text) => [...text.matchAll(/'((?:ERR|WARN)_[A-Z_]+)'/g)].map((m) => m[1])))
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Error codes'), readme.indexOf('\n## ', readme.indexOf('## Error codes') + 1))
  const inReadme = new Set([...section.matchAll(/`((?:ERR|WARN)_[A-Z_]+)`/g)].map((m) => m[1]))

  it('finds codes in the sources', () => expect(inSources.size).toBeGreaterThan(3))
  it('lists every code the sources use', () => expect([...inSources].filter((c) => !inReadme.has(c))).toEqual([]))
  it('lists no stale code', () => expect([...inReadme].filter((c) => !inSources.has(c))).toEqual([]))
})
