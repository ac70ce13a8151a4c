export interface GrowthShape {
  readonly path: string
  readonly contentType: string
  readonly base64?: boolean
  body(size: number): string
}
export const SHAPES: Readonly<Record<string, GrowthShape>>
export function growthEvent(shape: GrowthShape, body: string): Record<string, unknown>
