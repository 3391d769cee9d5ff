/**
 * src/cli/action-inputs.ts is generated from action.yml and package.json (the CLI bundle cannot
 * read action.yml): it must be what scripts/generate-cli-help.mjs writes today. Fix a failure
 * with `npm run docs`.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from '@jest/globals'
import { renderActionInputs, TARGET } from '../../../scripts/generate-cli-help.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const read = (file: string) => readFileSync(path.join(root, file), 'utf8')

it('src/cli/action-inputs.ts matches action.yml and package.json (npm run docs)', async () => {
  const expected = await renderActionInputs(read('action.yml'), read('package.json'))
  expect(readFileSync(TARGET, 'utf8')).toBe(expected)
})
