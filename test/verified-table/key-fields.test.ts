// tsyringe (the example shop's container) reads constructor types through reflect-metadata.
import 'reflect-metadata'
import { container } from 'tsyringe'
import { describe, expect, it } from 'vitest'
import { Controller, Get, Req, createApp, type AlbRequest, type AppOptions, type VerifiedTable } from '../../src/index.js'
import { Account, Admin, Orders, Products, Site } from '../../examples/shop/controllers.js'
import { InMemoryOrderRepo, ORDER_REPO } from '../../examples/shop/orders-repo.js'
import { checkedTable, under } from './checks.js'

/*
 * Whatever way createApp compares a verified table with its controllers, every value the table's
 * key holds counts: each one changed in turn in the table's text, the table is refused
 * (ERR_STALE_TABLE) with a message naming the route it belongs to. A faster comparison that
 * skipped a field, or took NaN for null, a string for a number, or one exactJson text for
 * another, fails here.
 */

container.register(ORDER_REPO, { useClass: InMemoryOrderRepo })

// A RegExp path and an untyped parameter, which the shop has none of.
@Controller()
class Files {
  @Get(/^\/files\/[^/]+$/)
  file(@Req() req: AlbRequest) {
    return req.path
  }
}

/** The example shop (DTOs, custom parameters, conditions, priorities, fixed responses, a redirect, @Authenticate, @HttpCode, CORS) and Files. */
const shop: AppOptions = {
  controllers: [Products, Orders, Admin, Site, Account, Files],
  resolve: (cls) => container.resolve(cls as new () => object),
  cors: { origins: ['https://shop.example.com'], credentials: true, maxAge: 600 },
  auth: { albArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop/50dc6c495c0c9188' },
  defaultAction: { status: 404, body: 'none here' },
  priorities: { start: 100, step: 5 },
  onError: () => undefined,
}
const table = checkedTable(() => createApp(shop))
const key = JSON.parse(table.checked) as unknown[]
const HEAD = 4

/** Other JSON values where `value` stands: another of its kind, and the ones JSON alone would confuse with it. */
function others(value: unknown): unknown[] {
  if (value === null) return [{ number: 'NaN' }, 0, 'null', []]
  if (typeof value === 'number') return [value + 1, String(value), null, { number: 'NaN' }]
  if (typeof value === 'string') return [`${value}x`, value.slice(0, -1), null, { unjson: 'function' }]
  if (Array.isArray(value)) return value.length === 0 ? [[null], null] : [value.slice(1), [...value, null], null]
  return [{ ...(value as object), extra: 1 }, null]
}

/** The table with the key's value at `at` (indexes into the parsed key) replaced. */
function changed(at: readonly number[], to: unknown): VerifiedTable {
  const copy = JSON.parse(table.checked) as unknown[]
  let holder = copy
  for (const i of at.slice(0, -1)) holder = holder[i] as unknown[]
  holder[at[at.length - 1] as number] = to
  return { ...table, checked: JSON.stringify(copy) }
}

function refusal(given: VerifiedTable): string {
  try {
    under('trust', () => createApp({ ...shop, table: given }))
  } catch (error) {
    expect(error).toMatchObject({ name: 'StaleTableError', code: 'ERR_STALE_TABLE' })
    return (error as Error).message
  }
  return 'trusted'
}

/** Every value of the key: where it is, and what a refusal must name. */
function values(): { at: number[]; value: unknown; names: string }[] {
  const found: { at: number[]; value: unknown; names: string }[] = []
  for (let i = 0; i < HEAD; i++) found.push({ at: [i], value: key[i], names: 'the app options the checks read' })
  for (let r = HEAD; r < key.length; r++) {
    const route = key[r] as unknown[]
    const names = table.sources[r - HEAD] as string
    route.forEach((value, f) => {
      found.push({ at: [r, f], value, names })
      if (f === 9 && Array.isArray(value)) {
        value.forEach((param, p) => (param as unknown[]).forEach((v, pf) => found.push({ at: [r, f, p, pf], value: v, names })))
      }
    })
  }
  return found
}

describe('a verified table whose key differs in any one value', () => {
  it('is trusted as written, and covers every kind of value the key holds', () => {
    expect(refusal(table)).toBe('trusted')
    const texts = values().map((v) => JSON.stringify(v.value))
    // A RegExp path, conditions, a non-forward action, auth, an @HttpCode, a custom parameter, a DTO, an untyped parameter, a numbered start.
    for (const kind of ['{"regex":', '"[{\\"type\\":\\"http-header', '"{\\"type\\":\\"redirect', '"{\\"type\\":\\"authenticate-cognito', '201', '{"dto":1}', '"request"', '100']) {
      expect(texts.some((t) => t.startsWith(kind)), kind).toBe(true)
    }
  })

  it('is refused, naming the route, whichever value changed and to what', () => {
    let checked = 0
    for (const { at, value, names } of values()) {
      for (const to of others(value).filter((other) => JSON.stringify(other) !== JSON.stringify(value))) {
        const message = refusal(changed(at, to))
        expect(message, `${JSON.stringify(at)}: ${JSON.stringify(value)} -> ${JSON.stringify(to)}`).toContain(names)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(500)
  })
})
