import type { ValidatorOptions } from 'class-validator'
import type { AlbHandler, App } from '../app-types.js'
import type { ManifestOptions } from '../manifest/index.js'
import type { RouteDefinition } from '../metadata/types.js'
import type { MultiValueNeed } from '../rules/header-mode.js'
import type { AlbRule, FixedResponseAction, RuleTable } from '../rules/types.js'

export interface AppObjectParts {
  readonly handler: AlbHandler
  /** The rule table, built when first asked for (albatross/compiled builds it from its table's data). */
  readonly table: () => RuleTable
  /** The route definitions, for the OpenAPI generator: read when it runs. */
  readonly routes: () => readonly RouteDefinition[]
  readonly validation: ValidatorOptions | undefined
  readonly multiValue: (table: RuleTable) => MultiValueNeed
  readonly defaultAction: FixedResponseAction
  readonly middleware: (rule: AlbRule) => readonly string[]
}

/** The App every createApp returns around its handler: the table, and the generators loaded on demand. */
export function appObject(parts: AppObjectParts): App {
  const { handler, routes, validation, defaultAction } = parts
  let table: RuleTable | undefined
  let multiValue: MultiValueNeed | undefined
  const tableOf = (): RuleTable => (table ??= parts.table())
  const needOf = (): MultiValueNeed => (multiValue ??= parts.multiValue(tableOf()))
  const app = {
    handler,
    routes: () => tableOf().rules,
    manifest: async (manifestOptions = {}) =>
      (await loadManifestModule()).renderManifest(tableOf(), {
        format: 'cloudformation',
        mode: 'catch-all',
        multiValueHeaders: needOf().needed,
        defaultAction,
        ...manifestOptions,
      } as ManifestOptions),
    openapi: async (openApiOptions) =>
      (await loadOnDemand<typeof import('../openapi/index.js')>(OPENAPI_MODULE)).buildOpenApi(
        { table: tableOf(), routes: routes(), validation, needsMultiValueHeaders: needOf().needed, defaultAction },
        openApiOptions,
      ),
    middleware: parts.middleware,
    defaultAction,
  } as Omit<App, 'table' | 'needsMultiValueHeaders' | 'multiValue'>
  // Getters: read by the CLI, manifests and tests, rarely in a Lambda, whose cold start need not build them.
  return Object.defineProperties(app, {
    table: { get: tableOf, enumerable: true },
    multiValue: { get: needOf, enumerable: true },
    needsMultiValueHeaders: { get: () => needOf().needed, enumerable: true },
  }) as App
}

// Specifiers bundlers cannot follow: a Lambda bundle never carries the manifest and OpenAPI
// generators and the YAML library (about 135 KB minified), which only the CLI and build scripts need.
const MANIFEST_MODULE = '../manifest/index.js'
const OPENAPI_MODULE = '../openapi/index.js'

function loadOnDemand<T>(specifier: string): Promise<T> {
  return import(/* @vite-ignore */ specifier) as Promise<T>
}

function loadManifestModule(): Promise<typeof import('../manifest/index.js')> {
  return loadOnDemand(MANIFEST_MODULE)
}
