/**
 * A small HCL document model with two writers: native syntax laid out as `terraform fmt` lays it
 * out, and Terraform's JSON syntax (`.tf.json`). Building the configuration once and writing it
 * twice keeps the two outputs the same configuration.
 */

export type HclExpr =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  /** A reference such as `var.listener_arn`: bare in HCL, `"${…}"` in JSON. */
  | { readonly kind: 'expression'; readonly text: string }
  /** A type (`string`) or a `depends_on` entry: bare in HCL, a plain string in JSON. */
  | { readonly kind: 'keyword'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly HclExpr[] }
  | { readonly kind: 'object'; readonly entries: readonly HclEntry[] }

export interface HclEntry {
  readonly key: string
  readonly value: HclExpr
}

export type HclItem =
  | { readonly kind: 'attribute'; readonly name: string; readonly value: HclExpr }
  | {
      readonly kind: 'block'
      readonly type: string
      readonly labels: readonly string[]
      readonly body: readonly HclItem[]
    }
  | { readonly kind: 'comment'; readonly text: string }
  | { readonly kind: 'blank' }

export const str = (value: string): HclExpr => ({ kind: 'string', value })
export const num = (value: number): HclExpr => ({ kind: 'number', value })
export const bool = (value: boolean): HclExpr => ({ kind: 'bool', value })
export const expr = (text: string): HclExpr => ({ kind: 'expression', text })
export const keyword = (text: string): HclExpr => ({ kind: 'keyword', text })
export const list = (items: readonly HclExpr[]): HclExpr => ({ kind: 'list', items })
export const object = (entries: readonly HclEntry[]): HclExpr => ({ kind: 'object', entries })
export const attr = (name: string, value: HclExpr): HclItem => ({ kind: 'attribute', name, value })
export const block = (
  type: string,
  labels: readonly string[],
  body: readonly HclItem[],
): HclItem => ({ kind: 'block', type, labels, body })
export const comment = (text: string): HclItem => ({ kind: 'comment', text })
export const blank: HclItem = { kind: 'blank' }

/** Both native strings and JSON strings are templates: a literal `${` / `%{` must be doubled. */
function escapeTemplate(s: string): string {
  return s.replace(/([$%])\{/g, '$1$1{')
}

/** A native-syntax quoted string. */
export function hclString(s: string): string {
  let out = ''
  for (const ch of s) {
    const code = ch.codePointAt(0) as number
    if (ch === '\\') out += '\\\\'
    else if (ch === '"') out += '\\"'
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (code < 0x20 || code === 0x7f) out += '\\u' + code.toString(16).padStart(4, '0')
    else out += ch
  }
  return '"' + escapeTemplate(out) + '"'
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/

interface Line {
  readonly depth: number
  /** Text up to the `=` of a one-line attribute, or the whole line. */
  readonly lead: string
  /** `= value` for a one-line attribute: consecutive ones get their `=` aligned. */
  readonly assign?: string
}

function inline(value: HclExpr): string {
  switch (value.kind) {
    case 'string':
      return hclString(value.value)
    case 'number':
    case 'bool':
      return String(value.value)
    case 'expression':
    case 'keyword':
      return value.text
    case 'list':
      return '[' + value.items.map(inline).join(', ') + ']'
    case 'object':
      if (value.entries.length === 0) return '{}'
      return `{ ${value.entries.map(entryText).join(', ')} }`
  }
}

const entryText = (e: HclEntry) => `${objectKey(e.key)} = ${inline(e.value)}`

function objectKey(key: string): string {
  return IDENTIFIER.test(key) ? key : hclString(key)
}

function assignLines(name: string, value: HclExpr, depth: number, out: Line[]): void {
  if (value.kind === 'object' && value.entries.length > 0) {
    // A line that opens a bracket is not aligned by `terraform fmt` (hclwrite's formatCells).
    out.push({ depth, lead: `${name} = {` })
    for (const e of value.entries) assignLines(objectKey(e.key), e.value, depth + 1, out)
    out.push({ depth, lead: '}' })
  } else {
    out.push({ depth, lead: name, assign: `= ${inline(value)}` })
  }
}

function bodyLines(items: readonly HclItem[], depth: number, out: Line[]): void {
  for (const item of items) {
    switch (item.kind) {
      case 'blank':
        out.push({ depth: 0, lead: '' })
        break
      case 'comment':
        for (const text of item.text.split('\n')) {
          out.push({ depth, lead: text === '' ? '#' : `# ${text}` })
        }
        break
      case 'attribute':
        assignLines(item.name, item.value, depth, out)
        break
      case 'block':
        out.push({ depth, lead: [item.type, ...item.labels.map(hclString), '{'].join(' ') })
        bodyLines(item.body, depth + 1, out)
        out.push({ depth, lead: '}' })
        break
    }
  }
}

/** Native syntax: two-space indent, `=` aligned across runs of one-line attributes. */
export function renderHcl(items: readonly HclItem[]): string {
  const lines: Line[] = []
  bodyLines(items, 0, lines)
  const text: string[] = []
  for (let i = 0; i < lines.length; ) {
    const line = lines[i] as Line
    if (line.assign === undefined) {
      text.push(line.lead === '' ? '' : '  '.repeat(line.depth) + line.lead)
      i++
      continue
    }
    let end = i
    let width = 0
    while (end < lines.length && (lines[end] as Line).assign !== undefined) {
      width = Math.max(width, (lines[end] as Line).lead.length)
      end++
    }
    for (; i < end; i++) {
      const l = lines[i] as Line
      text.push('  '.repeat(l.depth) + l.lead.padEnd(width) + ' ' + (l.assign as string))
    }
  }
  return text.join('\n') + '\n'
}

function jsonValue(value: HclExpr): unknown {
  switch (value.kind) {
    case 'string':
      return escapeTemplate(value.value)
    case 'number':
    case 'bool':
      return value.value
    case 'expression':
      return '${' + value.text + '}'
    case 'keyword':
      return value.text
    case 'list':
      return value.items.map(jsonValue)
    case 'object':
      return Object.fromEntries(
        value.entries.map((e) => [escapeTemplate(e.key), jsonValue(e.value)]),
      )
  }
}

/**
 * Terraform JSON syntax: labelled blocks nest one object per label, unlabelled (nested) blocks
 * become arrays of bodies, comments join into the body's `"//"` property.
 */
export function toTerraformJson(items: readonly HclItem[]): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  const comments: string[] = []
  for (const item of items) {
    if (item.kind === 'comment') comments.push(item.text)
    else if (item.kind === 'attribute') body[item.name] = jsonValue(item.value)
    else if (item.kind === 'block') {
      if (item.labels.length === 0) {
        const blocks = (body[item.type] ??= []) as unknown[]
        blocks.push(toTerraformJson(item.body))
      } else {
        let at = (body[item.type] ??= {}) as Record<string, unknown>
        for (const label of item.labels.slice(0, -1)) {
          at = (at[label] ??= {}) as Record<string, unknown>
        }
        at[item.labels[item.labels.length - 1] as string] = toTerraformJson(item.body)
      }
    }
  }
  return comments.length === 0 ? body : { '//': comments.join('\n'), ...body }
}
