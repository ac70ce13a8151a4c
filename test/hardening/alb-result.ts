import type { ALBResult } from 'aws-lambda'

/** ALB's Lambda response limit, "1 MB" read as 1,000,000 bytes of JSON (spec/alb.md §4.7, §6 #15). */
export const RESPONSE_MAX_BYTES = 1_000_000

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/**
 * Everything ALB would refuse (502 `LambdaInvalidResponse` / `LambdaResponseTooLarge`) or
 * mis-send about a Lambda result, per spec/alb.md §4.7: an integer status 200–599 (a final status), a
 * `"<code> <reason>"` description, only the header field of the event's mode, string header
 * values without CR/LF/NUL under token names, a string body, a boolean isBase64Encoded, plain
 * RFC 4648 base64, no `null` anywhere and at most 1 MB of JSON. Empty when the result is fine.
 */
export function albResultProblems(result: unknown, mode: 'single' | 'multi'): string[] {
  const problems: string[] = []
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    return [`result is ${result === null ? 'null' : typeof result}, not an object`]
  }
  const r = result as Record<string, unknown>
  const headerField = mode === 'multi' ? 'multiValueHeaders' : 'headers'
  const allowed = new Set(['statusCode', 'statusDescription', headerField, 'body', 'isBase64Encoded'])
  for (const key of Object.keys(r)) {
    if (!allowed.has(key)) problems.push(`unexpected key ${key} in ${mode}-value mode`)
    if (r[key] === null) problems.push(`${key} is null`)
  }
  const status = r['statusCode']
  if (!Number.isInteger(status) || (status as number) < 200 || (status as number) > 599) {
    problems.push(`statusCode ${String(status)} is not an integer 200-599`)
  }
  const description = r['statusDescription']
  if (typeof description !== 'string' || !description.startsWith(`${String(status)} `)) {
    problems.push(`statusDescription ${JSON.stringify(description)} is not "<code> <reason>"`)
  }
  const headers = r[headerField]
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    problems.push(`${headerField} is missing or not an object`)
  } else {
    for (const name of Object.keys(headers)) {
      if (!TOKEN.test(name)) problems.push(`header name ${JSON.stringify(name)} is not a token`)
      const value = (headers as Record<string, unknown>)[name]
      const values = mode === 'multi' ? value : [value]
      if (!Array.isArray(values)) {
        problems.push(`multiValueHeaders.${name} is not an array`)
        continue
      }
      for (const v of values) {
        if (typeof v !== 'string') problems.push(`header ${name} has a ${typeof v} value`)
        else if (/[\r\n\0]/.test(v)) problems.push(`header ${name} contains CR, LF or NUL`)
      }
    }
  }
  if (typeof r['body'] !== 'string') problems.push(`body is a ${typeof r['body']}, not a string`)
  if (typeof r['isBase64Encoded'] !== 'boolean') problems.push('isBase64Encoded is not a boolean')
  if (r['isBase64Encoded'] === true && typeof r['body'] === 'string') {
    const body = r['body']
    if (body.length % 4 !== 0 || !BASE64.test(body)) problems.push('body is not plain RFC 4648 base64')
  }
  const size = Buffer.byteLength(JSON.stringify(r), 'utf8')
  if (size > RESPONSE_MAX_BYTES) problems.push(`result is ${size} bytes of JSON, over ALB's 1 MB`)
  return problems
}

/** Throws with every problem, for use inside fast-check properties and plain tests alike. */
export function assertAlbResult(result: ALBResult | unknown, mode: 'single' | 'multi'): void {
  const problems = albResultProblems(result, mode)
  if (problems.length > 0) {
    throw new Error(`invalid ALB result (${problems.join('; ')}): ${preview(result)}`)
  }
}

/** The result's problem+json (or JSON) body as an object. */
export function jsonBody(result: ALBResult): Record<string, unknown> {
  return JSON.parse(result.body ?? '') as Record<string, unknown>
}

/** A header of either mode (the last value in multi-value mode). */
export function headerOf(result: ALBResult, name: string): string | undefined {
  return result.headers?.[name]?.toString() ?? result.multiValueHeaders?.[name]?.at(-1)?.toString()
}

function preview(value: unknown): string {
  let text: string
  try {
    text = JSON.stringify(value) ?? String(value)
  } catch {
    text = String(value)
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text
}
