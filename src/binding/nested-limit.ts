import type { DtoPlan, SubtypePlans } from './dto-plan.js'

/**
 * Nested DTO objects (`@ValidateNested` + `@Type`, polymorphic ones included) one body may hold. class-validator validates
 * them in one call and keeps an error object per failed constraint of every item until it
 * returns: a 1 MB body of `{}` items took 0.5–1.8 GB before the first error could be dropped.
 * A larger batch can be sent as a JSON array body (`@Body({ type: [Item] })`), whose items
 * albatross validates one at a time.
 */
export const NESTED_OBJECTS_MAX = 10_000

/**
 * The location of the nested DTO property at which `plain` (the client's data, keyed as sent)
 * holds more than NESTED_OBJECTS_MAX nested objects in all, or undefined. Stops counting there.
 */
export function tooManyNestedObjects(plan: DtoPlan, plain: object, location: string): string | undefined {
  let left = NESTED_OBJECTS_MAX
  const visit = (current: DtoPlan, value: object, at: string): string | undefined => {
    for (const property of current.properties) {
      const { nested, subtypes } = property
      if (nested === undefined && subtypes === undefined) continue
      const item: unknown = Object.hasOwn(value, property.key) ? (value as Record<string, unknown>)[property.key] : undefined
      const here = `${at}.${property.key}`
      const items: readonly unknown[] = Array.isArray(item) ? item : [item]
      for (const child of items) {
        if (typeof child !== 'object' || child === null) continue
        if (--left < 0) return here
        // A polymorphic property's object counts too, and below it its subtype's nested DTOs.
        const plan = nested ?? (subtypes === undefined ? undefined : subtypePlan(subtypes, child))
        const found = plan === undefined ? undefined : visit(plan, child, here)
        if (found !== undefined) return found
      }
    }
    return undefined
  }
  return visit(plan, plain, location)
}

function subtypePlan(subtypes: SubtypePlans, child: object): DtoPlan | undefined {
  const name = Object.hasOwn(child, subtypes.property) ? (child as Record<string, unknown>)[subtypes.property] : undefined
  return subtypes.resolve(name)?.plan
}
