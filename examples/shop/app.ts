import 'reflect-metadata'
import { createApp } from '../../src/index.js'
import { Account, Admin, Orders, Products, Site } from './controllers.js'

export const app = createApp({
  controllers: [Products, Orders, Admin, Site, Account],
  cors: { origins: ['https://shop.example.com'], credentials: true, maxAge: 600 },
  // The load balancer that signs x-amzn-oidc-data for the Account routes (its `signer`).
  auth: { albArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop/50dc6c495c0c9188' },
})

export const handler = app.handler
export default app
