import { countWildcards } from '../rules/condition.js'
import {
  PRIORITY_MAX,
  VALUES_PER_CONDITION,
  VALUES_PER_RULE,
  WILDCARDS_PER_RULE,
} from '../rules/limits.js'
import type { AlbCondition, AlbRule, QueryStringPair, RuleTable } from '../rules/types.js'
import { ManifestError } from './errors.js'

/**
 * One ALB-valid listener rule cut from a table rule. Its conditions keep the table's types, but
 * each holds `values` or `regexValues`, never both, within ALB's per-condition and per-rule
 * limits; the union of a rule's parts matches exactly what the table rule matches.
 */
export interface AlbRuleSplit {
  readonly rule: AlbRule
  /** 1-based; parts of one rule sit at consecutive priorities in this order. */
  readonly part: number
  readonly parts: number
  /** The table priority for part 1, then `+ step` per part (before any manifest offset). */
  readonly priority: number
  readonly conditions: readonly AlbCondition[]
}

/** Types that may appear once per rule (spec/alb.md §1.3). */
const SINGLE_TYPES = new Set(['path-pattern', 'host-header', 'http-request-method', 'source-ip'])

/** ALB refuses a rule without conditions (spec/alb.md §1.1); `/*` matches every path (§2.8). */
const ANY_PATH: AlbCondition = { type: 'path-pattern', values: ['/*'], regexValues: [] }

interface Item {
  readonly value: string | QueryStringPair
  readonly regex: boolean
  readonly wildcards: number
  readonly label: string
}

interface Chunking {
  readonly size: number
  readonly wildcards: number
  readonly chunks: readonly (readonly Item[])[]
}

/**
 * The fewest ALB rules that together match exactly what `rule` matches. A condition's OR-ed
 * values are cut into chunks and the rule becomes the cartesian product of its conditions'
 * chunks; chunk sizes are chosen (see chooseChunkings) so every combination stays within
 * 3 values per condition, 5 per rule and 5 wildcards per rule (spec/alb.md §1.4).
 */
export function splitRule(rule: AlbRule, step = 1): AlbRuleSplit[] {
  const conditions = rule.conditions.length === 0 ? [ANY_PATH] : rule.conditions
  checkRepeats(rule)
  const items = conditions.map((c) => itemsOf(c, rule.source))
  const chosen = chooseChunkings(items, rule.source)
  const parts = chosen.reduce((n, c) => n * c.chunks.length, 1)
  const out: AlbRuleSplit[] = []
  const pick = new Array<number>(conditions.length).fill(0)
  for (let part = 1; part <= parts; part++) {
    out.push({
      rule,
      part,
      parts,
      priority: rule.priority + (part - 1) * step,
      conditions: conditions.map((c, i) => withItems(c, chunkAt(chosen, i, pick))),
    })
    // Odometer over the chunk indexes, the last condition turning fastest.
    for (let i = conditions.length - 1; i >= 0; i--) {
      pick[i] = (pick[i] as number) + 1
      if ((pick[i] as number) < (chosen[i] as Chunking).chunks.length) break
      pick[i] = 0
    }
  }
  return out
}

/**
 * Every table rule split, in table order, checked so that each rule's parts stay below the next
 * rule's priority and within 1–50000.
 */
export function splitTable(table: RuleTable, step = 1): AlbRuleSplit[] {
  const out: AlbRuleSplit[] = []
  table.rules.forEach((rule, i) => {
    const parts = splitRule(rule, step)
    const last = (parts[parts.length - 1] as AlbRuleSplit).priority
    const next = table.rules[i + 1]
    if (next !== undefined && next.priority <= rule.priority) {
      throw new ManifestError(
        'ERR_MANIFEST_PRIORITY',
        `priority ${rule.priority} is not below the next rule's (${next.source}, ` +
          `${next.priority}); the table must be in strictly ascending priority order`,
        rule.source,
      )
    }
    if (next !== undefined && last >= next.priority) {
      throw new ManifestError(
        'ERR_MANIFEST_PRIORITY',
        `needs ${parts.length} ALB rules (priorities ${rule.priority}–${last}) but ` +
          `${next.source} has priority ${next.priority}; raise the priority step ` +
          '(createApp priority options) or leave a wider gap after an explicit @Priority',
        rule.source,
      )
    }
    if (last > PRIORITY_MAX) {
      throw new ManifestError(
        'ERR_MANIFEST_PRIORITY',
        `needs ${parts.length} ALB rules (priorities ${rule.priority}–${last}), past ALB's ` +
          `highest priority ${PRIORITY_MAX} (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html); lower its priority`,
        rule.source,
      )
    }
    out.push(...parts)
  })
  return out
}

function checkRepeats(rule: AlbRule): void {
  const seen = new Set<string>()
  for (const c of rule.conditions) {
    if (SINGLE_TYPES.has(c.type) && seen.has(c.type)) {
      throw new ManifestError(
        'ERR_MANIFEST_RULE_LIMIT',
        `has more than one ${c.type} condition; ALB allows one per rule, only http-header ` +
          'and query-string repeat (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html)',
        rule.source,
      )
    }
    seen.add(c.type)
  }
}

function itemsOf(condition: AlbCondition, source: string): Item[] {
  const items: Item[] = []
  const seen = new Set<string>()
  const add = (value: string | QueryStringPair, regex: boolean, wildcards: number) => {
    const label = typeof value === 'string' ? value : pairText(value)
    const key = (regex ? 'r' : 'v') + (typeof value === 'string' ? value : pairText(value, '\0'))
    if (seen.has(key)) return
    seen.add(key)
    if (wildcards > WILDCARDS_PER_RULE) {
      throw new ManifestError(
        'ERR_MANIFEST_RULE_LIMIT',
        `${condition.type} value "${label}" has ${wildcards} wildcards; ALB allows ` +
          `${WILDCARDS_PER_RULE} per rule (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html)`,
        source,
      )
    }
    items.push({ value, regex, wildcards, label })
  }
  // Counted one value at a time with rules/' own count, so both agree on what a wildcard is.
  const count = (value: string | QueryStringPair, regex: boolean) =>
    countWildcards(withItems(condition, [{ value, regex, wildcards: 0, label: '' }]))
  for (const v of condition.values) add(v, false, count(v, false))
  if ('regexValues' in condition) {
    for (const r of condition.regexValues) add(r, true, count(r, true))
  }
  if (items.length === 0) {
    throw new ManifestError(
      'ERR_MANIFEST_INPUT',
      `its ${condition.type} condition has no values; ALB requires at least one (§1.1)`,
      source,
    )
  }
  return items
}

function pairText(pair: QueryStringPair, separator = '='): string {
  return pair.key === undefined ? pair.value : `${pair.key}${separator}${pair.value}`
}

/** Cut values and regexes apart (one config holds only one kind, §2.0), first-fit under caps. */
function chunk(items: readonly Item[], maxSize: number, maxWildcards: number): Chunking {
  const chunks: Item[][] = []
  const wildcards: number[] = []
  for (const regex of [false, true]) {
    const first = chunks.length
    for (const item of items) {
      if (item.regex !== regex) continue
      let at = first
      while (
        at < chunks.length &&
        ((chunks[at] as Item[]).length >= maxSize ||
          (wildcards[at] as number) + item.wildcards > maxWildcards)
      ) {
        at++
      }
      if (at === chunks.length) {
        chunks.push([])
        wildcards.push(0)
      }
      ;(chunks[at] as Item[]).push(item)
      wildcards[at] = (wildcards[at] as number) + item.wildcards
    }
  }
  return {
    size: Math.max(...chunks.map((c) => c.length)),
    wildcards: Math.max(...wildcards),
    chunks,
  }
}

function candidatesOf(items: readonly Item[]): Chunking[] {
  const byUsage = new Map<string, Chunking>()
  const floor = Math.max(...items.map((i) => i.wildcards))
  // Fullest chunks first: among equally few rules the DP keeps the first, so [3, 1] beats [2, 2].
  for (let size = VALUES_PER_CONDITION; size >= 1; size--) {
    for (let w = WILDCARDS_PER_RULE; w >= floor; w--) {
      const c = chunk(items, size, w)
      const key = `${c.size}/${c.wildcards}`
      const known = byUsage.get(key)
      if (known === undefined || c.chunks.length < known.chunks.length) byUsage.set(key, c)
    }
  }
  return [...byUsage.values()]
}

/**
 * Every combination takes one chunk per condition, so the per-rule budgets must cover the sum of
 * the largest chunks; a DP over (values left, wildcards left) minimises the product of chunk
 * counts. Budgets are 5×5, so this is a few hundred steps however many values a rule holds.
 */
function chooseChunkings(items: readonly Item[][], source: string): Chunking[] {
  if (items.length > VALUES_PER_RULE) {
    throw new ManifestError(
      'ERR_MANIFEST_RULE_LIMIT',
      `has ${items.length} conditions, each needing at least one comparison string; ALB ` +
        `allows ${VALUES_PER_RULE} per rule (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html)`,
      source,
    )
  }
  const floors = items.map((list) => list.reduce((m, i) => Math.max(m, i.wildcards), 0))
  const least = floors.reduce((a, b) => a + b, 0)
  if (least > WILDCARDS_PER_RULE) {
    const worst = items
      .map((list, i) => list.find((it) => it.wildcards > 0 && it.wildcards === floors[i]))
      .flatMap((it) => (it === undefined ? [] : [`"${it.label}"`]))
    throw new ManifestError(
      'ERR_MANIFEST_RULE_LIMIT',
      `needs ${least} wildcards in one ALB rule (values ${worst.join(', ')} are AND-ed); ALB ` +
        `allows ${WILDCARDS_PER_RULE} per rule (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html)`,
      source,
    )
  }
  const candidates = items.map(candidatesOf)
  const memo = new Map<string, { count: number; pick: Chunking[] }>()
  const best = (i: number, size: number, wild: number): { count: number; pick: Chunking[] } => {
    if (i === candidates.length) return { count: 1, pick: [] }
    const key = `${i}/${size}/${wild}`
    const known = memo.get(key)
    if (known !== undefined) return known
    let result = { count: Infinity, pick: [] as Chunking[] }
    for (const c of candidates[i] as Chunking[]) {
      if (c.size > size || c.wildcards > wild) continue
      const rest = best(i + 1, size - c.size, wild - c.wildcards)
      const count = c.chunks.length * rest.count
      if (count < result.count) result = { count, pick: [c, ...rest.pick] }
    }
    memo.set(key, result)
    return result
  }
  const { count, pick } = best(0, VALUES_PER_RULE, WILDCARDS_PER_RULE)
  if (count > PRIORITY_MAX) {
    throw new ManifestError(
      'ERR_MANIFEST_RULE_LIMIT',
      `would need ${count} ALB rules; drop values or split the route`,
      source,
    )
  }
  return pick
}

function chunkAt(chosen: readonly Chunking[], i: number, pick: readonly number[]): readonly Item[] {
  return (chosen[i] as Chunking).chunks[pick[i] as number] as readonly Item[]
}

function withItems(condition: AlbCondition, items: readonly Item[]): AlbCondition {
  const strings = (regex: boolean) =>
    items.filter((i) => i.regex === regex).map((i) => i.value as string)
  switch (condition.type) {
    case 'path-pattern':
    case 'host-header':
    case 'http-header':
      return { ...condition, values: strings(false), regexValues: strings(true) }
    case 'query-string':
      return { ...condition, values: items.map((i) => i.value as QueryStringPair) }
    case 'http-request-method':
    case 'source-ip':
      return { ...condition, values: strings(false) }
  }
}
