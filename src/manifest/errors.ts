/**
 * Why a table could not become a manifest. `manifest/` may not import `http-error.ts`, so this
 * carries the same `code` field as `AlbatrossError` without extending it.
 */
export type ManifestErrorCode =
  /** One combination of a rule's values still breaks a per-rule ALB limit (spec/alb.md §1.4). */
  | 'ERR_MANIFEST_RULE_LIMIT'
  /** Split parts or the priority offset collide with another priority or leave 1–50000. */
  | 'ERR_MANIFEST_PRIORITY'
  /** More rules or target groups than the load balancer allows (spec/alb.md §1.5). */
  | 'ERR_MANIFEST_QUOTA'
  /** Options, table or `describe-rules` output that cannot be read. */
  | 'ERR_MANIFEST_INPUT'

export class ManifestError extends Error {
  override name = 'ManifestError'
  readonly code: ManifestErrorCode
  /** `Controller.method` of the route at fault, when one is. */
  readonly source: string | undefined
  constructor(code: ManifestErrorCode, message: string, source?: string) {
    super(source === undefined ? message : `${source}: ${message}`)
    this.code = code
    this.source = source
  }
}
