// DTO support: `import 'albatross/dto'` once, in the module that declares the app's DTOs or in
// the entry. It brings class-transformer, class-validator and reflect-metadata (class-transformer's
// @Type reads design:type through it) into the app; apps without DTOs leave all three out of
// their bundle and their cold start (binding/dto-support.ts says why this takes an import).
import 'reflect-metadata'
import { instanceToPlain } from 'class-transformer'
import { planDto, unboundDtoReason } from './binding/dto-plan.js'
import { installDtoSupport } from './binding/dto-support.js'
import {
  prepareDto,
  transformAndValidate,
  transformAndValidateEach,
  transformAndValidatePairs,
} from './binding/transform-validate.js'

installDtoSupport({
  planDto,
  unboundDtoReason,
  prepareDto,
  transformAndValidate,
  transformAndValidateEach,
  transformAndValidatePairs,
  instanceToPlain,
})

/** True once imported: lets an entry assert that DTO support is in its bundle. */
export const dtoSupportInstalled = true
