// auth-off.ts plus @Authenticate on Orders (bench/auth.mjs). The key comes from the environment
// the bench sets, as `auth.keys` would in a test: a cold start never reaches the network.
import 'reflect-metadata'
import { Controller, Get, Param, createApp } from '../../src/index.js'
import { Authenticate, Claims } from '../../src/auth/index.js'

@Controller('/orders')
@Authenticate({
  type: 'cognito',
  userPoolArn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Bench1234',
  userPoolClientId: 'bench-client',
  userPoolDomain: 'bench',
})
class Orders {
  @Get('/{id}')
  get(@Param('id') id: string, @Claims() claims: { sub: string }) {
    return { id, sub: claims.sub }
  }
}

@Controller('/health')
class Health {
  @Get()
  ok() {
    return 'ok'
  }
}

export const app = createApp({
  controllers: [Orders, Health],
  auth: {
    albArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/bench/0123456789abcdef',
    keys: () => globalThis.process?.env['ALBATROSS_BENCH_ALB_PEM'],
  },
})
export const handler = app.handler
