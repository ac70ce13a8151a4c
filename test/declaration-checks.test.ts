import { describe, expect, it } from 'vitest'
import { Controller, Get, Header, HttpCode, Param, Post, RouteDeclarationError, createApp } from '../src/index.js'

function problemsOf(make: () => unknown): string[] {
  try {
    make()
  } catch (error) {
    expect(error).toBeInstanceOf(RouteDeclarationError)
    return (error as RouteDeclarationError).problems.map((p) => `${p.source}: ${p.message}`)
  }
  throw new Error('expected a RouteDeclarationError')
}

// Issue #12 § 2: declarations that cannot work are refused at createApp, in the one aggregated
// RouteDeclarationError, next to the ALB problems.
describe('createApp refuses declarations that cannot work', () => {
  it('refuses @Param naming a capture the path does not have, and lists what it has', () => {
    @Controller('/users/{uid}')
    class Users {
      @Get('/posts/{pid}') post(@Param('id', { type: String }) id: string) { return id }
      @Get(/^\/re\/(?<slug>[a-z]+)$/) re(@Param('slug', { type: String }) slug: string, @Param('other', { type: String }) other: string) { return slug + other }
      @Get('/fine/{pid}') fine(@Param('uid', { type: String }) uid: string, @Param('pid', { type: Number }) pid: number) { return uid + pid }
    }
    expect(problemsOf(() => createApp({ controllers: [Users] }))).toEqual([
      "Users.post: @Param('id') names no {id} in the path /users/{uid}/posts/{pid} (it captures {uid}, {pid}): rename one of them",
      expect.stringMatching(/^Users\.re: @Param\('other'\) names no \{other\} in the path .* \(it captures \{slug\}\)/),
    ])
  })

  it.each([99, 600, 200.5, Number.NaN])('refuses @HttpCode(%s), a status no response can carry', (status) => {
    @Controller()
    class Codes {
      @Get('/a') @HttpCode(status) a() { return 'a' }
    }
    expect(problemsOf(() => createApp({ controllers: [Codes] }))).toEqual([
      `Codes.a: @HttpCode(${String(status)}) is not an HTTP status a response can carry: give an integer from 100 to 599`,
    ])
  })

  it("refuses CORS origins '*' with credentials, for the app and for a controller that inherits credentials", () => {
    @Controller('/a') class A { @Get('/x') x() { return 1 } }
    @Controller('/b', { cors: { origins: '*' } }) class B { @Get('/y') y() { return 1 } }
    expect(problemsOf(() => createApp({ controllers: [A], cors: { origins: '*', credentials: true } }))).toEqual([
      expect.stringMatching(/^createApp\(\{ cors \}\): origins '\*' with credentials: true/),
    ])
    expect(problemsOf(() => createApp({ controllers: [A, B], cors: { origins: ['https://app.example.com'], credentials: true } }))).toEqual([
      expect.stringMatching(/^@Controller\(B, \{ cors \}\): origins '\*' with credentials: true/),
    ])
    expect(() => createApp({ controllers: [A], cors: { origins: '*' } })).not.toThrow()
  })

  it('lists parameter, @Param, @HttpCode and ALB problems in the same one error', () => {
    @Controller()
    class Mixed {
      @Get('/a b') space() { return 1 }
      @Post('/p/{id}') @HttpCode(700) post(@Param('nope', { type: String }) nope: string, @Header('x-n', { type: Map as never }) n: unknown) { return [nope, n] }
    }
    const problems = problemsOf(() => createApp({ controllers: [Mixed] }))
    expect(problems, problems.join('\n')).toHaveLength(4)
    for (const start of ['Mixed.space: ', "Mixed.post: parameter 1 (@Header('x-n')) has type Map", "Mixed.post: @Param('nope')", 'Mixed.post: @HttpCode(700)']) {
      expect(problems.some((p) => p.startsWith(start)), start).toBe(true)
    }
  })
})
