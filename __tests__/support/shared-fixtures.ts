/**
 * Where the shared fixtures live (`../shared/corpus`, `../shared/conformance`, read in place
 * beside the repository) and the one policy for their absence: outside CI a printed note and
 * a skipped test; with CI=true a failing test, so a missing corpus cannot pass unnoticed.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { it } from '@jest/globals'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** A path under ../shared, e.g. sharedPath('corpus', 'INDEX.tsv'). */
export function sharedPath(...parts: string[]): string {
  return path.resolve(REPO_ROOT, '../shared', ...parts)
}

/** Register the test that stands for fixtures found absent at `location`. */
export function reportMissingShared(what: string, location: string): void {
  if (process.env.CI === 'true') {
    it(`${what}: present (required in CI)`, () => {
      throw new Error(`missing ${location}`)
    })
  } else {
    console.log(`skipping ${what}: ${location} not found`)
    it.skip(`${what}: present`, () => undefined)
  }
}
