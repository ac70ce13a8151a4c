import type { RuleTable } from '../rules/types.js'
import type { AwsCliStep } from './aws-cli.js'
import { awsCliPlaceholders, awsCliSteps, renderAwsCli } from './aws-cli.js'
import type { CloudFormationTemplate } from './cloudformation.js'
import { cloudFormationTemplate, renderCloudFormation } from './cloudformation.js'
import type { ManifestOptions } from './model.js'
import { buildModel, inputTargetsNeedingMultiValue } from './model.js'
import type { TerraformJson } from './terraform.js'
import { renderTerraform, terraformConfig } from './terraform.js'
import { toTerraformJson } from './hcl.js'

export type {
  AddPermissionInput,
  AwsCliStep,
  CreateRuleInput,
  CreateTargetGroupInput,
  ModifyTargetGroupAttributesInput,
  RegisterTargetsInput,
} from './aws-cli.js'
export type { CloudFormationTemplate } from './cloudformation.js'
export type { ManifestFormat, ManifestMode, ManifestModel, ManifestOptions } from './model.js'
export type { TerraformJson } from './terraform.js'
export type { AlbRuleSplit } from './split.js'
export type { DeployedDiff } from './describe-rules.js'
export { buildModel, MULTI_VALUE_REQUIREMENT } from './model.js'
export { splitRule, splitTable } from './split.js'
export { diffDeployed } from './describe-rules.js'
export { ManifestError } from './errors.js'

/** The manifest as data: what `renderManifest` writes, before serialisation. */
export type ManifestDocument =
  | { readonly format: 'cloudformation'; readonly document: CloudFormationTemplate }
  /** Terraform's JSON syntax of the configuration, whichever syntax `json` asks to render. */
  | { readonly format: 'terraform'; readonly document: TerraformJson }
  /** The ordered AWS CLI calls (0.1.0: create-rule inputs only; they are the `elbv2 create-rule` steps). */
  | { readonly format: 'aws-cli'; readonly document: AwsCliStep[] }

export function buildManifest(table: RuleTable, options: ManifestOptions): ManifestDocument {
  const model = buildModel(table, options)
  switch (options.format) {
    case 'cloudformation':
      return { format: 'cloudformation', document: cloudFormationTemplate(model) }
    case 'terraform':
      return { format: 'terraform', document: toTerraformJson(terraformConfig(model)) }
    case 'aws-cli':
      return { format: 'aws-cli', document: awsCliSteps(model) }
  }
}

/** The text to write: CloudFormation YAML/JSON, Terraform HCL/`.tf.json`, or CLI JSON. */
export function renderManifest(table: RuleTable, options: ManifestOptions): string {
  const model = buildModel(table, options)
  const json = options.json ?? false
  switch (options.format) {
    case 'cloudformation':
      return renderCloudFormation(cloudFormationTemplate(model), json)
    case 'terraform':
      return renderTerraform(terraformConfig(model), json)
    case 'aws-cli':
      return renderAwsCli(awsCliSteps(model))
  }
}

/**
 * The `${NAME}` placeholders of the AWS CLI manifest, for `envsubst '$A $B'` (issue #11 item 4);
 * empty for the other formats, which use parameters and variables.
 */
export function manifestPlaceholders(table: RuleTable, options: ManifestOptions): string[] {
  if (options.format !== 'aws-cli') return []
  return awsCliPlaceholders(awsCliSteps(buildModel(table, options)))
}

/**
 * Target groups the deployer must switch to multi-value headers by hand (the manifest references
 * them but does not create them), by target name; empty when there is nothing to do.
 */
export function multiValueTargetsToSet(table: RuleTable, options: ManifestOptions): string[] {
  return inputTargetsNeedingMultiValue(buildModel(table, options)).map((t) => t.name)
}
