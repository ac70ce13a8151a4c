import type { ALBEvent, ALBResult } from 'aws-lambda'

export type { ALBEvent, ALBResult }

/** Which of ALB's two header modes an event (and so its response) uses (spec/alb.md §4.2). */
export type HeaderMode = 'single' | 'multi'

export interface QueryPair {
  readonly key: string
  readonly value: string
}

/**
 * A normalised ALB request. Structurally compatible with rules/ `RuleRequest`.
 * Everything here is as ALB delivered it: path and query still encoded, body not yet decoded.
 */
export interface AlbRequest {
  readonly mode: HeaderMode
  readonly method: string
  readonly path: string
  /** Raw Host header incl. any `:port`; undefined when absent (health checks). */
  readonly host: string | undefined
  /** All values of a header in arrival order; `name` must be lower case. */
  headerValues(name: string): readonly string[] | undefined
  /** Last value of a header (what single-value mode keeps); `name` lower case. */
  header(name: string): string | undefined
  /** Every header: lower-case name → values. A null-prototype object. */
  readonly headers: Readonly<Record<string, readonly string[]>>
  /** Query pairs in arrival order, still URL-encoded (ALB never decodes, spec/alb.md §4.2). */
  readonly queryPairs: readonly QueryPair[]
  /** Last element of x-forwarded-for, port and brackets stripped (spec/alb.md §6 #10). */
  readonly sourceIp: string | undefined
  /** The event body as delivered: text, or base64 when `isBase64Encoded`. */
  readonly body: string
  readonly isBase64Encoded: boolean
  readonly targetGroupArn: string | undefined
  /** True for ALB health-check events (user-agent `ELB-HealthChecker/2.0`). */
  readonly isHealthCheck: boolean
  readonly event: ALBEvent
}

/** What the app wants to send; alb/format-result.ts turns it into an ALBResult in the event's mode. */
export interface AlbResponse {
  readonly status: number
  /** Header name → value(s). Names as given; values must be strings. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>
  /** `Set-Cookie` values. */
  readonly cookies?: readonly string[]
  /** Text, bytes (sent base64), or nothing. */
  readonly body?: string | Uint8Array
}
