/** Where orders live: DynamoDB in production, a map here, a fake in tests (see test/examples/shop.test.ts). */
export interface OrderRepo {
  find(tenant: string, id: string): { id: string; tenant: string; status: string } | undefined
}

/** The DI token for OrderRepo (an interface has no runtime value to register). */
export const ORDER_REPO = 'OrderRepo'

export class InMemoryOrderRepo implements OrderRepo {
  find(tenant: string, id: string) {
    return { id, tenant, status: 'placed' }
  }
}
