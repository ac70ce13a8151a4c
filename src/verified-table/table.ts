import { AlbatrossError } from '../http-error.js'
import { checkedRuleTable } from '../rules/build-table.js'
import type { RouteSpec, RuleTable } from '../rules/types.js'
import type { RouteDefinition } from '../metadata/types.js'
import { declarationKey, headKey, keyParts, keySource, routeKeyText, type KeyOptions } from './declaration-key.js'

/**
 * What `albatross check <entry> --out <file>` writes once every declaration check has passed,
 * as a module's default export: the routes' priorities and their declarations as checked.
 * `createApp({ controllers, table })` then skips those checks, after making sure the table still
 * matches the controllers (it refuses one that does not). Plain strings and numbers, so the
 * module compiles as TypeScript or JavaScript under tsc, tsx and esbuild without a type import.
 */
export interface VerifiedTable {
  /** The format: `TABLE_FORMAT`, or `'unverified'` for the stand-in check writes before the first pass. */
  readonly albatross: string
  /** The command that wrote it, quoted in createApp's error when the table no longer matches. */
  readonly command: string
  /** Each route's priority, in declaration order (the preflight rule last, with CORS). */
  readonly priorities: readonly number[]
  /**
   * Each route's name as checked (`Users.get`), in the same order: what a trusting createApp
   * names its routes, so a bundle whose class names a minifier changed still reports, routes and
   * writes manifests under the names the sources give.
   */
  readonly sources: readonly string[]
  /** declaration-key.ts: the routes, these priorities and the options as they were checked; empty in an albatross/compiled entry's table, whose Lambda compares the compiled part instead (compiled/mismatch.ts). */
  readonly checked: string
  /**
   * What albatross/compiled's createApp runs (compiled/format.ts: CompiledTable), or why it cannot
   * run this app. Typed loosely: the module's literal arrays do not infer as the tuples it holds.
   */
  readonly compiled?: unknown
}

export const TABLE_FORMAT = 'verified-table/2'

/** createApp's refusal of a table that is not the one its controllers were checked with. */
export class StaleTableError extends AlbatrossError {
  override name = 'StaleTableError'
  constructor(reason: string, command: unknown) {
    super(
      'ERR_STALE_TABLE',
      `createApp({ table }): the verified rule table does not match the controllers: ${reason}. ` +
        `Run \`${typeof command === 'string' && command !== '' ? command : 'albatross check <entry> --out <table file>'}\` again (it runs every declaration check and rewrites the table), then rebuild.`,
    )
  }
}

/** Why a table written for an albatross/compiled entry, which carries no declaration key, is refused here. */
export const COMPILED_ONLY =
  "the table was written for an entry that imports createApp from albatross/compiled: it holds that entry's compiled routes and no declaration key, which this createApp compares with the routes. Import createApp from 'albatross/compiled', or re-run `albatross check --out` for this entry"

/** The table `albatross check --out` writes for routes whose checks passed and were numbered `table`. */
export function verifiedTableOf(specs: readonly RouteSpec[], table: RuleTable, options: KeyOptions, command: string): VerifiedTable {
  const priorities: number[] = []
  for (const rule of table.rules) priorities[rule.id] = rule.priority
  return { albatross: TABLE_FORMAT, command, priorities, sources: specs.map((spec) => spec.source), checked: declarationKey(specs, priorities, options) }
}

/** Why `given` is not a table in this albatross's format (a stand-in, another version's, not a table), or undefined. */
export function formatProblem(given: VerifiedTable): string | undefined {
  // A JavaScript caller, or a table module that exports something else, may hand anything over.
  if (typeof given !== 'object' || given === null) return 'the table is not one `albatross check` wrote'
  if (given.albatross !== TABLE_FORMAT) {
    return given.albatross === 'unverified'
      ? 'the table is a stand-in: `albatross check` has not passed since it was created'
      : `the table's format is ${JSON.stringify(given.albatross)}, this albatross reads ${TABLE_FORMAT}`
  }
  if (!Array.isArray(given.sources) || !given.sources.every((s) => typeof s === 'string')) return 'the table is not one `albatross check` wrote'
  return undefined
}

/**
 * Why `given` is not the table of these routes (the first difference, naming the route), or
 * undefined when it is. One JSON.stringify and one string comparison when it matches.
 */
export function tableMismatch(given: VerifiedTable, specs: readonly RouteSpec[], options: KeyOptions): string | undefined {
  const format = formatProblem(given)
  if (format !== undefined) return format
  // formatProblem has checked the sources.
  const { priorities, sources } = given
  if (!Array.isArray(priorities) || typeof given.checked !== 'string') return 'the table is not one `albatross check` wrote'
  // albatross/compiled's tables carry no key (its Lambda compares the records instead): refused, not "changed".
  if (given.checked === '') return COMPILED_ONLY
  if (priorities.length === specs.length && sources.length === specs.length && declarationKey(specs, priorities, options) === given.checked) return undefined
  return difference(given, specs, options)
}

/**
 * The first difference between a table and the routes, once they do not match: apart from
 * tableMismatch, so a cold start whose table matches does not compile it.
 */
function difference(given: VerifiedTable, specs: readonly RouteSpec[], options: KeyOptions): string {
  const { priorities, sources } = given
  // Something differs: the first route that does.
  const parts = keyParts(given.checked)
  if (parts === undefined) return 'the table is not one `albatross check` wrote'
  if (parts.head !== headKey(options)) {
    return `the app options the checks read (priorities, defaultAction) or the checks themselves changed: checked with ${parts.head}, now ${headKey(options)} ([checks version, priorities.start, priorities.step, defaultAction])`
  }
  // Routes are told apart by what the key holds of their names (keySource), and named in messages
  // as the table names them where it has them at that place.
  const checked = parts.routes
  const inTable = new Set(checked.map((r) => r.source))
  const declared = new Set(specs.map(keySource))
  for (let id = 0; id < specs.length; id++) {
    const spec = specs[id] as RouteSpec
    const entry = checked[id]
    const name = keySource(spec)
    if (entry === undefined || entry.source !== name) {
      if (!inTable.has(name)) return `${spec.source} is not in the table (a route added since the check)`
      if (entry !== undefined && !declared.has(entry.source)) return `${sources[id] ?? entry.source} is in the table but no longer declared`
      return `${spec.source} is not where the table has it (routes or controllers reordered)`
    }
    if (routeKeyText(spec, priorities[id] ?? Number.NaN) !== entry.key) {
      return `${sources[id] ?? spec.source} changed since the check (its path, methods, conditions, priority, action or parameters)`
    }
  }
  const removed = checked[specs.length]
  if (removed !== undefined) return `${sources[specs.length] ?? removed.source} is in the table but no longer declared`
  if (sources.length !== specs.length) return 'the table is not one `albatross check` wrote'
  return 'its priorities are not the ones the routes were checked with'
}

/**
 * The rule table `given` describes, once it matches the routes; a StaleTableError otherwise. The
 * routes take the names they were checked under (see `sources`).
 */
export function trustedRuleTable(given: VerifiedTable, specs: readonly RouteSpec[], options: KeyOptions): RuleTable {
  const mismatch = tableMismatch(given, specs, options)
  if (mismatch !== undefined) throw new StaleTableError(mismatch, (given as Partial<VerifiedTable> | null)?.command)
  nameAsChecked(specs, given.sources)
  return checkedRuleTable(specs, given.priorities)
}

/**
 * Gives each route its checked name, where a minifier renamed its class (`Be.get` for
 * `Users.get`): in place, since the route definitions read from the controllers are the ones the
 * app keeps, before the rule table, the pipeline and the router are built from them (the auth
 * gate, made earlier, reads a route's name when a request runs). The key matched, so only the
 * class part of a name can differ.
 */
function nameAsChecked(specs: readonly RouteSpec[], sources: readonly string[]): void {
  for (let id = 0; id < specs.length; id++) {
    const spec = specs[id] as RouteSpec & { source: string; controllerName?: string }
    const source = sources[id] as string
    if (spec.source === source) continue
    const method = (spec as Partial<RouteDefinition>).methodName
    spec.source = source
    if (method !== undefined && source.endsWith(`.${method}`)) spec.controllerName = source.slice(0, -method.length - 1)
  }
}
