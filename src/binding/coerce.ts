/** What a string from a URL, header, cookie or form field is converted to. */
export type ScalarKind = 'string' | 'number' | 'boolean' | 'date'

/** Returned by `coerce` for a string that is not a valid value of the kind. */
export const INVALID: unique symbol = Symbol('invalid')

// Plain decimal notation only: Number() would also take '', ' 12 ', '0x1f' and 'Infinity', none
// of which a client means as a number in a query string.
// `\d+(?:\.\d*)?`, not `\d+\.?\d*`: that splits a run of digits between its two `\d` in
// quadratically many ways before failing on a trailing non-digit (1 MB form field: minutes).
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/

// ISO 8601 calendar date, optionally with a time that must carry its offset: a local time
// would depend on the Lambda's TZ. Field ranges are checked below, Date.parse would roll
// 2024-02-30 over into March.
// prettier-ignore
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2})))?$/

/** Strict string → value conversion; `INVALID` when `raw` is not one. Never throws. */
export function coerce(kind: ScalarKind, raw: string): unknown {
  switch (kind) {
    case 'string':
      return raw
    case 'number':
      return toNumber(raw)
    case 'boolean':
      return toBoolean(raw)
    case 'date':
      return toDate(raw)
  }
}

function toNumber(raw: string): number | typeof INVALID {
  if (!DECIMAL.test(raw)) return INVALID
  const value = Number(raw)
  return Number.isFinite(value) ? value : INVALID
}

function toBoolean(raw: string): boolean | typeof INVALID {
  if (raw === 'true' || raw === '1') return true
  if (raw === 'false' || raw === '0') return false
  if (raw.length === 4 && raw.toLowerCase() === 'true') return true
  if (raw.length === 5 && raw.toLowerCase() === 'false') return false
  return INVALID
}

function toDate(raw: string): Date | typeof INVALID {
  const match = ISO_DATE.exec(raw)
  if (match === null) return INVALID
  const [, year, month, day, hour, minute, second, offsetHour, offsetMinute] = match
  const m = Number(month)
  const d = Number(day)
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(Number(year), m)) return INVALID
  if (hour !== undefined && (Number(hour) > 23 || Number(minute) > 59)) return INVALID
  if (second !== undefined && Number(second) > 59) return INVALID
  if (offsetHour !== undefined && (Number(offsetHour) > 23 || Number(offsetMinute) > 59)) {
    return INVALID
  }
  const time = Date.parse(raw)
  return Number.isNaN(time) ? INVALID : new Date(time)
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number)
}

/** The error's `constraint` and the tail of its message, per kind. */
export const COERCE_FAILURE: Readonly<
  Record<Exclude<ScalarKind, 'string'>, { constraint: string; message: string }>
> = {
  number: { constraint: 'isNumber', message: 'must be a number' },
  boolean: { constraint: 'isBoolean', message: 'must be a boolean (true, false, 1 or 0)' },
  date: {
    constraint: 'isIso8601',
    message: 'must be an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)',
  },
}
