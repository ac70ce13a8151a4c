// The public option types of `@Authenticate` and `createApp({ auth })`, in one list that both
// `albatross` (types only, so an app without auth loads nothing of auth/) and `albatross/auth` export.
export type {
  AuthenticateOptions,
  OidcAuthenticateOptions,
  CognitoAuthenticateOptions,
  JwtAuthenticateOptions,
  AuthOptions,
} from './declaration.js'
