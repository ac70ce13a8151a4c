// An app without DTOs whose `page` parameter is typed only by TypeScript (`page: number`, no
// `{ type: Number }`): under tsc it is a number through design:paramtypes, recorded without
// reflect-metadata (src/metadata/design-metadata.ts); under esbuild, which emits no metadata, a
// string. Nothing here imports reflect-metadata, class-validator or class-transformer.
import { Controller, Get, Param, Query, createApp } from '../../../src/index.js'

@Controller('/items')
class Items {
  @Get('/{id}')
  get(@Param('id') id: string, @Query('page') page: number) {
    return { id, page, pageType: typeof page }
  }

  @Get()
  list() {
    return new Listing()
  }
}

/** A class instance as a return value: class-transformer serialises those, and it is not loaded. */
class Listing {
  readonly items: string[] = []
}

export const app = createApp({ controllers: [Items], onError: () => undefined })
export const handler = app.handler
