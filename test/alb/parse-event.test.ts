import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { clientAddress, headerModeOf, parseEvent } from '../../src/alb/parse-event.js'
import { requestSizeProblem } from '../../src/alb/limits.js'
import type { AlbRequest } from '../../src/alb/types.js'
import { fixture, fixtureSuite, HAVE_FIXTURES, requestFixtures } from './fixtures.js'

function parse(event: unknown): AlbRequest {
  const request = parseEvent(event)
  if ('error' in request) throw new Error(`unexpected parse error: ${request.error}`)
  return request
}

type Json = Record<string, unknown>

function objectOrUndefined(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

/** What a fixture should parse to, read straight from its JSON (spec/alb.md §4.2). */
function expected(json: Json) {
  // DESIGN.md: the mode is the event's multiValueHeaders alone; each mode falls back to the other's query field.
  const multi = objectOrUndefined(json['multiValueHeaders']) !== undefined
  const headerField = multi
    ? (objectOrUndefined(json['multiValueHeaders']) ?? objectOrUndefined(json['headers']))
    : objectOrUndefined(json['headers'])
  const queryField = multi
    ? (objectOrUndefined(json['multiValueQueryStringParameters']) ??
      objectOrUndefined(json['queryStringParameters']))
    : (objectOrUndefined(json['queryStringParameters']) ??
      objectOrUndefined(json['multiValueQueryStringParameters']))
  const headers: Record<string, string[]> = {}
  for (const [name, value] of Object.entries(headerField ?? {})) {
    const values = stringsOf(value)
    if (values.length > 0) (headers[name.toLowerCase()] ??= []).push(...values)
  }
  const queryPairs = Object.entries(queryField ?? {}).flatMap(([key, value]) =>
    stringsOf(value).map((v) => ({ key, value: v })),
  )
  return { mode: multi ? 'multi' : 'single', headers, queryPairs }
}

describe.skipIf(!HAVE_FIXTURES)(fixtureSuite('parseEvent on real ALB events'), () => {
  const fixtures = requestFixtures()

  it('finds the request fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(38)
  })

  it.each(fixtures.map((f) => [f.file, f.json] as const))('parses %s', (_file, json) => {
    const request = parse(json)
    const want = expected(json)
    expect(request.mode).toBe(want.mode)
    expect(request.method).toBe(json['httpMethod'])
    expect(request.path).toBe(json['path'])
    expect({ ...request.headers }).toEqual(want.headers)
    for (const [name, values] of Object.entries(want.headers)) {
      expect(request.headerValues(name)).toEqual(values)
      expect(request.header(name)).toBe(values.at(-1))
    }
    // spec/alb.md §4.2: query keys and values arrive still encoded; parseEvent keeps them so.
    expect(request.queryPairs).toEqual(want.queryPairs)
    expect(request.body).toBe(typeof json['body'] === 'string' ? json['body'] : '')
    expect(request.isBase64Encoded).toBe(json['isBase64Encoded'] === true)
    expect(request.event).toBe(json)
  })

  it('reads specific values from real events', () => {
    const single = parse(fixture('aws-lambda-go__alb-request-single-value.json'))
    expect(single.header('x-myheader')).toBe('123')
    expect(single.host).toBe('lambda-test-alb-1334523864.us-east-1.elb.amazonaws.com')
    expect(single.sourceIp).toBe('25.12.198.67')
    expect(single.targetGroupArn).toBe(
      'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lambda-target/abcdefg',
    )

    const duplicates = parse(
      fixture('powertools-python__alb-request-multivalue-duplicate-query-and-headers.json'),
    )
    expect(duplicates.headerValues('header2')).toEqual(['value1', 'value2'])
    expect(duplicates.header('header2')).toBe('value2')
    expect(duplicates.queryPairs).toEqual([
      { key: 'parameter1', value: 'value1' },
      { key: 'parameter1', value: 'value2' },
      { key: 'parameter2', value: 'value' },
    ])

    const encoded = parse(fixture('bref__alb-request-multivalue-query-encoded-keys.json'))
    const destinations = encoded.queryPairs.filter((p) => p.key === 'filter%5Bdestination%5D%5B%5D')
    expect(destinations.map((p) => p.value)).toEqual(['101', '103', '106'])

    const mixedCase = parse(
      fixture('elastic-apm-python__alb-request-post-encoded-query-key-mixed-case-header.json'),
    )
    expect(mixedCase.header('traceparent')).toBe(
      '00-12345678901234567890123456789012-1234567890123456-01',
    )
    expect(mixedCase.queryPairs[0]).toEqual({ key: 'test%40key', value: 'test%40value' })

    const emptyCookie = parse(
      fixture('lambda-api__alb-request-multivalue-duplicate-query-empty-cookie.json'),
    )
    expect(emptyCookie.headerValues('cookie')).toEqual([''])

    const escaped = parse(
      fixture('aws-lambda-dotnet__alb-request-path-escaped-percent-and-slash.json'),
    )
    expect(escaped.path).toBe('/foo%25%2Fbar')
  })

  it('reads a multi-value query value sent as a bare string as one value', () => {
    const request = parse(
      fixture('datadog-lambda-python__alb-request-multivalue-malformed-query.json'),
    )
    expect(request.queryPairs).toEqual([{ key: 'query', value: '1234ABCD' }])
  })

  it('uses the multi-value fields of an event that carries both modes', () => {
    const legacy = parse(fixture('aws-lambda-go__alb-request-legacy-mixed-modes.json'))
    expect(legacy.mode).toBe('multi')
    expect(legacy.host).toBe('gy415nuibc.execute-api.us-east-1.amazonaws.com')
    expect(legacy.header('content-type')).toBe('application/json')
    expect(legacy.sourceIp).toBe('54.182.214.83')
    expect(legacy.queryPairs).toEqual([{ key: 'name', value: 'me' }])

    const both = parse(
      fixture('aws-lambda-rust-runtime__alb-request-both-modes-duplicate-query-cookies.json'),
    )
    expect(both.headerValues('cookie')).toEqual(['name1=value1', 'name2=value2'])
    const myKey = both.queryPairs.filter((p) => p.key === 'myKey')
    expect(myKey.map((p) => p.value)).toEqual(['val1', 'val2'])
  })

  it('reads queryStringParameters when a multi-value event has no multi-value query', () => {
    const request = parse(
      fixture('aws-lambda-dotnet__alb-request-put-json-body-multivalue-null-query-bom.json'),
    )
    expect(request.mode).toBe('multi')
    expect(request.queryPairs).toEqual([])
    expect(request.headerValues('accept')).toEqual(['text/html', 'application/xhtml+xml'])
    expect(request.header('accept')).toBe('application/xhtml+xml')
  })

  it('reads a null or missing body as the empty string', () => {
    for (const file of [
      'aws-lambda-dotnet__alb-request-no-query-field-null-body-bom.json',
      'aws-lambda-rust-runtime__alb-request-single-value-no-body-field.json',
    ]) {
      expect(parse(fixture(file)).body).toBe('')
    }
  })

  // spec/alb.md §4.6: health checks carry only user-agent ELB-HealthChecker/2.0, no host, no XFF.
  it.each([
    'aws-lambda-rust-runtime__alb-health-check.json',
    'aws-lambda-rust-runtime__alb-health-check-no-host-trailing-slash.json',
  ])('recognises the health check in %s', (file) => {
    const request = parse(fixture(file))
    expect(request.isHealthCheck).toBe(true)
    expect(request.host).toBeUndefined()
    expect(request.sourceIp).toBeUndefined()
  })

  it('does not take browser or curl requests for health checks', () => {
    const browser = parse(fixture('powertools-python__alb-request-single-value.json'))
    expect(browser.isHealthCheck).toBe(false)
    expect(parse(fixture('aws-lambda-go__alb-request-multivalue.json')).isHealthCheck).toBe(false)
  })
})

describe('parseEvent on malformed input', () => {
  it.each([
    ['null', null, /object.*null/],
    ['a number', 42, /object.*number/],
    ['an array', [], /object.*array/],
    ['a string', 'GET /', /object.*string/],
    ['an empty object', {}, /httpMethod.*undefined/],
    ['a numeric httpMethod', { httpMethod: 1, path: '/' }, /httpMethod.*number/],
    ['a missing path', { httpMethod: 'GET' }, /path.*undefined/],
    ['a null path', { httpMethod: 'GET', path: null }, /path.*null/],
  ])('returns an error for %s', (_what, event, message) => {
    const result = parseEvent(event)
    expect(result).toHaveProperty('error')
    expect((result as { error: string }).error).toMatch(message)
  })

  it('treats non-object header and query maps as absent', () => {
    const request = parse({
      httpMethod: 'GET',
      path: '/',
      headers: ['host', 'example.com'],
      queryStringParameters: 'a=1',
      body: 42,
      isBase64Encoded: 'true',
      requestContext: { elb: 7 },
    })
    expect(request.mode).toBe('single')
    expect({ ...request.headers }).toEqual({})
    expect(request.host).toBeUndefined()
    expect(request.queryPairs).toEqual([])
    expect(request.body).toBe('')
    expect(request.isBase64Encoded).toBe(false)
    expect(request.targetGroupArn).toBeUndefined()
  })

  it('skips header and query values that are not strings', () => {
    const request = parse({
      httpMethod: 'GET',
      path: '/',
      multiValueHeaders: { 'x-a': [1, 'one', null, 'two'], 'x-b': 5, 'x-c': [], 'x-d': { v: 'x' } },
      multiValueQueryStringParameters: { a: [true, 'x'], b: null },
    })
    expect(request.headerValues('x-a')).toEqual(['one', 'two'])
    expect(request.header('x-a')).toBe('two')
    expect(request.headerValues('x-b')).toBeUndefined()
    expect(request.headerValues('x-c')).toBeUndefined()
    expect(request.header('x-d')).toBeUndefined()
    expect(Object.keys(request.headers)).toEqual(['x-a'])
    expect(request.queryPairs).toEqual([{ key: 'a', value: 'x' }])
  })

  it('lower-cases header names and merges spellings in arrival order', () => {
    const request = parse({
      httpMethod: 'GET',
      path: '/',
      multiValueHeaders: { Accept: ['a'], accept: ['b'], 'X-Forwarded-For': ['1.1.1.1, 2.2.2.2'] },
    })
    expect(request.headerValues('accept')).toEqual(['a', 'b'])
    expect(request.header('accept')).toBe('b')
    expect(request.sourceIp).toBe('2.2.2.2')
    expect(request.headerValues('Accept')).toBeUndefined()
  })

  it('lower-cases any header name as toLowerCase does, Unicode included (fast-check)', () => {
    // No digit alone: an index-like key would come first in the event's own key order.
    const piece = fc.constantFrom('a', 'Z', '-', '_', 'é', 'É', 'İ', 'Σ', 'ß', 'K', '\u212a', 'x')
    const name = fc.array(piece, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''))
    fc.assert(
      fc.property(fc.uniqueArray(name, { maxLength: 5 }), (names) => {
        const multiValueHeaders = Object.fromEntries(names.map((n, i) => [n, [String(i)]]))
        const request = parse({ httpMethod: 'GET', path: '/', multiValueHeaders })
        for (const [i, n] of names.entries()) expect(request.headerValues(n.toLowerCase())).toContain(String(i))
        expect(Object.keys(request.headers)).toEqual([...new Set(names.map((n) => n.toLowerCase()))])
      }),
    )
  })

  it('keeps __proto__ keys as data without touching Object.prototype', () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype)
    const event = JSON.parse(
      '{"httpMethod":"GET","path":"/","headers":{"__proto__":"x","constructor":"c"},' +
        '"queryStringParameters":{"__proto__":"q","toString":"t"}}',
    ) as unknown
    const request = parse(event)
    expect(request.header('__proto__')).toBe('x')
    expect(request.headerValues('constructor')).toEqual(['c'])
    expect(request.header('hasOwnProperty')).toBeUndefined()
    expect(Object.getPrototypeOf(request.headers)).toBeNull()
    expect(Object.keys(request.headers)).toEqual(['__proto__', 'constructor'])
    expect(request.queryPairs).toEqual([
      { key: '__proto__', value: 'q' },
      { key: 'toString', value: 't' },
    ])
    // Mixed-case names force the built (lower-cased) map, where the assignment happens.
    const mixed = parse(
      JSON.parse(
        '{"httpMethod":"GET","path":"/",' +
          '"multiValueHeaders":{"__proto__":["a"],"X-Polluted":["b"]}}',
      ) as unknown,
    )
    expect(mixed.headerValues('__proto__')).toEqual(['a'])
    expect(mixed.header('x-polluted')).toBe('b')
    expect(mixed.headerValues('toString')).toBeUndefined()
    expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(prototypeKeys)
    expect(({} as Record<string, unknown>)['x-polluted']).toBeUndefined()
  })

  it('never throws for arbitrary JSON values', () => {
    const headerMap = fc.dictionary(fc.string(), fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue())))
    const event = fc.record(
      {
        httpMethod: fc.oneof(fc.constantFrom('GET', 'POST'), fc.jsonValue()),
        path: fc.oneof(fc.constant('/'), fc.jsonValue()),
        headers: fc.oneof(headerMap, fc.jsonValue()),
        multiValueHeaders: fc.oneof(headerMap, fc.jsonValue()),
        queryStringParameters: fc.oneof(headerMap, fc.jsonValue()),
        multiValueQueryStringParameters: fc.oneof(headerMap, fc.jsonValue()),
        body: fc.jsonValue(),
        isBase64Encoded: fc.jsonValue(),
        requestContext: fc.jsonValue(),
      },
      { requiredKeys: [] },
    )
    fc.assert(
      fc.property(fc.oneof(event, fc.jsonValue()), (input) => {
        const result = parseEvent(input)
        if ('error' in result) return
        // Touch every lazy part: none may throw either.
        void result.headers
        void result.queryPairs
        void result.sourceIp
        void result.host
        void result.isHealthCheck
        result.headerValues('user-agent')
        result.header('x-forwarded-for')
      }),
      { numRuns: 500 },
    )
  })
})

describe('parseEvent header modes', () => {
  // Issue #11 item 10: DESIGN.md pins the mode by multiValueHeaders alone (spec/alb.md §4.2: ALB
  // sends multiValueHeaders exactly in multi-value mode).
  it('is single-value for a hand-made event with headers and a multiValueQueryStringParameters', () => {
    const request = parse({
      httpMethod: 'GET',
      path: '/',
      headers: { host: 'a.example.com' },
      multiValueQueryStringParameters: { tag: ['a', 'b'] },
    })
    expect(request.mode).toBe('single')
    expect(headerModeOf({ headers: {}, multiValueQueryStringParameters: {} })).toBe('single')
    // The query is still read, from the only query field there is.
    expect(request.queryPairs).toEqual([{ key: 'tag', value: 'a' }, { key: 'tag', value: 'b' }])
  })

  it('is multi-value when multiValueHeaders is an object, whatever the query fields', () => {
    expect(parse({ httpMethod: 'GET', path: '/', multiValueHeaders: {}, queryStringParameters: { a: '1' } }).mode).toBe('multi')
    expect(headerModeOf({ multiValueHeaders: {} })).toBe('multi')
  })

  it('is single-value when the multi-value fields are null', () => {
    const request = parse({
      httpMethod: 'GET',
      path: '/',
      headers: { host: 'a.example.com' },
      multiValueHeaders: null,
      multiValueQueryStringParameters: null,
    })
    expect(request.mode).toBe('single')
    expect(request.headerValues('host')).toEqual(['a.example.com'])
  })
})

describe('parseEvent sourceIp', () => {
  function sourceIpOf(headers: Record<string, string[]>): string | undefined {
    return parse({ httpMethod: 'GET', path: '/', multiValueHeaders: headers }).sourceIp
  }

  // spec/alb.md §4.2 and §6 #10: ALB appends the peer as the last element in append mode.
  it('takes the last element of the last x-forwarded-for occurrence', () => {
    const forwarded = ['10.0.0.1, 192.0.2.5', ' 198.51.100.1 ,  203.0.113.7 ']
    expect(sourceIpOf({ 'x-forwarded-for': forwarded })).toBe('203.0.113.7')
  })

  it('is undefined without x-forwarded-for', () => {
    expect(sourceIpOf({ host: ['example.com'] })).toBeUndefined()
  })

  it.each([
    ['1.2.3.4', '1.2.3.4'],
    ['1.2.3.4:5678', '1.2.3.4'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['2001:db8::1', '2001:db8::1'],
    ['::1', '::1'],
    ['9.9.9.9, 1.2.3.4:80', '1.2.3.4'],
    ['', undefined],
    ['1.2.3.4, ', undefined],
    ['[2001:db8::1', undefined],
  ])('reads %j as %j (client-port preservation stripped)', (value, address) => {
    expect(clientAddress(value)).toBe(address)
    expect(sourceIpOf({ 'x-forwarded-for': [value] })).toBe(address)
  })
})

describe('parseEvent isHealthCheck', () => {
  const healthCheck = { httpMethod: 'GET', path: '/', body: '', isBase64Encoded: false }

  // spec/alb.md §4.6, §6 #18: the multi-value shape is undocumented, so both fields count.
  it('recognises ELB-HealthChecker/2.0 in single-value headers', () => {
    const request = parse({
      ...healthCheck,
      queryStringParameters: {},
      headers: { 'user-agent': 'ELB-HealthChecker/2.0' },
    })
    expect(request.isHealthCheck).toBe(true)
  })

  it('recognises ELB-HealthChecker/2.0 in multi-value headers', () => {
    const request = parse({
      ...healthCheck,
      multiValueQueryStringParameters: {},
      multiValueHeaders: { 'user-agent': ['ELB-HealthChecker/2.0'] },
    })
    expect(request.isHealthCheck).toBe(true)
  })

  it('recognises it in the single-value field of a multi-value event', () => {
    const request = parse({
      ...healthCheck,
      multiValueQueryStringParameters: {},
      multiValueHeaders: {},
      headers: { 'User-Agent': 'ELB-HealthChecker/2.0' },
    })
    expect(request.mode).toBe('multi')
    expect(request.isHealthCheck).toBe(true)
  })

  it('recognises it among several user-agent values of a multi-value header', () => {
    const request = parse({
      ...healthCheck,
      multiValueHeaders: { 'user-agent': ['curl/8.0', 'ELB-HealthChecker/2.0'], accept: ['*/*'] },
    })
    expect(request.isHealthCheck).toBe(true)
  })

  // The verdict is noted while the fields are read (readFields' tally): a getter of a hand-made
  // event that parses another event meanwhile (a harness handling a request from inside one) must
  // not change this event's verdict, in either direction.
  it('keeps each event\'s verdict when a header getter parses another event meanwhile', () => {
    const ordinary = { ...healthCheck, headers: { 'user-agent': 'curl/8.0' } }
    // Its last field read holds the checker's user agent (in a query key, which is no verdict).
    const lastRead = { ...healthCheck, headers: {}, multiValueQueryStringParameters: { 'user-agent': ['ELB-HealthChecker/2.0'] } }
    const reentering = (first: Record<string, unknown>, other: object): Record<string, unknown> => {
      const headers = { ...first }
      Object.defineProperty(headers, 'x-later', { enumerable: true, get: () => (parseEvent(other), 'v') })
      return headers
    }
    const checked = parse({ ...healthCheck, headers: reentering({ 'user-agent': 'ELB-HealthChecker/2.0' }, ordinary) })
    expect(checked.isHealthCheck).toBe(true)
    const unchecked = parse({ ...healthCheck, headers: reentering({ 'user-agent': 'curl/8.0' }, lastRead) })
    expect(unchecked.isHealthCheck).toBe(false)
    // The same from a getter inside a multi-value array, read with the array's other values.
    const inArray = (userAgent: string, other: object): Record<string, unknown> => {
      const values = ['a', 'b']
      Object.defineProperty(values, 1, { enumerable: true, get: () => (parseEvent(other), 'b') })
      return { ...healthCheck, multiValueHeaders: { 'user-agent': [userAgent], 'x-later': values } }
    }
    expect(parse(inArray('ELB-HealthChecker/2.0', ordinary)).isHealthCheck).toBe(true)
    expect(parse(inArray('curl/8.0', lastRead)).isHealthCheck).toBe(false)
  })

  it('does not match other user agents', () => {
    const headers = { 'user-agent': 'ELB-HealthChecker/2.0 (spoof)' }
    const request = parse({ ...healthCheck, headers })
    expect(request.isHealthCheck).toBe(false)
  })
})

// Issue #12 § 6: the event is read once. A hand-made event (a test harness, a proxy layer) can
// hold getters and Proxies; ALB's size limits (spec/alb.md §1.5) are checked on exactly the values
// the request model keeps, and arrays cost what they hold, not their length.
describe('parseEvent reads the event once', () => {
  const BIG = 'x'.repeat(100_000)

  /** An object whose `key` answers `first` on the first read and `later` after. */
  function changing<T extends object>(target: T, key: string, first: unknown, later: unknown): T {
    let reads = 0
    Object.defineProperty(target, key, { enumerable: true, configurable: true, get: () => (reads++ === 0 ? first : later) })
    return target
  }

  /** A Proxy over `target` counting reads of each key, and of every key of its object values. */
  function counted(target: Record<string, unknown>, counts: Map<string, number>, prefix = ''): Record<string, unknown> {
    return new Proxy(target, {
      get(object, key, receiver) {
        const value = Reflect.get(object, key, receiver) as unknown
        if (typeof key !== 'string') return value
        const name = prefix + key
        counts.set(name, (counts.get(name) ?? 0) + 1)
        return typeof value === 'object' && value !== null && !Array.isArray(value)
          ? counted(value as Record<string, unknown>, counts, `${name}.`)
          : value
      },
    })
  }

  const base = () => ({ httpMethod: 'GET', path: '/', requestContext: { elb: { targetGroupArn: 'arn' } }, body: '', isBase64Encoded: false })

  it('keeps the header value the size check saw, not a later 100 KB one', () => {
    const request = parse({ ...base(), headers: changing({ host: 'h' }, 'x-big', 'small', BIG) })
    expect(request.header('x-big')).toBe('small')
    expect(request.headerValues('x-big')).toEqual(['small'])
    expect(request.headers['x-big']).toEqual(['small'])
  })

  it('reads the headers, query and body fields themselves once', () => {
    const event = changing(changing(changing(base(), 'headers', { a: '1' }, { a: BIG }), 'queryStringParameters', { q: '1' }, { q: BIG }), 'body', 'b', BIG)
    const request = parse(event)
    expect([request.header('a'), request.queryPairs, request.body]).toEqual(['1', [{ key: 'q', value: '1' }], 'b'])
  })

  it('reads a multi-value header and query array once, item by item', () => {
    const values = changing([] as unknown[], '0', 'one', BIG)
    values.length = 1
    const query = changing([] as unknown[], '0', 'q', BIG)
    query.length = 1
    const request = parse({ ...base(), multiValueHeaders: { 'x-v': values }, multiValueQueryStringParameters: { v: query } })
    expect(request.headerValues('x-v')).toEqual(['one'])
    expect(request.header('x-v')).toBe('one')
    expect(request.queryPairs).toEqual([{ key: 'v', value: 'q' }])
  })

  it('reads every field and value of a Proxy event at most once, however much of it is used', () => {
    const counts = new Map<string, number>()
    const event = counted({
      ...base(),
      multiValueHeaders: { host: ['h'], 'x-forwarded-for': ['1.2.3.4'], 'user-agent': ['u'], cookie: ['a=1'] },
      multiValueQueryStringParameters: { q: ['1', '2'] },
    }, counts)
    const request = parse(event)
    void [request.header('host'), request.headerValues('cookie'), request.headers, request.queryPairs, request.sourceIp, request.isHealthCheck, request.targetGroupArn, request.targetGroupArn, request.host]
    const over = [...counts].filter(([, n]) => n > 1)
    expect(over).toEqual([])
    expect(counts.get('multiValueHeaders.cookie')).toBe(1)
  })

  it('reads sparse and huge arrays by what they hold, not by their length', () => {
    const sparse: unknown[] = []
    sparse.length = 2 ** 32 - 1
    sparse[3] = 'a'
    sparse[4_000_000_000] = 'b'
    const proxy = new Proxy(['p'], {
      get: (target, key) => (key === 'length' ? 2 ** 32 - 1 : Reflect.get(target, key)),
    })
    const request = parse({
      ...base(),
      multiValueHeaders: { 'x-huge': new Array(1e9), 'x-sparse': sparse, 'x-proxy': proxy, host: ['h'] },
      multiValueQueryStringParameters: { huge: new Array(1e9), sparse },
    })
    expect(request.headerValues('x-huge')).toBeUndefined()
    expect(request.headerValues('x-sparse')).toEqual(['a', 'b'])
    expect(request.header('x-sparse')).toBe('b')
    expect(request.headerValues('x-proxy')).toEqual(['p'])
    expect(request.queryPairs).toEqual([{ key: 'sparse', value: 'a' }, { key: 'sparse', value: 'b' }])
  })

  it('refuses an array holding more values than any request within ALB limits can, reading only that many', () => {
    let reads = 0
    const many = new Proxy(new Array<string>(100_000).fill(''), {
      get: (target, key) => {
        if (key !== 'length') reads++
        return Reflect.get(target, key)
      },
    })
    const tooMany = parseEvent({ ...base(), multiValueHeaders: { host: ['h'], 'x-e': many } })
    expect(tooMany).toMatchObject({ status: 431, mode: 'multi' })
    expect(reads).toBeLessThanOrEqual(16 * 1024 + 2)
    const query = parseEvent({ ...base(), multiValueHeaders: { host: ['h'] }, multiValueQueryStringParameters: { '': new Array<string>(20_000).fill('') } })
    expect(query).toMatchObject({ status: 414, mode: 'multi' })
  })

  it('answers the size check and the model from one reading, for any getter-laden event (fast-check)', () => {
    const name = fc.constantFrom('host', 'x-a', 'cookie', 'user-agent', 'x-forwarded-for')
    const small = fc.string({ maxLength: 8 })
    fc.assert(
      fc.property(fc.dictionary(name, small, { minKeys: 1 }), fc.dictionary(fc.constantFrom('q', 'r'), small), fc.boolean(), (headers, query, multi) => {
        const wrap = (value: string) => (multi ? [value] : value)
        const headerMap: Record<string, unknown> = {}
        for (const [key, value] of Object.entries(headers)) changing(headerMap, key, wrap(value), wrap(BIG))
        const queryMap: Record<string, unknown> = {}
        for (const [key, value] of Object.entries(query)) changing(queryMap, key, wrap(value), wrap(BIG))
        const event = { ...base(), [multi ? 'multiValueHeaders' : 'headers']: headerMap, [multi ? 'multiValueQueryStringParameters' : 'queryStringParameters']: queryMap }
        const request = parse(event)
        for (const [key, value] of Object.entries(headers)) expect(request.header(key)).toBe(value)
        expect(request.queryPairs).toEqual(Object.entries(query).map(([key, value]) => ({ key, value })))
      }),
      { numRuns: 200 },
    )
  })
})

// parseEvent counts the sizes while it reads the fields; its verdict must be the one the separate
// size check (limits.ts requestSizeProblem) gives for the same fields, near every limit.
describe('parseEvent size verdicts', () => {
  it('refuses exactly the events requestSizeProblem refuses, in both modes (fast-check)', () => {
    const text = fc.oneof(fc.string({ maxLength: 4 }), fc.nat(9000).map((n) => 'é'.repeat(n)), fc.nat(17000).map((n) => 'x'.repeat(n)))
    const values = fc.array(text, { minLength: 0, maxLength: 3 })
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('a', 'b', 'user-agent', 'x-long'), values), fc.dictionary(fc.constantFrom('q', 'r'), values), fc.boolean(), (headers, query, multi) => {
        const flat = (map: Record<string, string[]>) => Object.entries(map).flatMap(([key, list]) => (multi ? list : list.slice(-1)).flatMap((v) => [key, v]))
        const shape = (map: Record<string, string[]>) =>
          Object.fromEntries(Object.entries(map).filter(([, list]) => multi || list.length > 0).map(([key, list]) => [key, multi ? list : list[list.length - 1]]))
        const event = {
          httpMethod: 'GET',
          path: '/',
          body: '',
          isBase64Encoded: false,
          [multi ? 'multiValueHeaders' : 'headers']: shape(headers),
          [multi ? 'multiValueQueryStringParameters' : 'queryStringParameters']: shape(query),
        }
        const parsed = parseEvent(event)
        const expected = requestSizeProblem('GET', '/', flat(headers), flat(query))
        expect('error' in parsed ? { status: parsed.status, error: parsed.error } : undefined).toEqual(expected)
      }),
      { numRuns: 150 },
    )
  })
})
