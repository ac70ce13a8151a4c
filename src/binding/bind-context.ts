import { bodyText, decodeBody } from '../alb/body.js'
import { queryFieldsOf } from '../alb/parse-event.js'
import type { AlbRequest } from '../alb/types.js'
import { HttpError } from '../http-error.js'
import { parseCookies } from './cookies.js'
import { decodeForm, decodeQuery } from './decode.js'
import type { DecodedPairs } from './decode.js'
import { mediaKind, parseJson } from './request-body.js'
import { makeIssue } from './validation-details.js'
import type { IssueSink, ValidationIssue } from './validation-details.js'

export interface BindInput {
  readonly request: AlbRequest
  readonly params: Readonly<Record<string, string>>
  readonly context: unknown
}

/**
 * Where the `@Authenticate` guard leaves the verified claims on the request context, for
 * `@Claims()`: a symbol, so that no middleware writing `ctx.state` can stand in for them.
 */
export const CLAIMS: unique symbol = Symbol.for('albatross.claims') as never

/** A body as its media type says: JSON value, form pairs, text or bytes; `empty` if none came. */
export type ParsedBody =
  | { readonly kind: 'empty' }
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'form'; readonly pairs: DecodedPairs }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'bytes'; readonly bytes: Buffer }

/**
 * A 400 lists at most this many issues, then how many more there were: a body of 1 MB can hold
 * half a million invalid items, and one issue each made answers of tens of megabytes (and, past
 * ALB's 1 MB response limit, a 500 instead of the 400).
 */
export const ISSUES_MAX = 100

/** Returned by the body readers once the failure has been reported. */
export const FAILED: unique symbol = Symbol('failed')

/**
 * One request's binding state: the issues found so far and the request parts decoded on first
 * use — query, cookies, body — each at most once however many parameters read them.
 */
export class BindContext implements IssueSink {
  readonly request: AlbRequest
  readonly params: Readonly<Record<string, string>>
  readonly context: unknown
  issues: ValidationIssue[] | undefined
  suppressed: Set<string> | undefined
  /** Arguments still being validated asynchronously, by parameter index. */
  pending: Array<{ index: number; value: Promise<unknown> }> | undefined
  #query: DecodedPairs | undefined
  #cookies: Record<string, string[]> | undefined
  #text: string | typeof FAILED | undefined
  #bytes: Buffer | typeof FAILED | undefined
  #parsed: ParsedBody | typeof FAILED | undefined
  #input: BindInput | undefined

  /**
   * `input`: the pipeline's RequestContext on routes that have one. A route without one is bound
   * from the request, params and context alone: the object holding them is built only if asked.
   */
  constructor(request: AlbRequest, params: Readonly<Record<string, string>>, context: unknown, input?: BindInput) {
    this.request = request
    this.params = params
    this.context = context
    this.#input = input
  }

  /** What the binder was called with: the pipeline's RequestContext on routes that have one. */
  get input(): BindInput {
    return (this.#input ??= { request: this.request, params: this.params, context: this.context })
  }

  /** Read when asked (only `@Claims()` does): a symbol lookup that every request paid otherwise. */
  get claims(): unknown {
    return (this.#input as { readonly [CLAIMS]?: unknown } | undefined)?.[CLAIMS]
  }

  /** Issues past ISSUES_MAX, counted but not kept. */
  omitted = 0

  report(issue: ValidationIssue): void {
    const issues = (this.issues ??= [])
    if (issues.length < ISSUES_MAX) issues.push(issue)
    else this.omitted++
  }

  get full(): boolean {
    return this.issues !== undefined && this.issues.length >= ISSUES_MAX
  }

  suppress(location: string): void {
    ;(this.suppressed ??= new Set()).add(location)
  }

  /** A missing value that is not optional. */
  require(location: string): undefined {
    this.report({ location, message: `${location} is required`, constraint: 'isDefined' })
    return undefined
  }

  /** Argument `index` as is, or undefined for now when it is still being validated. */
  later(index: number, value: unknown): unknown {
    // Only transform-validate.ts and custom parameters (whose promises are awaited, as
    // routing-controllers does) make promises here, never a bound request value.
    if (!(value instanceof Promise)) return value
    ;(this.pending ??= []).push({ index, value })
    return undefined
  }

  /** The decoded query; malformed pairs are reported here, once, whoever asks first. */
  query(): DecodedPairs {
    if (this.#query !== undefined) return this.#query
    const query = decodeQuery(queryFieldsOf(this.request))
    for (const pair of query.malformed) reportMalformed(this, `query.${pair.key}`, pair.rawValue)
    return (this.#query = query)
  }

  cookies(): Record<string, string[]> {
    return (this.#cookies ??= parseCookies(this.request.headerValues('cookie')))
  }

  get hasBody(): boolean {
    return this.request.body !== ''
  }

  /** The body as UTF-8 text. */
  text(): string | typeof FAILED {
    if (this.#text !== undefined) return this.#text
    const result = bodyText(this.request)
    if ('text' in result) return (this.#text = result.text)
    return (this.#text = this.#bodyFailure(result))
  }

  bytes(): Buffer | typeof FAILED {
    if (this.#bytes !== undefined) return this.#bytes
    const result = decodeBody(this.request)
    return (this.#bytes = 'bytes' in result ? result.bytes : this.#bodyFailure(result))
  }

  /** The body read by its content-type; `fallback` is used when the request names none. */
  parsed(fallback: 'json' | 'other'): ParsedBody | typeof FAILED {
    if (this.#parsed !== undefined) return this.#parsed
    if (!this.hasBody) return (this.#parsed = { kind: 'empty' })
    let kind = mediaKind(this.request.header('content-type'))
    if (kind === 'none') kind = fallback
    if (kind === 'other') {
      const bytes = this.bytes()
      return (this.#parsed = bytes === FAILED ? FAILED : { kind: 'bytes', bytes })
    }
    const text = this.text()
    if (text === FAILED) return (this.#parsed = FAILED)
    if (kind === 'text') return (this.#parsed = { kind: 'text', text })
    if (kind === 'form') {
      const pairs = decodeForm(text)
      for (const pair of pairs.malformed) reportMalformed(this, `body.${pair.key}`, pair.rawValue)
      return (this.#parsed = { kind: 'form', pairs })
    }
    const json = parseJson(text)
    if ('value' in json) return (this.#parsed = { kind: 'json', value: json.value })
    this.report({ location: 'body', message: json.error, constraint: 'isJson' })
    return (this.#parsed = FAILED)
  }

  #bodyFailure(result: { error: string; message: string }): typeof FAILED {
    // spec/alb.md §4.8: ALB itself answers 413 above its limit, so a larger body is not a 400.
    if (result.error === 'too-large') throw new HttpError(413, result.message)
    const constraint = result.error === 'invalid-base64' ? 'isBase64' : 'isUtf8'
    this.report({ location: 'body', message: result.message, constraint })
    return FAILED
  }
}

/** Query and form values are echoed (DESIGN.md § Errors), so the raw text is shown. */
function reportMalformed(sink: IssueSink, location: string, raw: string): void {
  const message = `${location} is not valid URL encoding`
  sink.report(makeIssue(location, message, 'isUrlEncoded', true, raw))
  sink.suppress(location)
}
