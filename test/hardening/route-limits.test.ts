import { describe, expect, it } from 'vitest'
import {
  All,
  Controller,
  Delete,
  FixedResponse,
  Get,
  Head,
  Header,
  Host,
  Options,
  Patch,
  Post,
  Priority,
  Put,
  Query,
  Redirect,
  SourceIp,
  createApp,
  type AppOptions,
  type RedirectOptions,
} from '../../src/index.js'

type Controllers = AppOptions['controllers']

/**
 * The message of the one RouteDeclarationError createApp throws. DESIGN.md: "A pattern, value or
 * count beyond ALB's limits is an error at app creation time naming the controller and method,
 * not at deploy time."
 */
function declarationError(controllers: Controllers, options: Partial<AppOptions> = {}): string {
  let thrown: unknown
  try {
    createApp({ controllers, ...options })
  } catch (error) {
    thrown = error
  }
  expect(thrown, 'createApp accepted a route ALB could not express').toBeInstanceOf(Error)
  expect(thrown).toMatchObject({ code: 'ERR_ROUTE_DECLARATION' })
  return (thrown as Error).message
}

/** One problem line, `  - Controller.method: …`, that names the limit. */
function expectProblem(message: string, source: string, limit: RegExp): void {
  const lines = message.split('\n').filter((line) => line.startsWith(`  - ${source}: `))
  expect(lines, `no problem line for ${source} in:\n${message}`).not.toEqual([])
  expect(lines.join('\n')).toMatch(limit)
}

/** A manifest's listener rules (CloudFormation JSON, one rule per route part). */
async function perRouteRules(controllers: Controllers): Promise<Array<{ Conditions: Array<Record<string, unknown>> }>> {
  const app = createApp({ controllers })
  const template = JSON.parse(await app.manifest({ format: 'cloudformation', mode: 'per-route', json: true })) as {
    Resources: Record<string, { Type: string; Properties: { Conditions: Array<Record<string, unknown>> } }>
  }
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule')
    .map((r) => r.Properties)
}

/** Comparison strings of a CloudFormation condition (spec/alb.md §1.4 counting rule). */
function comparisons(condition: Record<string, unknown>): string[] {
  const config = Object.entries(condition).find(([key]) => key.endsWith('Config'))?.[1] as Record<string, unknown[]> | undefined
  if (config === undefined) return []
  return [...(config['Values'] ?? []), ...(config['RegexValues'] ?? [])].map((v) =>
    typeof v === 'string' ? v : `${(v as { Key?: string }).Key ?? ''}=${(v as { Value: string }).Value}`,
  )
}

describe('route limits checked at createApp: §1.1 order and selection', () => {
  it.each([0, 50_001, 1.5, -3])('refuses @Priority(%s), outside ALB\'s integer 1-50000', (priority) => {
    @Controller() class L { @Get('/a') @Priority(priority) m() {} }
    expectProblem(declarationError([L]), 'L.m', /outside ALB's 1-50000/)
  })

  it('refuses two routes with one priority (PriorityInUse), naming both', () => {
    @Controller() class L { @Get('/a') @Priority(7) first() {} @Get('/b') @Priority(7) second() {} }
    expectProblem(declarationError([L]), 'L.second', /already used by L\.first.*PriorityInUse/)
  })

  it('refuses automatic priorities that run past 50000', () => {
    @Controller() class L { @Get('/a') a() {} @Get('/b') b() {} }
    expectProblem(declarationError([L], { priorities: { start: 49_995, step: 10 } }), 'L.b', /exceeds ALB's 50000/)
  })

  it.each([
    ['@Host()', () => { @Controller() class L { @Get('/a') @Host() m() {} } return L }],
    ['@SourceIp()', () => { @Controller() class L { @Get('/a') @SourceIp() m() {} } return L }],
  ])('refuses a condition with an empty value list (%s)', (_what, make) => {
    expectProblem(declarationError([make()]), 'L.m', /condition has no values; ALB requires at least one/)
  })

  it('gives every route at least one condition: the path, so no rule is an unconditioned catch-all', () => {
    @Controller() class L { @All() m() {} }
    const [rule] = createApp({ controllers: [L] }).routes()
    expect(rule?.conditions).toEqual([{ type: 'path-pattern', values: ['/'], regexValues: [] }])
  })
})

describe('route limits checked at createApp: §1.3 condition types that may not repeat', () => {
  it('refuses two host-header conditions on one rule (class and method @Host)', () => {
    @Controller() @Host('a.example.com') class L { @Get('/a') @Host('b.example.com') m() {} }
    expectProblem(declarationError([L]), 'L.m', /2 host-header conditions; an ALB rule allows one/)
  })

  it('refuses two source-ip conditions on one rule', () => {
    @Controller() class L { @Get('/a') @SourceIp('10.0.0.0/8') @SourceIp('192.168.0.0/16') m() {} }
    expectProblem(declarationError([L]), 'L.m', /2 source-ip conditions; an ALB rule allows one/)
  })

  it('turns each method decorator into its own rule, so one rule never holds two path or method conditions', () => {
    @Controller() class L { @Get('/a') @Post('/b') m() {} }
    const rules = createApp({ controllers: [L] }).routes()
    expect(rules).toHaveLength(2)
    for (const rule of rules) {
      expect(rule.conditions.filter((c) => c.type === 'path-pattern')).toHaveLength(1)
      expect(rule.conditions.filter((c) => c.type === 'http-request-method')).toHaveLength(1)
    }
  })

  it('allows several http-header and query-string conditions (AND-ed)', () => {
    @Controller() class L { @All('/a') @Header('x-a', '1') @Header('x-b', '2') @Query('p', '1') @Query('q', '2') m() {} }
    expect(createApp({ controllers: [L] }).routes()[0]?.conditions).toHaveLength(5)
  })
})

describe('route limits checked at createApp: §1.4 per-condition and per-rule limits', () => {
  it('refuses one value with more than 5 wildcards, which no ALB rule can hold', () => {
    @Controller() class L { @Get('/a/*/*/*/*/*/*') m() {} }
    expectProblem(declarationError([L]), 'L.m', /6 wildcards; ALB allows 5 per rule/)
  })

  it('refuses AND-ed conditions that need more than 5 wildcards in every rule', () => {
    @Controller() class L { @Get('/a/{x}/{y}/{z}') @Host('*.example.com') @Header('x-a', 'a*b*c') m() {} }
    expectProblem(declarationError([L]), 'L.m', /needs 6 wildcards in one ALB rule.*ALB allows 5 per rule/)
  })

  it('refuses more than 5 conditions, which need more than 5 comparison strings in every rule', () => {
    @Controller() class L { @Get('/a') @Host('a.example.com') @Header('x-a', '1') @Header('x-b', '2') @Query('p', '1') m() {} }
    expectProblem(declarationError([L]), 'L.m', /6 conditions, each needing at least one comparison string; ALB allows 5 per rule/)
  })

  // §1.4's 3 per condition and 5 per rule are met by cutting a condition's OR-ed values over
  // several rules at consecutive priorities, which together match exactly what the route does.
  it('splits a condition with more than 3 values into ALB rules of at most 3', async () => {
    @Controller() class L { @Get('/a') @Host('a.example.com', 'b.example.com', 'c.example.com', 'd.example.com') m() {} }
    const rules = await perRouteRules([L])
    expect(rules.length).toBeGreaterThan(1)
    for (const rule of rules) for (const c of rule.Conditions) expect(comparisons(c).length).toBeLessThanOrEqual(3)
    expect(rules.flatMap((r) => r.Conditions.filter((c) => c['Field'] === 'host-header').flatMap(comparisons)).sort())
      .toEqual(['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com'])
  })

  it('splits a rule with more than 5 comparison strings into ALB rules of at most 5', async () => {
    @Controller() class L { @Get('/a') @Host('a.example.com', 'b.example.com', 'c.example.com') @Header('x-a', '1', '2', '3') m() {} }
    for (const rule of await perRouteRules([L])) {
      expect(rule.Conditions.flatMap(comparisons).length).toBeLessThanOrEqual(5)
    }
  })

  it('splits source-ip values so a condition holds at most 3 (the safe cap, spec/alb.md §6 #6)', async () => {
    @Controller() class L { @Get('/a') @SourceIp('10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10') m() {} }
    for (const rule of await perRouteRules([L])) for (const c of rule.Conditions) expect(comparisons(c).length).toBeLessThanOrEqual(3)
  })

  it('splits values so no rule holds more than 5 wildcards', async () => {
    @Controller() class L { @Get('/a') @Header('x-a', 'a*b*c', 'd*e*f', 'g*h*i') m() {} }
    for (const rule of await perRouteRules([L])) {
      expect(rule.Conditions.flatMap(comparisons).join('').split(/[*?]/).length - 1).toBeLessThanOrEqual(5)
    }
  })

  const long = 'a'.repeat(129)
  it.each([
    ['path', () => { @Controller() class L { @Get(`/${long}`) m() {} } return L }, /path pattern .* is 130 characters long; ALB allows at most 128/],
    ['host', () => { @Controller() class L { @Get('/a') @Host(`${long}.com`) m() {} } return L }, /host pattern .* is 133 characters long; ALB allows at most 128/],
    ['header value', () => { @Controller() class L { @Get('/a') @Header('x-a', long) m() {} } return L }, /header value pattern .* is 129 characters long; ALB allows at most 128/],
    ['query key', () => { @Controller() class L { @Get('/a') @Query(long, '1') m() {} } return L }, /query-string key .* is 129 characters long; ALB allows at most 128/],
    ['query value', () => { @Controller() class L { @Get('/a') @Query('k', long) m() {} } return L }, /query-string value .* is 129 characters long; ALB allows at most 128/],
    ['regex value', () => { @Controller() class L { @Get(new RegExp(`^/${long}$`)) m() {} } return L }, /regex value .* is 133 characters long; ALB allows at most 128/],
  ])('refuses a %s over 128 characters', (_what, make, limit) => {
    expectProblem(declarationError([make()]), 'L.m', limit)
  })

  it('refuses a header name over 40 characters', () => {
    @Controller() class L { @Get('/a') @Header(`x-${'a'.repeat(39)}`, '1') m() {} }
    expectProblem(declarationError([L]), 'L.m', /header name .* is 41 characters long; ALB allows at most 40/)
  })

  it.each([['x a'], ['x:a'], ['x-*'], ['x-?'], ['x(a)']])('refuses the header name %j: RFC 7230 token characters, no wildcards', (name) => {
    @Controller() class L { @Get('/a') @Header(name, '1') m() {} }
    expectProblem(declarationError([L]), 'L.m', /ALB header names are RFC 7230 tokens without wildcards/)
  })

  it('produces only methods ALB accepts (A-Z, -, _; at most 40), since methods come from fixed decorators', () => {
    @Controller() class L {
      @Get('/a') a() {} @Post('/a') b() {} @Put('/a') c() {} @Patch('/a') d() {}
      @Delete('/a') e() {} @Head('/a') f() {} @Options('/a') g() {}
    }
    const methods = createApp({ controllers: [L] }).routes().flatMap((r) => r.conditions)
      .flatMap((c) => (c.type === 'http-request-method' ? c.values : []))
    expect(methods.length).toBeGreaterThan(7)
    for (const method of methods) expect(method).toMatch(/^[A-Z_-]{1,40}$/)
  })

  it.each([
    ['a lookahead', /^\/a(?=b)/],
    ['a lookbehind', /^\/a(?<=a)b/],
    ['a backreference', /^\/(a)\1$/],
    ['a named backreference', /^\/(?<x>a)\k<x>$/],
    ['a Unicode property class', /^\/\p{L}$/u],
    ['flags', /^\/a$/i],
  ])('refuses a regex value with %s, which ALB regex conditions do not support', (_what, regex) => {
    @Controller() class L { @Get(regex) m() {} }
    expectProblem(declarationError([L]), 'L.m', /ALB regex (conditions do not support|values have no flags)|take no flags|has flags/)
  })
})

describe('route limits checked at createApp: §1.6 actions', () => {
  it.each([100, 302, 600, 42])('refuses a fixed-response status %s (ALB allows 2XX, 4XX, 5XX)', (status) => {
    @Controller() class L { @Get('/a') @FixedResponse(status, 'x') m() {} }
    expectProblem(declarationError([L]), 'L.m', /fixed-response status \d+ is not 2XX, 4XX or 5XX/)
  })

  it('refuses a fixed-response content type ALB does not allow', () => {
    @Controller() class L { @Get('/a') @FixedResponse(200, 'x', 'text/xml' as never) m() {} }
    expectProblem(declarationError([L]), 'L.m', /content type "text\/xml" is not one ALB allows/)
  })

  it('refuses a fixed-response body over 1024 bytes, counting UTF-8 bytes', () => {
    @Controller() class L { @Get('/a') @FixedResponse(200, '€'.repeat(342), 'text/plain') m() {} }
    expectProblem(declarationError([L]), 'L.m', /fixed-response body is 1026 bytes; ALB allows 1024/)
  })

  it('refuses a redirect status other than 301 or 302', () => {
    @Controller() class L { @Get('/a') @Redirect({ path: '/b', statusCode: 307 as never }) m() {} }
    expectProblem(declarationError([L]), 'L.m', /redirect status must be 301 or 302/)
  })

  it('refuses a redirect that changes none of protocol, host, port and path', () => {
    @Controller() class L { @Get('/a') @Redirect({ query: 'x=1' }) m() {} }
    expectProblem(declarationError([L]), 'L.m', /must change at least one of protocol, host, port or path/)
  })

  it.each<[string, RedirectOptions, RegExp]>([
    ['protocol', { protocol: 'FTP' as never }, /redirect protocol "FTP" must be HTTP, HTTPS or #\{protocol\}/],
    ['port 0', { port: '0' }, /redirect port "0" must be 1-65535/],
    ['port 70000', { port: '70000' }, /redirect port "70000" must be 1-65535/],
    ['empty host', { host: '' }, /redirect host must be 1-128 characters/],
    ['long host', { host: `${'h'.repeat(129)}` }, /redirect host must be 1-128 characters/],
    ['relative path', { path: 'b' }, /redirect path must start with "\/"/],
    ['long path', { path: `/${'p'.repeat(128)}` }, /at most 128 characters/],
    ['query with ?', { path: '/b', query: '?x=1' }, /redirect query must not start with "\?"/],
    ['long query', { path: '/b', query: 'q'.repeat(129) }, /redirect query .*at most 128 characters/],
  ])('refuses a redirect %s outside ALB\'s RedirectConfig', (_what, options, limit) => {
    @Controller() class L { @Get('/a') @Redirect(options) m() {} }
    expectProblem(declarationError([L]), 'L.m', limit)
  })

  it('refuses a forward target that cannot name a target group', () => {
    @Controller('/', { target: 'not a name!' }) class L { @Get('/a') m() {} }
    expectProblem(declarationError([L]), 'L.m', /target "not a name!" must be 1-64 letters, digits/)
  })

  // The default rule's action is an ALB fixed-response too (spec/alb.md §1.1, §1.6).
  it.each([
    ['status 302', { status: 302 }, /fixed-response status 302 is not 2XX, 4XX or 5XX/],
    ['a 1025-byte body', { status: 404, body: 'x'.repeat(1025) }, /fixed-response body is 1025 bytes; ALB allows 1024/],
    ['content type image/png', { status: 404, contentType: 'image/png' as never }, /content type "image\/png" is not one ALB allows/],
  ])('refuses a defaultAction ALB could not serve (%s)', (_what, defaultAction, limit) => {
    @Controller() class L { @Get('/a') m() {} }
    expect(declarationError([L], { defaultAction })).toMatch(limit)
  })
})

describe('route limits checked at createApp: §2.1 host-header', () => {
  it.each([
    ['a port', 'example.com:8443', /host pattern "example.com:8443" has ':'.*only be matched by a regex/],
    ['a space', 'exa mple.com', /has ' ', which ALB host patterns do not allow/],
    ['no dot', 'localhost', /has no "\.", which ALB host patterns require/],
    ['digits in the TLD', 'example.c0m', /only letters after the last "\."/],
    ['a wildcard in the TLD', 'example.*', /only letters after the last "\."/],
  ])('refuses a host pattern with %s', (_what, host, limit) => {
    @Controller() class L { @Get('/a') @Host(host) m() {} }
    expectProblem(declarationError([L]), 'L.m', limit)
  })
})

describe('route limits checked at createApp: §2.2 http-header', () => {
  it('refuses an http-header condition on Host (ALB requires host-header)', () => {
    @Controller() class L { @Get('/a') @Header('Host', 'a.example.com') m() {} }
    expectProblem(declarationError([L]), 'L.m', /requires a host-header condition for Host/)
  })

  it('refuses a header value pattern with characters outside visible ASCII', () => {
    @Controller() class L { @Get('/a') @Header('x-a', 'caf\u00e9', 'tab\there') m() {} }
    expectProblem(declarationError([L]), 'L.m', /ALB applies rules to visible ASCII only/)
  })

  it('refuses an empty header value pattern', () => {
    @Controller() class L { @Get('/a') @Header('x-a', '') m() {} }
    expectProblem(declarationError([L]), 'L.m', /header value pattern is empty; ALB needs 1 to 128 characters/)
  })
})

describe('route limits checked at createApp: §2.3 http-request-method', () => {
  it('refuses nothing a decorator can produce: @All leaves the method condition out instead', () => {
    @Controller() class L { @All('/a') m() {} }
    expect(createApp({ controllers: [L] }).routes()[0]?.conditions.map((c) => c.type)).toEqual(['path-pattern'])
  })
})

describe('route limits checked at createApp: §2.4 path-pattern', () => {
  it.each(['/a b', '/100%', '/a=b', '/a;b', '/a,b', '/(a)', '/a!', '/a#b', '/[a]'])(
    'refuses the path pattern %j, whose characters ALB path patterns do not allow',
    (path) => {
      @Controller() class L { @Get(path) m() {} }
      expectProblem(declarationError([L]), 'L.m', /which ALB path patterns do not allow/)
    },
  )

  it('refuses a malformed {capture}', () => {
    @Controller() class L { @Get('/a/{1x}') m() {} }
    expectProblem(declarationError([L]), 'L.m', /malformed capture/)
  })
})

describe('route limits checked at createApp: §2.5 query-string', () => {
  it.each([
    ['a percent-encoded value', 'a%20b', /albatross allows only A-Z a-z 0-9 - \. _ ~/],
    ['a space', 'a b', /albatross allows only A-Z a-z 0-9 - \. _ ~/],
    ['a stray backslash', 'a\\b', /not part of \\\* or \\\?, the only escapes ALB query strings have/],
    ['an empty value', '', /query-string value is empty; ALB needs 1 to 128 characters/],
  ])('refuses a query-string value with %s', (_what, value, limit) => {
    @Controller() class L { @Get('/a') @Query('k', value) m() {} }
    expectProblem(declarationError([L]), 'L.m', limit)
  })

  it('refuses a query-string key with characters ALB might compare decoded', () => {
    @Controller() class L { @Get('/a') @Query('a[b]', '1') m() {} }
    expectProblem(declarationError([L]), 'L.m', /query-string key "a\[b\]" has/)
  })
})

describe('route limits checked at createApp: §2.6 source-ip', () => {
  it.each([
    ['a wildcard', '10.0.*.*'],
    ['host bits set', '10.0.0.1/8'],
    ['255.255.255.255/32', '255.255.255.255/32'],
    ['a prefix over 32', '10.0.0.0/33'],
    ['an IPv6 prefix over 128', '2001:db8::/129'],
    ['a host name', 'example.com'],
  ])('refuses a source-ip value with %s', (_what, cidr) => {
    @Controller() class L { @Get('/a') @SourceIp(cidr) m() {} }
    expectProblem(declarationError([L]), 'L.m', /API_SourceIpConditionConfig\.html/)
  })
})

describe('route limits checked at createApp: §2.7 regex values', () => {

  it('refuses a regex repeat count above 1000 (RE2\'s limit)', () => {
    @Controller() class L { @Get(/^\/a{1001}$/) m() {} }
    expectProblem(declarationError([L]), 'L.m', /repeat count above 1000/)
  })

  it.each([
    ['a \\u escape', /^\/caf\u00e9$/, /a "\\u" escape, which JS and ALB's RE2-class engine read differently/],
    ['\\x without two hex digits', new RegExp('^/a\\x4$'), /"\\x" without two hex digits/],
  ])('refuses a regex with %s, which JS and RE2 read differently', (_what, regex, limit) => {
    @Controller() class L { @Get('/a') @Host(regex) m() {} }
    expectProblem(declarationError([L]), 'L.m', limit)
  })

  it('reports every problem of every route in one error', () => {
    @Controller() class L { @Get('/a b') one() {} @Get('/b') @Priority(0) two() {} }
    @Controller() class M { @Get('/c') @Host('localhost') three() {} }
    const message = declarationError([L, M])
    expect(message).toMatch(/^3 route declaration problems/)
    for (const source of ['L.one', 'L.two', 'M.three']) expect(message).toContain(`  - ${source}: `)
  })
})
