/** A route that no set of ALB rules could express. Thrown by createApp, listing every problem. */
export class RouteDeclarationError extends Error {
  override name = 'RouteDeclarationError'
  readonly code = 'ERR_ROUTE_DECLARATION'
  readonly problems: readonly RouteProblem[]
  constructor(problems: readonly RouteProblem[]) {
    super(
      `${problems.length} route declaration problem${problems.length === 1 ? '' : 's'} ` +
        `(rules ALB could not express, or declarations that cannot work; fix them before deploying):\n` +
        problems.map((p) => `  - ${p.source}: ${p.message}`).join('\n'),
    )
    this.problems = problems
  }
}

export interface RouteProblem {
  /** `Controller.method`. */
  readonly source: string
  readonly message: string
}
