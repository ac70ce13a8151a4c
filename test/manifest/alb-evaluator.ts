/**
 * A naive ALB listener, written from spec/alb.md §1–§2 alone and on purpose sharing no code with
 * src/ (no rules/, no router/): it reads listener rules as they appear in an emitted CloudFormation
 * template and picks the rule ALB would. Tests compare its choice with the in-Lambda router's.
 *
 * It also refuses rules ALB itself would refuse (§1.1, §1.3, §1.4), so whatever it evaluates is
 * deployable as far as those limits go. Globs are matched by a small backtracking matcher rather
 * than by translation to RegExp, so a bug in one technique cannot hide in both implementations.
 */

/** An HTTP request as it reaches ALB. */
export interface ListenerRequest {
  readonly method: string
  /** Path only, as sent (never decoded). */
  readonly path: string
  /** The Host header as sent, `:port` included; undefined when absent. */
  readonly host: string | undefined
  /** Header fields in arrival order, names in any case, repeats allowed. */
  readonly headers: readonly (readonly [string, string])[]
  /** Query pairs in arrival order, still percent-encoded. */
  readonly query: readonly (readonly [string, string])[]
  /** The TCP peer address (§2.6: never X-Forwarded-For). */
  readonly sourceIp: string
}

export interface ListenerDecision {
  /** The matched rule's `Metadata['albatross:route']`, or `'default'` for the listener default. */
  readonly route: string
  /** The matched rule's priority, or `'default'`. */
  readonly priority: number | 'default'
  /** The matched rule's CloudFormation logical ID. */
  readonly logicalId: string | undefined
  /** The matched rule's `Actions`, or the template's listener default actions when given. */
  readonly actions: readonly Record<string, unknown>[]
}

/** One ListenerRule resource, checked against ALB's limits. */
export interface ListenerRule {
  readonly logicalId: string
  readonly route: string
  readonly priority: number
  readonly conditions: readonly Condition[]
  readonly actions: readonly Record<string, unknown>[]
}

type Json = Record<string, unknown>

type Condition =
  | { readonly field: 'path-pattern' | 'host-header'; readonly values: string[]; readonly regexValues: string[] }
  | { readonly field: 'http-header'; readonly name: string; readonly values: string[]; readonly regexValues: string[] }
  | { readonly field: 'http-request-method' | 'source-ip'; readonly values: string[] }
  | { readonly field: 'query-string'; readonly pairs: { key: string | undefined; value: string }[] }

// spec/alb.md §1.4 (the lower numbers where two AWS pages disagree, §6 #6).
const PER_CONDITION = 3
const PER_RULE = 5
const WILDCARDS_PER_RULE = 5
const PRIORITY_MIN = 1
const PRIORITY_MAX = 50000
const ROUTING_ACTIONS = new Set(['forward', 'fixed-response', 'redirect'])
const CONFIG_KEY: Record<string, string> = {
  'path-pattern': 'PathPatternConfig',
  'host-header': 'HostHeaderConfig',
  'http-header': 'HttpHeaderConfig',
  'http-request-method': 'HttpRequestMethodConfig',
  'query-string': 'QueryStringConfig',
  'source-ip': 'SourceIpConfig',
}
// §1.3: only http-header and query-string may repeat in one rule.
const ONCE = new Set(['path-pattern', 'host-header', 'http-request-method', 'source-ip'])

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

function refuse(id: string, message: string): never {
  throw new Error(`ALB would refuse listener rule ${id}: ${message}`)
}

function stringList(id: string, v: unknown, what: string): string[] {
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) refuse(id, `${what} is not a list of strings`)
  return v as string[]
}

/** `*` and `?` in a value pattern; `\*` `\?` are literals only where `escapes` (query strings, §2.5). */
function wildcardsIn(pattern: string, escapes: boolean): number {
  let n = 0
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (escapes && c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '?')) i++
    else if (c === '*' || c === '?') n++
  }
  return n
}

function readCondition(id: string, raw: unknown): Condition {
  if (!isObject(raw)) refuse(id, 'a condition is not an object')
  const field = raw['Field']
  if (typeof field !== 'string' || CONFIG_KEY[field] === undefined) refuse(id, `unknown Field ${String(field)}`)
  // The emitted form is always XxxConfig (§5); the legacy top-level lists would be a second source.
  if ('Values' in raw || 'RegexValues' in raw) refuse(id, `${field} uses the legacy top-level Values`)
  const configKey = CONFIG_KEY[field] as string
  for (const key of Object.keys(raw)) {
    if (key !== 'Field' && key !== configKey) refuse(id, `${field} condition has a stray ${key}`)
  }
  const config = raw[configKey]
  if (!isObject(config)) refuse(id, `${field} condition has no ${configKey}`)
  const values = config['Values'] === undefined ? [] : config['Values']
  switch (field) {
    case 'path-pattern':
    case 'host-header':
    case 'http-header': {
      const v = stringList(id, values, `${configKey}.Values`)
      const r = stringList(id, config['RegexValues'] ?? [], `${configKey}.RegexValues`)
      // §2.0: one config holds Values or RegexValues, not both.
      if (v.length > 0 && r.length > 0) refuse(id, `${configKey} has both Values and RegexValues`)
      if (v.length + r.length === 0) refuse(id, `${configKey} has no values`)
      if (field !== 'http-header') return { field, values: v, regexValues: r }
      const name = config['HttpHeaderName']
      if (typeof name !== 'string' || !/^[A-Za-z0-9!#$%&'+\-.^_`|~]{1,40}$/.test(name)) {
        refuse(id, `HttpHeaderName ${String(name)} is not a token of at most 40 characters (§2.2)`)
      }
      if (name.toLowerCase() === 'host') refuse(id, 'http-header cannot name Host (§2.2)')
      return { field, name, values: v, regexValues: r }
    }
    case 'http-request-method':
    case 'source-ip': {
      if ('RegexValues' in config) refuse(id, `${field} takes no regex (§2.3, §2.6)`)
      const v = stringList(id, values, `${configKey}.Values`)
      if (v.length === 0) refuse(id, `${configKey} has no values`)
      if (field === 'http-request-method' && !v.every((m) => /^[A-Z_-]{1,40}$/.test(m))) {
        refuse(id, `method values ${JSON.stringify(v)} are not A-Z - _ (§2.3)`)
      }
      if (field === 'source-ip') for (const cidr of v) parseCidr(cidr) ?? refuse(id, `"${cidr}" is not a CIDR block`)
      return { field, values: v }
    }
    default: {
      if (!Array.isArray(values) || values.length === 0) refuse(id, 'QueryStringConfig.Values is empty')
      const pairs = values.map((p: unknown) => {
        if (!isObject(p) || typeof p['Value'] !== 'string') refuse(id, 'a query-string pair has no Value (§2.5)')
        if (p['Key'] !== undefined && typeof p['Key'] !== 'string') refuse(id, 'a query-string Key is not a string')
        return { key: p['Key'] as string | undefined, value: p['Value'] }
      })
      return { field: 'query-string', pairs }
    }
  }
}

function checkLimits(id: string, conditions: readonly Condition[]): void {
  if (conditions.length === 0) refuse(id, 'a rule needs at least one condition (§1.1)')
  const seen = new Set<string>()
  let strings = 0
  let wildcards = 0
  for (const c of conditions) {
    if (ONCE.has(c.field) && seen.has(c.field)) refuse(id, `two ${c.field} conditions (§1.3)`)
    seen.add(c.field)
    const count = c.field === 'query-string' ? c.pairs.length : c.values.length + ('regexValues' in c ? c.regexValues.length : 0)
    if (count > PER_CONDITION) refuse(id, `${count} values in one ${c.field} condition (§1.4: ${PER_CONDITION})`)
    strings += count
    if (c.field === 'query-string') {
      for (const p of c.pairs) wildcards += wildcardsIn(p.value, true) + wildcardsIn(p.key ?? '', true)
    } else if (c.field !== 'http-request-method' && c.field !== 'source-ip') {
      for (const v of c.values) wildcards += wildcardsIn(v, false)
    }
  }
  if (strings > PER_RULE) refuse(id, `${strings} comparison strings (§1.4: ${PER_RULE} per rule)`)
  if (wildcards > WILDCARDS_PER_RULE) refuse(id, `${wildcards} wildcards (§1.4: ${WILDCARDS_PER_RULE} per rule)`)
}

function readActions(id: string, raw: unknown): Json[] {
  if (!Array.isArray(raw) || raw.length === 0 || !raw.every(isObject)) refuse(id, 'Actions is not a non-empty list')
  const routing = raw.filter((a) => ROUTING_ACTIONS.has(String(a['Type'])))
  // §1.6: exactly one routing action; Order is required with more than one action.
  if (routing.length !== 1) refuse(id, `${routing.length} routing actions (§1.6: exactly one)`)
  if (raw.length > 1 && !raw.every((a) => typeof a['Order'] === 'number')) refuse(id, 'several actions without Order (§1.6)')
  return raw
}

/** The template's ListenerRule resources in evaluation order, each checked as ALB would. */
export function listenerRules(resources: Record<string, unknown>): ListenerRule[] {
  const rules: ListenerRule[] = []
  const priorities = new Map<number, string>()
  for (const [id, resource] of Object.entries(resources)) {
    if (!isObject(resource) || resource['Type'] !== 'AWS::ElasticLoadBalancingV2::ListenerRule') continue
    const properties = resource['Properties']
    if (!isObject(properties)) refuse(id, 'no Properties')
    const priority = properties['Priority']
    if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < PRIORITY_MIN || priority > PRIORITY_MAX) {
      refuse(id, `Priority ${String(priority)} is not an integer 1–50000 (§1.1)`)
    }
    const holder = priorities.get(priority)
    if (holder !== undefined) refuse(id, `Priority ${priority} is already used by ${holder} (PriorityInUse, §1.1)`)
    priorities.set(priority, id)
    if (!Array.isArray(properties['Conditions'])) refuse(id, 'Conditions is not a list')
    const conditions = properties['Conditions'].map((c) => readCondition(id, c))
    checkLimits(id, conditions)
    const metadata = resource['Metadata']
    const route = isObject(metadata) && typeof metadata['albatross:route'] === 'string' ? metadata['albatross:route'] : id
    rules.push({ logicalId: id, route, priority, conditions, actions: readActions(id, properties['Actions']) })
  }
  // §1.1: ascending priority, first match wins.
  return rules.sort((a, b) => a.priority - b.priority)
}

/**
 * The rule ALB picks for `request` (§1.1: ascending priority, the first rule whose conditions all
 * hold; §1.2: conditions AND-ed, a condition's values OR-ed), or the listener's default.
 * `defaultActions` is what to report for the default (a template's listener metadata, say).
 */
export function evaluateListener(
  resources: Record<string, unknown>,
  request: ListenerRequest,
  defaultActions: readonly Record<string, unknown>[] = [],
): ListenerDecision {
  for (const rule of listenerRules(resources)) {
    if (rule.conditions.every((c) => conditionHolds(c, request))) {
      return { route: rule.route, priority: rule.priority, logicalId: rule.logicalId, actions: rule.actions }
    }
  }
  return { route: 'default', priority: 'default', logicalId: undefined, actions: defaultActions }
}

/** Evaluates a template: its Resources, and its listener default actions from the metadata. */
export function evaluateTemplate(template: unknown, request: ListenerRequest): ListenerDecision {
  if (!isObject(template) || !isObject(template['Resources'])) throw new Error('not a CloudFormation template')
  const listener = isObject(template['Metadata']) ? template['Metadata']['albatross:listener'] : undefined
  const defaults = isObject(listener) && Array.isArray(listener['DefaultActions']) ? listener['DefaultActions'].filter(isObject) : []
  return evaluateListener(template['Resources'], request, defaults)
}

function conditionHolds(c: Condition, request: ListenerRequest): boolean {
  switch (c.field) {
    case 'path-pattern':
      // §2.4: the path only, case-sensitive. Regex comparand: the path too (§6 #3, the router's reading).
      return anyValue(c.values, c.regexValues, [request.path], false)
    case 'host-header':
      // §2.1: case-insensitive, the Host as sent (port included); no Host, no match.
      return request.host !== undefined && anyValue(c.values, c.regexValues, [request.host], true)
    case 'http-header': {
      // §2.2: name case-insensitive, each occurrence compared whole, any occurrence may match.
      const name = c.name.toLowerCase()
      const occurrences = request.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v)
      return anyValue(c.values, c.regexValues, occurrences, true)
    }
    case 'http-request-method':
      // §2.3: exact, case-sensitive.
      return c.values.includes(request.method)
    case 'query-string':
      // §2.5: some pair whose key (when given) and value match; case-insensitive, \* \? literal.
      return request.query.some(([key, value]) =>
        c.pairs.some((p) => (p.key === undefined || globMatches(p.key, key, true, true)) && globMatches(p.value, value, true, true)),
      )
    case 'source-ip':
      return c.values.some((cidr) => cidrContains(cidr, request.sourceIp))
  }
}

function anyValue(values: readonly string[], regexValues: readonly string[], comparands: readonly string[], fold: boolean): boolean {
  return comparands.some(
    (text) => values.some((v) => globMatches(v, text, fold, false)) || regexValues.some((r) => new RegExp(r).test(text)),
  )
}

type Token = { kind: 'star' } | { kind: 'one' } | { kind: 'char'; char: string }

function tokens(pattern: string, escapes: boolean): Token[] {
  const out: Token[] = []
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string
    if (escapes && c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '?')) {
      out.push({ kind: 'char', char: pattern[++i] as string })
    }
    else if (c === '*') out.push({ kind: 'star' })
    else if (c === '?') out.push({ kind: 'one' })
    else out.push({ kind: 'char', char: c })
  }
  return out
}

/**
 * §2.0: the whole comparand; `*` any run of characters (`/` and `.` included), `?` exactly one.
 * `fold` compares ASCII letters case-insensitively. Memoised backtracking over (token, char).
 */
export function globMatches(pattern: string, text: string, fold: boolean, escapes: boolean): boolean {
  const toks = tokens(pattern, escapes)
  const norm = (s: string) => (fold ? s.replace(/[A-Z]/g, (ch) => ch.toLowerCase()) : s)
  const t = norm(text)
  const failed = new Set<number>()
  const match = (i: number, j: number): boolean => {
    const key = i * (t.length + 1) + j
    if (failed.has(key)) return false
    let ok: boolean
    const tok = toks[i]
    if (tok === undefined) ok = j === t.length
    else if (tok.kind === 'star') ok = match(i + 1, j) || (j < t.length && match(i, j + 1))
    else if (j >= t.length) ok = false
    else if (tok.kind === 'one') ok = match(i + 1, j + 1)
    else ok = norm(tok.char) === t[j] && match(i + 1, j + 1)
    if (!ok) failed.add(key)
    return ok
  }
  return match(0, 0)
}

interface Cidr {
  readonly family: 4 | 6
  readonly network: bigint
  readonly prefix: number
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.')
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255)) return undefined
  return parts.reduce((n, p) => (n << 8n) | BigInt(p), 0n)
}

function parseV6(text: string): bigint | undefined {
  let body = text
  const tail: number[] = []
  // A trailing dotted quad is the last 32 bits (::ffff:1.2.3.4).
  const quad = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (quad !== null) {
    const v4 = parseV4(quad[2] as string)
    if (v4 === undefined) return undefined
    tail.push(Number(v4 >> 16n), Number(v4 & 0xffffn))
    body = (quad[1] as string).endsWith('::') ? (quad[1] as string) : (quad[1] as string).slice(0, -1)
  }
  const halves = body.split('::')
  if (halves.length > 2) return undefined
  const groups = (s: string) => (s === '' ? [] : s.split(':'))
  const head = groups(halves[0] as string)
  const rest = halves.length === 2 ? groups(halves[1] as string) : []
  if (![...head, ...rest].every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined
  const given = head.length + rest.length + tail.length
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined
  const all = [...head.map((g) => parseInt(g, 16)), ...new Array<number>(8 - given).fill(0), ...rest.map((g) => parseInt(g, 16)), ...tail]
  return all.reduce((n, g) => (n << 16n) | BigInt(g), 0n)
}

function parseAddress(text: string): { family: 4 | 6; value: bigint } | undefined {
  const v4 = parseV4(text)
  if (v4 !== undefined) return { family: 4, value: v4 }
  const v6 = text.includes(':') ? parseV6(text) : undefined
  return v6 === undefined ? undefined : { family: 6, value: v6 }
}

function parseCidr(text: string): Cidr | undefined {
  const [address = '', prefixText, extra] = text.split('/')
  if (prefixText === undefined || extra !== undefined || !/^\d{1,3}$/.test(prefixText)) return undefined
  const parsed = parseAddress(address)
  const prefix = Number(prefixText)
  if (parsed === undefined || prefix > (parsed.family === 4 ? 32 : 128)) return undefined
  return { family: parsed.family, network: parsed.value, prefix }
}

/**
 * §2.6: the peer address lies in the block. An IPv4 peer is compared with IPv4 blocks only and an
 * IPv6 peer with IPv6 blocks only (a block is "IPv4 or IPv6").
 */
export function cidrContains(cidr: string, address: string): boolean {
  const block = parseCidr(cidr)
  const peer = parseAddress(address)
  if (block === undefined || peer === undefined || block.family !== peer.family) return false
  const bits = BigInt(block.family === 4 ? 32 : 128)
  const shift = bits - BigInt(block.prefix)
  return peer.value >> shift === block.network >> shift
}
