// Worst-case request bodies per route shape of bench/growth-app.ts: each repeats the unit that
// costs the most per byte (a key, an invalid item, a pair) until the body reaches `size` bytes.
// Used by bench/growth.mjs (timing, memory) and by test/hardening/growth.test.ts (counters).

/** `head + unit(0) + sep + unit(1) … + tail`, at most `size` bytes (ASCII units). */
function repeat(size, head, unit, sep, tail) {
  const parts = [head]
  let length = head.length + tail.length
  for (let i = 0; ; i++) {
    const piece = (i === 0 ? '' : sep) + unit(i)
    if (length + piece.length > size) break
    parts.push(piece)
    length += piece.length
  }
  parts.push(tail)
  return parts.join('')
}

const JSON_TYPE = 'application/json'
const FORM_TYPE = 'application/x-www-form-urlencoded'

/**
 * name → { path, contentType, body(size), base64? }. `path` is the route of app.ts; the
 * comment says what each body makes the server repeat.
 */
export const SHAPES = {
  // A body no parameter reads: nothing may look at it beyond the size check.
  scalar: { path: '/g/scalar/x?q=1', contentType: JSON_TYPE, body: (n) => repeat(n, '{', (i) => `"k${i}":0`, ',', '}') },
  // Untyped JSON: one JSON.parse.
  'json-keys': { path: '/g/json', contentType: JSON_TYPE, body: (n) => repeat(n, '{', (i) => `"k${i}":0`, ',', '}') },
  'json-array': { path: '/g/json', contentType: JSON_TYPE, body: (n) => repeat(n, '[', () => '0', ',', ']') },
  text: { path: '/g/text', contentType: 'text/plain', body: (n) => 'a'.repeat(n) },
  binary: { path: '/g/binary', contentType: 'application/octet-stream', base64: true, body: (n) => Buffer.alloc(Math.floor((n / 4) * 3), 7).toString('base64') },
  // Form decoding: many keys, and pairs without `=` (a search for `=` per pair must not rescan).
  'form-keys': { path: '/g/form', contentType: FORM_TYPE, body: (n) => repeat(n, '', (i) => `k${i}=`, '&', '') },
  'form-no-eq': { path: '/g/form', contentType: FORM_TYPE, body: (n) => repeat(n - 2, '', () => 'a', '&', '') + '=1' },
  // DTOs: unknown keys to strip, with and without class-transformer metadata.
  'dto-plain-keys': { path: '/g/dto-plain', contentType: JSON_TYPE, body: (n) => repeat(n, '{"name":"x"', (i) => `,"k${i}":0`, '', '}') },
  'dto-transformed-keys': { path: '/g/dto-transformed', contentType: JSON_TYPE, body: (n) => repeat(n, '{"full_name":"x"', (i) => `,"k${i}":0`, '', '}') },
  // Invalid items: one error each, unless the answer bounds them.
  'dto-nested-invalid': { path: '/g/dto-nested', contentType: JSON_TYPE, body: (n) => repeat(n, '{"items":[', () => '{}', ',', ']}') },
  'dto-array-invalid': { path: '/g/dto-array', contentType: JSON_TYPE, body: (n) => repeat(n, '[', () => '{}', ',', ']') },
  'dto-array-nulls': { path: '/g/dto-array', contentType: JSON_TYPE, body: (n) => repeat(n, '[', () => 'null', ',', ']') },
  'dto-each-invalid': { path: '/g/dto-each', contentType: JSON_TYPE, body: (n) => repeat(n, '{"values":[', () => '"x"', ',', ']}') },
  'dto-dates-invalid': { path: '/g/dto-dates', contentType: JSON_TYPE, body: (n) => repeat(n, '{"at":[', () => '"x"', ',', ']}') },
  // Forms into a DTO: unknown keys, a repeated array key, a repeated invalid scalar.
  // JSON strings under a scalar @Type, converted one by one (#12 § 3): valid, then all invalid.
  'dto-typed-valid': { path: '/g/dto-typed', contentType: JSON_TYPE, body: (n) => repeat(n, '{"values":[', () => '"1"', ',', ']}') },
  'dto-typed-invalid': { path: '/g/dto-typed', contentType: JSON_TYPE, body: (n) => repeat(n, '{"values":[', () => '"x"', ',', ']}') },
  // A polymorphic @Type's objects, each naming its subtype: a known one, then an unknown one.
  'dto-subtypes-known': { path: '/g/dto-subtypes', contentType: JSON_TYPE, body: (n) => repeat(n, '{"pets":[', () => '{"kind":"cat","meow":"m"}', ',', ']}') },
  'dto-subtypes-unknown': { path: '/g/dto-subtypes', contentType: JSON_TYPE, body: (n) => repeat(n, '{"pets":[', () => '{"kind":"cow"}', ',', ']}') },
  'form-dto-keys': { path: '/g/form-dto', contentType: FORM_TYPE, body: (n) => repeat(n, '', (i) => `k${i}=1`, '&', '') },
  'form-dto-repeat': { path: '/g/form-dto', contentType: FORM_TYPE, body: (n) => repeat(n, '', () => 'tag=a', '&', '') },
  'form-dto-invalid': { path: '/g/form-dto', contentType: FORM_TYPE, body: (n) => repeat(n, '', () => 'admin=x', '&', '') },
}

/** A single-value ALB event carrying `body` for `shape` (built by hand: bundles need no test helpers). */
export function growthEvent(shape, body) {
  const [path, query = ''] = shape.path.split('?')
  const queryStringParameters = {}
  for (const pair of query.split('&').filter(Boolean)) {
    const [key, value = ''] = pair.split('=')
    queryStringParameters[key] = value
  }
  return {
    requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/growth/0123456789abcdef' } },
    httpMethod: 'POST',
    path,
    queryStringParameters,
    headers: { host: 'growth.example.com', 'content-type': shape.contentType, 'x-forwarded-for': '203.0.113.9' },
    body,
    isBase64Encoded: shape.base64 === true,
  }
}
