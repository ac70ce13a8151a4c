import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ManifestError } from '../../src/manifest/errors.js'
import type { ManifestOptions } from '../../src/manifest/model.js'
import type { AlbCondition, AlbRule, QueryStringPair, RuleAction, RuleTable } from '../../src/rules/types.js'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const schemaDir = path.resolve(repoRoot, '../shared/schemas')
export const hasSchemas = existsSync(schemaDir)

let nextId = 0

/** A table rule; priority and source default to something unique enough for one test. */
export function makeRule(overrides: Partial<AlbRule> = {}): AlbRule {
  const id = overrides.id ?? nextId++
  return {
    id,
    priority: 1000 + id * 10,
    conditions: [pathIs('/')],
    action: { type: 'forward', target: 'default' },
    source: `Test.route${id}`,
    captures: [],
    ...overrides,
  }
}

/** Rules numbered from 1000 in steps of 10, as the table builder numbers them. */
export function makeTable(...rules: Partial<AlbRule>[]): RuleTable {
  return { rules: rules.map((r, i) => makeRule({ id: i, priority: 1000 + i * 10, ...r })) }
}

export function pathIs(...values: string[]): AlbCondition {
  return { type: 'path-pattern', values, regexValues: [] }
}
export const pathRegex = (...regexValues: string[]): AlbCondition => ({
  type: 'path-pattern',
  values: [],
  regexValues,
})
export const pathMixed = (values: string[], regexValues: string[]): AlbCondition => ({
  type: 'path-pattern',
  values,
  regexValues,
})
export const host = (...values: string[]): AlbCondition => ({ type: 'host-header', values, regexValues: [] })
export const header = (name: string, values: string[], regexValues: string[] = []): AlbCondition => ({
  type: 'http-header',
  name,
  values,
  regexValues,
})
export const method = (...values: string[]): AlbCondition => ({ type: 'http-request-method', values })
export const query = (...values: QueryStringPair[]): AlbCondition => ({ type: 'query-string', values })
export const sourceIp = (...values: string[]): AlbCondition => ({ type: 'source-ip', values })

export const forward = (target: string): RuleAction => ({ type: 'forward', target })
export const notFound: RuleAction = {
  type: 'fixed-response',
  statusCode: 404,
  contentType: 'application/json',
  messageBody: '{"message":"Not Found"}',
}

export function options(overrides: Partial<ManifestOptions> = {}): ManifestOptions {
  return { format: 'cloudformation', mode: 'per-route', multiValueHeaders: true, ...overrides }
}

/**
 * A small app: a split rule (4 paths + a regex, AND 2 methods), header + query conditions, a
 * redirect, a fixed response and two targets.
 */
export function sampleTable(): RuleTable {
  return makeTable(
    {
      source: 'Users.get',
      conditions: [pathMixed(['/users/*', '/u/*', '/people/*', '/p/*'], ['^/id/[0-9]+$']), method('GET', 'HEAD')],
      action: forward('users'),
    },
    {
      source: 'Orders.create',
      conditions: [
        pathIs('/orders'),
        header('Content-Type', ['application/json*']),
        query({ key: 'version', value: 'v1' }, { value: '*beta*' }),
        method('POST'),
      ],
      action: forward('orders-api'),
    },
    {
      source: 'Legacy.redirect',
      conditions: [host('old.example.com')],
      action: { type: 'redirect', statusCode: 301, protocol: 'HTTPS', port: '443', path: '/#{path}' },
    },
    {
      source: 'Health.check',
      conditions: [pathIs('/health'), sourceIp('10.0.0.0/8', '2001:db8::/32')],
      action: { type: 'fixed-response', statusCode: 200, contentType: 'text/plain', messageBody: 'ok' },
    },
  )
}

/** Paths and methods only: either header mode routes it exactly (rules/header-mode.ts). */
export function pathOnlyTable(): RuleTable {
  return makeTable({ source: 'Files.get', conditions: [pathIs('/files/*'), method('GET')] }, { source: 'Files.put', conditions: [pathIs('/files/*'), method('PUT')] })
}

/** The ManifestError `fn` throws; any other outcome fails the test. */
export function manifestErrorOf(fn: () => unknown): ManifestError {
  try {
    fn()
  } catch (e) {
    if (e instanceof ManifestError) return e
    throw e
  }
  throw new Error('expected a ManifestError')
}
