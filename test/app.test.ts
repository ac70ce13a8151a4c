import type { ALBResult } from 'aws-lambda'
import { describe, expect, it, vi } from 'vitest'
import {
  All,
  Controller,
  FixedResponse,
  Get,
  Header,
  Host,
  HttpError,
  Post,
  Priority,
  Query,
  Redirect,
  SourceIp,
  albEvent,
  createApp,
  reply,
  Req,
  type AlbRequest,
} from '../src/index.js'
import { fixtureSuite, HAVE_FIXTURES, requestFixtures } from './alb/fixtures.js'

/** The response rules of spec/alb.md §4.7: only documented keys, no null, strings for header values. */
function expectValidAlbResult(result: ALBResult, mode: 'single' | 'multi') {
  const allowed = ['statusCode', 'statusDescription', mode === 'multi' ? 'multiValueHeaders' : 'headers', 'body', 'isBase64Encoded']
  for (const key of Object.keys(result)) expect(allowed).toContain(key)
  expect(Number.isInteger(result.statusCode)).toBe(true)
  expect(result.statusDescription).toMatch(new RegExp(`^${result.statusCode} `))
  expect(typeof result.body).toBe('string')
  expect(typeof result.isBase64Encoded).toBe('boolean')
  for (const value of Object.values(result)) expect(value).not.toBeNull()
  if (mode === 'multi') {
    for (const values of Object.values(result.multiValueHeaders ?? {})) for (const v of values) expect(typeof v).toBe('string')
  } else {
    for (const v of Object.values(result.headers ?? {})) expect(typeof v).toBe('string')
  }
}

const json = (result: ALBResult) => JSON.parse(result.body ?? '') as Record<string, unknown>
const header = (result: ALBResult, name: string) => result.headers?.[name] ?? result.multiValueHeaders?.[name]?.at(-1)

describe(fixtureSuite('every real ALB event through a catch-all app'), () => {
  @Controller()
  class CatchAll {
    @All('/*')
    any(@Req() req: AlbRequest) {
      return { method: req.method, path: req.path, mode: req.mode }
    }
  }
  const app = createApp({ controllers: [CatchAll], healthCheck: 'route' })

  it.skipIf(HAVE_FIXTURES)('needs ../shared/fixtures/alb-events', () => {})
  it.skipIf(!HAVE_FIXTURES).each(requestFixtures().map((f) => [f.file, f.json] as const))(
    '%s comes back as a valid ALB response in its own header mode',
    async (_file, event) => {
      const mode = 'multiValueHeaders' in event || 'multiValueQueryStringParameters' in event ? 'multi' : 'single'
      const result = await app.handler(structuredClone(event) as never)
      expectValidAlbResult(result, mode)
      expect(result.statusCode).toBe(200)
      expect(json(result)).toMatchObject({ method: event['httpMethod'], path: event['path'], mode })
    },
  )
})

describe('createApp routing, as ALB listener rules would route', () => {
  @Controller('/files')
  class Files {
    @Get('/{rest}') get(@Req() req: AlbRequest) { return { route: 'files', path: req.path } }
  }
  @Controller('/v')
  class Versions {
    @Get('/?/users') one() { return { route: 'one-char' } }
  }
  @Controller()
  class Cased {
    @Get('/Docs') docs() { return { route: 'Docs' } }
  }
  @Controller('/hosted')
  @Host('*.example.com')
  class Hosted {
    @Get() get() { return { route: 'hosted' } }
  }
  @Controller('/beta')
  class Beta {
    @Get() @Header('X-Beta', 'on') beta() { return { route: 'beta' } }
    @Get() @Query('version', 'v1', 'v2') versioned() { return { route: 'versioned' } }
    @Get() plain() { return { route: 'plain' } }
  }
  @Controller('/admin')
  class Admin {
    @Get() @SourceIp('10.0.0.0/8', '2001:db8::/32') internal() { return { route: 'internal' } }
  }
  @Controller('/re')
  class Re {
    @Get(/^\/[0-9]+$/) numeric() { return { route: 'numeric' } }
  }
  @Controller('/prio')
  class Prio {
    @Get('/*') @Priority(2) wide() { return { route: 'wide' } }
    @Get('/exact') @Priority(3) exact() { return { route: 'exact' } }
  }
  const app = createApp({ controllers: [Files, Versions, Cased, Hosted, Beta, Admin, Re, Prio] })
  const route = async (input: Parameters<typeof albEvent>[0]) => {
    const result = await app.handler(albEvent(input))
    return result.statusCode === 200 ? json(result)['route'] : result.statusCode
  }

  it('lets a {name} wildcard span "/" (spec/alb.md §2.0)', async () => {
    expect(await route({ path: '/files/a/b/c.txt' })).toBe('files')
  })

  it('matches "?" to exactly one character (spec/alb.md §2.0, §2.8)', async () => {
    expect(await route({ path: '/v/1/users' })).toBe('one-char')
    expect(await route({ path: '/v/10/users' })).toBe(404)
  })

  it('matches paths case-sensitively (spec/alb.md §2.4)', async () => {
    expect(await route({ path: '/Docs' })).toBe('Docs')
    expect(await route({ path: '/docs' })).toBe(404)
  })

  it('matches hosts case-insensitively, and never the bare parent domain (spec/alb.md §2.1)', async () => {
    expect(await route({ path: '/hosted', host: 'API.Example.COM' })).toBe('hosted')
    expect(await route({ path: '/hosted', host: 'example.com' })).toBe(404)
  })

  it('matches header names and values case-insensitively (spec/alb.md §2.2)', async () => {
    expect(await route({ path: '/beta', headers: { 'x-beta': 'ON' } })).toBe('beta')
  })

  it('matches query values case-insensitively, OR-ing the values (spec/alb.md §1.2, §2.5)', async () => {
    expect(await route({ path: '/beta?VERSION=V2' })).toBe('versioned')
    expect(await route({ path: '/beta?version=v3' })).toBe('plain')
  })

  it('requires every condition (AND) and orders more conditions first', async () => {
    expect(await route({ path: '/beta', headers: { 'x-beta': 'off' } })).toBe('plain')
  })

  it('takes the source IP from the address ALB appended to x-forwarded-for (spec/alb.md §4.2, §6 #10)', async () => {
    expect(await route({ path: '/admin', sourceIp: '10.1.2.3' })).toBe('internal')
    expect(await route({ path: '/admin', sourceIp: '2001:db8::7' })).toBe('internal')
    expect(await route({ path: '/admin', sourceIp: '198.51.100.1', headers: { 'x-forwarded-for': '10.0.0.1' } })).toBe(404)
  })

  it('routes a RegExp path as an ALB regex value (spec/alb.md §2.7)', async () => {
    expect(await route({ path: '/re/42' })).toBe('numeric')
    expect(await route({ path: '/re/4x' })).toBe(404)
  })

  it('honours explicit priorities before specificity (spec/alb.md §1.1)', async () => {
    expect(await route({ path: '/prio/exact' })).toBe('wide')
  })

  it('answers HEAD for @Get with the same status and no body', async () => {
    const result = await app.handler(albEvent({ method: 'HEAD', path: '/Docs' }))
    expect(result.statusCode).toBe(200)
    expect(result.body).toBe('')
  })

  it('answers the default action (404 JSON) when no rule matches, like an ALB default rule', async () => {
    const result = await app.handler(albEvent({ path: '/nowhere' }))
    expect(result.statusCode).toBe(404)
    expect(header(result, 'content-type')).toBe('application/json')
    expect(json(result)).toMatchObject({ status: 404 })
  })
})

describe('createApp answers', () => {
  @Controller()
  class Things {
    @Get('/teapot') teapot() { throw new HttpError(418, 'short and stout', { details: { spout: true } }) }
    @Get('/boom') boom() { throw new Error('database password is hunter2') }
    @Get('/cookies') cookies() { return reply({ ok: true }, { cookies: ['a=1', 'b=2'] }) }
    @Get('/split') split() { return reply('x', { headers: { 'x-evil': 'a\r\nset-cookie: pwned=1' } }) }
    @Get('/huge') huge() { return 'x'.repeat(1_000_001) }
    @Get('/robots.txt') @FixedResponse(200, 'User-agent: *', 'text/plain') robots() {}
    @Get('/old/*') @Redirect({ path: '/new/#{path}', statusCode: 301 }) old() {}
    @Post('/echo') echo() { return { ok: true } }
  }
  const errors: unknown[] = []
  const app = createApp({ controllers: [Things], onError: (error) => errors.push(error) })

  it('keeps an HttpError status and message as problem+json (RFC 9457)', async () => {
    const result = await app.handler(albEvent({ path: '/teapot' }))
    expect(result.statusCode).toBe(418)
    expect(header(result, 'content-type')).toMatch(/^application\/problem\+json/)
    expect(json(result)).toMatchObject({ status: 418, detail: 'short and stout', spout: true })
  })

  it('answers any other error with a bare 500 and reports it to onError', async () => {
    errors.length = 0
    const result = await app.handler(albEvent({ path: '/boom' }))
    expect(result.statusCode).toBe(500)
    expect(result.body).not.toMatch(/hunter2|database|\bat \w/)
    expect(errors).toHaveLength(1)
  })

  it('sends every Set-Cookie in multi-value mode', async () => {
    const result = await app.handler(albEvent({ path: '/cookies', multiValue: true }))
    expect(result.multiValueHeaders?.['set-cookie']).toEqual(['a=1', 'b=2'])
  })

  it('keeps the last Set-Cookie in single-value mode and reports the dropped ones (spec/alb.md §4.2)', async () => {
    errors.length = 0
    const result = await app.handler(albEvent({ path: '/cookies' }))
    expect(result.headers?.['set-cookie']).toBe('b=2')
    expect(String(errors[0])).toMatch(/multi_value_headers/)
  })

  it('refuses a header value with CR/LF instead of splitting the header', async () => {
    const result = await app.handler(albEvent({ path: '/split' }))
    expect(result.statusCode).toBe(500)
    expect(JSON.stringify(result)).not.toMatch(/pwned/)
  })

  it('answers 500 instead of ALB\'s 502 for a response over 1 MB (spec/alb.md §4.7)', async () => {
    errors.length = 0
    const result = await app.handler(albEvent({ path: '/huge' }))
    expect(result.statusCode).toBe(500)
    expect(String(errors[0])).toMatch(/exceeds ALB's 1000000-byte limit/)
  })

  it('serves a fixed-response action itself behind a catch-all rule', async () => {
    const result = await app.handler(albEvent({ path: '/robots.txt' }))
    expect([result.statusCode, result.body, header(result, 'content-type')]).toEqual([200, 'User-agent: *', 'text/plain'])
  })

  it('serves a redirect action with ALB placeholders (spec/alb.md §1.6)', async () => {
    const result = await app.handler(albEvent({ path: '/old/a/b?x=1', host: 'shop.example.com' }))
    expect(result.statusCode).toBe(301)
    expect(header(result, 'location')).toBe('https://shop.example.com/new/old/a/b?x=1')
  })

  it('answers an ALB health check with 200 without running a route (healthCheck: "ok")', async () => {
    const result = await app.handler(albEvent({ healthCheck: true, multiValue: true }))
    expect(result.statusCode).toBe(200)
    expect(result.multiValueHeaders).toBeDefined()
  })

  it.each([null, 42, 'x', [], {}, { httpMethod: 'GET' }, { path: '/', httpMethod: 7 }])(
    'never throws on the malformed event %j: a 400',
    async (event) => {
      const result = await app.handler(event as never)
      expect(result.statusCode).toBe(400)
      expectValidAlbResult(result, 'single')
    },
  )

  it('keeps two apps built in one process apart', async () => {
    @Controller() class A { @Get('/a') a() { return 'a' } }
    @Controller() class B { @Get('/b') b() { return 'b' } }
    const appA = createApp({ controllers: [A] })
    const appB = createApp({ controllers: [B] })
    expect((await appA.handler(albEvent({ path: '/b' }))).statusCode).toBe(404)
    expect((await appB.handler(albEvent({ path: '/b' }))).body).toBe('b')
    expect(appA.routes().map((r) => r.source)).toEqual(['A.a'])
  })

  it('rejects at createApp, in one error, every route ALB could not express', () => {
    @Controller()
    class Bad {
      @Get('/a b') space() {}
      @Get('/x') @Host('a.example.com') @Host('b.example.com') twoHosts() {}
      @Get('/y') @Priority(0) zero() {}
    }
    expect(() => createApp({ controllers: [Bad] })).toThrowError(
      expect.objectContaining({
        code: 'ERR_ROUTE_DECLARATION',
        message: expect.stringMatching(/Bad\.space[\s\S]*Bad\.twoHosts[\s\S]*Bad\.zero/),
      }),
    )
  })

  it('uses a custom default action', async () => {
    const custom = createApp({ controllers: [Things], defaultAction: { status: 403, body: 'no', contentType: 'text/plain' } })
    const result = await custom.handler(albEvent({ path: '/nope' }))
    expect([result.statusCode, result.body]).toEqual([403, 'no'])
  })

  it('logs with console.error when no onError is given', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    const plain = createApp({ controllers: [Things] })
    await plain.handler(albEvent({ path: '/boom' }))
    expect(spy).toHaveBeenCalled()
    spy.mockRestore()
  })
})

describe('app.manifest', () => {
  it('renders the same rule table as listener rules, loading the generator on demand', async () => {
    @Controller('/m') class M { @Get('/{id}') get() { return 1 } }
    const app = createApp({ controllers: [M] })
    const text = await app.manifest({ format: 'aws-cli', mode: 'per-route' })
    const [step] = JSON.parse(text) as { command: string; input: { Priority: number; Conditions: { Field: string; PathPatternConfig?: { Values: string[] } }[] } }[]
    expect(step?.command).toBe('elbv2 create-rule')
    const rule = step?.input
    expect(rule?.Priority).toBe(app.routes()[0]?.priority)
    expect(rule?.Conditions.find((c) => c.Field === 'path-pattern')?.PathPatternConfig?.Values).toEqual(['/m/*'])
  })
})

describe('HEAD requests', () => {
  @Controller()
  class H {
    @Get('/missing') missing() { throw new HttpError(404, 'no such thing') }
    @Get('/boom') boom() { throw new Error('x') }
  }
  const app = createApp({ controllers: [H], onError: () => {} })

  it.each([['/missing', 404], ['/boom', 500]])('answers HEAD %s with status %s and no body', async (path, status) => {
    const result = await app.handler(albEvent({ method: 'HEAD', path }))
    expect(result.statusCode).toBe(status)
    expect(result.body).toBe('')
  })
})
