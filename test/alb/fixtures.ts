import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

/** Real ALB events, read-only, outside the repository (never copied in). */
export const FIXTURE_DIR = path.resolve(repoRoot, '../shared/fixtures/alb-events')
export const HAVE_FIXTURES = existsSync(FIXTURE_DIR)

/** A suite title that says why the suite is skipped when the fixtures are absent. */
export function fixtureSuite(title: string): string {
  if (HAVE_FIXTURES) return title
  return `${title} (skipped: ALB event fixtures not found at ${FIXTURE_DIR})`
}

export interface Fixture {
  readonly file: string
  readonly json: Record<string, unknown>
}

/** Every fixture, parsed; some files start with a UTF-8 BOM, which JSON.parse rejects. */
export function loadFixtures(): Fixture[] {
  if (!HAVE_FIXTURES) return []
  return readdirSync(FIXTURE_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(FIXTURE_DIR, file), 'utf8').replace(/^\uFEFF/, '')
      return { file, json: JSON.parse(text) as Record<string, unknown> }
    })
}

export function requestFixtures(): Fixture[] {
  return loadFixtures().filter((f) => typeof f.json['httpMethod'] === 'string')
}

export function responseFixtures(): Fixture[] {
  return loadFixtures().filter((f) => 'statusCode' in f.json)
}

export function fixture(file: string): Record<string, unknown> {
  const found = loadFixtures().find((f) => f.file === file)
  if (found === undefined) throw new Error(`fixture ${file} is missing`)
  return found.json
}
