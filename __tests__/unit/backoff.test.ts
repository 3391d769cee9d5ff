import { describe, expect, it } from '@jest/globals'
import { backoffDelay } from '../../src/publish/backoff.js'

describe('backoffDelay', () => {
  it.each([
    { attempt: 1, random: 0, delay: 100 },
    { attempt: 1, random: 0.999, delay: 500 },
    { attempt: 2, random: 0.5, delay: 600 },
    { attempt: 4, random: 1, delay: 4000 },
    { attempt: 5, random: 1, delay: 8000 },
    { attempt: 30, random: 0.5, delay: 4800 }
  ])('attempt $attempt, random $random → $delay ms', ({ attempt, random, delay }) => {
    expect(backoffDelay(attempt, random)).toBe(delay)
  })
})
