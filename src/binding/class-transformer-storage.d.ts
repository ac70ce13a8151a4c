// class-transformer keeps @Type and @Expose metadata in a module singleton that its index does not
// export. This is the CommonJS module that `import 'class-transformer'` itself loads under Node
// (the package has no `exports` map, so `main` = cjs/index.js), i.e. the same instance the
// user's decorators write to — unless a bundler resolves `class-transformer` through the `module`
// field (esm5): transformer-storage.ts finds the copy the decorators fill. Only the members the
// binder reads are declared.
declare module 'class-transformer/cjs/storage.js' {
  interface TypeMetadataLike {
    readonly reflectedType: unknown
    readonly typeFunction?: (options?: object) => unknown
    readonly options?: { readonly discriminator?: unknown }
  }
  interface ExposeMetadataLike {
    readonly propertyName: string | undefined
    readonly options?: { readonly name?: string }
  }
  export interface MetadataStorageLike {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
    findTypeMetadata(target: Function, propertyName: string): TypeMetadataLike | undefined
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
    getExposedMetadatas(target: Function): readonly ExposeMetadataLike[]
    // The per-class maps behind the find/get methods (class-transformer 0.5 MetadataStorage),
    // read to prove a class has no class-transformer metadata at all; `unknown` because they are
    // private and checked with `instanceof Map` before use.
    readonly _typeMetadatas?: unknown
    readonly _transformMetadatas?: unknown
    readonly _exposeMetadatas?: unknown
    readonly _excludeMetadatas?: unknown
  }
  export const defaultMetadataStorage: MetadataStorageLike
}

// The same store's esm5 copy, which a bundler resolving `class-transformer` through its `module`
// field gives the user's decorators (transformer-storage.ts).
declare module 'class-transformer/esm5/storage.js' {
  import type { MetadataStorageLike } from 'class-transformer/cjs/storage.js'
  export const defaultMetadataStorage: MetadataStorageLike
}

// class-validator's message token replacement ($property, $value, $constraint1 …), which its
// index does not export. Stateless, so any copy of the module behaves the same.
declare module 'class-validator/cjs/validation/ValidationUtils.js' {
  import type { ValidationArguments } from 'class-validator'
  export class ValidationUtils {
    static replaceMessageSpecialTokens(
      message: string | ((args: ValidationArguments) => string),
      validationArguments: ValidationArguments,
    ): string
  }
}
