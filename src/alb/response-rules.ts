/**
 * What a Lambda result may hold for ALB to relay it (spec/alb.md §4.7, §6 #13). One rule, read by
 * the handler (formatResult, which answers 500 + onError instead of sending what ALB would turn
 * into a 502) and by `albatross dev` (validate-result.ts, which answers the 502 ALB would).
 */

/**
 * A final HTTP status: an integer from 200 to 599. A 1xx status is interim (RFC 9110 §15.2): it
 * cannot end an exchange, so ALB cannot relay it as the answer [inf, spec/alb.md §6 #13].
 */
export function isFinalStatus(status: unknown): status is number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 200 && status <= 599
}

/** RFC 9110 §5.1 field name: a token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

export function isHeaderName(name: string): boolean {
  return TOKEN.test(name)
}

/**
 * RFC 9110 §5.5 field value: visible characters, spaces and tabs, and obs-text (here any non-ASCII
 * UTF-16 unit, sent as UTF-8). Every other control character — CR, LF and NUL, but also the rest of
 * 0x00–0x1F and DEL — is refused, as HTTP stacks in front of a client refuse it.
 */
const FIELD_VALUE = /^[\t\x20-\x7e\u0080-\uffff]*$/

export function isHeaderValue(value: string): boolean {
  return FIELD_VALUE.test(value)
}
