import { describe, expect, it } from 'vitest'
import * as limits from '../../src/rules/limits.js'

describe('limits', () => {
  // spec/alb.md §1.1, §1.4, §1.5, §1.6, §4, §6 #6, §6 #15
  it('pins the ALB limits, keeping the lower number where AWS pages disagree', () => {
    expect({ ...limits }).toEqual({
      PRIORITY_MIN: 1,
      PRIORITY_MAX: 50_000,
      VALUES_PER_CONDITION: 3,
      VALUES_PER_RULE: 5,
      WILDCARDS_PER_RULE: 5,
      VALUE_MAX_LENGTH: 128,
      HEADER_NAME_MAX_LENGTH: 40,
      METHOD_MAX_LENGTH: 40,
      RULES_PER_LOAD_BALANCER: 100,
      FIXED_RESPONSE_BODY_MAX: 1024,
      REQUEST_BODY_MAX_BYTES: 1_000_000,
      RESPONSE_MAX_BYTES: 1_000_000,
      XFF_MAX_ADDRESSES: 30,
    })
  })
})
