// class-transformer keeps @Type and @Expose metadata in a module singleton that its index does not
// export. This is the CommonJS module that `import 'class-transformer'` itself loads under Node
// (the package has no `exports` map, so `main` = cjs/index.js), i.e. the same instance the
// user's decorators write to. Only the members the binder reads are declared.
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
  export const defaultMetadataStorage: {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
    findTypeMetadata(target: Function, propertyName: string): TypeMetadataLike | undefined
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
    getExposedMetadatas(target: Function): readonly ExposeMetadataLike[]
  }
}
