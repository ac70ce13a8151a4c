// Correctness before speed: a handler only counts if it answers every request the way the
// workload says it must (same status, same JSON). Used by the runner before it measures and by
// test/bench/workload.test.ts.

import { expectedResponse, lambdaContext, toAlbEvent } from './workload.mjs'

function parseBody(result) {
  if (typeof result?.body !== 'string') return undefined
  const text = result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString('utf8') : result.body
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

// Structural equality on JSON values, key order ignored.
function sameJson(a, b) {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a).filter((k) => a[k] !== undefined)
  const kb = Object.keys(b).filter((k) => b[k] !== undefined)
  if (ka.length !== kb.length) return false
  return ka.every((k) => sameJson(a[k], b[k]))
}

// With multi-value headers on, ALB reads only `multiValueHeaders` from the answer, otherwise
// only `headers` (spec/alb.md §6); an answer in the wrong map loses its content-type.
function answersInMode(result, mode) {
  const isMap = (v) => typeof v === 'object' && v !== null
  return mode === 'multi' ? isMap(result?.multiValueHeaders) : isMap(result?.headers)
}

/**
 * Runs `handler` on every request in both header modes and returns the mismatches
 * (at most `limit`), each with what was expected and what came back.
 */
export async function verifyHandler(handler, requests, { modes = ['single', 'multi'], limit = 5 } = {}) {
  const mismatches = []
  let checked = 0
  let modeMirrored = 0
  for (const mode of modes) {
    for (const request of requests) {
      const expected = expectedResponse(request)
      let result
      try {
        result = await handler(toAlbEvent(request, mode), lambdaContext())
      } catch (error) {
        result = { threw: String(error?.stack ?? error) }
      }
      checked++
      if (answersInMode(result, mode)) modeMirrored++
      const body = parseBody(result)
      if (result?.statusCode !== expected.status || !sameJson(body, expected.body)) {
        if (mismatches.length < limit) {
          mismatches.push({
            mode,
            request: `${request.method} ${request.path}?${request.query.map((p) => p.join('=')).join('&')}`,
            expected,
            got: result?.threw ? result : { status: result?.statusCode, body },
          })
        } else {
          mismatches.push(null)
        }
      }
    }
  }
  return { checked, failed: mismatches.length, modeMirrored, mismatches: mismatches.filter(Boolean) }
}
