// Types for workload.mjs (the runner is plain JavaScript so it needs no build step).
import type { ALBEvent, Context } from 'aws-lambda'

export declare const DEFAULT_SEED: number
export declare const TOP_LEVEL_RESOURCES: readonly string[]
export declare const SCALING_SIZES: readonly number[]
export declare const DTO_ROUTE: string
export declare const NOT_FOUND_BODY: { message: string }

export interface BenchRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** `{name}` captures. */
  path: string
  name: string
  params: string[]
  /** The capture the handler answers with (the last one), or null. */
  param: string | null
  /** The handler reads the JSON body's `name`. */
  body: boolean
}

export interface BenchRequest {
  route: BenchRoute | null
  method: string
  path: string
  params: Record<string, string>
  /** Raw (still encoded) key/value pairs in arrival order. */
  query: [string, string][]
  /** Lower-case name/value pairs in arrival order. */
  headers: [string, string][]
  body: string
}

export interface ExpectedResponse {
  status: number
  body: Record<string, unknown>
}

export type HeaderMode = 'single' | 'multi'

export declare function mulberry32(seed: number): () => number
export declare function shuffle<T>(rnd: () => number, list: readonly T[]): T[]
export declare function makeRoutes(count?: number): BenchRoute[]
export declare const SCALE_UNIT: readonly { method: BenchRoute['method']; path: string; action: string; share: number }[]
export declare function scaleNames(count: number): string[]
export declare function makeScaleRoutes(count: number): BenchRoute[]
export declare function makeScaleRequests(options: {
  routes: BenchRoute[]
  count?: number
  seed?: number
  notFoundRate?: number
}): BenchRequest[]
export declare function makeRequests(options?: {
  routes?: BenchRoute[]
  count?: number
  seed?: number
  notFoundRate?: number
  onlyRoute?: string
}): BenchRequest[]
export declare function toAlbEvent(request: BenchRequest, mode: HeaderMode): ALBEvent
export declare function makeEvents(requests: BenchRequest[]): { single: ALBEvent[]; multi: ALBEvent[] }
export declare function expectedResponse(request: BenchRequest): ExpectedResponse
export declare function lambdaContext(): Context
export declare function workloadSets(
  seed?: number,
  count?: number,
): Record<string, { routes: BenchRoute[]; requests: BenchRequest[] }>
