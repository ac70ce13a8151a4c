import { installConditionMatcher, installedMatcher } from './installed-matchers.js'
import type { RuleRequest, SourceIpCondition } from './types.js'

const SOURCE =
  'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SourceIpConditionConfig.html'
const LOW_32 = 0xffffffffn
const ALL_128 = (1n << 128n) - 1n

/** A dotted quad as an unsigned 32-bit number; no leading zeros (they read as octal elsewhere). */
export function parseIpv4(text: string): number | undefined {
  let value = 0
  let octet = -1
  let digits = 0
  let dots = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 46) {
      if (digits === 0 || dots === 3) return undefined
      value = value * 256 + octet
      dots++
      digits = 0
      octet = -1
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return undefined
      octet = (digits === 0 ? 0 : octet * 10) + (c - 48)
      if (octet > 255) return undefined
      digits++
    } else return undefined
  }
  if (digits === 0 || dots !== 3) return undefined
  return value * 256 + octet
}

function parseGroups(part: string, out: number[]): boolean {
  if (part === '') return true
  for (const group of part.split(':')) {
    if (!/^[0-9A-Fa-f]{1,4}$/.test(group)) return false
    out.push(parseInt(group, 16))
  }
  return true
}

/** An IPv6 address (`::` and a trailing dotted quad allowed; no zone) as a 128-bit bigint. */
export function parseIpv6(text: string): bigint | undefined {
  let groupsText = text
  const quad: number[] = []
  const lastColon = text.lastIndexOf(':')
  if (lastColon < 0) return undefined
  if (text.includes('.', lastColon)) {
    const v4 = parseIpv4(text.slice(lastColon + 1))
    if (v4 === undefined) return undefined
    quad.push(v4 >>> 16, v4 & 0xffff)
    groupsText = text.slice(0, lastColon + 1)
    if (!groupsText.endsWith('::')) groupsText = groupsText.slice(0, -1)
  }
  const halves = groupsText.split('::')
  if (halves.length > 2) return undefined
  const head: number[] = []
  const rest: number[] = []
  if (!parseGroups(halves[0] as string, head)) return undefined
  if (halves.length === 2 && !parseGroups(halves[1] as string, rest)) return undefined
  const last = halves.length === 2 ? rest : head
  last.push(...quad)
  const explicit = head.length + rest.length
  if (halves.length === 2 ? explicit > 7 : explicit !== 8) return undefined
  let value = 0n
  for (const g of head) value = (value << 16n) | BigInt(g)
  value <<= 16n * BigInt(8 - explicit)
  for (const g of rest) value = (value << 16n) | BigInt(g)
  return value
}

type Cidr =
  | { readonly version: 4; readonly network: number; readonly prefix: number }
  | { readonly version: 6; readonly network: bigint; readonly prefix: number }

/** A CIDR block, or the reason it is not one (a sentence for declaration errors). */
export function parseCidr(value: string): Cidr | string {
  const slash = value.indexOf('/')
  if (slash < 0) return 'has no /prefix; ALB takes CIDR blocks (write /32 or /128 for one address)'
  const address = value.slice(0, slash)
  const prefixText = value.slice(slash + 1)
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) {
    return `has the prefix "/${prefixText}", which is not a number`
  }
  const prefix = Number(prefixText)
  const v4 = parseIpv4(address)
  if (v4 !== undefined) {
    if (prefix > 32) return `has the prefix /${prefix}; IPv4 prefixes go up to /32`
    return { version: 4, network: v4, prefix }
  }
  const v6 = address.includes(':') ? parseIpv6(address) : undefined
  if (v6 === undefined) return `has "${address}", which is not an IPv4 or IPv6 address`
  if (prefix > 128) return `has the prefix /${prefix}; IPv6 prefixes go up to /128`
  return { version: 6, network: v6, prefix }
}

/** Inside `::ffff:0:0/96`, the IPv4-mapped addresses. */
function isMapped(address: bigint): boolean {
  return address >> 32n === 0xffffn
}

function mask4(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
}

function mask6(prefix: number): bigint {
  return (ALL_128 << BigInt(128 - prefix)) & ALL_128
}

/**
 * Problems with a source-ip value: a CIDR with its network address (host bits zero, as Terraform
 * validates), never `255.255.255.255/32` (spec/alb.md §2.6). IPv4-mapped IPv6 blocks are refused:
 * how ALB matches them is undocumented, and the IPv4 block says the same thing plainly.
 */
export function checkCidr(value: string): string[] {
  if (typeof value !== 'string') return [`source-ip value ${String(value)} is not a string`]
  const shown = `source-ip "${value}"`
  const cidr = parseCidr(value)
  if (typeof cidr === 'string') return [`${shown} ${cidr} (${SOURCE})`]
  if (value === '255.255.255.255/32') return [`${shown} is rejected by ALB (${SOURCE})`]
  const hostBits =
    cidr.version === 4
      ? (cidr.network & mask4(cidr.prefix)) >>> 0 !== cidr.network
      : (cidr.network & mask6(cidr.prefix)) !== cidr.network
  if (hostBits) {
    return [`${shown} has host bits set; ALB (and Terraform) want the network address (${SOURCE})`]
  }
  if (cidr.version === 6 && cidr.prefix >= 96 && isMapped(cidr.network)) {
    return [
      `${shown} is an IPv4-mapped IPv6 block, whose matching ALB does not document; ` +
        `write the IPv4 block instead (${SOURCE})`,
    ]
  }
  return []
}

type SourceIpMatcher = typeof compileSourceIpMatcher

/**
 * The matcher is installed by `@SourceIp`, the one declaration that makes the condition, and by
 * the checking createApp (runtime/features.ts); rules/condition.ts and albatross/compiled's router
 * read it through the one registry of installed matchers (rules/installed-matchers.ts) rather than
 * calling it, so a bundle of an app that never names `@SourceIp` leaves it out (issue #18), as
 * rules/redirect.ts does for the redirect action.
 */
export function installSourceIpMatcher(): void {
  installConditionMatcher('source-ip', compileSourceIpMatcher)
}

/** compileSourceIpMatcher, once installed. */
export function installedSourceIpMatcher(): SourceIpMatcher | undefined {
  return installedMatcher<SourceIpCondition>('source-ip') as SourceIpMatcher | undefined
}

/**
 * CIDR containment of the TCP peer address (never X-Forwarded-For's client list, spec/alb.md
 * §2.6). A mapped `::ffff:a.b.c.d` peer is an IPv4 client seen through an IPv6 socket, so it is
 * matched as IPv4: it hits IPv4 blocks and no IPv6 block (not even `::/0`). No address ⇒ false.
 */
export function compileSourceIpMatcher(
  condition: SourceIpCondition,
): (request: RuleRequest) => boolean {
  const v4: { network: number; mask: number }[] = []
  const v6: { network: bigint; mask: bigint }[] = []
  for (const value of condition.values) {
    const cidr = parseCidr(value)
    if (typeof cidr === 'string') throw new Error(`source-ip "${value}" ${cidr}`)
    if (cidr.version === 4) v4.push({ network: cidr.network, mask: mask4(cidr.prefix) })
    else v6.push({ network: cidr.network, mask: mask6(cidr.prefix) })
  }
  const inV4 = (address: number): boolean => {
    for (const block of v4) if (((address & block.mask) >>> 0) === block.network) return true
    return false
  }
  return (request) => {
    const ip = request.sourceIp
    if (ip === undefined) return false
    if (!ip.includes(':')) {
      const address = parseIpv4(ip)
      return address !== undefined && inV4(address)
    }
    const address = parseIpv6(ip)
    if (address === undefined) return false
    if (isMapped(address)) return inV4(Number(address & LOW_32))
    for (const block of v6) if ((address & block.mask) === block.network) return true
    return false
  }
}
