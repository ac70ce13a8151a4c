#!/usr/bin/env node
import { writeFileSync } from 'node:fs'
import { Command, CommanderError, Option } from 'commander'
import { CliError, LoadTimeoutError, loadEntry as loadEntryWithin, loadTimeoutSeconds, positiveSeconds } from './load-entry.js'

// Argument parsing and printing only: each command's work lives in commands/.

/** Every error is one line (the issue: "CLI errors are one clear line and a non-zero exit"). */
function oneLine(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ')
}

// Usage errors exit 2 like every other error (commander's own default is 1), so that only
// `diff` finding a difference exits 1 and a deploy gate can tell the two apart.
const program = new Command('albatross')
  .description('Decorator controllers for AWS Lambda behind an ALB, routed exactly as ALB listener rules route.')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(`albatross: ${oneLine(text.replace(/^error: /, ''))}\n`) })

/** Every command that loads an entry takes --load-timeout; the default comes from the environment. */
const loadTimeoutOption = () =>
  new Option('--load-timeout <seconds>', 'give up when the entry has not finished loading (its top-level await) after this long; default ALBATROSS_LOAD_TIMEOUT or 30').argParser((v) =>
    positiveSeconds(v, '--load-timeout'),
  )

function loadEntry(entry: string, options: { loadTimeout?: number }) {
  return loadEntryWithin(entry, { timeoutSeconds: loadTimeoutSeconds(options.loadTimeout) })
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value]
}

function emit(text: string, out?: string): void {
  if (out === undefined) process.stdout.write(text)
  else {
    writeFileSync(out, text)
    process.stderr.write(`wrote ${out}\n`)
  }
}

program
  .command('check')
  .description('run every declaration and ALB check createApp runs; with --out, write the verified table createApp({ table }) trusts')
  .argument('<entry>', 'module exporting the app')
  .option('--out <file>', 'write the verified table as a module (.ts or .js) that the app imports and gives createApp as table')
  .addOption(loadTimeoutOption())
  .action(async (entry: string, options: { out?: string; loadTimeout?: number }) => {
    const { checkOutput, writeStandInTable } = await import('./commands/check.js')
    const command = `albatross check ${entry}${options.out === undefined ? '' : ` --out ${options.out}`}`
    const standIn = options.out !== undefined && writeStandInTable(options.out, command)
    let app
    try {
      app = await loadEntryWithin(entry, { timeoutSeconds: loadTimeoutSeconds(options.loadTimeout), staleTableWarning: false })
    } catch (error) {
      if (standIn) process.stderr.write(`note: ${options.out} is a stand-in until the check passes; createApp refuses it outside the CLI and tests\n`)
      throw error
    }
    const { stdout, warnings, exitCode } = checkOutput(app, entry, { ...options, command })
    process.stdout.write(stdout)
    for (const warning of warnings) process.stderr.write(warning + '\n')
    process.exitCode = exitCode
  })

program
  .command('routes')
  .description('print the ordered rule table as ALB evaluates it, and warn about shadowed rules')
  .argument('<entry>', 'module (TypeScript or JavaScript) exporting the app as default or app')
  .option('--json', 'machine-readable output')
  .addOption(loadTimeoutOption())
  .action(async (entry: string, options: { json?: boolean; loadTimeout?: number }) => {
    const { routesOutput } = await import('./commands/routes.js')
    const { stdout, warnings } = routesOutput(await loadEntry(entry, options), options)
    process.stdout.write(stdout)
    for (const warning of warnings) process.stderr.write(warning + '\n')
  })

program
  .command('explain')
  .description('show which rule matches a request and why each earlier rule did not')
  .argument('<entry>', 'module exporting the app')
  .argument('<request>', 'request line, e.g. "GET /users/42?expand=1"')
  .option('-H, --header <header>', 'request header "name: value" (repeatable)', collect)
  .option('--source-ip <ip>', 'client address (the one ALB appends to x-forwarded-for)')
  .option('--json', 'machine-readable output')
  .addOption(loadTimeoutOption())
  .action(async (entry: string, request: string, options: { header?: string[]; sourceIp?: string; json?: boolean; loadTimeout?: number }) => {
    const { explainOutput } = await import('./commands/explain.js')
    process.stdout.write(explainOutput(await loadEntry(entry, options), request, options))
  })

program
  .command('manifest')
  .description('write the listener rules as CloudFormation, Terraform or AWS CLI JSON')
  .argument('<entry>', 'module exporting the app')
  .addOption(new Option('--format <format>', 'output format').choices(['cloudformation', 'terraform', 'aws-cli']).default('cloudformation'))
  .addOption(new Option('--mode <mode>', 'one catch-all rule, or one rule per route').choices(['catch-all', 'per-route']).default('catch-all'))
  .option('--json', 'JSON instead of YAML (CloudFormation) or HCL (Terraform)')
  .option('--target <name=arn>', 'map a controller target to a target group ARN or reference (repeatable)', collect)
  .option('--listener <arn>', 'listener ARN or reference (default: a template parameter / variable)')
  .option('--priority-offset <n>', 'added to every priority of a per-route manifest', (v) => parseInteger(v, '--priority-offset'))
  .option('--catch-all-priority <n>', 'priority of the catch-all rule (default 50000, the last)', (v) => parseInteger(v, '--catch-all-priority'))
  .option('--max-rules <n>', "the load balancer's rule quota (default 100)", (v) => parseInteger(v, '--max-rules'))
  .option('--placeholders', "aws-cli: print the manifest's ${NAME} placeholders as envsubst's argument ('$LISTENER_ARN …')")
  .option('--out <file>', 'write to a file instead of stdout')
  .addOption(loadTimeoutOption())
  .action(async (entry: string, options: Record<string, unknown>) => {
    const { manifestOutput } = await import('./commands/manifest.js')
    const { stdout, notes } = manifestOutput(await loadEntry(entry, options), options)
    emit(stdout, options['out'] as string | undefined)
    for (const note of notes) process.stderr.write(note + '\n')
  })

program
  .command('openapi')
  .description('write the OpenAPI 3.1 document of the routes')
  .argument('<entry>', 'module exporting the app')
  .addOption(new Option('--format <format>', 'output format').choices(['json', 'yaml']).default('json'))
  .option('--title <title>', 'info.title (default: the name in the nearest package.json)')
  .option('--api-version <version>', 'info.version (default: the version in the nearest package.json)')
  .option('--server <url>', 'a server URL, e.g. the load balancer DNS name (repeatable)', collect)
  .option('--out <file>', 'write to a file instead of stdout')
  .addOption(loadTimeoutOption())
  .action(async (entry: string, options: { format: 'json' | 'yaml'; title?: string; apiVersion?: string; server?: string[]; out?: string; loadTimeout?: number }) => {
    const { openApiOutput } = await import('./commands/openapi.js')
    emit(await openApiOutput(entry, await loadEntry(entry, options), options), options.out)
  })

program
  .command('diff')
  .description('compare the per-route manifest with `aws elbv2 describe-rules` output; exit 1 when they differ')
  .argument('<entry>', 'module exporting the app')
  .requiredOption('--deployed <file>', 'JSON written by `aws elbv2 describe-rules --listener-arn …`')
  .option('--target <name=arn>', 'map a controller target to its target group ARN (repeatable)', collect)
  .option('--priority-offset <n>', 'added to every priority', (v) => parseInteger(v, '--priority-offset'))
  .option('--json', 'machine-readable output')
  .addOption(loadTimeoutOption())
  .action(async (entry: string, options: Record<string, unknown>) => {
    const { diffOutput } = await import('./commands/manifest.js')
    const { stdout, differs, notes } = diffOutput(await loadEntry(entry, options), options)
    process.stdout.write(stdout)
    for (const note of notes) process.stderr.write(note + '\n')
    if (differs) process.exitCode = 1
  })

program
  .command('dev')
  .description('serve the app locally behind an emulated ALB (node:http)')
  .argument('<entry>', 'module exporting the app')
  .option('--port <port>', 'port to listen on', (v) => parseInteger(v, '--port'), 3000)
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--multi-value', 'emulate a target group with lambda.multi_value_headers.enabled (default: the mode the manifest deploys)')
  .option('--no-multi-value', 'emulate a target group in single-value mode')
  .option('--watch', 'reload the app when files change', false)
  .option('--timeout <seconds>', 'function timeout (ALB answers 502 when it is exceeded)', (v) => parseInteger(v, '--timeout'), 30)
  .option('--user <claims>', "log every request in as this user on @Authenticate routes: 'sub=alice,email=alice@example.com' or @claims.json")
  .option('--docs [prefix]', 'also serve the OpenAPI document and an API reference page (Swagger UI) under prefix (default /__albatross)')
  .addOption(loadTimeoutOption())
  .action(async (entry: string, options: { port: number; host: string; multiValue?: boolean; watch: boolean; timeout: number; docs?: boolean | string; user?: string; loadTimeout?: number }) => {
    const { devCommand } = await import('./commands/dev.js')
    await devCommand(entry, { ...options, loadTimeout: loadTimeoutSeconds(options.loadTimeout) })
  })

function parseInteger(value: string, flag: string): number {
  const n = Number(value)
  if (!Number.isInteger(n)) throw new CliError(`${flag} takes an integer, got ${JSON.stringify(value)}`)
  return n
}

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // Commander has printed the help or its one-line message already.
    process.exitCode = error.exitCode === 0 ? 0 : 2
    return
  }
  const message = error instanceof CliError || (error instanceof Error && /^(Manifest|RouteDeclaration)Error$/.test(error.name))
    ? error.message
    : error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  process.stderr.write(`albatross: ${oneLine(message)}\n`)
  process.exitCode = 2
  // What the unfinished entry left running (a socket, a timer) would keep the process alive.
  if (error instanceof LoadTimeoutError) process.exit(2)
})
