// Types for verify.mjs.
import type { BenchRequest, ExpectedResponse, HeaderMode } from './workload.mjs'

export type AlbHandler = (event: any, context: any) => Promise<any> | any

export interface Mismatch {
  mode: HeaderMode
  request: string
  expected: ExpectedResponse
  got: unknown
}

export interface Verification {
  checked: number
  failed: number
  /** Answers that used the event's header map (`headers` or `multiValueHeaders`). */
  modeMirrored: number
  mismatches: Mismatch[]
}

export declare function verifyHandler(
  handler: AlbHandler,
  requests: BenchRequest[],
  options?: { modes?: HeaderMode[]; limit?: number },
): Promise<Verification>
