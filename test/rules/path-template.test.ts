import { describe, expect, it } from 'vitest'
import { parsePathTemplate } from '../../src/rules/path-template.js'

describe('parsePathTemplate', () => {
  it.each([
    ['/users', '/users', []],
    ['/files/*', '/files/*', [null]],
    ['/a/*/b/*', '/a/*/b/*', [null, null]],
    ['/users/{id}', '/users/*', ['id']],
    ['/orgs/{org}/projects/{project}/tasks/{id}', '/orgs/*/projects/*/tasks/*', ['org', 'project', 'id']],
    ['/*/x/{id}/y/*', '/*/x/*/y/*', [null, 'id', null]],
    ['/{a}{b}', '/**', ['a', 'b']],
    ['{$x_1}', '*', ['$x_1']],
  ])('%j is the ALB pattern %j capturing %j, one entry per *', (path, pattern, captures) => {
    expect(parsePathTemplate(path)).toEqual({ pattern, captures })
  })

  it('gives a path without braces back as its own pattern', () => {
    const path = '/health/' + 'x'.repeat(40)
    expect((parsePathTemplate(path) as { pattern: string }).pattern).toBe(path)
  })

  it.each([
    ['/users/{1d}', 'path "/users/{1d}" has a malformed capture at 7: write {name} with an identifier inside'],
    ['/users/{}', 'path "/users/{}" has a malformed capture at 7: write {name} with an identifier inside'],
    ['/users/{id', 'path "/users/{id" has a malformed capture at 7: write {name} with an identifier inside'],
    ['/a/{x{y}', 'path "/a/{x{y}" has a malformed capture at 3: write {name} with an identifier inside'],
    ['/users/id}', 'path "/users/id}" has an unmatched "}" at 9'],
    ['/a/{x}/b}', 'path "/a/{x}/b}" has an unmatched "}" at 8'],
    ['/{id}/x/{id}', 'path "/{id}/x/{id}" captures {id} twice'],
  ])('refuses %j, saying where', (path, problem) => {
    expect(parsePathTemplate(path)).toEqual({ problem })
  })
})
