import { isFinalStatus } from './response-rules.js'

/**
 * Reason phrases from the IANA HTTP Status Code Registry
 * (https://www.iana.org/assignments/http-status-codes), which follows RFC 9110 — hence
 * "Content Too Large" (413) and "Unprocessable Content" (422) rather than Node's older names.
 * 306 and 418 are registered as "(Unused)" and so have no phrase; temporary registrations
 * (104) are left out.
 */
const REASON_PHRASES: Readonly<Record<number, string>> = {
  100: 'Continue',
  101: 'Switching Protocols',
  102: 'Processing',
  103: 'Early Hints',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  207: 'Multi-Status',
  208: 'Already Reported',
  226: 'IM Used',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  305: 'Use Proxy',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
  506: 'Variant Also Negotiates',
  507: 'Insufficient Storage',
  508: 'Loop Detected',
  510: 'Not Extended',
  511: 'Network Authentication Required',
}

/** RFC 9110 §15 names of the five classes, used for codes without a registered phrase. */
const CLASS_PHRASES = ['Informational', 'Successful', 'Redirection', 'Client Error', 'Server Error']

/** statusDescription's answers by code (an array: read by index, cheaper than a Map), filled as asked for. */
const DESCRIPTION_BY_CODE: (string | undefined)[] = []

/** The registered reason phrase of a status code, if it has one. */
export function reasonPhrase(code: number): string | undefined {
  // Looked up, not copied into a Map at load: every cold start imports this module (issue #18).
  return Object.hasOwn(REASON_PHRASES, code) ? REASON_PHRASES[code] : undefined
}

/**
 * ALB's `statusDescription`, `"<code> <reason>"` (spec/alb.md §4.7). ALB accepts any text here
 * (§6 #13); for an unregistered code such as 299 the RFC 9110 class name stands in
 * (`"299 Successful"`), so the field is always well-formed. Codes outside 200–599 give
 * `"<code> Unknown"` — formatResult never sends one.
 */
export function statusDescription(code: number): string {
  if (!Number.isInteger(code) || code < 100 || code > 599) return `${code} Unknown`
  return (DESCRIPTION_BY_CODE[code] ??= `${code} ${reasonPhrase(code) ?? (CLASS_PHRASES[Math.floor(code / 100) - 1] as string)}`)
}

/**
 * A status ALB relays as the answer: an integer from 200 to 599 (response-rules.ts, shared with
 * `albatross dev`; formatResult sends anything else as 500).
 */
export function isValidStatus(status: number): boolean {
  return isFinalStatus(status)
}

/**
 * Whether an answer with this status to this method has a body: HEAD, 204 and 304 answers do
 * not (RFC 9110 §9.3.2, §15.3.5, §15.4.5).
 */
export function carriesBody(status: number, method: string): boolean {
  return method !== 'HEAD' && status !== 204 && status !== 304
}
