import { describe, expect, it } from '@jest/globals'
import { HandoffError } from '../../src/errors.js'
import { errorLine } from '../../src/report/annotations.js'

describe('errorLine', () => {
  it.each([
    {
      name: 'a located error gets file:line:col in front',
      error: new HandoffError('KEY_NOT_FOUND', 'Key "image.tag" not found', {
        file: 'values.yaml',
        line: 3,
        column: 5,
        hint: 'Fix key.'
      }),
      message: 'values.yaml:3:5: Key "image.tag" not found — Fix key.'
    },
    {
      name: 'a message that names the line is not told it twice',
      error: new HandoffError('PARSE_ERROR', 'YAML syntax error at line 4, column 1: bad', {
        file: 'a.yaml',
        line: 4,
        column: 1
      }),
      message: 'a.yaml: YAML syntax error at line 4, column 1: bad'
    },
    {
      name: 'no file: the message alone',
      error: new HandoffError('BAD_CREDENTIALS', 'GitHub answered 401', { hint: 'Renew it.' }),
      message: 'GitHub answered 401 — Renew it.'
    }
  ])('$name', ({ error, message }) => {
    expect(errorLine(error)).toEqual({
      title: `gitops-handoff ${error.code}`,
      message,
      file: error.file,
      line: error.line,
      column: error.column
    })
  })
})
