import { Expose } from 'class-transformer'
import { defaultMetadataStorage as commonJsStorage } from 'class-transformer/cjs/storage.js'
import type { MetadataStorageLike } from 'class-transformer/cjs/storage.js'

/**
 * The class-transformer metadata store that the public decorators write to, or undefined.
 *
 * class-transformer keeps `@Type`, `@Expose`, `@Exclude` and `@Transform` metadata in a module
 * singleton its index does not export, and ships it twice: `cjs/storage.js`, which Node loads
 * (the package has no `exports` map, so `main` = cjs/index.js), and `esm5/storage.js`, which a
 * bundler resolving `class-transformer` through `module` loads (esbuild with mainFields
 * module,main, as the README's recipe and AWS CDK's NodejsFunction bundle ESM). Our bare
 * `import 'class-transformer'` resolves exactly like the user's, so decorating a private class
 * with our `Expose` shows which copy the user's decorators fill. The esm5 copy is reached through
 * `require`, which a bundler resolves to its own, already loaded copy (synchronously, in ESM and
 * CommonJS output alike, where a top-level await would not build as CommonJS); under plain Node
 * ESM there is no `require`, and the CommonJS copy is the one.
 * Undefined (another bundler's choice, a future class-transformer): the metadata is then learned
 * through class-transformer's public functions instead (transformer-probe.ts), which costs about
 * a dozen plainToInstance runs per DTO at createApp.
 */
const found = findStorage()
export const transformerStorage: MetadataStorageLike | undefined = found?.storage

type EsmStorage = typeof import('class-transformer/esm5/storage.js')

/** Which copy `transformerStorage` is, for tests and diagnostics. */
export const transformerStorageCopy: 'cjs' | 'esm5' | undefined = found?.copy

function findStorage(): { storage: MetadataStorageLike; copy: 'cjs' | 'esm5' } | undefined {
  class StorageProbe {}
  ;(Expose() as PropertyDecorator)(StorageProbe.prototype, 'probe')
  const fills = (storage: MetadataStorageLike | undefined): storage is MetadataStorageLike => {
    try {
      return storage !== undefined && storage.getExposedMetadatas(StorageProbe).length === 1
    } catch {
      return false
    }
  }
  if (fills(commonJsStorage)) return { storage: commonJsStorage, copy: 'cjs' }
  try {
    // A bare `require` call with a literal, so that bundlers see it and put their own copy in its
    // place. Not guarded by `typeof require`: esbuild would then define its `__require` shim,
    // whose "Dynamic require" message makes bundles add a createRequire banner they need for
    // nothing else. Under Node ESM there is no `require`: the ReferenceError lands below.
    const esm5 = require('class-transformer/esm5/storage.js') as EsmStorage | undefined
    const defaultMetadataStorage = esm5?.defaultMetadataStorage
    if (fills(defaultMetadataStorage)) return { storage: defaultMetadataStorage, copy: 'esm5' }
  } catch {
    // Not loadable here (no `require` under Node ESM; Node reads esm5's `import` syntax as
    // CommonJS): the probe answers.
  }
  return undefined
}
