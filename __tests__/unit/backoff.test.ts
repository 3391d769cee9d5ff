import { describe, expect, it } from '@jest/globals'
import { backoffDelay } from '../../src/publish/backoff.js'

describe('backoffDelay', () => {
  it.each([
    {
      name: 'fast attempt: the 500 ms floor, lowest jitter',
      attempt: 1,
      random: 0,
      ms: 20,
      delay: 100
    },
    {
      name: 'fast attempt: the 500 ms floor, highest jitter',
      attempt: 1,
      random: 0.999,
      ms: 20,
      delay: 500
    },
    { name: 'no duration known: the floor', attempt: 1, random: 1, ms: 0, delay: 500 },
    { name: 'second attempt triples the ceiling', attempt: 2, random: 0.5, ms: 20, delay: 900 },
    { name: 'slow attempt: ten windows of it', attempt: 1, random: 1, ms: 300, delay: 3000 },
    { name: 'slow attempt, third try', attempt: 3, random: 0.5, ms: 300, delay: 16200 },
    { name: 'capped at 30 s', attempt: 4, random: 1, ms: 300, delay: 30000 },
    { name: 'capped at 30 s, any attempt', attempt: 30, random: 0.5, ms: 20, delay: 18000 }
  ])(
    '$name: attempt $attempt, random $random, $ms ms → $delay ms',
    ({ attempt, random, ms, delay }) => {
      expect(backoffDelay(attempt, random, ms)).toBe(delay)
    }
  )
})
