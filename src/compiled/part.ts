import type { AppOptions } from '../app-types.js'
import type { ClassType } from '../metadata/types.js'
import { headKey } from '../verified-table/declaration-key.js'
import type { VerifiedTable } from '../verified-table/table.js'
import { formatProblem } from '../verified-table/table.js'
import { COMPILED_VERSION, type CompiledRule, type CompiledTable } from './format.js'
import { recordMismatch, routedClasses } from './records.js'

/**
 * The compiled part of a verified table, written for these app options, or why the table has
 * none albatross/compiled can run: one reading for the Lambda (compiled/app.ts) and the checking
 * paths (compiled/mismatch.ts), so tests, the CLI and a cold start refuse a table with the same words.
 */
export function readCompiledPart(given: VerifiedTable, options: AppOptions): CompiledTable | { readonly problem: string } {
  const format = formatProblem(given)
  if (format !== undefined) return { problem: format }
  const written = (given as { readonly compiled?: unknown }).compiled
  // JSON text: V8 parses a string literal for next to nothing and JSON.parse natively, where the
  // same data as an object literal cost the bundle's parse about 2 M instructions (issue #18).
  const compiled = typeof written === 'string' && written.startsWith('{') ? parsed(written) : written
  if (typeof compiled === 'string') {
    return { problem: `albatross/compiled cannot run this app (${compiled}): import createApp from 'albatross/lambda', which runs every feature` }
  }
  // Another format (an older albatross's, version 1 before conditions) is refused here too.
  if (typeof compiled !== 'object' || compiled === null || (compiled as Partial<CompiledTable>).version !== COMPILED_VERSION) {
    return { problem: 'the table holds no compiled routes: it was written for an entry that imports createApp from albatross/lambda or albatross, or by another albatross version' }
  }
  // Edited or cut short by hand: refused here, not a TypeError somewhere in the comparison.
  const { head, controllers, rules } = compiled as Partial<CompiledTable>
  if (typeof head !== 'string' || !Array.isArray(controllers) || !controllers.every(Array.isArray) || !Array.isArray(rules) || !rules.every(Array.isArray)) {
    return { problem: 'its compiled routes are not what `albatross check` writes' }
  }
  if (headKey(options) !== head) {
    return { problem: 'the app options the checks read (priorities, defaultAction) or the checks themselves changed since the check' }
  }
  return compiled as CompiledTable
}

/**
 * The controllers the compiled table holds (records.ts routedClasses), each one's name as the
 * table's sources give it, and why their decorator records are not the table's (undefined when
 * they are): the comparison a cold start makes, and the checking paths with it.
 */
export function recordsAgainst(
  compiled: CompiledTable,
  sources: readonly string[],
  controllers: readonly ClassType[],
): { readonly classes: ClassType[]; readonly names: readonly string[]; readonly mismatch: string | undefined } {
  const classes = routedClasses(controllers)
  const names = controllerNames(compiled.rules, sources, classes.length)
  return { classes, names, mismatch: recordMismatch(classes, compiled, (c) => names[c] as string) }
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** Each controller's name as the table's sources give it (`Users.get` → `Users`), else `controller <n>`. */
function controllerNames(rules: readonly CompiledRule[], sources: readonly string[], count: number): string[] {
  const names: string[] = new Array<string>(count)
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r] as CompiledRule
    const id = rule[0]
    const controller = rule[5]
    const member = rule[6]
    const source = sources[id]
    if (names[controller] === undefined && source !== undefined && source.endsWith(`.${member}`)) names[controller] = source.slice(0, -member.length - 1)
  }
  for (let c = 0; c < count; c++) names[c] ??= `controller ${c + 1}`
  return names
}
