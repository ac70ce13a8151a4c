import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ALBEvent } from 'aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDevServer, type DevServer, type LambdaHandler } from '../../src/dev/server.js'
import { send, sendRaw } from './http-client.js'

/*
 * The events the dev server builds from real HTTP requests, compared with the real ALB events in
 * ../shared/fixtures/alb-events: first their structure against every fixture of the same header
 * mode, then a replay of each fixture's request through the server, compared field for field.
 */

const FIXTURE_DIR = path.resolve(fileURLToPath(new URL('../..', import.meta.url)), '../shared/fixtures/alb-events')
const HAVE_FIXTURES = existsSync(FIXTURE_DIR)

interface Fixture {
  readonly file: string
  readonly json: Record<string, unknown>
}

/** The request events (not the responses); some files start with a UTF-8 BOM. */
function requestFixtures(): Fixture[] {
  if (!HAVE_FIXTURES) return []
  return readdirSync(FIXTURE_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      json: JSON.parse(readFileSync(path.join(FIXTURE_DIR, file), 'utf8').replace(/^\uFEFF/, '')) as Record<string, unknown>,
    }))
    .filter((fixture) => typeof fixture.json['httpMethod'] === 'string')
}

type Mode = 'single' | 'multi'
const ALB_HEADERS = ['x-amzn-trace-id', 'x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto']
const FIELDS: Record<Mode, readonly string[]> = {
  single: ['requestContext', 'httpMethod', 'path', 'queryStringParameters', 'headers', 'body', 'isBase64Encoded'],
  multi: ['requestContext', 'httpMethod', 'path', 'multiValueQueryStringParameters', 'multiValueHeaders', 'body', 'isBase64Encoded'],
}
// What each ALB-added header looks like in a real event (spec/alb.md §4.2, §4.4).
const ALB_HEADER_FORMAT: Record<string, RegExp> = {
  'x-amzn-trace-id': /^Root=1-/,
  'x-forwarded-for': /^[0-9A-Fa-f.:]+(, [0-9A-Fa-f.:]+)*$/,
  'x-forwarded-port': /^\d+$/,
  'x-forwarded-proto': /^https?$/,
}

const TARGET_GROUP = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/fixtures/0123456789abcdef'
const echo: LambdaHandler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) })
const servers = {} as Record<Mode, DevServer>

beforeAll(async () => {
  const [single, multi] = await Promise.all(
    [false, true].map((multiValue) =>
      startDevServer({ handler: echo, port: 0, multiValue, targetGroupArn: TARGET_GROUP, log: () => {} }),
    ),
  )
  servers.single = single as DevServer
  servers.multi = multi as DevServer
})
afterAll(() => Promise.all(Object.values(servers).map((server) => server.close())))

function modeOf(json: Record<string, unknown>): Mode | 'both' {
  // A null field is a serialiser's way of leaving it out.
  const present = (key: string) => json[key] !== undefined && json[key] !== null
  const single = present('headers') || present('queryStringParameters')
  const multi = present('multiValueHeaders') || present('multiValueQueryStringParameters')
  return single && multi ? 'both' : multi ? 'multi' : 'single'
}

function kind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value
}

/** The nested key/type skeleton of a value, e.g. `{elb:{targetGroupArn:string}}`. */
function shape(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return kind(value)
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shape(inner)]))
}

function headerMap(event: Record<string, unknown>, mode: Mode): Record<string, unknown> {
  return (event[mode === 'multi' ? 'multiValueHeaders' : 'headers'] ?? {}) as Record<string, unknown>
}

function valueKind(mode: Mode): (value: unknown) => boolean {
  return mode === 'multi'
    ? (value) => Array.isArray(value) && value.every((item) => typeof item === 'string')
    : (value) => typeof value === 'string'
}

/** Why a fixture cannot stand for a request a client could send through ALB, if it cannot. */
function replayProblem(fixture: Fixture): string | undefined {
  const json = fixture.json
  const mode = modeOf(json)
  if (mode === 'both') return 'carries both header modes at once, which ALB never sends'
  const headers = headerMap(json, mode)
  const agent = headers['user-agent']
  if ((Array.isArray(agent) ? agent[0] : agent) === 'ELB-HealthChecker/2.0') {
    return 'a health check, which ALB generates itself instead of forwarding a client request'
  }
  const query = json[mode === 'multi' ? 'multiValueQueryStringParameters' : 'queryStringParameters']
  if (query !== null && query !== undefined && !Object.values(query).every(valueKind(mode))) {
    return 'malformed: a query value has the wrong type for its header mode'
  }
  return undefined
}

// A request for each mode that exercises every field: query, a custom header, a text body.
async function referenceEvent(mode: Mode): Promise<Record<string, unknown>> {
  const response = await send(servers[mode].port, {
    method: 'POST',
    path: '/reference?key=hello&key=again&encoded=%3Fa%3D1',
    headers: { 'User-Agent': 'curl/8.5.0', 'X-MyHeader': '123', 'content-type': 'text/plain' },
    body: 'Some text',
  })
  return JSON.parse(response.body.toString('utf8')) as Record<string, unknown>
}

const fixtures = requestFixtures()

const SUITE = `dev server events vs real ALB events${HAVE_FIXTURES ? '' : ` (skipped: no fixtures at ${FIXTURE_DIR})`}`

describe.skipIf(!HAVE_FIXTURES)(SUITE, () => {
  it('finds request fixtures of both modes', () => {
    expect(fixtures.filter((f) => modeOf(f.json) === 'single').length).toBeGreaterThan(5)
    expect(fixtures.filter((f) => modeOf(f.json) === 'multi').length).toBeGreaterThan(5)
  })

  describe('structure', () => {
    const references: Partial<Record<Mode, Record<string, unknown>>> = {}
    beforeAll(async () => {
      references.single = await referenceEvent('single')
      references.multi = await referenceEvent('multi')
    })

    for (const fixture of fixtures) {
      const mode = modeOf(fixture.json)
      const test = mode === 'both' ? it.skip : it
      const reason = mode === 'both' ? ' (skipped: carries both header modes, which ALB never sends)' : ''
      // spec/alb.md §4.2: the field set, types and header rules of each mode.
      test(`has the fields and types of ${fixture.file}${reason}`, () => {
        const ours = references[mode as Mode] as Record<string, unknown>
        const theirs = fixture.json
        expect(Object.keys(ours)).toEqual(FIELDS[mode as Mode])
        for (const key of Object.keys(theirs)) {
          // Some libraries serialised absent fields as null; ALB itself sends {} and "".
          if (theirs[key] === null) continue
          expect(FIELDS[mode as Mode], `fixture field ${key}`).toContain(key)
          expect(kind(ours[key]), key).toBe(kind(theirs[key]))
        }
        expect(shape(ours['requestContext'])).toEqual(shape(theirs['requestContext']))
        const isValue = valueKind(mode as Mode)
        const queryField = FIELDS[mode as Mode][3] as string
        expect(Object.values(ours[queryField] as object).every(isValue)).toBe(true)
        const ourHeaders = headerMap(ours, mode as Mode)
        const theirHeaders = headerMap(theirs, mode as Mode)
        expect(Object.values(ourHeaders).every(isValue)).toBe(true)
        expect(Object.values(theirHeaders).every(isValue)).toBe(true)
        expect(Object.keys(ourHeaders).filter((name) => name !== name.toLowerCase())).toEqual([])
        for (const name of ALB_HEADERS) {
          const first = (value: unknown) => (Array.isArray(value) ? value[0] : value) as string
          expect(first(ourHeaders[name]), name).toMatch(ALB_HEADER_FORMAT[name] as RegExp)
          if (theirHeaders[name] !== undefined) expect(first(theirHeaders[name]), name).toMatch(ALB_HEADER_FORMAT[name] as RegExp)
        }
      })
    }
  })

  describe('replay', () => {
    for (const fixture of fixtures) {
      const problem = replayProblem(fixture)
      const test = problem === undefined ? it : it.skip
      test(`rebuilds the event of ${fixture.file} from its request${problem === undefined ? '' : ` (skipped: ${problem})`}`, async () => {
        const mode = modeOf(fixture.json) as Mode
        const { head, body, forwardedFor, addedLength } = requestFor(fixture.json, mode)
        const server = servers[mode]
        const response = await sendRaw(server.port, Buffer.concat([Buffer.from(head, 'utf8'), body]))
        expect(response.status).toBe(200)
        const ours = JSON.parse(response.body.toString('utf8')) as ALBEvent & Record<string, unknown>
        const theirs = fixture.json

        expect(ours.httpMethod).toBe(theirs['httpMethod'])
        expect(ours.path).toBe(theirs['path'])
        expect(ours.requestContext).toEqual({ elb: { targetGroupArn: TARGET_GROUP } })
        const queryField = FIELDS[mode][3] as string
        expect(ours[queryField]).toEqual(theirs[queryField] ?? {})

        // Every header the client sent, as sent; then the four ALB adds.
        const expected: Record<string, unknown> = {}
        for (const [name, value] of Object.entries(headerMap(theirs, mode))) {
          if (!ALB_HEADERS.includes(name.toLowerCase())) expected[name.toLowerCase()] = value
        }
        if (addedLength !== undefined) expected['content-length'] = mode === 'multi' ? [addedLength] : addedLength
        const ourHeaders = headerMap(ours, mode)
        const clientHeaders = Object.fromEntries(Object.entries(ourHeaders).filter(([name]) => !ALB_HEADERS.includes(name)))
        expect(clientHeaders).toEqual(expected)
        const one = (value: string) => (mode === 'multi' ? [value] : value)
        expect(ourHeaders['x-forwarded-for']).toEqual(one([...forwardedFor, '127.0.0.1'].join(', ')))
        expect(ourHeaders['x-forwarded-port']).toEqual(one(String(server.port)))
        expect(ourHeaders['x-forwarded-proto']).toEqual(one('http'))

        // Same bytes; text or base64 by the content-type rule (spec/alb.md §4.3), which some
        // hand-written fixtures do not follow.
        const ourBytes = ours.isBase64Encoded ? Buffer.from(ours.body ?? '', 'base64') : Buffer.from(ours.body ?? '', 'utf8')
        expect(ourBytes.equals(body)).toBe(true)
        expect(ours.isBase64Encoded).toBe(body.length > 0 && !isTextBody(expected))
      })
    }
  })
})

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** The raw HTTP/1.1 request a client sent for `json`, before ALB added its headers. */
function requestFor(json: Record<string, unknown>, mode: Mode) {
  const query = (json[FIELDS[mode][3] as string] ?? {}) as Record<string, string | string[]>
  const pairs = Object.entries(query).flatMap(([key, values]) => (Array.isArray(values) ? values : [values]).map((v) => `${key}=${v}`))
  const target = `${json['path'] as string}${pairs.length > 0 ? `?${pairs.join('&')}` : ''}`

  const text = typeof json['body'] === 'string' ? json['body'] : ''
  // A body flagged base64 that is not base64 was written as text by the fixture's author.
  const body =
    json['isBase64Encoded'] === true && text.length % 4 === 0 && BASE64.test(text)
      ? Buffer.from(text, 'base64')
      : Buffer.from(text, 'utf8')

  const lines: string[] = []
  let forwardedFor: string[] = []
  let hasLength = false
  for (const [name, value] of Object.entries(headerMap(json, mode))) {
    const lower = name.toLowerCase()
    const values = (Array.isArray(value) ? value : [value]) as string[]
    if (lower === 'x-forwarded-for') {
      // ALB appended the last address; the ones before it came from the client.
      forwardedFor = values.join(', ').split(', ').slice(0, -1)
      if (forwardedFor.length > 0) lines.push(`${name}: ${forwardedFor.join(', ')}`)
      continue
    }
    if (ALB_HEADERS.includes(lower)) continue
    if (lower === 'content-length') hasLength = true
    for (const item of values) lines.push(`${name}: ${lower === 'content-length' ? body.length : item}`)
  }
  let addedLength: string | undefined
  if (body.length > 0 && !hasLength) {
    addedLength = String(body.length)
    lines.push(`content-length: ${addedLength}`)
  }
  const head = `${json['httpMethod'] as string} ${target} HTTP/1.1\r\n${lines.map((l) => `${l}\r\n`).join('')}\r\n`
  return { head, body, forwardedFor, addedLength }
}

function isTextBody(headers: Record<string, unknown>): boolean {
  const last = (value: unknown) => (Array.isArray(value) ? value.at(-1) : value) as string | undefined
  if (headers['content-encoding'] !== undefined) return false
  const type = last(headers['content-type'])?.split(';')[0]?.trim().toLowerCase()
  if (type === undefined) return false
  return type.startsWith('text/') || ['application/json', 'application/javascript', 'application/xml'].includes(type)
}
