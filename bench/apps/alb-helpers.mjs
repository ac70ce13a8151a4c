// The few ALB details the hand-wired peer adapters (find-my-way, middy) need around a router.

const JSON_TYPE = 'application/json'

function decode(value) {
  return value === undefined || value.indexOf('%') === -1 ? value : decodeURIComponent(value)
}

export function query(event, key) {
  const multi = event.multiValueQueryStringParameters
  if (multi) {
    const values = multi[key]
    return values === undefined ? undefined : decode(values[values.length - 1])
  }
  return decode(event.queryStringParameters?.[key])
}

// An ALB target must answer in the mode the event came in (spec/alb.md §6).
export function respond(event, statusCode, statusDescription, body) {
  return event.multiValueHeaders
    ? { statusCode, statusDescription, multiValueHeaders: { 'content-type': [JSON_TYPE] }, body, isBase64Encoded: false }
    : { statusCode, statusDescription, headers: { 'content-type': JSON_TYPE }, body, isBase64Encoded: false }
}
