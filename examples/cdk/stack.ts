import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs'
import type { Construct } from 'constructs'
import { app } from '../shop/app.js'
// In your project: import { AlbatrossRules } from 'albatross/cdk'
import { AlbatrossRules } from '../../src/cdk/index.js'

const here = path.dirname(fileURLToPath(import.meta.url))

export interface ShopStackProps extends StackProps {
  /** Where the rules go: `catch-all` (one rule, the Lambda routes) or `per-route` (ALB routes). */
  readonly mode: 'catch-all' | 'per-route'
  /** An existing listener to attach to (found with a lookup); without it the stack makes an ALB. */
  readonly listenerArn?: string
}

/** The shop example's Lambda behind an ALB, its listener rules from albatross. */
export class ShopStack extends Stack {
  constructor(scope: Construct, id: string, props: ShopStackProps) {
    super(scope, id, props)

    // The README's bundling options (Bundling for Lambda), with the esbuild in node_modules.
    const fn = new NodejsFunction(this, 'Shop', {
      entry: path.join(here, '../shop/app.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      memorySize: 512,
      timeout: Duration.seconds(10),
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: false,
        banner: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);",
        forceDockerBundling: false,
      },
    })

    const listener = props.listenerArn === undefined ? this.newListener() : elbv2.ApplicationListener.fromLookup(this, 'Listener', { listenerArn: props.listenerArn })

    // Catch-all forwards everything to the app's one target ("default"); per-route forwards each
    // controller's rules to its `target`. Here one function serves them all.
    const targets: Record<string, lambda.IFunction> =
      props.mode === 'catch-all' ? { default: fn } : { catalog: fn, orders: fn, admin: fn, default: fn }
    const rules = new AlbatrossRules(this, 'Rules', { app, listener, targets, mode: props.mode })

    new CfnOutput(this, 'RuleCount', { value: String(rules.rules.length) })
  }

  /** An internet-facing ALB in a small VPC of public subnets (no NAT: the function is not in it). */
  private newListener(): elbv2.IApplicationListener {
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] })
    const alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', { vpc, internetFacing: true })
    new CfnOutput(this, 'Url', { value: `http://${alb.loadBalancerDnsName}` })
    // A request no rule matches gets the app's own default answer, as behind the catch-all.
    const { statusCode, contentType, messageBody } = app.defaultAction
    return alb.addListener('Http', {
      port: 80,
      defaultAction: elbv2.ListenerAction.fixedResponse(statusCode, {
        ...(contentType !== undefined && { contentType }),
        ...(messageBody !== undefined && { messageBody }),
      }),
    })
  }
}
