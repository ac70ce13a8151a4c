// DTO support: the DTO parameters below, which declaredBinder leaves to createBinder.
import '../../src/dto.js'
import { IsString } from 'class-validator'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { AlbEventInput } from '../../src/alb/build-event.js'
import { createBinder, type Binder } from '../../src/binding/binder.js'
import { declaredBinder } from '../../src/binding/declared-binder.js'
import type { ParamDefinition, ParamSource } from '../../src/metadata/types.js'
import { noMetadata, param, requestFrom } from './helpers.js'

/*
 * declaredBinder binds the routes albatross/compiled's first request would otherwise plan through
 * createBinder: it must give createBinder's arguments and createBinder's 400 (the same issues in
 * the same order: DESIGN.md § Errors), for every scalar type, optional or required, present,
 * missing, malformed (percent-encoding, spec/alb.md §6 #2) or invalid, in both header modes
 * (spec/alb.md §4.2), and leave every other parameter to createBinder.
 */

class Filter {
  @IsString() q!: string
}

/** What a binder gives: its arguments, or the error it throws as status, message and details. */
async function outcome(binder: Binder, input: AlbEventInput, captures: Record<string, string>): Promise<unknown> {
  const request = requestFrom(input)
  try {
    return { args: await binder(request, captures, { awsRequestId: 'r' }) }
  } catch (error) {
    const { status, message, details } = error as { status?: number; message: string; details?: unknown }
    return { status, message, details }
  }
}

const SCALARS: readonly unknown[] = [String, Number, Boolean, Date, Object]
const KEYED: readonly ParamSource[] = ['path', 'query', 'header', 'cookie']
const NAMES = ['id', 'n', 'X-Count', 'flag']

/** A parameter declarationBinder binds: keyed scalars and arrays of them, bodies, the request parts. */
const declaredParam = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({
        source: fc.constantFrom(...KEYED),
        name: fc.constantFrom(...NAMES),
        type: fc.oneof(fc.constantFrom(...SCALARS), fc.constantFrom(...SCALARS).map((t) => [t]), fc.constant(undefined)),
        // design:paramtypes as tsc emits it: Array for an array, Object for a union.
        design: fc.constantFrom(undefined, Object, String, Number, Array),
        optional: fc.boolean(),
      })
      // Without a type from either, it is a declaration problem (left to createBinder, tested below).
      .filter(({ type, design }) => type !== undefined || design !== undefined)
      .map(({ source, name, type, design, optional }) => ({ ...param(source, name, { ...(type === undefined ? {} : { type: type as never }), optional }), designType: design })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ type: fc.constantFrom<unknown>(Object, String, Buffer, Uint8Array, [Object]), optional: fc.boolean() })
      .map(({ type, optional }) => noMetadata(param('body', undefined, { type: type as never, optional }))),
  },
  { weight: 1, arbitrary: fc.constantFrom<ParamSource>('request', 'event', 'context').map((source) => noMetadata(param(source))) },
  { weight: 1, arbitrary: fc.constantFrom<ParamSource>('query-object', 'header-object').map((source) => param(source, undefined, {}, Object)) },
)

const value = fc.constantFrom('7', '-2.5', '1e3', '0x10', 'abc', '', 'true', 'FALSE', '0', '2024-02-29', '2023-02-29', '2024-01-02T03:04:05Z', '%ZZ', '%C3', 'a%20b', 'a+b', 'é')
const request = fc.record({
  multiValue: fc.boolean(),
  query: fc.array(fc.tuple(fc.constantFrom(...NAMES, 'other'), value), { maxLength: 6 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&')),
  headers: fc.array(fc.tuple(fc.constantFrom('x-count', 'X-Count', 'id', 'flag', 'cookie', 'content-type'), fc.oneof(value, fc.constantFrom('id=1; n=%ZZ', 'flag=true; flag=0', 'application/json', 'application/x-www-form-urlencoded', 'text/plain'))), { maxLength: 5 }),
  captures: fc.dictionary(fc.constantFrom(...NAMES), value, { maxKeys: 3 }),
  body: fc.option(fc.constantFrom<string | object>({ name: 'Ada' }, '{"name":', 'a=1&a=2&b=%ZZ', 'plain text', '[]', 'null'), { nil: undefined }),
})

describe('declaredBinder: createBinder’s arguments and errors, from a list of steps', () => {
  it('binds random routes of scalar parameters as createBinder does, for random requests (500 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(declaredParam, { minLength: 1, maxLength: 5 }), request, async (defs, input) => {
        // Indexes as the decorators number them; a gap (an undecorated parameter) now and then.
        const params: ParamDefinition[] = defs.map((def, i) => ({ ...def, index: i === 2 ? i + 1 : i }))
        const declared = declaredBinder(params)
        expect(declared).toBeTypeOf('function')
        const event: AlbEventInput = { method: input.body === undefined ? 'GET' : 'POST', path: `/?${input.query}`, headers: input.headers, multiValue: input.multiValue, ...(input.body === undefined ? {} : { body: input.body }) }
        const want = await outcome(createBinder({ source: 'Test.method', params }), event, input.captures)
        expect(await outcome(declared as Binder, event, input.captures)).toEqual(want)
      }),
      { numRuns: 500 },
    )
  })

  it('answers a route with no parameters with no arguments', () => {
    expect((declaredBinder([]) as Binder)(requestFrom({}), {}, undefined)).toEqual([])
  })

  it('gives a required value missing everywhere the same 400 createBinder gives, every issue in order', async () => {
    const params = [param('path', 'id', { type: Number }, Object, 0), param('query', 'n', { type: [Number] }, Object, 1), param('header', 'X-Count', { type: Date }, Object, 2), param('cookie', 'flag', { type: Boolean }, Object, 3), param('body', undefined, { type: Object }, Object, 4)]
    const got = await outcome(declaredBinder(params) as Binder, { path: '/' }, {})
    expect(got).toEqual(await outcome(createBinder({ source: 'T.m', params }), { path: '/' }, {}))
    expect(got).toMatchObject({ status: 400, details: { errors: ['path.id', 'query.n', 'header.x-count', 'cookie.flag', 'body'].map((location) => ({ location, constraint: 'isDefined' })) } })
  })

  it('leaves to createBinder what it does not bind: DTOs, custom and claims parameters, declaration problems', () => {
    // As createParamDecorator records one.
    const custom: ParamDefinition = { ...param('custom', undefined, {}), custom: { name: 'tenant', read: () => 't', args: [] } }
    const left: ParamDefinition[] = [
      param('query-object', undefined, { type: Filter }),
      param('body', undefined, { type: Filter }),
      param('body', undefined, { type: [String] }),
      param('query', 'q', { type: Filter }),
      param('query', 'q', { type: Map as never }),
      // No type from the decorator nor from metadata: "has no type albatross can know".
      noMetadata(param('query', 'q')),
      noMetadata(param('body')),
      noMetadata(param('query-object')),
      param('query', undefined, { type: String }),
      param('query', '', { type: String }),
      param('claims', undefined, {}, Object),
      custom,
    ]
    for (const def of left) expect(declaredBinder([param('query', 'a', { type: String }), { ...def, index: 1 }]), `${def.source} ${String(def.name)}`).toBeUndefined()
  })
})
