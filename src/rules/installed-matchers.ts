import type { ConditionTest } from './condition.js'
import type { AlbCondition } from './types.js'

type Matcher = (condition: AlbCondition) => ConditionTest

/**
 * The condition matchers albatross/compiled routes with, by type, each installed by the decorator
 * that declares the condition: `@Host`, `@SourceIp`, and `@Header` and `@Query` used as
 * conditions. So the bundle of an app that never names `@Host` carries no host matcher (issue #18),
 * while albatross/lambda's router compiles any type itself (condition.ts compileCondition).
 */
const matchers: { [type: string]: Matcher | undefined } = Object.create(null) as { [type: string]: Matcher | undefined }
let installed: ((conditions: readonly AlbCondition[]) => ConditionTest) | undefined

export function installConditionMatcher<C extends AlbCondition>(type: C['type'], matcher: (condition: C) => ConditionTest): void {
  matchers[type] = matcher as Matcher
  installed = allOf
}

/** The matcher installed for a condition type, if any (rules/source-ip.ts reads its own through it). */
export function installedMatcher<C extends AlbCondition>(type: C['type']): ((condition: C) => ConditionTest) | undefined {
  return matchers[type] as ((condition: C) => ConditionTest) | undefined
}

/** The test that a rule's conditions all hold (spec/alb.md §1.2), once a decorator installed a matcher. */
export function installedConditions(): ((conditions: readonly AlbCondition[]) => ConditionTest) | undefined {
  return installed
}

function allOf(conditions: readonly AlbCondition[]): ConditionTest {
  const tests = conditions.map((condition) => {
    const matcher = matchers[condition.type]
    // The records matched the table's, and each of these conditions' decorators installs its matcher.
    if (matcher === undefined) throw new Error(`no ${condition.type} matcher was installed: declare the condition with its decorator`)
    return matcher(condition)
  })
  return (request) => {
    for (let i = 0; i < tests.length; i++) if (!(tests[i] as ConditionTest)(request)) return false
    return true
  }
}
