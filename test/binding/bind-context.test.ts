// DTO support (class-transformer, class-validator, reflect-metadata), as an app with DTOs imports it.
import '../../src/dto.js'
import { Type } from 'class-transformer'
import { IsInt, IsOptional, IsString, Min } from 'class-validator'
import { describe, expect, it } from 'vitest'
import { albEvent } from '../../src/alb/build-event.js'
import { MODES, bind, bindOne, issuesOf, param } from './helpers.js'

const json = (body: string, multiValue = false) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body,
  multiValue,
})

describe.each(MODES)('request bodies in %s mode', (_mode, multiValue) => {
  class Form {
    @IsString() name!: string
    @Type(() => Number) @IsInt({ each: true }) ids!: number[]
    @IsOptional() @IsInt() @Min(1) qty?: number
  }

  // spec/alb.md §4.3: a form body arrives base64 encoded.
  it('decodes a base64 form body; repeated fields fill arrays, scalars take the last', async () => {
    const request = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=J%C3%A9+R&ids=1&ids=2&qty=1&qty=4',
      multiValue,
    }
    expect(albEvent(request).isBase64Encoded).toBe(true)
    expect(await bindOne(param('body', undefined, {}, Form), request)).toEqual(
      Object.assign(new Form(), { name: 'Jé R', ids: [1, 2], qty: 4 }),
    )
    const raw = (await bindOne(param('body', undefined, {}, Object), request)) as Record<string, unknown>
    expect({ ...raw }).toEqual({ name: 'Jé R', ids: ['1', '2'], qty: ['1', '4'] })
  })

  it('reports form fields at body.<key>, echoing their values', async () => {
    const request = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=x&ids=1&ids=two&qty=%zz',
      multiValue,
    }
    expect(await issuesOf([param('body', undefined, {}, Form)], request)).toEqual([
      { location: 'body.qty', message: 'body.qty is not valid URL encoding', constraint: 'isUrlEncoded', value: '%zz' },
      { location: 'body.ids[1]', message: 'body.ids[1] must be a number', constraint: 'isNumber', value: 'two' },
    ])
  })

  it('gives text/* bodies as a string and anything else as a Buffer', async () => {
    const text = { method: 'POST', headers: { 'content-type': 'text/csv; charset=utf-8' }, body: 'a,b\né,1', multiValue }
    expect(await bindOne(param('body'), text)).toBe('a,b\né,1')
    const bytes = new Uint8Array([0, 255, 1])
    const binary = { method: 'POST', headers: { 'content-type': 'image/png' }, body: bytes, multiValue }
    expect(await bindOne(param('body'), binary)).toEqual(Buffer.from(bytes))
    const unlabelled = { method: 'POST', body: 'hello', multiValue }
    expect(await bindOne(param('body', undefined, {}, Object), unlabelled)).toEqual(Buffer.from('hello'))
  })

  it('gives the text of any body to a String parameter and the bytes to a Buffer one', async () => {
    const request = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}', multiValue }
    const result = await bind([param('body', undefined, {}, String), param('body', undefined, {}, Buffer)], request)
    expect(result.args).toEqual(['{"a":1}', Buffer.from('{"a":1}')])
  })

  it('parses JSON and +json media types, ignoring parameters and case', async () => {
    const request = { method: 'POST', headers: { 'content-type': 'Application/Vnd.Api+JSON; charset=utf-8' }, body: '{"a":[1]}', multiValue }
    expect(await bindOne(param('body'), request)).toEqual({ a: [1] })
  })

  it('answers invalid JSON with a 400 naming the problem, not echoing the body', async () => {
    const issues = await issuesOf([param('body')], json('{"password":"hunter2",}', multiValue))
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({ location: 'body', constraint: 'isJson' })
    expect(issues[0]?.message).toMatch(/^body is not valid JSON: /)
    expect(JSON.stringify(issues)).not.toContain('hunter2')
  })

  it('refuses JSON nested deeper than 64 levels', async () => {
    const deep = '{"a":'.repeat(65) + '1' + '}'.repeat(65)
    const issues = await issuesOf([param('body')], json(deep, multiValue))
    expect(issues).toEqual([{ location: 'body', message: expect.stringContaining('deeper than 64'), constraint: 'isJson' }])
    const ok = '{"a":'.repeat(64) + '1' + '}'.repeat(64)
    expect(await bindOne(param('body'), json(ok, multiValue))).toBeTypeOf('object')
  })

  it('answers invalid base64 with a 400 at body', async () => {
    const event = { ...albEvent({ method: 'POST', multiValue }), body: 'not base64!', isBase64Encoded: true }
    const issues = await issuesOf([param('body')], event)
    expect(issues).toEqual([{ location: 'body', message: expect.stringContaining('base64'), constraint: 'isBase64' }])
  })

  it('answers a base64 text body that is not UTF-8 with a 400', async () => {
    const event = {
      ...albEvent({ method: 'POST', headers: { 'content-type': 'text/plain' }, multiValue }),
      body: Buffer.from([0xc3, 0x28]).toString('base64'),
      isBase64Encoded: true,
    }
    expect(await issuesOf([param('body')], event)).toEqual([
      { location: 'body', message: expect.stringContaining('UTF-8'), constraint: 'isUtf8' },
    ])
  })

  // spec/alb.md §4.3, §4.8: ALB answers 413 above 1 MB (read as 1,000,000 bytes, §6 #15).
  it('answers a body over 1,000,000 bytes with 413, before parsing it', async () => {
    const big = `"${'x'.repeat(1_000_000)}"`
    const result = await bind([param('body')], json(big, multiValue))
    expect(result.error?.status).toBe(413)
    const base64 = { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(1_000_001), multiValue }
    expect((await bind([param('body', undefined, {}, Buffer)], base64)).error?.status).toBe(413)
    const exact = { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(1_000_000), multiValue }
    expect(((await bindOne(param('body', undefined, {}, Buffer), exact)) as Buffer).length).toBe(1_000_000)
  })

  it('reports a missing body as required unless optional', async () => {
    expect(await issuesOf([param('body', undefined, {}, Form)], { method: 'POST', multiValue })).toEqual([
      { location: 'body', message: 'body is required', constraint: 'isDefined' },
    ])
    expect(await bindOne(param('body', undefined, { optional: true }, Form), { method: 'POST', multiValue })).toBeUndefined()
    expect(await issuesOf([param('body', undefined, {}, String)], { method: 'POST', multiValue })).toHaveLength(1)
  })

  it('answers a DTO body of another media type with 415', async () => {
    const request = { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'name=x', multiValue }
    const result = await bind([param('body', undefined, {}, Form)], request)
    expect(result.error?.status).toBe(415)
  })

  it('reads a DTO body without content-type as JSON', async () => {
    const request = { method: 'POST', body: '{"name":"n","ids":[1]}', multiValue }
    expect(await bindOne(param('body', undefined, {}, Form), request)).toEqual(Object.assign(new Form(), { name: 'n', ids: [1] }))
  })

  it('decodes and parses the body once however many parameters read it', async () => {
    const result = await bind(
      [param('body', undefined, {}, Form), param('body'), param('body', undefined, {}, String)],
      json('{"name":"n","ids":[2]}', multiValue),
    )
    expect(result.args?.[1]).toEqual({ name: 'n', ids: [2] })
    expect(result.args?.[2]).toBe('{"name":"n","ids":[2]}')
  })
})
