// DTO support: the DTO bodies below need it, as an entry of albatross/compiled imports it.
import '../../src/dto.js'
import { IsInt, IsOptional, IsString, Min } from 'class-validator'
import type { Context } from 'aws-lambda'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ALBEvent } from '../../src/alb/types.js'
import { Authenticate, Claims } from '../../src/auth/index.js'
import { createApp } from '../../src/compiled.js'
import { createApp as createLambdaApp } from '../../src/lambda.js'
import {
  All,
  Body,
  Controller,
  Cookie,
  Ctx,
  Delete,
  Event,
  FixedResponse,
  Get,
  Head,
  Header,
  Host,
  HttpCode,
  HttpError,
  Param,
  Priority,
  Post,
  Put,
  Query,
  Redirect,
  Req,
  ResponseHeader,
  SourceIp,
  Use,
  createApp as createCheckingApp,
  createParamDecorator,
  reply,
  type AlbRequest,
  type AlbEventInput,
  type AppOptions,
  type ErrorInfo,
  type VerifiedTable,
} from '../../src/index.js'
import type { ClassType } from '../../src/metadata/types.js'
// albatross/testing, as a test of an app imports it: it asks for every check, and hands
// albatross/compiled's createApp to the checking one.
import { albEvent } from '../../src/testing.js'
import { fixtureSuite, HAVE_FIXTURES, requestFixtures } from '../alb/fixtures.js'
import { checkedTable, givenTable, thrown, under } from '../verified-table/checks.js'
import { compiledTable } from './tables.js'

/*
 * albatross/compiled's createApp in a Lambda (check mode 'trust') runs the rules and records the
 * table holds, and must answer every request exactly as the checking createApp answers it: the
 * same ALB result, the same onError calls. Under the CLI and in tests it is the checking
 * createApp, which also refuses an app albatross/compiled cannot run, naming the declaration.
 */

class NewUser {
  @IsString() name!: string
  @IsOptional() @IsInt() @Min(0) age?: number
}

class NewNote {
  @IsString() text!: string
}

@Controller()
class Root {
  @Get('/')
  root(
    @Query('a', { type: [String], optional: true }) a?: string[],
    @Header('user-agent', { type: String, optional: true }) agent?: string,
    @Cookie('session', { type: String, optional: true }) session?: string,
  ) {
    return { a, agent, session }
  }

  @Get('/lambda')
  lambda(@Query('query', { type: String, optional: true }) query?: string) {
    return { query }
  }

  @Post('/users')
  @HttpCode(201)
  createUser(@Body({ type: NewUser }) user: NewUser) {
    return { created: user }
  }

  @Get('/api/{rest}')
  api(@Param('rest', { type: String }) rest: string, @Query('tags', { type: [Number], optional: true }) tags?: number[]) {
    return { rest, tags }
  }

  // Plain JSON with a status of its own: the answering path's fast case (runtime/responder.ts).
  @Put('/api/{rest}')
  @HttpCode(202)
  put(@Param('rest', { type: String }) rest: string, @Body({ type: Object, optional: true }) body?: object) {
    return { rest, body }
  }

  @Get('/widgets/{kind}/{name}')
  widget(@Param('kind', { type: String }) kind: string, @Param('name', { type: String }) name: string) {
    return { kind, name }
  }

  @Post('/foo/')
  form(@Body({ type: Object, optional: true }) body?: object) {
    return { body }
  }

  @Get('/v1/health/')
  health() {
    return 'up'
  }

  @Get('/test/hello')
  hello(@Query('x', { type: Boolean, optional: true }) x?: boolean) {
    return { hello: x ?? 'world' }
  }
}

@Controller('/items')
class Items {
  @Get('/{id}')
  get(
    @Param('id', { type: Number }) id: number,
    @Query('at', { type: Date, optional: true }) at?: Date,
    @Query('flag', { type: Boolean, optional: true }) flag?: boolean,
    @Query('tags', { type: [Number], optional: true }) tags?: number[],
    @Header('x-count', { type: Number, optional: true }) count?: number,
  ) {
    if (id === 0) throw new HttpError(404, 'no item 0')
    if (id === 13) throw new Error('unlucky')
    return { id, at, flag, tags, count }
  }

  @Get('/{id}/later')
  async later(@Param('id', { type: Number }) id: number, @Cookie('token', { type: String }) token: string) {
    await Promise.resolve()
    if (id === 1) throw new HttpError(409, 'taken')
    if (id === 13) throw new Error('unlucky later')
    return { id, token }
  }

  @Delete('/{id}')
  @HttpCode(204)
  remove(@Param('id', { type: Number }) id: number) {
    if (id === 13) throw new Error('cannot remove')
  }

  @Post('/{id}/notes')
  @HttpCode(202)
  note(@Param('id', { type: Number }) id: number, @Body({ type: NewNote }) note: NewNote) {
    return { id, note }
  }

  @All('/{id}/any')
  any(@Param('id', { type: String }) id: string) {
    return { id }
  }

  @Head('/{id}/head')
  head() {
    return { head: true }
  }
}

class Search {
  @IsString() q!: string
  @IsOptional() @IsInt() @Min(1) page?: number
}

/** A dependency the controller is given, as a DI container would give it. */
class Greeter {
  constructor(readonly greeting: string) {}
}

// Every other shape albatross/compiled runs: a controller given as an instance and one built by
// `resolve`, a forward target, explicit priorities, a method with two routes, reply() with
// headers and cookies, text, bytes, null and no body, the request, the event and the Lambda
// context as parameters, a DTO of query parameters.
@Controller('/shapes', { target: 'shapes' })
class Shapes {
  constructor(private readonly greeter: Greeter) {}

  @Get('/hello')
  @Get('/hi')
  hello(@Query('name', { type: String, optional: true }) name?: string) {
    return `${this.greeter.greeting}, ${name ?? 'you'}`
  }

  // Last: an explicit priority after the numbered ones (start 10, step 5).
  @Get('/*')
  @Priority(900)
  wide(@Req() request: AlbRequest) {
    return { wide: request.path, mode: request.mode }
  }

  @Get('/exact')
  @Priority(3)
  exact(@Event() event: ALBEvent, @Ctx() context: Context | undefined) {
    return { method: event.httpMethod, request: context?.awsRequestId ?? null }
  }

  @Post('/reply')
  @HttpCode(201)
  made(@Body({ type: Object, optional: true }) body?: object) {
    return reply(body, { headers: { location: '/shapes/1', 'x-many': ['a', 'b'] }, cookies: ['seen=1; Path=/; HttpOnly'] })
  }

  @Get('/bytes')
  bytes() {
    return new Uint8Array([0, 1, 2, 255])
  }

  @Get('/null')
  nothing() {
    return null
  }

  @Get('/search')
  search(@Query({ type: Search }) search: Search) {
    return search
  }
}

@Controller('/built')
class Built {
  constructor(readonly by: string) {}

  @Get()
  get() {
    return { by: this.by }
  }
}

interface Call {
  readonly message: string
  readonly code: ErrorInfo['code']
  readonly level: ErrorInfo['level']
  readonly source: string | undefined
  readonly path: string | undefined
}

/** The app's options with an onError that writes to `calls`. */
function optionsFor(base: Omit<AppOptions, 'onError'>, calls: Call[]): AppOptions {
  return {
    ...base,
    onError: (error, info) => calls.push({ message: error instanceof Error ? error.message : String(error), code: info.code, level: info.level, source: info.source, path: info.request?.path }),
  }
}

const SHAPES: Omit<AppOptions, 'onError'> = {
  controllers: [new Shapes(new Greeter('hello')), Built],
  resolve: (cls) => (cls === Built ? new Built('resolve') : undefined) as never,
  priorities: { start: 10, step: 5 },
  validation: { whitelist: true, forbidNonWhitelisted: true },
}

const VARIANTS: Record<string, Omit<AppOptions, 'onError'>> = {
  'default options': { controllers: [Root, Items] },
  "healthCheck 'route' and a defaultAction": { controllers: [Root, Items], healthCheck: 'route', defaultAction: { status: 404, body: 'nothing here', contentType: 'text/plain' } },
}

/** The compiled app in a Lambda and the checking app, each with its own onError log. */
function pair(base: Omit<AppOptions, 'onError'>) {
  const table = compiledTable(optionsFor(base, []))
  const compiledCalls: Call[] = []
  const checkingCalls: Call[] = []
  const lambdaCalls: Call[] = []
  const compiled = under('trust', () => createApp({ ...optionsFor(base, compiledCalls), table }))
  const checking = under('full', () => createCheckingApp(optionsFor(base, checkingCalls)))
  // albatross/lambda's Lambda, given the table `albatross check --out` writes for its entry (the
  // compiled one has no declaration key for it): the three agree.
  const lambdaTable = checkedTable(() => createCheckingApp(optionsFor(base, [])))
  const lambda = under('trust', () => createLambdaApp({ ...optionsFor(base, lambdaCalls), table: lambdaTable }))
  /** The compiled and the checking app's answers to `event` and the onError calls it caused. */
  const answer = async (event: ALBEvent, context?: Context) => {
    for (const calls of [compiledCalls, checkingCalls, lambdaCalls]) calls.length = 0
    const got = await compiled.handler(structuredClone(event), context as Context)
    const want = await checking.handler(structuredClone(event), context as Context)
    const viaLambda = await lambda.handler(structuredClone(event), context as Context)
    expect({ result: viaLambda, calls: lambdaCalls }, 'albatross/lambda').toEqual({ result: want, calls: checkingCalls })
    return { got: { result: got, calls: [...compiledCalls] }, want: { result: want, calls: [...checkingCalls] } }
  }
  return { compiled, checking, table, answer }
}

const pairs = Object.entries(VARIANTS).map(([name, base]) => [name, pair(base)] as const)

/**
 * `event` as the other header mode delivers it (spec/alb.md §4.4–4.5): each value a list of one,
 * or each list its last value. Undefined for an event that holds both modes' fields already.
 */
function otherMode(event: ALBEvent): ALBEvent | undefined {
  const e = event as ALBEvent & Record<string, unknown>
  const single = 'headers' in e || 'queryStringParameters' in e
  const multi = 'multiValueHeaders' in e || 'multiValueQueryStringParameters' in e
  if (single === multi) return undefined
  const { headers, queryStringParameters, multiValueHeaders, multiValueQueryStringParameters, ...rest } = e
  const lists = (values: unknown) => (values == null ? values : Object.fromEntries(Object.entries(values as Record<string, string>).map(([k, v]) => [k, [v]])))
  const last = (values: unknown) => (values == null ? values : Object.fromEntries(Object.entries(values as Record<string, string[]>).map(([k, v]) => [k, v.at(-1) ?? ''])))
  if (single) return { ...rest, multiValueHeaders: lists(headers), multiValueQueryStringParameters: lists(queryStringParameters) } as ALBEvent
  return { ...rest, headers: last(multiValueHeaders), queryStringParameters: last(multiValueQueryStringParameters) } as ALBEvent
}

describe('createApp from albatross/compiled, in a Lambda: the checking app’s answers', () => {
  it('the table holds the compiled routes', () => {
    for (const [, { table }] of pairs) expect(typeof table.compiled === 'string' && table.compiled.startsWith('{"version":2')).toBe(true)
  })

  describe(fixtureSuite('every real ALB event'), () => {
    it.skipIf(HAVE_FIXTURES)('needs ../shared/fixtures/alb-events', () => {})
    for (const [name, { answer }] of pairs) {
      it.skipIf(!HAVE_FIXTURES).each(requestFixtures().map((f) => [f.file, f.json] as const))(`%s (${name})`, async (_file, json) => {
        const event = json as unknown as ALBEvent
        const { got, want } = await answer(event)
        expect(got).toEqual(want)
        // The same request in the other header mode, as the target group's other setting delivers it.
        const twin = otherMode(event)
        if (twin !== undefined) {
          const other = await answer(twin)
          expect(other.got).toEqual(other.want)
        }
      })
    }
  })

  it('answers a health check as the checking app does, routed or not (spec/alb.md §4.6)', async () => {
    for (const [, { answer }] of pairs) {
      for (const path of ['/', '/v1/health/', '/nowhere']) {
        const { got, want } = await answer(albEvent({ path, healthCheck: true }))
        expect(got, path).toEqual(want)
      }
    }
  })

  // Named cases first: each is a kind of answer the property below must also keep equal.
  const CASES: AlbEventInput[] = [
    { path: '/items/7?at=2024-01-02T03:04:05Z&flag=true&tags=1&tags=2', headers: { 'x-count': '3' } },
    { path: '/items/seven' },
    { path: '/items/7?at=yesterday' },
    { path: '/items/0' },
    { path: '/items/13' },
    { path: '/items/1/later', headers: { cookie: 'token=t' } },
    { path: '/items/2/later', headers: { cookie: 'token=t%20x' } },
    { path: '/items/13/later', headers: { cookie: 'token=t' } },
    { path: '/items/2/later' },
    { method: 'DELETE', path: '/items/2' },
    { method: 'DELETE', path: '/items/13' },
    { method: 'POST', path: '/users', body: { name: 'Ada', age: 36 } },
    { method: 'POST', path: '/users', body: { name: 5 } },
    { method: 'POST', path: '/users', body: '{"name":', headers: { 'content-type': 'application/json' } },
    { method: 'POST', path: '/items/3/notes', body: { text: 'hi', extra: 1 } },
    { method: 'PUT', path: '/api/a/b', body: { any: ['thing'] } },
    { method: 'PUT', path: '/api/a', body: 'not json', headers: { 'content-type': 'application/json' } },
    { method: 'HEAD', path: '/items/7' },
    { method: 'HEAD', path: '/items/7/head' },
    { method: 'PATCH', path: '/items/7/any' },
    { path: '/nowhere' },
  ]

  for (const [name, { answer }] of pairs) {
    it(`answers the named cases alike, in both header modes (${name})`, async () => {
      for (const multiValue of [false, true]) {
        for (const input of CASES) {
          const { got, want } = await answer(albEvent({ ...input, multiValue }))
          expect(got, `${input.method ?? 'GET'} ${input.path} multiValue=${multiValue}`).toEqual(want)
        }
      }
    })
  }

  const segment = fc.constantFrom('items', 'users', 'api', 'widgets', 'lambda', 'test', 'hello', 'v1', 'health', 'foo', '7', '0', '13', '1', '-2', '1e3', '0x10', 'abc', '%ZZ', '%20', 'a%2Fb', 'later', 'notes', 'any', 'head', '', 'Items', 'x\ty')
  const request = fc.record({
    method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'get'),
    path: fc.oneof(
      // The app's routes, their {name}s filled with valid and invalid values.
      {
        weight: 6,
        arbitrary: fc
          .tuple(
            fc.constantFrom('/items/$', '/items/$/later', '/items/$/notes', '/items/$/any', '/items/$/head', '/', '/lambda', '/users', '/api/$', '/api/$/$', '/widgets/$/$', '/foo/', '/v1/health/', '/test/hello'),
            fc.oneof({ weight: 3, arbitrary: fc.constantFrom('7', '0', '13', '1') }, { weight: 2, arbitrary: segment }),
            segment,
          )
          .map(([template, a, b]) => template.replace('$', a).replace('$', b)),
      },
      { weight: 2, arbitrary: fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => '/' + s.join('/')) },
      // Paths no ALB event should carry, which a malformed one may.
      { weight: 1, arbitrary: fc.constantFrom('', 'items/7', '//items/7', '*') },
    ),
    query: fc.oneof(
      fc.record(
        {
          a: fc.constantFrom('x', ''),
          at: fc.constantFrom('2024-01-02', '2024-13-45', 'now', ''),
          flag: fc.constantFrom('true', 'false', '1', 'yes', ''),
          tags: fc.array(fc.constantFrom('1', '2.5', 'x', ''), { minLength: 1, maxLength: 3 }),
          query: fc.constantFrom('q', 'a b', 'é'),
          x: fc.constantFrom('true', 'nope'),
        },
        { requiredKeys: [] },
      ),
      // Raw query strings, malformed encodings among them, kept as ALB forwards them.
      fc.constantFrom('tags=1&tags=%ZZ', 'at=%E0%A4%A', 'a=%', 'flag&flag=true', 'a=1&a=2&a=3', '%61=x'),
    ),
    headers: fc.record(
      {
        'x-count': fc.constantFrom('3', 'three', '', '1e2'),
        cookie: fc.constantFrom('token=abc; session=s', 'token=%ZZ', 'session', 'token=a; token=b', ''),
        'user-agent': fc.constantFrom('curl/8', ''),
      },
      { requiredKeys: [] },
    ),
    body: fc.option(fc.constantFrom<string | object>({ name: 'Ada' }, { name: 'Ada', age: -1 }, { text: 'x' }, { name: 5 }, '{"name":', 'plain text', '[]', 'null'), { nil: undefined }),
    multiValue: fc.boolean(),
  })

  for (const [name, { answer }] of pairs) {
    it(`answers random requests alike: values valid and invalid, missing, malformed, bodies, HEAD (${name}; 300 runs)`, async () => {
      await fc.assert(
        fc.asyncProperty(request, async (input) => {
          // albEvent refuses a path without its leading `/`, which a malformed event may still carry.
          const event = albEvent({ ...(input as AlbEventInput), path: '/' })
          event.path = input.path
          const { got, want } = await answer(event)
          expect(got).toEqual(want)
        }),
        { numRuns: 300 },
      )
    })
  }
})

describe('createApp from albatross/compiled, in a Lambda: the other shapes of app it runs', () => {
  const { answer, compiled, checking } = pair(SHAPES)
  const context = { awsRequestId: 'req-1' } as Context

  it('has the checking app’s rules: the target, the explicit and numbered priorities (spec/alb.md §1.1)', () => {
    expect(compiled.routes()).toEqual(checking.routes())
    expect(compiled.routes().map((rule) => [rule.source, rule.priority])).toContainEqual(['Shapes.exact', 3])
  })

  it('renders the checking app’s per-route manifest, with the controller’s target', async () => {
    const options = { format: 'cloudformation', mode: 'per-route', targets: { shapes: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shapes/1', default: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/default/2' } } as const
    const manifest = await compiled.manifest(options as never)
    expect(manifest).toEqual(await checking.manifest(options as never))
    expect(manifest).toContain('targetgroup/shapes/1')
  })

  it('answers alike, in both header modes', async () => {
    const inputs: AlbEventInput[] = [
      { path: '/shapes/hello?name=Ada' },
      { path: '/shapes/hi' },
      { path: '/shapes/exact' },
      { method: 'HEAD', path: '/shapes/exact' },
      { path: '/shapes/anything/else' },
      { method: 'POST', path: '/shapes/reply', body: { a: 1 } },
      { method: 'POST', path: '/shapes/reply' },
      { path: '/shapes/bytes' },
      { path: '/shapes/null' },
      { path: '/shapes/search?q=x&page=2' },
      { path: '/shapes/search?q=x&page=0' },
      { path: '/shapes/search?page=2' },
      { path: '/shapes/search?q=x&extra=1' },
      { path: '/built' },
      { path: '/built/' },
    ]
    for (const multiValue of [false, true]) {
      for (const input of inputs) {
        const { got, want } = await answer(albEvent({ ...input, multiValue }), context)
        expect(got, `${input.method ?? 'GET'} ${input.path} multiValue=${multiValue}`).toEqual(want)
        expect(got.result.statusCode).toBeLessThan(500)
      }
    }
  })
})

// Routing conditions on what real ALB events carry (their Host, User-Agent, Content-Type, query
// keys, client address), response headers, and the native actions the Lambda answers itself: the
// compiled router must pick the rule the checking app's picks (spec/alb.md §1.1–§1.2, §2.1–§2.6).
@Controller()
@Host('*.elb.amazonaws.com', 'contributions.customergauge.com', /^blabla\.com$/)
@ResponseHeader('x-served-by', 'routed')
class Routed {
  @Get('/')
  @Header('user-agent', 'curl/*')
  curl(@Header('user-agent', { type: String }) agent: string) {
    return { curl: agent }
  }

  @Get('/')
  @Query('myKey', 'val*')
  keyed(@Query('myKey', { type: [String], optional: true }) keys?: string[]) {
    return { keys }
  }

  @Get('/')
  @SourceIp('72.21.198.0/24', '2001:db8::/32')
  fromAws() {
    return { from: 'aws' }
  }

  @Get('/lambda')
  @Query('query', '1234*')
  @ResponseHeader('cache-control', 'no-store')
  lambda(@Query('query', { type: String }) query: string) {
    return { query }
  }

  @Get('/widgets/*')
  @Header('user-agent', /Windows/)
  windows(@Req() request: AlbRequest) {
    return { windows: request.path }
  }

  @Get('/test/hello')
  @FixedResponse(418, 'teapot', 'text/plain')
  teapot() {}

  @Get('/todos')
  @Redirect({ path: '/v2/#{path}', statusCode: 301 })
  moved() {}

  @Post('/foo/')
  @Header('content-type', 'application/x-www-form-urlencoded')
  form(@Body({ type: Object, optional: true }) body?: object) {
    return { form: body }
  }
}

@Controller('/api')
class Typed {
  @Get('/*')
  @Header('content-type', 'text/plain')
  plain() {
    return 'plain'
  }

  @Put('/*')
  @Header('Content-Type', 'application/json*', 'text/*')
  @HttpCode(202)
  json(@Body({ type: Object, optional: true }) body?: object) {
    return { body }
  }

  @All('/*')
  @Priority(40000)
  any(@Req() request: AlbRequest) {
    return { any: request.method }
  }
}

const ROUTED: Omit<AppOptions, 'onError'> = { controllers: [Routed, Typed] }

describe('createApp from albatross/compiled, in a Lambda: routing conditions, response headers, native actions', () => {
  const routed = pair(ROUTED)

  it('runs them: the table holds the rules’ conditions and actions, routes() is the checking app’s', () => {
    expect(routed.compiled.routes()).toEqual(routed.checking.routes())
    expect(routed.compiled.routes().some((rule) => rule.conditions.some((c) => c.type === 'source-ip'))).toBe(true)
    expect(routed.compiled.needsMultiValueHeaders).toBe(true)
    expect(routed.compiled.multiValue).toEqual(routed.checking.multiValue)
  })

  it('renders the checking app’s manifests', async () => {
    expect(await routed.compiled.manifest()).toEqual(await routed.checking.manifest())
    expect(await routed.compiled.manifest({ format: 'terraform', mode: 'per-route' })).toEqual(await routed.checking.manifest({ format: 'terraform', mode: 'per-route' }))
  })

  describe(fixtureSuite('every real ALB event'), () => {
    it.skipIf(HAVE_FIXTURES)('needs ../shared/fixtures/alb-events', () => {})
    it.skipIf(!HAVE_FIXTURES).each(requestFixtures().map((f) => [f.file, f.json] as const))('%s', async (_file, json) => {
      const event = json as unknown as ALBEvent
      const { got, want } = await routed.answer(event)
      expect(got).toEqual(want)
      const twin = otherMode(event)
      if (twin !== undefined) {
        const other = await routed.answer(twin)
        expect(other.got).toEqual(other.want)
      }
    })
  })

  // The single-value warning (rules/header-mode.ts): once per app, on its first single-value
  // event, with the checking app's text, which the check wrote into the table.
  it('gives the single-value warning as the checking app gives it: once, on the first single-value event', async () => {
    const fresh = pair(ROUTED)
    const multi = await fresh.answer(albEvent({ path: '/lambda?query=12345', host: 'a.elb.amazonaws.com', multiValue: true }))
    expect(multi.got).toEqual(multi.want)
    expect(multi.got.calls).toEqual([])
    const first = await fresh.answer(albEvent({ path: '/lambda?query=12345', host: 'a.elb.amazonaws.com' }))
    expect(first.got).toEqual(first.want)
    expect(first.got.calls).toEqual([expect.objectContaining({ code: 'WARN_SINGLE_VALUE_EVENT', level: 'warning', path: '/lambda' })])
    expect(first.got.calls[0]?.message).toContain('this app needs the target group attribute lambda.multi_value_headers.enabled=true but received a single-value event')
    const second = await fresh.answer(albEvent({ path: '/lambda?query=12345', host: 'a.elb.amazonaws.com' }))
    expect(second.got).toEqual(second.want)
    expect(second.got.calls).toEqual([])
  })

  it('gives no single-value warning for an app routing on no header or query value', async () => {
    @Controller('/hosted') @Host('*.example.com') class Hosted { @Get() @SourceIp('10.0.0.0/8') @ResponseHeader('x-a', 'b') get() { return 1 } }
    @Controller('/ported') @Host('api.example.com', /^api\.example\.com:8443$/) class Ported { @Get() get() { return 2 } }
    const { answer, table } = pair({ controllers: [Hosted, Ported] })
    expect(table.compiled).not.toContain('singleValue')
    const cases: [AlbEventInput, number][] = [
      [{ path: '/hosted', host: 'a.example.com', sourceIp: '10.1.1.1' }, 200],
      [{ path: '/hosted', host: 'a.example.com', sourceIp: '11.1.1.1' }, 404],
      [{ path: '/hosted', host: 'example.com', sourceIp: '10.1.1.1' }, 404],
      [{ path: '/ported', host: 'API.example.com' }, 200],
      [{ path: '/ported', host: 'api.example.com:8443' }, 200],
      [{ path: '/ported', host: 'api.example.com:8080' }, 404],
    ]
    for (const multiValue of [false, true]) {
      for (const [input, status] of cases) {
        const { got, want } = await answer(albEvent({ ...input, multiValue }))
        expect(got, JSON.stringify(input)).toEqual(want)
        expect(got.result.statusCode, JSON.stringify(input)).toBe(status)
        expect(got.calls).toEqual([])
      }
    }
    const { got } = await answer(albEvent(cases[0]?.[0]))
    expect(got.result).toMatchObject({ statusCode: 200, headers: { 'x-a': 'b' } })
  })

  // Hits and misses of each condition, ALB's and albatross's own answers to the native actions,
  // response headers on a normal return.
  const request = fc.record({
    method: fc.constantFrom('GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'),
    path: fc.constantFrom('/', '/lambda', '/lambda/', '/widgets/a/b', '/widgets', '/test/hello', '/todos', '/todos/1', '/foo/', '/api/x', '/api/x/y', '/api', '/nowhere', '/API/x'),
    host: fc.constantFrom('lambda-1.us-east-1.elb.amazonaws.com', 'LAMBDA.ELB.AMAZONAWS.COM', 'contributions.customergauge.com', 'blabla.com', 'blabla.com:8443', 'example.org'),
    headers: fc.record(
      {
        'user-agent': fc.oneof(fc.constantFrom('curl/8.1', 'CURL/7', 'Mozilla/5.0 (Windows NT 10.0)', 'windows', 'node'), fc.constant(['curl/1', 'node'])),
        'content-type': fc.constantFrom('text/plain', 'TEXT/PLAIN', 'application/json', 'application/json; charset=utf-8', 'text/html', 'application/x-www-form-urlencoded'),
      },
      { requiredKeys: [] },
    ),
    query: fc.constantFrom('', 'myKey=val1', 'myKey=other&myKey=VALUE', 'myKey=value&myKey=x', 'query=12345', 'query=x1234', 'QUERY=1234&query=9', 'mykey=val'),
    sourceIp: fc.constantFrom('72.21.198.66', '72.21.199.1', '2001:db8::5', '203.0.113.10'),
    body: fc.option(fc.constantFrom<string | object>({ a: 1 }, 'a=1&b=2', 'text'), { nil: undefined }),
    multiValue: fc.boolean(),
  })

  it('answers random requests alike, hitting and missing each condition, in both header modes (300 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        const { got, want } = await routed.answer(albEvent(input as AlbEventInput))
        expect(got).toEqual(want)
      }),
      { numRuns: 300 },
    )
  })

  it('answers the named cases alike: each condition hit and missed, the native actions, response headers', async () => {
    const host = 'lambda-1.us-east-1.elb.amazonaws.com'
    const cases: [AlbEventInput, number, Record<string, unknown>?][] = [
      [{ path: '/', host, headers: { 'user-agent': 'curl/8' } }, 200, { 'x-served-by': 'routed' }],
      [{ path: '/?myKey=value', host, headers: { 'user-agent': 'node' } }, 200],
      [{ path: '/', host, sourceIp: '72.21.198.9', headers: { 'user-agent': 'node' } }, 200],
      [{ path: '/', host, headers: { 'user-agent': 'node' } }, 404],
      [{ path: '/', host: 'example.org', headers: { 'user-agent': 'curl/8' } }, 404],
      [{ path: '/lambda?query=12345', host }, 200, { 'cache-control': 'no-store', 'x-served-by': 'routed' }],
      [{ path: '/test/hello', host }, 418, { 'content-type': 'text/plain' }],
      [{ path: '/todos', host }, 301, { location: `https://${host}/v2/todos` }],
      [{ method: 'PUT', path: '/api/x', body: { a: 1 } }, 202],
      [{ method: 'PUT', path: '/api/x', body: 'text', headers: { 'content-type': 'image/png' } }, 200],
    ]
    for (const multiValue of [false, true]) {
      for (const [input, status, headers] of cases) {
        const { got, want } = await routed.answer(albEvent({ ...input, multiValue }))
        const label = `${input.method ?? 'GET'} ${input.path} multiValue=${multiValue}`
        expect(got, label).toEqual(want)
        expect(got.result.statusCode, label).toBe(status)
        if (headers !== undefined && !multiValue) expect(got.result.headers, label).toMatchObject(headers)
      }
    }
  })
})

describe('createApp from albatross/compiled, in a Lambda: the table must stand for the app', () => {
  @Controller('/pets')
  class Pets {
    @Get('/{id}') get(@Param('id', { type: Number }) id: number) { return { id } }
  }
  const options: AppOptions = { controllers: [Pets], onError: () => undefined }
  const table = compiledTable(options)

  it('starts from a table that matches', async () => {
    const app = under('trust', () => createApp({ ...options, table }))
    expect(await app.handler(albEvent({ path: '/pets/3' }))).toMatchObject({ statusCode: 200, body: '{"id":3}' })
  })

  it('refuses a route changed after the check: ERR_STALE_TABLE naming it', () => {
    const Pets = petsWithChangedRoute()
    const error = thrown(() => under('trust', () => createApp({ controllers: [Pets], table })))
    expect(error).toMatchObject({ name: 'StaleTableError', code: 'ERR_STALE_TABLE' })
    expect(error.message).toContain('Pets.get changed since the check')
  })

  it('refuses a table written for albatross/lambda, which holds no compiled routes', () => {
    const lambdaTable = checkedTable(() => createCheckingApp(options))
    expect(lambdaTable.compiled).toBeUndefined()
    const error = thrown(() => under('trust', () => createApp({ ...options, table: lambdaTable })))
    expect(error).toMatchObject({ name: 'StaleTableError', code: 'ERR_STALE_TABLE' })
    expect(error.message).toContain('the table holds no compiled routes: it was written for an entry that imports createApp from albatross/lambda or albatross')
  })

  it('refuses the stand-in `albatross check --out` leaves before its first pass, as albatross/lambda does', () => {
    const standIn = { ...table, albatross: 'unverified' } as unknown as VerifiedTable
    const error = thrown(() => under('trust', () => createApp({ ...options, table: standIn })))
    expect(error).toMatchObject({ code: 'ERR_STALE_TABLE' })
    expect(error.message).toContain('the table is a stand-in: `albatross check` has not passed since it was created')
  })

  it('refuses a table whose check found an app albatross/compiled cannot run, quoting why', () => {
    const refused: VerifiedTable = { ...table, compiled: 'Pets.get has @Use middleware' }
    const error = thrown(() => under('trust', () => createApp({ ...options, table: refused })))
    expect(error).toMatchObject({ code: 'ERR_STALE_TABLE' })
    expect(error.message).toMatch(/albatross\/compiled cannot run this app \(Pets\.get has @Use middleware\): import createApp from 'albatross\/lambda'/)
  })

  it('refuses compiled routes that are not what albatross check writes (cut short, edited), with ERR_STALE_TABLE rather than a TypeError', () => {
    const text = table.compiled as string
    const broken: unknown[] = [
      text.slice(0, text.length >> 1),
      '{"version":2}',
      '{"version":2,"head":"[]","controllers":{},"rules":[]}',
      '{"version":2,"head":"[]","controllers":[],"rules":[1]}',
      '{"version":2,"head":2,"controllers":[],"rules":[]}',
      '{"__proto__":{"version":2},"head":"[]","controllers":[],"rules":[]}',
    ]
    for (const compiled of broken) {
      const error = thrown(() => under('trust', () => createApp({ ...options, table: { ...table, compiled } })))
      expect(error, String(compiled).slice(0, 60)).toMatchObject({ name: 'StaleTableError', code: 'ERR_STALE_TABLE' })
    }
  })

  // Format 1 held no conditions, response headers or native actions: whatever it held, the
  // records are compared with another format's, so only a new check may stand for them.
  it('refuses compiled routes of another format (an older albatross), saying to run albatross check again', () => {
    const older = (table.compiled as string).replace('{"version":2', '{"version":1')
    const error = thrown(() => under('trust', () => createApp({ ...options, table: { ...table, compiled: older } })))
    expect(error).toMatchObject({ name: 'StaleTableError', code: 'ERR_STALE_TABLE' })
    expect(error.message).toContain('the table holds no compiled routes: it was written for an entry that imports createApp from albatross/lambda or albatross, or by another albatross version')
    expect(error.message).toMatch(/Run `albatross check .*` again/)
  })

  // The rules are trusted as the check wrote them once the records match, except for what keeps
  // a request from its route: each rule's conditions and native action are compared with its
  // route's records (compiled/records.ts). A table edited by hand to hold other conditions, or
  // none where the route declares some (which would route wider than ALB), is refused at createApp.
  it('refuses a rule whose conditions were edited by hand, or dropped: ERR_STALE_TABLE naming the route', () => {
    const compiled = JSON.parse(table.compiled as string) as { rules: unknown[][] }
    for (const extra of [[[{ type: 'cookie', values: ['x'] }]], [['not a list']], ['not a list'], [[null]]]) {
      const edited = JSON.stringify({ ...compiled, rules: compiled.rules.map((rule) => [...rule.slice(0, 7), ...extra]) })
      const error = thrown(() => under('trust', () => createApp({ ...options, table: { ...table, compiled: edited } })))
      expect(error, JSON.stringify(extra)).toMatchObject({ code: 'ERR_STALE_TABLE' })
      expect(error.message).toContain("Pets.get: its rule's conditions or action are not the ones declared (the table was edited by hand)")
    }
    @Controller('/pets')
    class Beta {
      @Get('/{id}') @Header('x-beta', 'on') get(@Param('id', { type: Number }) id: number) { return { id } }
    }
    const beta = compiledTable({ controllers: [Beta] })
    const betaRules = (JSON.parse(beta.compiled as string) as { rules: unknown[][] }).rules
    expect(betaRules[0]?.[7]).toEqual([{ type: 'http-header', name: 'x-beta', values: ['on'], regexValues: [] }])
    const dropped = JSON.stringify({ ...(JSON.parse(beta.compiled as string) as object), rules: betaRules.map((rule) => rule.slice(0, 7)) })
    const error = thrown(() => under('trust', () => createApp({ controllers: [Beta], table: { ...beta, compiled: dropped } })))
    expect(error).toMatchObject({ code: 'ERR_STALE_TABLE' })
    expect(error.message).toContain("Beta.get: its rule's conditions or action are not the ones declared")
    // As written, the condition holds: a request without the header is not routed.
    const app = under('trust', () => createApp({ controllers: [Beta], table: beta }))
    return Promise.all([
      expect(app.handler(albEvent({ path: '/pets/3', headers: { 'x-beta': 'on' } }))).resolves.toMatchObject({ statusCode: 200 }),
      expect(app.handler(albEvent({ path: '/pets/3' }))).resolves.toMatchObject({ statusCode: 404 }),
    ])
  })

  it('refuses to start without a table', () => {
    const error = thrown(() => under('trust', () => createApp({ ...options } as never)))
    expect(error).toMatchObject({ code: 'ERR_STALE_TABLE' })
    expect(error.message).toContain('no table was given')
  })

  it('refuses options the check read, changed since: defaultAction, priorities (spec/alb.md §1.1, §1.6)', () => {
    for (const changed of [{ defaultAction: { status: 410, body: 'gone', contentType: 'text/plain' } }, { priorities: { start: 2000 } }] as Partial<AppOptions>[]) {
      const error = thrown(() => under('trust', () => createApp({ ...options, ...changed, table })))
      expect(error, JSON.stringify(changed)).toMatchObject({ code: 'ERR_STALE_TABLE' })
      expect(error.message).toContain('the app options the checks read')
    }
  })

  it('refuses middleware or CORS given to createApp after the check, naming createApp', () => {
    for (const added of [{ use: [(_request: unknown, next: () => unknown) => next()] }, { cors: { origins: ['https://a.example'] } }] as Partial<AppOptions>[]) {
      const error = thrown(() => under('trust', () => createApp({ ...options, ...added, table })))
      expect(error).toMatchObject({ name: 'RouteDeclarationError' })
      expect(error.message).toMatch(/createApp: albatross\/compiled runs no middleware and no CORS: import createApp from 'albatross\/lambda'/)
    }
  })

  // albatross/testing refuses a stale table as the Lambda would (src/verified-table/mode.ts), so
  // a test never passes with a table its Lambda refuses: a change of each kind, in both modes.
  it('is refused in tests as in the Lambda, for each kind of change', () => {
    const declare = ({ code = 200, path = '/{id}', name = 'id', type = Number as unknown, optional = false, extra = false }) => {
      @Controller('/pets')
      class Pets {
        @Get(path) @HttpCode(code) get(@Param('id', { type: Number }) id: number, @Query(name, { type: type as never, optional }) q: unknown) { return { id, q } }
        extra() { return 1 }
      }
      // A route added to a method that had none.
      if (extra) Get('/{id}/extra')(Pets.prototype, 'extra', Object.getOwnPropertyDescriptor(Pets.prototype, 'extra') as PropertyDescriptor)
      return Pets
    }
    const base = compiledTable({ controllers: [declare({})] })
    expect(under('trust', () => createApp({ controllers: [declare({})], table: base }))).toBeDefined()
    expect(under('full', () => createApp({ controllers: [declare({})], table: base }))).toBeDefined()
    for (const change of [{ code: 201 }, { path: '/{id}/x' }, { name: 'other' }, { type: String }, { type: [Number] }, { optional: true }, { extra: true }]) {
      for (const mode of ['trust', 'full'] as const) {
        const error = thrown(() => under(mode, () => createApp({ controllers: [declare(change)], table: base })))
        expect(error, `${JSON.stringify(change)} ${mode}`).toMatchObject({ code: 'ERR_STALE_TABLE' })
        expect(error.message).toMatch(/Pets\.(get|extra)/)
      }
    }
  })

  // A controller without routes is in no rule and no part of the verified table's key: the checks
  // (tests, `albatross check`) and albatross/lambda accept the table whatever becomes of it, so the
  // compiled Lambda must too, or a deploy whose tests passed would fail at its cold start.
  it('accepts, as the checks and albatross/lambda do, a controller without routes changed, added or removed since the check', async () => {
    @Controller('/helpers')
    class Helpers {
      helper() { return 1 }
    }
    @Controller('/other-helpers')
    class Moved {
      helper() { return 1 }
    }
    const withHelpers = compiledTable({ ...options, controllers: [Helpers, Pets] })
    for (const [controllers, given] of [[[Moved, Pets], withHelpers], [[Pets], withHelpers], [[Pets, Helpers], table]] as const) {
      const label = `${controllers.map((c) => c.name).join(', ')} with the table of ${given === table ? 'Pets' : 'Helpers, Pets'}`
      expect(() => under('full', () => createApp({ ...options, controllers: [...controllers], table: given })), label).not.toThrow()
      const app = under('trust', () => createApp({ ...options, controllers: [...controllers], table: given }))
      expect(await app.handler(albEvent({ path: '/pets/3' })), label).toMatchObject({ statusCode: 200, body: '{"id":3}' })
    }
  })

  // The checks compare the verified table's key, which holds each route's joined path (prefix +
  // path); the compiled Lambda's records hold the prefix and the path apart, and compare them
  // joined when they differ (compiled/records.ts): the same routes split another way pass both.
  it('is refused in tests exactly when the Lambda refuses it: the same path split differently between prefix and route', () => {
    @Controller('/a') class A { @Get('/b/{id}') g(@Param('id', { type: String }) id: string) { return id } }
    const split = compiledTable({ controllers: [A] })
    const outcome = (build: () => unknown) => {
      try {
        build()
        return 'accepted'
      } catch (error) {
        return (error as { code?: string }).code
      }
    }
    const variants = [
      (() => { @Controller('/a/b') class A { @Get('/{id}') g(@Param('id', { type: String }) id: string) { return id } } return A })(),
      (() => { @Controller('/a') class A { @Get('b/{id}') g(@Param('id', { type: String }) id: string) { return id } } return A })(),
      (() => { @Controller('a/') class A { @Get('/b/{id}') g(@Param('id', { type: String }) id: string) { return id } } return A })(),
    ]
    for (const variant of variants) {
      const inTests = outcome(() => under('full', () => createApp({ controllers: [variant], table: split })))
      const inLambda = outcome(() => under('trust', () => createApp({ controllers: [variant], table: split })))
      expect(inLambda).toBe(inTests)
      expect(inLambda).toBe('accepted')
    }
  })

  // The compiled Lambda never reads the declaration key, so its table leaves it empty (11 KB of
  // the bench app's bundle); the checking paths compare the compiled part instead (compiled/mismatch.ts).
  it('carries no declaration key: `checked` is empty beside the compiled routes', () => {
    expect(table.checked).toBe('')
    expect(JSON.parse(table.compiled as string)).toMatchObject({ version: 2, rules: [[0, 1000, '/pets/*', ['id'], ['GET', 'HEAD'], 0, 'get']] })
  })

  it('is refused by albatross/lambda and albatross, in a Lambda and in tests, saying it was written for albatross/compiled', () => {
    const builds = [
      () => under('trust', () => createLambdaApp({ ...options, table })),
      () => under('trust', () => createCheckingApp({ ...options, table })),
      () => under('full', () => createCheckingApp({ ...options, table })),
    ]
    for (const build of builds) {
      const error = thrown(build)
      expect(error).toMatchObject({ name: 'StaleTableError', code: 'ERR_STALE_TABLE' })
      expect(error.message).toContain('the table was written for an entry that imports createApp from albatross/compiled')
      expect(error.message).toContain('re-run `albatross check --out`')
    }
    // Under the CLI, reported as stale with the same words.
    expect(givenTable(under('cli', () => createCheckingApp({ ...options, table })))?.mismatch).toContain('written for an entry that imports createApp from albatross/compiled')
  })

  it('is compared in tests and by `albatross check` as the Lambda compares it, naming the member', () => {
    const Pets = petsWithChangedRoute()
    const inTests = thrown(() => under('full', () => createApp({ controllers: [Pets], table })))
    expect(inTests).toMatchObject({ name: 'StaleTableError', code: 'ERR_STALE_TABLE' })
    expect(inTests.message).toContain('Pets.get changed since the check')
    expect(givenTable(under('cli', () => createApp({ controllers: [Pets], table })))?.mismatch).toBe('Pets.get changed since the check (its path, methods, conditions, priority, @HttpCode, parameters or other decorators)')
    expect(givenTable(under('cli', () => createApp({ ...options, table })))).toEqual({ mismatch: undefined })
    // The Lambda's refusals of a broken compiled part, in the same words.
    const older = { ...table, compiled: (table.compiled as string).replace('{"version":2', '{"version":1') }
    expect(thrown(() => under('full', () => createApp({ ...options, table: older }))).message).toContain('the table holds no compiled routes')
    expect(thrown(() => under('full', () => createApp({ ...options, priorities: { start: 2000 }, table }))).message).toContain('the app options the checks read')
  })

  // Stricter than the Lambda, which trusts the rules once the records match: a rule edited by hand
  // (here its priority, which decides which of two matching rules ALB picks, spec/alb.md §1.1) or a
  // route's name is what `albatross check --out` would not write, so tests and the CLI refuse it.
  it('is refused in tests and reported by the CLI when its rules or names are not the ones the checks build now', () => {
    const compiled = JSON.parse(table.compiled as string) as { rules: unknown[][] }
    const reprioritised = { ...table, compiled: JSON.stringify({ ...compiled, rules: compiled.rules.map((rule) => [rule[0], 7, ...rule.slice(2)]) }) }
    expect(under('trust', () => createApp({ ...options, table: reprioritised }))).toBeDefined()
    expect(thrown(() => under('full', () => createApp({ ...options, table: reprioritised }))).message).toContain('its compiled routes are not the ones the checks build now')
    expect(givenTable(under('cli', () => createApp({ ...options, table: reprioritised })))?.mismatch).toBe('its compiled routes are not the ones the checks build now')
    const renamed = { ...table, sources: ['Animals.get'] }
    expect(thrown(() => under('full', () => createApp({ ...options, table: renamed }))).message).toContain('its route names (sources) are not the ones the checks give now')
  })

  it('refuses a controller added since the check', () => {
    const error = thrown(() => under('trust', () => createApp({ controllers: [Pets, Root], table })))
    expect(error).toMatchObject({ code: 'ERR_STALE_TABLE' })
    expect(error.message).toContain('the app has 2 controllers, the table 1')
  })
})

describe('app.routes(), app.manifest(), app.openapi() of the compiled app', () => {
  const [, { compiled, checking }] = pairs[1] as (typeof pairs)[number]

  it('routes() is the checking app’s rule table: ids, priorities, conditions, sources, captures, actions', () => {
    expect(compiled.routes()).toEqual(checking.routes())
    expect(compiled.needsMultiValueHeaders).toBe(checking.needsMultiValueHeaders)
  })

  it('manifest() renders the checking app’s manifest', async () => {
    expect(await compiled.manifest()).toEqual(await checking.manifest())
    expect(await compiled.manifest({ format: 'terraform', mode: 'per-route' })).toEqual(await checking.manifest({ format: 'terraform', mode: 'per-route' }))
  })

  it('openapi() rejects with ERR_COMPILED_APP and says to run `albatross openapi`', async () => {
    await expect(compiled.openapi()).rejects.toMatchObject({ code: 'ERR_COMPILED_APP', message: expect.stringContaining('albatross openapi <entry>') })
  })
})

describe('createApp from albatross/compiled in tests (every check): an app it cannot run is refused', () => {
  const OIDC = { type: 'oidc', issuer: 'https://idp.example.com', authorizationEndpoint: 'https://idp.example.com/a', tokenEndpoint: 'https://idp.example.com/t', userInfoEndpoint: 'https://idp.example.com/u', clientId: 'c' } as const
  const custom = createParamDecorator(() => 1)
  const pass = (_request: unknown, next: () => unknown) => next()

  @Controller('/a') class WithUse { @Get() @Use(pass as never) m() { return 1 } }
  @Controller('/a') class WithAuth { @Get() @Authenticate(OIDC) m() { return 1 } }
  @Controller('/a') class WithRegExp { @Get(/^\/[0-9]+$/) m() { return 1 } }
  @Controller('/a', { host: 'api.example.com' }) class WithHostOption { @Get() m() { return 1 } }
  @Controller('/a') class WithCustom { @Get() m(@custom() one: number) { return one } }
  @Controller('/a') @Authenticate(OIDC) class WithClaims { @Get() m(@Claims({ type: Object }) claims: object) { return claims } }

  const refused: [string, ClassType, RegExp][] = [
    ['@Use', WithUse, /WithUse\.m has @Use middleware/],
    ['@Authenticate', WithAuth, /WithAuth\.m has @Authenticate/],
    ['a RegExp path', WithRegExp, /WithRegExp\.m has a RegExp path/],
    // Its matcher comes with @Host, which declares the same condition: the message says so.
    ["@Controller's host option", WithHostOption, /WithHostOption\.m is in a @Controller with the host option \(declare it with @Host on the class instead/],
    ['a custom parameter', WithCustom, /WithCustom\.m has a custom parameter/],
    // The class's @Authenticate is named first: the route has both.
    ['@Claims', WithClaims, /WithClaims\.m has @Authenticate/],
  ]
  const table = compiledTable({ controllers: [Root] })

  for (const [feature, controller, why] of refused) {
    it(`${feature}: RouteDeclarationError naming the route, telling to use albatross/lambda`, () => {
      const error = thrown(() => under('full', () => createApp({ controllers: [controller], auth: { keys: {} } as never, onError: () => undefined, table })))
      expect(error).toMatchObject({ name: 'RouteDeclarationError' })
      expect(error.message).toMatch(why)
      expect(error.message).toMatch(/albatross\/compiled: .*which albatross\/compiled does not run: import createApp from 'albatross\/lambda'/)
    })
  }

  it('app `use` and `cors`: refused, naming createApp', () => {
    for (const [option, why] of [
      [{ use: [pass] }, /createApp\(\{ use \}\) has middleware/],
      [{ cors: { origins: ['https://a.example'] } }, /createApp\(\{ cors \}\) has CORS/],
    ] as const) {
      const error = thrown(() => under('full', () => createApp({ controllers: [Root], ...(option as object), onError: () => undefined, table })))
      expect(error).toMatchObject({ name: 'RouteDeclarationError' })
      expect(error.message).toMatch(why)
    }
  })

  it('an app it can run passes the same checks: the app under test is the checking app', async () => {
    const app = under('full', () => createApp({ controllers: [Root], onError: () => undefined, table }))
    expect(await app.handler(albEvent({ path: '/lambda?query=q' }))).toMatchObject({ statusCode: 200, body: '{"query":"q"}' })
    expect(await app.openapi()).toMatchObject({ openapi: expect.any(String) })
  })
})

/** The pets controller with its route's path changed after the check (`/{id}` became `/{id}/profile`). */
function petsWithChangedRoute() {
  @Controller('/pets')
  class Pets {
    @Get('/{id}/profile') get(@Param('id', { type: Number }) id: number) { return { id } }
  }
  return Pets
}
