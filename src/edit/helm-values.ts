/**
 * Helm values files, and any YAML that carries image settings the same way (a Flux
 * HelmRelease's `spec.values`, an umbrella chart's `wordpress.image.tag`).
 *
 * With `key`: the value at that dotted path (see key-path.ts), which is a tag, a digest or a
 * full reference. Without: every image map — `{repository[, registry], tag[, digest]}`,
 * `{image, tag}` (ingress-nginx) — and every `image: repo:tag` string whose repository
 * matches an update, at any depth of every document.
 *
 * Values are spliced in place (yaml-splice.ts); lines are added only for a digest the map has
 * no key for, and, with create-missing, for a missing `tag:` or key path.
 *
 * This module dispatches: the key mode is helm-key.ts, the image maps helm-image-maps.ts (found
 * by helm-image-sites.ts).
 */
import { editSites, readSites } from './helm-image-maps.js'
import { editByKey, readByKey } from './helm-key.js'
import type { EditOptions, EditResult, ImageUpdate, ReadResult } from './types.js'
import { parseYaml } from './yaml-splice.js'

// Other modules and tests import these from here.
export {
  finishChanges,
  lineColumn,
  replaceChange,
  scalarText,
  type Change
} from './value-changes.js'

/** The helm editor (see the module comment). */
export function editHelmValues(
  text: string,
  updates: readonly ImageUpdate[],
  options: EditOptions
): EditResult {
  const parsed = parseYaml(text)
  if (!parsed.ok) return parsed
  if (options.key !== undefined)
    return editByKey(parsed.yaml, updates, options.key, options.createMissing)
  return editSites(parsed.yaml, updates, options.createMissing)
}

/** The current tag/digest of `image` (with `key`: the value there). */
export function readHelmValues(text: string, image: string, options: EditOptions): ReadResult {
  const parsed = parseYaml(text)
  if (!parsed.ok) return parsed
  if (options.key === undefined) return readSites(parsed.yaml, image)
  return readByKey(parsed.yaml, image, options.key)
}
