import { createApp } from '../../src/index.js'
import { Admin, Orders, Products, Site } from './controllers.js'

export const app = createApp({
  controllers: [Products, Orders, Admin, Site],
  cors: { origins: ['https://shop.example.com'], credentials: true, maxAge: 600 },
})

export const handler = app.handler
export default app
