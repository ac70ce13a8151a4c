import type { AlbCondition, RuleAction } from '../rules/types.js'
import { installDesignMetadataRecorder, readDesignMetadata } from './design-metadata.js'
import type { AuthRecord, ClassType, ParamDefinition, ResponseHeaderDeclaration, RouteDeclaration } from './types.js'

// Before any controller is defined: the decorators import this module, and an app's classes are
// evaluated after everything they import.
installDesignMetadataRecorder()

/**
 * What the decorators record on one class. Decorators only append here; metadata/read-controller
 * turns it into route definitions, and rules/ validates it, all at createApp.
 */
export interface ControllerRecord {
  controller: ControllerOptionsRecord | undefined
  readonly classConditions: AlbCondition[]
  /** `@Authenticate` on the class: every route of it, unless the method declares its own. */
  classAuth: AuthRecord | undefined
  readonly members: Map<string, MemberRecord>
  /** `@Use` on the class, outermost first. */
  readonly use: unknown[]
  readonly responseHeaders: ResponseHeaderDeclaration[]
}

export interface ControllerOptionsRecord {
  readonly prefix: string
  readonly target: string | undefined
  readonly cors: unknown
}

export interface MemberRecord {
  readonly routes: RouteDeclaration[]
  readonly conditions: AlbCondition[]
  priority: number | undefined
  httpCode: number | undefined
  action: RuleAction | undefined
  auth: AuthRecord | undefined
  readonly params: ParamDefinition[]
  /** `@Use` on the method, outermost first. */
  readonly use: unknown[]
  readonly responseHeaders: ResponseHeaderDeclaration[]
}

// Keyed by the class itself, so a subclass gets its own record and two apps never share routes
// by accident. A WeakMap rather than reflect-metadata's own metadata: the decorators run at
// Lambda init, once per route, and reflect-metadata's generic lookup was most of their cost.
const RECORDS = new WeakMap<object, ControllerRecord>()

export function recordOf(ctor: object): ControllerRecord {
  let record = RECORDS.get(ctor)
  if (record === undefined) {
    record = { controller: undefined, classConditions: [], classAuth: undefined, members: new Map(), use: [], responseHeaders: [] }
    RECORDS.set(ctor, record)
  }
  return record
}

export function readRecord(ctor: ClassType): ControllerRecord | undefined {
  return RECORDS.get(ctor)
}

export function memberOf(ctor: object, key: string | symbol): MemberRecord {
  const members = recordOf(ctor).members
  const name = String(key)
  let member = members.get(name)
  if (member === undefined) {
    member = {
      routes: [], conditions: [], priority: undefined, httpCode: undefined, action: undefined, auth: undefined, params: [],
      use: [], responseHeaders: [],
    }
    members.set(name, member)
  }
  return member
}

/** `design:paramtypes` when the compiler emitted decorator metadata (tsc does, esbuild does not). */
export function designParamTypes(prototype: object, key: string | symbol): readonly unknown[] | undefined {
  return readDesignMetadata('design:paramtypes', prototype, key) as unknown[] | undefined
}
