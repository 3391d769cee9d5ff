/**
 * The parts of an Argo CD override file the editor works on: the kustomize.images entries,
 * the helm.parameters and the images they name; and the setting of one of their values.
 */
import {
  isMap,
  isScalar,
  isSeq,
  type Document,
  type Scalar,
  type YAMLMap,
  type YAMLSeq
} from 'yaml'
import { HandoffError } from '../errors.js'
import { splitLoose, tryParseReference } from '../image/reference.js'
import { deref, findPair } from './key-path.js'
import { replaceChange, scalarText, type Change } from './value-changes.js'
import type { ParsedYaml } from './yaml-splice.js'

export interface Entry {
  readonly node: Scalar
  readonly value: string
  readonly path: string
}

export interface Param {
  readonly map: YAMLMap
  readonly name: string
  readonly value?: Scalar
  readonly path: string
}

/** The parameters `<prefix>.name|repository`, `.registry`, `.tag`, `.digest` of one image. */
export interface ParamGroup {
  readonly prefix: string
  readonly identity?: string
  readonly tag?: Param
  readonly digest?: Param
}

export interface SourceFile {
  readonly yaml: ParsedYaml
  readonly root?: YAMLMap
  readonly kustomize?: YAMLMap
  readonly images?: YAMLSeq
  readonly helm?: YAMLMap
  readonly parameters?: YAMLSeq
  readonly entries: readonly Entry[]
  readonly params: readonly Param[]
}

export /** The file's parts; an error when its root is not a map. */
function readFile(yaml: ParsedYaml): SourceFile | HandoffError {
  const doc = yaml.documents[0]
  const root = doc ? deref(doc, doc.contents) : undefined
  if (
    root !== undefined &&
    root !== null &&
    !isMap(root) &&
    !(isScalar(root) && root.value === null)
  ) {
    return new HandoffError(
      'UNSUPPORTED_FILE',
      'The Argo CD source file is not a map with `kustomize` or `helm`',
      {
        hint: 'An override file holds kustomize.images and/or helm.parameters; set `format` if this is another kind of file.'
      }
    )
  }
  const map = isMap(root) ? root : undefined
  const kustomize = child(doc, map, 'kustomize', isMap)
  const images = child(doc, kustomize, 'images', isSeq)
  const helm = child(doc, map, 'helm', isMap)
  const parameters = child(doc, helm, 'parameters', isSeq)
  return {
    yaml,
    root: map,
    kustomize,
    images,
    helm,
    parameters,
    entries: doc && images ? entriesOf(doc, images) : [],
    params: doc && parameters ? paramsOf(doc, parameters) : []
  }
}

function child<T>(
  doc: Document.Parsed | undefined,
  map: YAMLMap | undefined,
  name: string,
  is: (n: unknown) => n is T
): T | undefined {
  const pair = doc && map ? findPair(map, name) : undefined
  const node = pair && doc ? deref(doc, pair.value) : undefined
  return is(node) ? node : undefined
}

function entriesOf(doc: Document.Parsed, images: YAMLSeq): Entry[] {
  return images.items.flatMap((item, i) => {
    const node = deref(doc, item)
    return isScalar(node) && typeof node.value === 'string'
      ? [{ node, value: node.value, path: `kustomize.images[${i}]` }]
      : []
  })
}

function paramsOf(doc: Document.Parsed, parameters: YAMLSeq): Param[] {
  return parameters.items.flatMap((item, i) => {
    const map = deref(doc, item)
    if (!isMap(map)) return []
    const name = deref(doc, findPair(map, 'name')?.value)
    if (!isScalar(name) || typeof name.value !== 'string') return []
    const value = deref(doc, findPair(map, 'value')?.value)
    const path = `helm.parameters[${i}].value`
    return [{ map, name: name.value, value: isScalar(value) ? value : undefined, path }]
  })
}

export function paramNamed(file: SourceFile, name: string): Param | undefined {
  return file.params.find(p => p.name === name)
}

export function paramText(param: Param | undefined): string | undefined {
  return param?.value ? scalarText(param.value) : undefined
}

/** Every image named by `<prefix>.name` or `<prefix>.repository`. */
export function groupsOf(file: SourceFile): ParamGroup[] {
  const prefixes = new Set(
    file.params.flatMap(p => /^(.+)\.(name|repository)$/.exec(p.name)?.[1] ?? [])
  )
  return [...prefixes].map(prefix => groupAt(file, prefix))
}

export function groupAt(file: SourceFile, prefix: string): ParamGroup {
  const named =
    paramText(paramNamed(file, `${prefix}.repository`)) ||
    paramText(paramNamed(file, `${prefix}.name`))
  const registry = paramText(paramNamed(file, `${prefix}.registry`))
  const identity =
    named && registry ? `${registry.replace(/\/+$/, '')}/${named}` : named || undefined
  return {
    prefix,
    identity,
    tag: paramNamed(file, `${prefix}.tag`),
    digest: paramNamed(file, `${prefix}.digest`)
  }
}

/** Parameters whose value is a whole reference with a tag or digest (image-spec). */
export function specParams(file: SourceFile): Param[] {
  return file.params.filter(p => {
    const value = paramText(p)
    if (!value || /\.(name|repository|registry|tag|digest)$/.test(p.name)) return false
    const loose = splitLoose(value)
    return (
      (loose.tag !== undefined || loose.digest !== undefined) &&
      tryParseReference(loose.name) !== undefined
    )
  })
}

export type Planned = Change[] | HandoffError

export function set(
  file: SourceFile,
  node: Scalar,
  value: string,
  edit: { image: string; path: string; previous: string }
): Planned {
  if (scalarText(node) === value) return []
  const change = replaceChange(file.yaml, node, value, edit)
  return change instanceof HandoffError ? change : [change]
}
