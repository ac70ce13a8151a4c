// DTO support (class-transformer, class-validator, reflect-metadata), as an app with DTOs imports it.
import '../../src/dto.js'
import { Type } from 'class-transformer'
import { IsBoolean, IsDate, IsInt, IsOptional, IsString, ValidateNested } from 'class-validator'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Body, Controller, Get, Post, Query, albEvent, createApp } from '../../src/index.js'
import type { AlbEventInput } from '../../src/index.js'
import { runBundled } from './helpers.js'
import { INVALID } from '../../src/binding/coerce.js'
import { convertValues, plainFromPairs } from '../../src/binding/convert.js'
import { decodeQuery } from '../../src/binding/decode.js'
import type { DecodedPairs } from '../../src/binding/decode.js'
import { planDto } from '../../src/binding/dto-plan.js'
import type { DtoPlan } from '../../src/binding/dto-plan.js'
import type { IssueSink, ValidationIssue } from '../../src/binding/validation-details.js'

// Issue #12 § 3: one conversion rule for every location. A DTO property that @Type converts to
// Boolean, Number or Date takes a JSON body's string by the same strict rule as the query, the
// headers and forms (class-transformer alone would apply Boolean('false') === true and
// Number('0x10') === 16), and a polymorphic @Type's unknown subtype name is a 400, not the 500
// that class-transformer's fallback class caused when the answer was serialized.

const RUNS = Number(process.env['CONVERT_RUNS'] ?? 150)

class Flags {
  @IsOptional() @Type(() => Boolean) @IsBoolean() admin?: boolean
  @IsOptional() @Type(() => Number) @IsInt() limit?: number
  @IsOptional() @Type(() => Date) @IsDate() since?: Date
  @IsOptional() @Type(() => Number) @IsInt({ each: true }) ids?: number[]
  // No @Type: class-transformer leaves JSON values alone, and so does albatross.
  @IsOptional() @IsInt() plain?: number
  // @Type without a validator: nothing else would stop a lenient conversion.
  @IsOptional() @Type(() => Boolean) unchecked?: boolean
  // String(12) would be '12', String({}) '[object Object]', both passing @IsString.
  @IsOptional() @Type(() => String) @IsString() label?: string
}

class Animal {
  @IsString() kind!: string
}
class Cat extends Animal {
  @IsString() meow!: string
}
class Dog extends Animal {
  @IsOptional() @Type(() => Boolean) @IsBoolean() good?: boolean
}
const subTypes = [{ name: 'cat', value: Cat }, { name: 'dog', value: Dog }]
class Home {
  @IsOptional() @ValidateNested() @Type(() => Animal, { discriminator: { property: 'kind', subTypes }, keepDiscriminatorProperty: true }) pet?: Animal
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Animal, { discriminator: { property: 'kind', subTypes }, keepDiscriminatorProperty: true }) pets?: Animal[]
}
class Street {
  @ValidateNested({ each: true }) @Type(() => Home) homes!: Home[]
}

@Controller('/c')
class Conversions {
  @Post('/flags') body(@Body({ type: Flags }) flags: Flags) { return { flags, types: typesOf(flags) } }
  @Get('/flags') query(@Query({ type: Flags }) flags: Flags) { return { flags, types: typesOf(flags) } }
  @Post('/home') home(@Body({ type: Home }) home: Home) { return home }
  @Post('/street') street(@Body({ type: Street }) street: Street) { return street }
}

function typesOf(value: object): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, item instanceof Date ? 'date' : Array.isArray(item) ? 'array' : typeof item]))
}

const errors: unknown[] = []
const app = createApp({ controllers: [Conversions], onError: (error) => void errors.push(error) })

async function send(input: AlbEventInput): Promise<{ status: number; body: Record<string, unknown> }> {
  const result = await app.handler(albEvent(input))
  return { status: result.statusCode, body: JSON.parse(result.body ?? 'null') as Record<string, unknown> }
}
const json = (path: string, body: object) => send({ method: 'POST', path, body })
const form = (body: string) => send({ method: 'POST', path: '/c/flags', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
const query = (search: string) => send({ path: `/c/flags?${search}` })

/** What a 400 says about each location (constraint), or the bound values of a 200. */
function outcome({ status, body }: { status: number; body: Record<string, unknown> }): unknown {
  if (status !== 400) return { status, body }
  const issues = body['errors'] as { location: string; constraint: string }[]
  return { status, issues: issues.map((issue) => `${issue.location.replace(/^(query|body)\./, '')}: ${issue.constraint}`) }
}

describe('JSON body strings follow the query and form rule (#12 § 3)', () => {
  it('does not turn {"admin":"false"} into true, nor "0x10" into 16', async () => {
    expect(await json('/c/flags', { admin: 'false', limit: '12' })).toEqual({ status: 200, body: { flags: { admin: false, limit: 12 }, types: { admin: 'boolean', limit: 'number' } } })
    const hex = await json('/c/flags', { limit: '0x10' })
    expect(hex.status).toBe(400)
    expect(hex.body['errors']).toEqual([{ location: 'body.limit', message: 'body.limit must be a number', constraint: 'isNumber', value: '0x10' }])
    // No validator on the property: the strict rule is the only thing between 'false' and true.
    expect((await json('/c/flags', { unchecked: 'false' })).body).toMatchObject({ flags: { unchecked: false } })
    expect((await json('/c/flags', { unchecked: 'no' })).status).toBe(400)
  })

  it('passes JSON numbers, booleans and null as themselves, and refuses the other JSON types', async () => {
    expect((await json('/c/flags', { admin: true, limit: 7, ids: [1, '2'], unchecked: null })).body).toEqual({
      flags: { admin: true, limit: 7, ids: [1, 2], unchecked: null },
      types: { admin: 'boolean', limit: 'number', ids: 'array', unchecked: 'object' },
    })
    const wrong = await json('/c/flags', { admin: 1, limit: true, since: 0, ids: [1, {}, 'x'], unchecked: [], label: {} })
    expect(outcome(wrong)).toEqual({
      status: 400,
      issues: ['admin: isBoolean', 'limit: isNumber', 'since: isIso8601', 'ids[1]: isNumber', 'ids[2]: isNumber', 'label: isString'],
    })
    // Without @Type, class-transformer converts nothing and neither does albatross: the validator decides.
    expect(outcome(await json('/c/flags', { plain: '12' }))).toEqual({ status: 400, issues: ['plain: isInt'] })
  })

  it('answers the same for any string, whether it came in the query, a form or a JSON body (fast-check)', async () => {
    const token = fc.oneof(
      fc.constantFrom('0x10', '1e3', ' 12', '12', '-0', '.5', '5.', 'Infinity', 'NaN', '', 'true', 'TRUE', 'False', 'false', '1', '0', 'yes', 'on'),
      fc.constantFrom('2024-02-29', '2023-02-29', '2024-01-02T03:04:05Z', '2024-01-02T03:04:05', '2024-01-02T24:00:00Z', 'Jan 2 2024', '1704164645000'),
      fc.string({ maxLength: 6 }),
      fc.integer().map(String),
      fc.double({ noNaN: true }).map(String),
    )
    const field = fc.constantFrom('admin', 'limit', 'since', 'unchecked')
    await fc.assert(
      fc.asyncProperty(field, token, async (key, value) => {
        const encoded = `${key}=${encodeURIComponent(value)}`
        const viaQuery = outcome(await query(encoded))
        expect(outcome(await form(encoded))).toEqual(viaQuery)
        expect(outcome(await json('/c/flags', { [key]: value }))).toEqual(viaQuery)
      }),
      { numRuns: RUNS },
    )
    expect(errors).toEqual([])
  })
})

describe('polymorphic @Type: the subtype name (#12 § 3)', () => {
  it('is a 400 naming the known subtypes when unknown or missing, never a 500', async () => {
    const unknown = await json('/c/home', { pet: { kind: 'cow', meow: 'x' } })
    expect(unknown).toEqual({
      status: 400,
      body: expect.objectContaining({
        errors: [{ location: 'body.pet.kind', message: 'body.pet.kind must name a subtype (one of: cat, dog)', constraint: 'isSubtype', value: 'cow' }],
      }) as unknown,
    })
    expect(outcome(await json('/c/home', { pets: [{ kind: 'cat', meow: 'm' }, { meow: 'm' }, { kind: ['cat'] }] }))).toEqual({
      status: 400,
      issues: ['pets[1].kind: isSubtype', 'pets[2].kind: isSubtype'],
    })
    expect(outcome(await json('/c/street', { homes: [{ pet: { kind: 'toString' } }] }))).toEqual({ status: 400, issues: ['homes[0].pet.kind: isSubtype'] })
    expect(errors).toEqual([])
  })

  it('binds a known subtype, whose own @Type properties follow the strict rule', async () => {
    expect(await json('/c/home', { pet: { kind: 'dog', good: 'true' } })).toEqual({ status: 200, body: { pet: { kind: 'dog', good: true } } })
    expect(outcome(await json('/c/home', { pets: [{ kind: 'dog', good: 'false' }, { kind: 'dog', good: 'nope' }] }))).toEqual({
      status: 400,
      issues: ['pets[1].good: isBoolean'],
    })
  })

  it('answers 200 exactly for the known names and 400 otherwise, for any discriminator value (fast-check)', async () => {
    const name = fc.oneof(fc.constantFrom('cat', 'dog', 'Cat', 'constructor', '__proto__', null, 0), fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 1 }))
    await fc.assert(
      fc.asyncProperty(name, fc.boolean(), async (kind, inArray) => {
        const pet = { kind, meow: 'm' }
        const answer = await json('/c/home', inArray ? { pets: [pet] } : { pet })
        expect(answer.status).toBe(kind === 'cat' || kind === 'dog' ? 200 : 400)
      }),
      { numRuns: RUNS },
    )
    expect(errors).toEqual([])
  })

  // The README's bundling recipe uses --main-fields=module,main: class-transformer's metadata store
  // is then out of reach and the subtypes are learned through plainToInstance (transformer-probe.ts).
  it('answers the same under both bundler field orders', async () => {
    const answers = await runBundled(
      [
        `import { Type } from 'class-transformer'`,
        `import { IsBoolean, IsOptional, IsString, ValidateNested } from 'class-validator'`,
        `import './src/dto.ts'`,
        `import { Body, Controller, Post, createApp } from './src/index.ts'`,
        `import { albEvent } from './src/testing.ts'`,
        `class Animal { @IsString() kind!: string }`,
        `class Cat extends Animal { @IsString() meow!: string }`,
        `class Dog extends Animal { @IsOptional() @Type(() => Boolean) @IsBoolean() good?: boolean }`,
        `class Odd { @IsOptional() @IsString() kind?: string }`,
        `const subTypes = [{ name: 'cat', value: Cat }, { name: 'dog', value: Dog }]`,
        `class Home {`,
        `  @IsOptional() @ValidateNested() @Type(() => Animal, { discriminator: { property: 'kind', subTypes }, keepDiscriminatorProperty: true }) pet?: Animal`,
        `  @IsOptional() @Type(() => Boolean) @IsBoolean() open?: boolean`,
        // The fallback class is also the last subtype: a probe cannot tell its name from an unknown one.
        `  @IsOptional() @ValidateNested() @Type(() => Odd, { discriminator: { property: 'kind', subTypes: [{ name: 'cat', value: Cat }, { name: 'odd', value: Odd }] }, keepDiscriminatorProperty: true }) odd?: Odd`,
        `}`,
        `@Controller('/') class Homes { @Post('/home') home(@Body({ type: Home }) home: Home) { return home } }`,
        `const errors: string[] = []`,
        `const app = createApp({ controllers: [Homes], onError: (error) => errors.push(String(error)) })`,
        `const bodies = [`,
        `  { pet: { kind: 'cat', meow: 'm' }, open: 'false' }, { pet: { kind: 'cow' } }, { pet: { kind: 'dog', good: 'false' } },`,
        `  { pet: { kind: 'dog', good: 'x' } }, { open: '0x1' }, { pet: {} }, { odd: { kind: 'odd' } }, { odd: { kind: 'cat', meow: 'm' } },`,
        `]`,
        `const answers = []`,
        `for (const body of bodies) {`,
        `  const result = await app.handler(albEvent({ method: 'POST', path: '/home', body }))`,
        `  answers.push({ status: result.statusCode, body: JSON.parse(result.body ?? 'null') })`,
        `}`,
        `console.log(JSON.stringify({ answers, errors }))`,
      ].join('\n'),
    )
    type Answers = { answers: { status: number; body: { errors?: { location: string; constraint: string }[] } }[]; errors: string[] }
    const mainFirst = answers['main,module'] as Answers
    const moduleFirst = answers['module,main'] as Answers
    expect(mainFirst.errors).toEqual([])
    expect(mainFirst.answers.map((a) => a.status)).toEqual([200, 400, 200, 400, 400, 400, 200, 200])
    expect(mainFirst.answers[0]?.body).toEqual({ pet: { kind: 'cat', meow: 'm' }, open: false })
    // Identical but for the message listing the names, which only the metadata store knows.
    const strip = (list: Answers) => list.answers.map((a) => ({ ...a, body: a.body.errors?.map((e) => `${e.location}: ${e.constraint}`) ?? a.body }))
    expect(strip(moduleFirst)).toEqual(strip(mainFirst))
    expect(moduleFirst.errors).toEqual([])
  }, 60_000)
})

describe('plainFromPairs: query and form pairs as a DTO plain object', () => {
  // The key → values map it used to read every time, kept here as the reference: a short query is
  // now read by scanning its pairs, and must give the same object, in the same key order, with the
  // same issues in the same order.
  const byMap = (plan: DtoPlan, pairs: DecodedPairs, sink: IssueSink): Record<string, unknown> => {
    const plain: Record<string, unknown> = Object.create(null)
    for (const key in pairs.values) {
      const values = pairs.values[key] as string[]
      const property = plan.byKey[key]
      if (property === undefined) {
        plain[key] = values[values.length - 1]
        continue
      }
      const value = convertValues(values, property.array, property.kind, `query.${key}`, true, sink)
      if (value !== INVALID) plain[key] = value
    }
    for (const pair of pairs.malformed) sink.suppress(`query.${pair.key}`)
    return plain
  }
  const sink = () => {
    const issues: ValidationIssue[] = []
    const suppressed = new Set<string>()
    return { issues, suppressed, report: (issue: ValidationIssue) => void issues.push(issue), suppress: (at: string) => void suppressed.add(at) }
  }
  const key = fc.constantFrom('admin', 'limit', 'ids', 'since', 'label', 'other', '__proto__', '2', '10', '0', 'l%69mit', 'bad%zz')
  const value = fc.constantFrom('true', 'nope', '12', '1.5', '2024-02-30', '2024-01-02', '', 'a+b', '%zz', '%F0%9F%A6%85')
  const pairsOf = (count: number, least = 0) => fc.array(fc.tuple(key, value), { minLength: least, maxLength: count }).map((list) => list.flat())

  // Array-index keys come first in the map, whatever order they came in.
  class Indexed {
    @IsOptional() @Type(() => Number) @IsInt() '2'?: number
    @IsOptional() @Type(() => Boolean) @IsBoolean() admin?: boolean
  }

  it.each([
    ['a short query, scanned', 12, Flags],
    ['a long query, through the map', 80, Flags],
    ['a short query with an array-index property', 12, Indexed],
    // 32 pairs are scanned, 33 go through the map (convert.ts SCANNED_PAIRS_MAX).
    ['a query at the scan limit, 31 to 33 pairs', 33, Flags, 31],
  ])('gives what the key → values map gives for %s', (_name, count, type, least = 0) => {
    const plan = planDto(type)
    fc.assert(
      fc.property(pairsOf(count, least), (raw) => {
        const got = sink()
        const want = sink()
        const plain = plainFromPairs(plan, decodeQuery(raw), 'query', got)
        const reference = byMap(plan, decodeQuery(raw), want)
        expect(Object.keys(plain)).toEqual(Object.keys(reference))
        expect(Object.getPrototypeOf(plain)).toBeNull()
        expect({ ...plain }).toEqual({ ...reference })
        expect(got.issues).toEqual(want.issues)
        expect([...got.suppressed]).toEqual([...want.suppressed])
      }),
      { numRuns: RUNS },
    )
  })
})
