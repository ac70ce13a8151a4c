/** Source of the find-my-way app for `count` routes; `helpers`: import path of alb-helpers.mjs. */
export function findMyWaySource(count: number, helpers: string): string
/** Source of the no-router app for `count` routes, answering the events of set `r<count>`. */
export function oracleSource(count: number, helpers: string): string
