import { describe, expect, it } from 'vitest'
import { openApiPath } from '../../src/openapi/paths.js'

describe('openApiPath', () => {
  it('keeps {name} captures as path templates', () => {
    expect(openApiPath('/users/{id}/posts/{post}')).toEqual({ key: '/users/{id}/posts/{post}', params: ['id', 'post'], approximate: false })
  })

  it('keeps a pattern with ALB wildcards readable and marks it approximate (spec/alb.md §2.0)', () => {
    expect(openApiPath('/static/*.css')).toEqual({ key: '/static/*.css', params: [], approximate: true })
    expect(openApiPath('/file?.txt')).toMatchObject({ approximate: true })
    expect(openApiPath('/a/{id}/*')).toEqual({ key: '/a/{id}/*', params: ['id'], approximate: true })
  })

  it('reads a regex as a path: anchors dropped, named groups as templates, unanchored ends as *', () => {
    expect(openApiPath(/^\/api\/v[0-9]+\/(?<id>[^/()]+(?:\.json)?)$/)).toEqual({ key: '/api/v[0-9]+/{id}', params: ['id'], approximate: true })
    expect(openApiPath(/\.php$/)).toEqual({ key: '/*.php', params: [], approximate: true })
  })
})
