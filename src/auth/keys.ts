import { createPublicKey } from 'node:crypto'

/**
 * Public keys by id, shared by every request of a warm Lambda. A key is fetched once: requests
 * that need it while the fetch runs wait for that same fetch, and a failed fetch is not
 * remembered, so a later request tries again (spec/alb.md §7: keys rotate; cache by kid).
 */
export class SharedKeyCache<T> {
  readonly #values = new Map<string, T>()
  readonly #pending = new Map<string, Promise<T>>()
  readonly #max: number

  /** `max` bounds memory against a stream of made-up key ids; the oldest entry goes first. */
  constructor(max = 64) {
    this.#max = max
  }

  peek(id: string): T | undefined {
    return this.#values.get(id)
  }

  get(id: string, load: () => Promise<T>): Promise<T> {
    const known = this.#values.get(id)
    if (known !== undefined) return Promise.resolve(known)
    const pending = this.#pending.get(id)
    if (pending !== undefined) return pending
    const fetching = (async () => load())().then(
      (value) => {
        this.#pending.delete(id)
        this.set(id, value)
        return value
      },
      (error: unknown) => {
        this.#pending.delete(id)
        throw error
      },
    )
    this.#pending.set(id, fetching)
    return fetching
  }

  delete(id: string): void {
    this.#values.delete(id)
  }

  set(id: string, value: T): void {
    this.#values.delete(id)
    this.#values.set(id, value)
    if (this.#values.size > this.#max) this.#values.delete(this.#values.keys().next().value as string)
  }
}

/** The key source failed (network, HTTP status, unreadable key): the request cannot be verified now. */
export class KeyFetchError extends Error {
  override readonly name = 'KeyFetchError'
}

/** The JWKS answered, without the token's key: the token is refused, the server is fine. */
export class UnknownKeyError extends Error {
  override readonly name = 'UnknownKeyError'
}

/** A key as aws-jwt-verify reads it: a JWK carrying its kid and algorithm. */
export interface KeyJwk {
  readonly kid: string
  readonly kty: string
  readonly alg?: string
  readonly use?: string
  readonly [field: string]: unknown
}

/** ALB signs `x-amzn-oidc-data` with ES256: its key must be an EC P-256 public key (spec/alb.md §7). */
export function pemToJwk(pem: string, kid: string, alg: 'ES256' | 'RS256'): KeyJwk {
  let jwk: Record<string, unknown>
  try {
    jwk = createPublicKey(pem).export({ format: 'jwk' }) as Record<string, unknown>
  } catch (error) {
    throw new KeyFetchError(`the public key for kid ${kid} is not a PEM public key`, { cause: error })
  }
  const fits = alg === 'ES256' ? jwk['kty'] === 'EC' && jwk['crv'] === 'P-256' : jwk['kty'] === 'RSA'
  if (!fits) throw new KeyFetchError(`the public key for kid ${kid} is not ${alg === 'ES256' ? 'an EC P-256' : 'an RSA'} key`)
  return { ...jwk, kty: jwk['kty'] as string, kid, alg, use: 'sig' }
}

/** ALB's per-kid PEM endpoint (spec/alb.md §7); GovCloud keeps its keys in S3. */
export function albKeyUrl(region: string, partition: string, kid: string): string {
  if (region.startsWith('us-gov-')) {
    return `https://s3-${region}.amazonaws.com/aws-elb-public-keys-prod-${region}/${kid}`
  }
  // [inf] China regions use the partition's own domain, as every other AWS endpoint there does.
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com'
  return `https://public-keys.auth.elb.${region}.${domain}/${kid}`
}

/** ALB's own bound for a JWKS (listener-verify-jwt: 150 KB); a PEM is far smaller. */
export const MAX_KEY_DOCUMENT = 150 * 1024
const FETCH_TIMEOUT_MS = 3000

/** GET `url` as text: a status other than 200, a timeout or an oversized answer is a KeyFetchError. */
export async function fetchKeyDocument(url: string): Promise<string> {
  let response: Response
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' })
  } catch (error) {
    throw new KeyFetchError(`fetching ${url} failed: ${(error as Error).message}`, { cause: error })
  }
  if (response.status !== 200) {
    await response.body?.cancel()
    throw new KeyFetchError(`fetching ${url} answered ${response.status}`)
  }
  const declared = Number(response.headers.get('content-length') ?? 0)
  if (declared > MAX_KEY_DOCUMENT) {
    await response.body?.cancel()
    throw new KeyFetchError(`${url} is over ${MAX_KEY_DOCUMENT} bytes`)
  }
  const text = await response.text()
  if (text.length > MAX_KEY_DOCUMENT) throw new KeyFetchError(`${url} is over ${MAX_KEY_DOCUMENT} bytes`)
  return text
}
