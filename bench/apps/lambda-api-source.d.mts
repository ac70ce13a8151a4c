/** Source of lambda-api's 63-route app with a handler function per route. */
export function lambdaApiPerRouteSource(): string
