import { CfnParameter, CfnResource, Lazy } from 'aws-cdk-lib'
import type { IApplicationListener, IApplicationTargetGroup } from 'aws-cdk-lib/aws-elasticloadbalancingv2'
import type { IFunction } from 'aws-cdk-lib/aws-lambda'
import { Construct } from 'constructs'
import type { CfnResource as ManifestResource, CfnString } from '../manifest/cloudformation.js'
import { cloudFormationTemplate, lambdaTargetResources } from '../manifest/cloudformation.js'
import type { ManifestMode, ManifestModel, ManifestOptions } from '../manifest/model.js'
import { buildModel } from '../manifest/model.js'
import { NameRegistry } from '../manifest/names.js'
import type { FixedResponseAction, RuleTable } from '../rules/types.js'
import { rewriteReferences } from './references.js'
import { checkTargets, usedTargets } from './targets.js'

/** What the construct reads from the `createApp` result (any copy of albatross). */
export interface AlbatrossApp {
  readonly table: RuleTable
  readonly needsMultiValueHeaders: boolean
  readonly defaultAction: FixedResponseAction
}

/** A controller target: the function the construct registers, or a target group you made. */
export type AlbatrossTarget = IFunction | IApplicationTargetGroup

export interface AlbatrossRulesProps {
  /** The `createApp` result. */
  readonly app: AlbatrossApp
  /** The listener the rules attach to. */
  readonly listener: IApplicationListener
  /**
   * Controller `target` name → the function that serves it (the construct creates its target group
   * and invoke permission) or an existing target group. Catch-all mode forwards to one target: the
   * app's only target, or `default`.
   */
  readonly targets: Readonly<Record<string, AlbatrossTarget>>
  readonly mode: ManifestMode
  /** Added to every rule's priority, as `albatross manifest --priority-offset`. */
  readonly priorityOffset?: number
  /** Rules the load balancer may hold (default 100, the adjustable quota, spec/alb.md §1.5). */
  readonly maxRules?: number
  /**
   * Values for template parameters the rules need besides the listener and the targets, by the
   * manifest's parameter name. Those not given become `CfnParameter`s of the stack.
   */
  readonly parameters?: Readonly<Record<string, string>>
}

export interface AlbatrossRule {
  readonly priority: number
  /** `Controller.method`, or `catch-all`. */
  readonly source: string
  readonly resource: CfnResource
}

/** Thrown while the construct is built: the targets do not fit the app, or the table cannot deploy. */
export class AlbatrossRulesError extends Error {
  override name = 'AlbatrossRulesError'
}

const LISTENER_RULE = 'AWS::ElasticLoadBalancingV2::ListenerRule'
const BRAND = Symbol.for('albatross.cdk.AlbatrossRules')
/** Placeholders the manifest writes as `{ Ref }`; `:` never occurs in a logical ID. */
const LISTENER = 'albatross:listener'
const targetRef = (i: number) => `albatross:target:${i}`
const functionRef = (i: number) => `albatross:function:${i}`

/**
 * The app's listener rules, target groups and invoke permissions, built from the model the
 * CloudFormation manifest is rendered from: the resources are the manifest's, property for
 * property, with its references bound to the constructs given here. They are L1 resources
 * (`CfnResource`) because the L2 listener rule cannot express regex values, split rules or the
 * exact action set, and because the manifest's properties then pass through verbatim.
 */
export class AlbatrossRules extends Construct {
  /** True for an `AlbatrossRules` from any copy of this package. */
  static isAlbatrossRules(x: unknown): x is AlbatrossRules {
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[BRAND] === true
  }

  /** The listener rules, in priority order. */
  readonly rules: readonly AlbatrossRule[]
  /** Target name → target group ARN (created here for function targets). */
  readonly targetGroupArns: Readonly<Record<string, string>>
  /** The target groups and invoke permissions created for function targets, by target name. */
  readonly lambdaTargets: Readonly<Record<string, { readonly targetGroup: CfnResource; readonly permission: CfnResource }>>
  /**
   * Per-route mode: the app's default action, as the listener's `DefaultActions` (a default action
   * is the listener's, not a rule; spec/alb.md §1.1). Undefined in catch-all mode.
   */
  readonly defaultActions: readonly unknown[] | undefined
  /** The listener's ARN as given; rules of other constructs with the same ARN share its priorities. */
  readonly listenerArn: string

  constructor(scope: Construct, id: string, props: AlbatrossRulesProps) {
    super(scope, id)
    Object.defineProperty(this, BRAND, { value: true })
    const { app, listener, mode } = props
    this.listenerArn = listener.listenerArn
    const options = (targets?: Record<string, string>): ManifestOptions => ({
      format: 'cloudformation',
      mode,
      multiValueHeaders: app.needsMultiValueHeaders,
      defaultAction: app.defaultAction,
      listener: `!Ref ${LISTENER}`,
      ...(targets !== undefined && { targets }),
      ...(props.priorityOffset !== undefined && { priorityOffset: props.priorityOffset }),
      ...(props.maxRules !== undefined && { maxRules: props.maxRules }),
    })

    const used = usedTargets(build(app.table, options(), this.node.path))
    const problems = checkTargets(used, props.targets, mode)
    if (problems.length > 0) throw new AlbatrossRulesError(`AlbatrossRules ${this.node.path}: ${problems.join('; ')}`)
    const names = [...used.keys()]
    const model = build(app.table, options(Object.fromEntries(names.map((name, i) => [name, `!Ref ${targetRef(i)}`]))), this.node.path)
    const template = cloudFormationTemplate(model)

    const resources: Record<string, ManifestResource> = { ...template.Resources }
    const ids = new NameRegistry('')
    for (const taken of [...Object.keys(template.Parameters ?? {}), ...Object.keys(resources)]) ids.take(taken)
    const references = new Map<string, () => unknown>([[LISTENER, () => listener.listenerArn]])
    const groups = new Map<string, string>()
    const functions = new Map<string, { group: string; permission: string }>()
    names.forEach((name, i) => {
      const target = props.targets[name] as AlbatrossTarget
      if (isFunction(target)) {
        const fn: CfnString = { Ref: functionRef(i) }
        references.set(functionRef(i), () => target.functionArn)
        // The tag keeps this construct's group names apart from another construct's in the stack
        // (the node's address is unique in the app and stable), and from its other targets'.
        const tag = `${this.node.addr.slice(0, 6)}${i.toString(36)}`
        const made = lambdaTargetResources({ target: name, multiValueHeaders: model.multiValueHeaders }, fn, ids, tag)
        Object.assign(resources, made.resources)
        functions.set(name, made)
        groups.set(targetRef(i), made.group)
      } else {
        references.set(targetRef(i), () => target.targetGroupArn)
      }
    })

    for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
      const given = props.parameters?.[name]
      const value = given ?? new CfnParameter(this, name, cfnParameterProps(parameter as unknown as Record<string, unknown>)).valueAsString
      references.set(name, () => value)
    }
    const unknown = Object.keys(props.parameters ?? {}).filter((name) => template.Parameters?.[name] === undefined)
    if (unknown.length > 0) {
      const known = Object.keys(template.Parameters ?? {})
      throw new AlbatrossRulesError(
        `AlbatrossRules ${this.node.path}: parameters has ${unknown.map((n) => `"${n}"`).join(', ')}, which the rules do not use` +
          ` (they use ${known.length === 0 ? 'none' : known.join(', ')})`,
      )
    }

    const created = new Map<string, CfnResource>()
    const resourceOf = (logicalId: string): CfnResource => created.get(logicalId) as CfnResource
    const lookup = (ref: string, attribute?: string): unknown => {
      const group = groups.get(ref)
      if (group !== undefined && attribute === undefined) return Lazy.string({ produce: () => resourceOf(group).ref })
      if (attribute === undefined && references.has(ref)) return (references.get(ref) as () => unknown)()
      if (resources[ref] === undefined) return undefined
      return attribute === undefined
        ? Lazy.string({ produce: () => resourceOf(ref).ref })
        : Lazy.any({ produce: () => resourceOf(ref).getAtt(attribute) })
    }

    for (const [logicalId, resource] of Object.entries(resources)) {
      const { Type, Properties, DependsOn: _, Metadata, ...rest } = resource as ManifestResource & Record<string, unknown>
      const cfn = new CfnResource(this, logicalId, {
        type: Type,
        properties: rewriteReferences(Properties, lookup) as Record<string, unknown>,
      })
      for (const [key, value] of Object.entries((Metadata ?? {}) as Record<string, unknown>)) cfn.addMetadata(key, value)
      // Condition, DeletionPolicy and any other resource attribute the manifest may add.
      for (const [key, value] of Object.entries(rest)) cfn.addOverride(key, rewriteReferences(value, lookup))
      created.set(logicalId, cfn)
    }
    for (const [logicalId, resource] of Object.entries(resources)) {
      const dependsOn = (resource as { DependsOn?: string | string[] }).DependsOn
      for (const on of dependsOn === undefined ? [] : [dependsOn].flat()) resourceOf(logicalId).node.addDependency(resourceOf(on))
    }

    this.rules = Object.entries(resources)
      .filter(([, r]) => r.Type === LISTENER_RULE)
      .map(([logicalId, r]) => ({
        priority: (r.Properties as { Priority: number }).Priority,
        source: (r as { Metadata?: Record<string, string> }).Metadata?.['albatross:route'] ?? logicalId,
        resource: resourceOf(logicalId),
      }))
      .sort((a, b) => a.priority - b.priority)
    this.targetGroupArns = Object.fromEntries(
      names.map((name, i) => [name, lookup(groups.get(targetRef(i)) ?? targetRef(i)) as string]),
    )
    this.lambdaTargets = Object.fromEntries(
      [...functions].map(([name, made]) => [name, { targetGroup: resourceOf(made.group), permission: resourceOf(made.permission) }]),
    )
    const defaults = template.Metadata?.['albatross:listener'].DefaultActions
    this.defaultActions = defaults === undefined ? undefined : (rewriteReferences(defaults, lookup) as unknown[])

    this.node.addValidation({ validate: () => this.overlaps() })
  }

  /**
   * Rules of other constructs on the same listener at one of these priorities: other
   * `AlbatrossRules`, and listener rules with a literal priority (L2 `ApplicationListenerRule`s,
   * `CfnListenerRule`s). ALB would refuse the deployment with `PriorityInUse` (spec/alb.md §1.1).
   */
  private overlaps(): string[] {
    const mine = new Map(this.rules.map((r) => [r.priority, r.source]))
    const problems: string[] = []
    const clash = (priority: number, other: string) => {
      const source = mine.get(priority)
      if (source !== undefined) {
        problems.push(
          `priority ${priority} of ${source} is also used by ${other} on the same listener; ` +
            'ALB refuses two rules with one priority (PriorityInUse): give one of them another priorityOffset',
        )
      }
    }
    const owned = new Set(this.rules.map((r) => r.resource))
    for (const node of this.node.root.node.findAll()) {
      if (node === this || owned.has(node as CfnResource)) continue
      if (AlbatrossRules.isAlbatrossRules(node)) {
        if (node.listenerArn !== this.listenerArn) continue
        for (const rule of node.rules) clash(rule.priority, `${rule.source} of AlbatrossRules ${node.node.path}`)
        for (const rule of node.rules) owned.add(rule.resource)
      } else if (CfnResource.isCfnResource(node) && node.cfnResourceType === LISTENER_RULE) {
        const { priority, listenerArn } = node as CfnResource & { priority?: unknown; listenerArn?: unknown }
        if (typeof priority === 'number' && listenerArn === this.listenerArn) clash(priority, `listener rule ${node.node.path}`)
      }
    }
    return problems
  }
}

function build(table: RuleTable, options: ManifestOptions, path: string): ManifestModel {
  try {
    return buildModel(table, options)
  } catch (error) {
    if (error instanceof Error && error.name === 'ManifestError') {
      throw new AlbatrossRulesError(`AlbatrossRules ${path}: ${error.message}`, { cause: error })
    }
    throw error
  }
}

function isFunction(target: AlbatrossTarget): target is IFunction {
  return typeof (target as Partial<IFunction>).functionArn === 'string'
}

function cfnParameterProps(parameter: Record<string, unknown>): ConstructorParameters<typeof CfnParameter>[2] {
  return {
    type: parameter['Type'] as string,
    ...(typeof parameter['Description'] === 'string' && { description: parameter['Description'] }),
    ...(parameter['NoEcho'] === true && { noEcho: true }),
  }
}
