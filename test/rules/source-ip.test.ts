import { BlockList, isIP, isIPv6 } from 'node:net'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkCidr, compileSourceIpMatcher, parseIpv4, parseIpv6 } from '../../src/rules/source-ip.js'
import { ruleRequest } from './rule-request.js'

function ipMatches(values: string[], sourceIp: string | undefined, headers = {}): boolean {
  return compileSourceIpMatcher({ type: 'source-ip', values })(ruleRequest({ sourceIp, headers }))
}

describe('compileSourceIpMatcher', () => {
  // spec/alb.md §2.8 source-ip row, §2.6
  it('matches 192.0.2.0/24 against the TCP peer, never against X-Forwarded-For', () => {
    expect(ipMatches(['192.0.2.0/24'], '192.0.2.55')).toBe(true)
    expect(ipMatches(['192.0.2.0/24'], '203.0.113.9', { 'x-forwarded-for': '192.0.2.55, 203.0.113.9' })).toBe(false)
  })

  it('does not match without a source address', () => {
    expect(ipMatches(['0.0.0.0/0', '::/0'], undefined)).toBe(false)
  })

  it('matches every IPv4 address with 0.0.0.0/0 and one with /32', () => {
    for (const ip of ['0.0.0.0', '128.0.0.1', '255.255.255.255']) expect(ipMatches(['0.0.0.0/0'], ip)).toBe(true)
    expect(ipMatches(['192.0.2.1/32'], '192.0.2.1')).toBe(true)
    expect(ipMatches(['192.0.2.1/32'], '192.0.2.2')).toBe(false)
  })

  it('respects block edges', () => {
    expect(ipMatches(['10.0.0.0/8'], '10.255.255.255')).toBe(true)
    expect(ipMatches(['10.0.0.0/8'], '11.0.0.0')).toBe(false)
    expect(ipMatches(['10.0.0.0/8'], '9.255.255.255')).toBe(false)
    expect(ipMatches(['128.0.0.0/1'], '255.0.0.1')).toBe(true)
    expect(ipMatches(['128.0.0.0/1'], '127.255.255.255')).toBe(false)
  })

  it('matches IPv6 blocks from /0 to /128', () => {
    expect(ipMatches(['::/0'], '2001:db8::1')).toBe(true)
    expect(ipMatches(['2001:db8::/32'], '2001:db8:ffff::1')).toBe(true)
    expect(ipMatches(['2001:db8::/32'], '2001:db9::1')).toBe(false)
    expect(ipMatches(['2001:db8::1/128'], '2001:DB8:0:0:0:0:0:1')).toBe(true)
    expect(ipMatches(['2001:db8::1/128'], '2001:db8::2')).toBe(false)
  })

  it('keeps IPv4 and IPv6 blocks apart', () => {
    expect(ipMatches(['::/0'], '192.0.2.1')).toBe(false)
    expect(ipMatches(['0.0.0.0/0'], '2001:db8::1')).toBe(false)
  })

  it('matches an IPv4-mapped IPv6 peer as the IPv4 address it carries', () => {
    expect(ipMatches(['192.0.2.0/24'], '::ffff:192.0.2.55')).toBe(true)
    expect(ipMatches(['192.0.2.0/24'], '::ffff:c000:237')).toBe(true)
    expect(ipMatches(['192.0.2.0/24'], '::ffff:203.0.113.9')).toBe(false)
    expect(ipMatches(['::/0'], '::ffff:192.0.2.55')).toBe(false)
  })

  it('does not treat IPv4-compatible ::a.b.c.d as IPv4', () => {
    expect(ipMatches(['192.0.2.0/24'], '::192.0.2.55')).toBe(false)
    expect(ipMatches(['::/96'], '::192.0.2.55')).toBe(true)
  })

  it('ORs the blocks of one condition', () => {
    const values = ['10.0.0.0/8', '2001:db8::/32', '192.0.2.0/24']
    expect(ipMatches(values, '192.0.2.9')).toBe(true)
    expect(ipMatches(values, '2001:db8::9')).toBe(true)
    expect(ipMatches(values, '172.16.0.1')).toBe(false)
  })

  it('does not match an address it cannot parse', () => {
    for (const ip of ['', 'localhost', '192.0.2', '192.0.2.1:443', '[2001:db8::1]', 'fe80::1%eth0']) {
      expect(ipMatches(['0.0.0.0/0', '::/0'], ip)).toBe(false)
    }
  })

  it('throws at build time for a value checkCidr refuses', () => {
    expect(() => compileSourceIpMatcher({ type: 'source-ip', values: ['10.0.0.0'] })).toThrow(/prefix/)
  })

  it('agrees with node:net BlockList on random addresses and blocks', () => {
    const v4 = fc.ipV4()
    const v6 = fc.ipV6()
    fc.assert(
      fc.property(fc.oneof(v4, v6), fc.oneof(v4, v6), fc.integer({ min: 0, max: 128 }), (net, ip, bits) => {
        const family = isIPv6(net) ? 'ipv6' : 'ipv4'
        const prefix = family === 'ipv4' ? bits % 33 : bits
        const list = new BlockList()
        list.addSubnet(net, prefix, family)
        // Normalise the network to its host-bits-zero form, as checkCidr demands.
        const network = networkOf(net, prefix)
        const expected = isIPv6(ip) === (family === 'ipv6') && list.check(ip, isIPv6(ip) ? 'ipv6' : 'ipv4')
        if (isMappedV6(ip) || isMappedV6(network)) return
        expect(ipMatches([`${network}/${prefix}`], ip)).toBe(expected)
      }),
      { numRuns: 3000 },
    )
  })
})

function isMappedV6(ip: string): boolean {
  return isIPv6(ip) && (parseIpv6(ip) ?? 0n) >> 32n === 0xffffn
}

function networkOf(ip: string, prefix: number): string {
  if (!isIPv6(ip)) {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
    const n = ((parseIpv4(ip) as number) & mask) >>> 0
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
  }
  const all = (1n << 128n) - 1n
  const n = (parseIpv6(ip) as bigint) & ((all << BigInt(128 - prefix)) & all)
  return Array.from({ length: 8 }, (_, i) => ((n >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(':')
}

describe('parseIpv4 / parseIpv6', () => {
  it('parses dotted quads and refuses leading zeros and out-of-range octets', () => {
    expect(parseIpv4('192.0.2.1')).toBe(0xc0000201)
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff)
    for (const bad of ['01.2.3.4', '256.0.0.1', '1.2.3', '1.2.3.4.5', '1..2.3', '', ' 1.2.3.4', '1.2.3.4 ']) {
      expect(parseIpv4(bad)).toBeUndefined()
    }
  })

  it('parses compressed, full and dotted-quad IPv6 forms', () => {
    expect(parseIpv6('::')).toBe(0n)
    expect(parseIpv6('::1')).toBe(1n)
    expect(parseIpv6('1::')).toBe(1n << 112n)
    expect(parseIpv6('1:2:3:4:5:6:7:8')).toBe(0x00010002000300040005000600070008n)
    expect(parseIpv6('1:2:3:4:5:6:7::')).toBe(0x00010002000300040005000600070000n)
    expect(parseIpv6('::ffff:1.2.3.4')).toBe(0xffff01020304n)
    expect(parseIpv6('1:2:3:4:5:6:1.2.3.4')).toBe(0x00010002000300040005000601020304n)
  })

  it('refuses malformed IPv6 text', () => {
    for (const bad of ['1:2:3:4:5:6:7:8:9', '1::2::3', ':::', '1:::2', ':1::', '::1:', '12345::', 'g::', '1:2:3:4:5:6:7', 'fe80::1%eth0', '::1.2.3', '1.2.3.4::', '', ':1.2.3.4']) {
      expect(parseIpv6(bad), bad).toBeUndefined()
    }
  })

  it('parses every address fast-check generates', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.ipV6(), (v4, v6) => {
        expect(parseIpv4(v4), v4).toBeDefined()
        expect(parseIpv6(v6), v6).toBeDefined()
      }),
      { numRuns: 2000 },
    )
  })

  it('accepts exactly the IPv6 texts node:net accepts (no zones)', () => {
    const chunk = fc.constantFrom('0', '1', 'ff', 'ffff', '12345', 'g', '', ':', '::', '.', '1.2.3.4', '256')
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 10 }), (parts) => {
        const text = parts.join(':')
        expect(parseIpv6(text) !== undefined, text).toBe(isIP(text) === 6)
      }),
      { numRuns: 5000 },
    )
  })
})

describe('checkCidr', () => {
  // spec/alb.md §2.6
  it('accepts IPv4 and IPv6 network addresses with a prefix', () => {
    for (const ok of ['192.0.2.0/24', '0.0.0.0/0', '10.1.2.3/32', '2001:db8::/32', '::/0', '2001:db8::1/128']) {
      expect(checkCidr(ok), ok).toEqual([])
    }
  })

  it('refuses 255.255.255.255/32', () => {
    expect(checkCidr('255.255.255.255/32')[0]).toContain('rejected by ALB')
  })

  it('refuses host bits set, as Terraform validates', () => {
    expect(checkCidr('192.0.2.1/24')[0]).toContain('host bits')
    expect(checkCidr('2001:db8::1/64')[0]).toContain('host bits')
  })

  it('refuses a missing or out-of-range prefix', () => {
    expect(checkCidr('192.0.2.1')[0]).toContain('no /prefix')
    expect(checkCidr('192.0.2.0/33')[0]).toContain('/32')
    expect(checkCidr('2001:db8::/129')[0]).toContain('/128')
    expect(checkCidr('192.0.2.0/')[0]).toContain('not a number')
    expect(checkCidr('192.0.2.0/024')[0]).toContain('not a number')
    expect(checkCidr('192.0.2.0/-1')[0]).toContain('not a number')
  })

  it('refuses what is not an address', () => {
    for (const bad of ['192.0.2/24', '01.0.0.0/8', 'example.com/24', 'fe80::%eth0/64', '*/0']) {
      expect(checkCidr(bad)[0], bad).toContain('not an IPv4 or IPv6 address')
    }
  })

  it('refuses IPv4-mapped IPv6 blocks and suggests the IPv4 block', () => {
    expect(checkCidr('::ffff:192.0.2.0/120')[0]).toContain('write the IPv4 block')
    expect(checkCidr('::/0')).toEqual([])
  })
})
