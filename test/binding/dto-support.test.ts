import { IsString } from 'class-validator'
import { describe, expect, it } from 'vitest'
import { Body, Controller, Get, Post, Query, createApp } from '../../src/index.js'
import { albEvent } from '../../src/testing.js'

// This file never imports src/dto.ts ('albatross/dto'): DTO support is not installed, as in an
// app that declares no DTO. Each test file runs in its own module graph.

class CreateTask {
  @IsString() name!: string
}

describe('DTO binding without albatross/dto', () => {
  it('is refused at createApp, naming the route and the import that installs it', () => {
    @Controller('/tasks')
    class Tasks {
      @Post()
      create(@Body({ type: CreateTask }) body: CreateTask) {
        return body
      }
    }
    expect(() => createApp({ controllers: [Tasks] })).toThrow(/Tasks\.create: parameter 0 \(@Body\(\)\) has type CreateTask, which is a DTO class.*import 'albatross\/dto'/)
  })

  it('is refused for a whole-query DTO too', () => {
    @Controller('/tasks')
    class Search {
      @Get()
      list(@Query({ type: CreateTask }) query: CreateTask) {
        return query
      }
    }
    expect(() => createApp({ controllers: [Search] })).toThrow(/Search\.list.*import 'albatross\/dto'/)
  })

  it('still binds plain bodies and scalars', async () => {
    @Controller('/notes')
    class Notes {
      @Post()
      create(@Body() body: unknown, @Query('tag') tag: string) {
        return { body, tag }
      }
    }
    const app = createApp({ controllers: [Notes] })
    const result = await app.handler(albEvent({ method: 'POST', path: '/notes?tag=a', body: { text: 'hi' } }))
    expect(JSON.parse(result.body ?? '')).toEqual({ body: { text: 'hi' }, tag: 'a' })
  })

  // Fail closed: class-transformer is what applies @Exclude, so an instance is never sent as is.
  it('answers 500 for a returned class instance and tells onError which import serialises it', async () => {
    class User {
      name = 'Ada'
      passwordHash = 'secret'
    }
    @Controller('/me')
    class Me {
      @Get()
      get() {
        return new User()
      }
    }
    const errors: unknown[] = []
    const app = createApp({ controllers: [Me], onError: (error) => errors.push(error) })
    const result = await app.handler(albEvent({ path: '/me' }))
    expect(result.statusCode).toBe(500)
    expect(result.body).not.toContain('secret')
    expect(String(errors[0])).toMatch(/User instance.*import 'albatross\/dto'/)
  })
})
