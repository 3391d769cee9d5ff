import { describe, expect, it } from '@jest/globals'
import { HandoffError } from '../../../src/errors.js'
import { pathMatch } from '../../../src/image/path-match.js'

/** The outcome of a match: true, false, or 'bad pattern'. */
function outcome(pattern: string, name: string): boolean | string {
  try {
    return pathMatch(pattern, name)
  } catch (error) {
    if (error instanceof HandoffError && error.code === 'INVALID_INPUT') return 'bad pattern'
    throw error
  }
}

describe('pathMatch (Go path.Match semantics)', () => {
  it.each([
    { pattern: 'abc', name: 'abc', result: true },
    { pattern: '*', name: 'abc', result: true },
    { pattern: '*c', name: 'abc', result: true },
    { pattern: 'a*', name: 'a', result: true },
    { pattern: 'a*', name: 'abc', result: true },
    { pattern: 'a*', name: 'ab/c', result: false },
    { pattern: 'a*/b', name: 'abc/b', result: true },
    { pattern: 'a*/b', name: 'a/c/b', result: false },
    { pattern: 'a*b*c*d*e*/f', name: 'axbxcxdxe/f', result: true },
    { pattern: 'a*b*c*d*e*/f', name: 'axbxcxdxexxx/f', result: true },
    { pattern: 'a*b*c*d*e*/f', name: 'axbxcxdxe/xxx/f', result: false },
    { pattern: 'a*b*c*d*e*/f', name: 'axbxcxdxexxx/fff', result: false },
    { pattern: 'a*b?c*x', name: 'abxbbxdbxebxczzx', result: true },
    { pattern: 'a*b?c*x', name: 'abxbbxdbxebxczzy', result: false },
    { pattern: 'ab[c]', name: 'abc', result: true },
    { pattern: 'ab[b-d]', name: 'abc', result: true },
    { pattern: 'ab[e-g]', name: 'abc', result: false },
    { pattern: 'ab[^c]', name: 'abc', result: false },
    { pattern: 'ab[^b-d]', name: 'abc', result: false },
    { pattern: 'ab[^e-g]', name: 'abc', result: true },
    { pattern: 'a\\*b', name: 'a*b', result: true },
    { pattern: 'a\\*b', name: 'ab', result: false },
    { pattern: 'a?b', name: 'a☺b', result: true },
    { pattern: 'a[^a]b', name: 'a☺b', result: true },
    { pattern: 'a???b', name: 'a☺b', result: false },
    { pattern: '[a-ζ]*', name: 'α', result: true },
    { pattern: '*[a-ζ]', name: 'A', result: false },
    { pattern: 'a?b', name: 'a/b', result: false },
    { pattern: 'a*b', name: 'a/b', result: false },
    { pattern: '[\\]a]', name: ']', result: true },
    { pattern: '[\\-]', name: '-', result: true },
    { pattern: '[x\\-]', name: '-', result: true },
    { pattern: '[x\\-]', name: 'z', result: false },
    { pattern: '*x', name: 'xxx', result: true },
    { pattern: 'foo/**/ba[rz]', name: 'foo/b/baz', result: true },
    { pattern: '', name: '', result: true },
    { pattern: '', name: 'a', result: false },
    { pattern: '[]a]', name: ']', result: 'bad pattern' },
    { pattern: '[-]', name: '-', result: 'bad pattern' },
    { pattern: '[x-]', name: 'x', result: 'bad pattern' },
    { pattern: '[-x]', name: 'x', result: 'bad pattern' },
    { pattern: '\\', name: 'a', result: 'bad pattern' },
    { pattern: '[a-b-c]', name: 'a', result: 'bad pattern' },
    { pattern: '[', name: 'a', result: 'bad pattern' },
    { pattern: '[^', name: 'a', result: 'bad pattern' },
    { pattern: '[^bc', name: 'a', result: 'bad pattern' },
    { pattern: 'a[', name: 'ab', result: 'bad pattern' },
    { pattern: 'a/b[', name: 'x', result: 'bad pattern' }
  ])('$pattern on $name → $result', ({ pattern, name, result }) => {
    expect(outcome(pattern, name)).toBe(result)
  })

  it('stays fast with many stars on a long name', () => {
    const name = 'a'.repeat(10_000)
    expect(outcome(`${'*a'.repeat(50)}*b`, name)).toBe(false)
  }, 10_000)
})
