import 'reflect-metadata'
import type { AlbCondition, RuleAction } from '../rules/types.js'
import type { ClassType, ParamDefinition, RouteDeclaration } from './types.js'

/**
 * What the decorators record on one class. Decorators only append here; metadata/read-controller
 * turns it into route definitions, and rules/ validates it, all at createApp.
 */
export interface ControllerRecord {
  controller: ControllerOptionsRecord | undefined
  readonly classConditions: AlbCondition[]
  readonly members: Map<string, MemberRecord>
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
  readonly params: ParamDefinition[]
}

const RECORD = Symbol('albatross:controller')

// Own metadata only: a subclass gets its own record, so two apps never share routes by accident.
export function recordOf(ctor: object): ControllerRecord {
  let record = Reflect.getOwnMetadata(RECORD, ctor) as ControllerRecord | undefined
  if (record === undefined) {
    record = { controller: undefined, classConditions: [], members: new Map() }
    Reflect.defineMetadata(RECORD, record, ctor)
  }
  return record
}

export function readRecord(ctor: ClassType): ControllerRecord | undefined {
  return Reflect.getOwnMetadata(RECORD, ctor) as ControllerRecord | undefined
}

export function memberOf(ctor: object, key: string | symbol): MemberRecord {
  const members = recordOf(ctor).members
  const name = String(key)
  let member = members.get(name)
  if (member === undefined) {
    member = { routes: [], conditions: [], priority: undefined, httpCode: undefined, action: undefined, params: [] }
    members.set(name, member)
  }
  return member
}

/** `design:paramtypes` when the compiler emitted decorator metadata (tsc does, esbuild does not). */
export function designParamTypes(prototype: object, key: string | symbol): readonly unknown[] | undefined {
  return Reflect.getMetadata('design:paramtypes', prototype, key) as unknown[] | undefined
}
