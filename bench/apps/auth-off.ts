// The pair measured by bench/auth.mjs: this app and auth-on.ts differ only in @Authenticate, so
// the difference in bundle size and cold start is what authentication costs (and what an app
// without it must not pay).
import 'reflect-metadata'
import { Controller, Get, Param, createApp } from '../../src/index.js'

@Controller('/orders')
class Orders {
  @Get('/{id}')
  get(@Param('id') id: string) {
    return { id, sub: null }
  }
}

@Controller('/health')
class Health {
  @Get()
  ok() {
    return 'ok'
  }
}

export const app = createApp({ controllers: [Orders, Health] })
export const handler = app.handler
