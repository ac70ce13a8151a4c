import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { ALBEvent } from 'aws-lambda'
import type { ValidatorOptions } from 'class-validator'
import { albEvent } from '../../src/alb/build-event.js'
import type { AlbEventInput } from '../../src/alb/build-event.js'
import { parseEvent } from '../../src/alb/parse-event.js'
import type { AlbRequest } from '../../src/alb/types.js'
import { createBinder } from '../../src/binding/binder.js'
import { HttpError } from '../../src/http-error.js'
import type { ParamDefinition, ParamOptions, ParamSource } from '../../src/metadata/types.js'

export const MODES = [
  ['single-value', false],
  ['multi-value', true],
] as const

export function requestFrom(event: ALBEvent | AlbEventInput): AlbRequest {
  const parsed = parseEvent('httpMethod' in event ? event : albEvent(event))
  if ('error' in parsed) throw new Error(parsed.error)
  return parsed
}

/**
 * A parameter as the decorators record it. `designType` defaults to `Object`, what tsc emits for
 * `unknown`, unions and interfaces; a build without metadata (esbuild) is `noMetadata(…)`.
 */
export function param(
  source: ParamSource,
  name?: string,
  options: ParamOptions = {},
  designType: unknown = Object,
  index = 0,
): ParamDefinition {
  return { index, source, name, options, designType }
}

/** The parameter as a build without decorator metadata records it. */
export function noMetadata(def: ParamDefinition): ParamDefinition {
  return { ...def, designType: undefined }
}

export interface BindCall {
  readonly params?: Record<string, string>
  readonly context?: unknown
  readonly validation?: ValidatorOptions
}

/** Binds `defs` (indexes assigned in order) against the request; resolves to args or the HttpError. */
export async function bind(
  defs: readonly ParamDefinition[],
  request: AlbEventInput | ALBEvent,
  call: BindCall = {},
): Promise<{ args: unknown[]; error?: undefined } | { args?: undefined; error: HttpError }> {
  const params = defs.map((def, index) => ({ ...def, index }))
  const binder = createBinder({ source: 'Test.method', params }, { validation: call.validation })
  try {
    const args = await binder(requestFrom(request), call.params ?? {}, call.context)
    return { args }
  } catch (error) {
    if (error instanceof HttpError) return { error }
    throw error
  }
}

/** The one argument of a single-parameter binding; fails the test on a 400. */
export async function bindOne(def: ParamDefinition, request: AlbEventInput | ALBEvent, call?: BindCall) {
  const result = await bind([def], request, call)
  if (result.error !== undefined) {
    throw new Error(`unexpected ${result.error.status}: ${JSON.stringify(result.error.details)}`)
  }
  return result.args[0]
}

export interface Issue {
  location: string
  message: string
  constraint: string
  value?: string
}

/** The `errors` of a 400, failing the test when binding succeeded or failed otherwise. */
export async function issuesOf(
  defs: readonly ParamDefinition[],
  request: AlbEventInput | ALBEvent,
  call?: BindCall,
): Promise<Issue[]> {
  const result = await bind(defs, request, call)
  if (result.error === undefined) throw new Error(`expected a 400, got ${JSON.stringify(result.args)}`)
  if (result.error.status !== 400) throw new Error(`expected a 400, got ${result.error.status}: ${result.error.message}`)
  return (result.error.details as { errors: Issue[] }).errors
}

/**
 * Runs `contents` (TypeScript, resolved from the repo root) bundled by esbuild with mainFields
 * main,module and module,main — the latter loads class-transformer's esm5 build for the
 * decorators — and returns each run's JSON output by field order.
 */
export async function runBundled(contents: string, format: 'esm' | 'cjs' = 'esm'): Promise<Record<string, unknown>> {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  const out = mkdtempSync(path.join(tmpdir(), 'albatross-storage-probe-'))
  const answers: Record<string, unknown> = {}
  try {
    for (const mainFields of [['main', 'module'], ['module', 'main']]) {
      const outfile = path.join(out, `${mainFields.join('-')}.${format === 'esm' ? 'mjs' : 'cjs'}`)
      await build({
        stdin: { contents, loader: 'ts', resolveDir: root },
        outfile,
        bundle: true,
        platform: 'node',
        format,
        mainFields,
        logLevel: 'silent',
        ...(format === 'esm' ? { banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } } : {}),
        tsconfigRaw: { compilerOptions: { experimentalDecorators: true } },
      })
      answers[mainFields.join(',')] = JSON.parse(execFileSync(process.execPath, [outfile], { encoding: 'utf8' }))
    }
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
  return answers
}
