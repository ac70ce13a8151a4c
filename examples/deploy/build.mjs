// Bundles the function into one file, dist/handler.mjs: albatross, class-validator,
// class-transformer and reflect-metadata inside, nothing to install on Lambda. These are the
// options the README's "Bundling for Lambda" section explains.
import { build } from 'esbuild'

await build({
  entryPoints: ['src/app.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  // No keepNames: the app is given its verified table, which names its routes (Hello.lambda) in
  // route listings, error reports and manifests whatever the minifier calls the class.
  mainFields: ['module', 'main'],
  outfile: 'dist/handler.mjs',
  // class-validator is CommonJS and requires Node built-ins inside an ESM bundle.
  banner: { js: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);" },
  logLevel: 'info',
})
