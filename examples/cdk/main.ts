import 'reflect-metadata'
import { App } from 'aws-cdk-lib'
import { ShopStack } from './stack.js'

// `npx cdk synth` (cdk.json runs this file with tsx). Context: `-c mode=per-route`, and
// `-c listenerArn=arn:…` to attach to an existing listener (looked up in the account of
// CDK_DEFAULT_ACCOUNT/CDK_DEFAULT_REGION) instead of making an ALB.
const cdk = new App()
const mode = cdk.node.tryGetContext('mode') ?? 'catch-all'
if (mode !== 'catch-all' && mode !== 'per-route') throw new Error(`-c mode=${String(mode)}: use catch-all or per-route`)
const listenerArn = cdk.node.tryGetContext('listenerArn') as string | undefined
new ShopStack(cdk, 'AlbatrossShop', {
  mode,
  ...(listenerArn !== undefined && {
    listenerArn,
    env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] },
  }),
})
