import { NONE } from './none.js'
import type { AlbCondition, RuleAction } from '../rules/types.js'
import { installDesignMetadataRecorder, readDesignMetadata } from './design-metadata.js'
import type { AuthRecord, ClassType, ParamDefinition, ResponseHeaderDeclaration, RouteDeclaration } from './types.js'

// Before any controller is defined: the decorators import this module, and an app's classes are
// evaluated after everything they import.
installDesignMetadataRecorder()

/**
 * What the decorators record on one class. Decorators only add here, each list replaced by a
 * copy with the new entry (`prepend`): they start as the shared empty list and stay exactly as
 * long as what they hold, since the records live as long as the classes. metadata/read-controller
 * turns them into route definitions, and rules/ validates them, all at createApp.
 */
export interface ControllerRecord {
  controller: ControllerOptionsRecord | undefined
  classConditions: readonly AlbCondition[]
  /** `@Authenticate` on the class: every route of it, unless the method declares its own. */
  classAuth: AuthRecord | undefined
  readonly members: Map<string, MemberRecord>
  /** `@Use` on the class, outermost first. */
  use: readonly unknown[]
  responseHeaders: readonly ResponseHeaderDeclaration[]
}

export interface ControllerOptionsRecord {
  readonly prefix: string
  readonly target: string | undefined
  readonly cors: unknown
  /** The `host` option as given (its condition is in classConditions). */
  readonly host: unknown
}

export interface MemberRecord {
  routes: readonly RouteDeclaration[]
  conditions: readonly AlbCondition[]
  priority: number | undefined
  httpCode: number | undefined
  action: RuleAction | undefined
  auth: AuthRecord | undefined
  params: readonly ParamDefinition[]
  /** `@Use` on the method, outermost first. */
  use: readonly unknown[]
  responseHeaders: readonly ResponseHeaderDeclaration[]
}

// Keyed by the class itself, so a subclass gets its own record and two apps never share routes
// by accident. A WeakMap rather than reflect-metadata's own metadata: the decorators run at
// Lambda init, once per route, and reflect-metadata's generic lookup was most of their cost.
const RECORDS = new WeakMap<object, ControllerRecord>()

export function recordOf(ctor: object): ControllerRecord {
  let record = RECORDS.get(ctor)
  if (record === undefined) {
    record = { controller: undefined, classConditions: NONE, classAuth: undefined, members: new Map(), use: NONE, responseHeaders: NONE }
    RECORDS.set(ctor, record)
  }
  return record
}

export function readRecord(ctor: ClassType): ControllerRecord | undefined {
  return RECORDS.get(ctor)
}

// A method's decorators run one after another: the last member asked for is usually the next.
let lastCtor: object | undefined
let lastKey: string | symbol | undefined
let lastMember: MemberRecord | undefined

export function memberOf(ctor: object, key: string | symbol): MemberRecord {
  if (ctor === lastCtor && key === lastKey && lastMember !== undefined) return lastMember
  const members = recordOf(ctor).members
  const name = String(key)
  let member = members.get(name)
  if (member === undefined) {
    member = {
      routes: NONE, conditions: NONE, priority: undefined, httpCode: undefined, action: undefined, auth: undefined, params: NONE,
      use: NONE, responseHeaders: NONE,
    }
    members.set(name, member)
  }
  lastCtor = ctor
  lastKey = key
  lastMember = member
  return member
}

/**
 * `items` then `list`, as a new array of exactly that length: decorators apply bottom-up, so
 * putting each one's entries first keeps the written (top-down) order.
 */
export function prepend<T>(list: readonly T[], ...items: T[]): readonly T[] {
  // The rest array is itself a new list of exactly that length: most lists start empty.
  return list.length === 0 ? items : [...items, ...list]
}

/** `design:paramtypes` when the compiler emitted decorator metadata (tsc does, esbuild does not). */
export function designParamTypes(prototype: object, key: string | symbol): readonly unknown[] | undefined {
  return readDesignMetadata('design:paramtypes', prototype, key) as unknown[] | undefined
}
