// Module hooks registered by ts-loader.mjs: `./x.js` imported from a .ts file resolves to
// `./x.ts` when only that exists; .ts files outside node_modules are transpiled to ESM.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const COMPILER_OPTIONS = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2022,
  sourceMap: false,
  inlineSourceMap: true
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context)
  } catch (error) {
    const fromTs = context.parentURL?.endsWith('.ts') ?? false
    if (!fromTs || !specifier.startsWith('.') || !specifier.endsWith('.js')) throw error
    return nextResolve(`${specifier.slice(0, -3)}.ts`, context)
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/')) {
    return nextLoad(url, context)
  }
  const fileName = fileURLToPath(url)
  const source = await readFile(fileName, 'utf8')
  const { outputText } = ts.transpileModule(source, { compilerOptions: COMPILER_OPTIONS, fileName })
  return { format: 'module', source: outputText, shortCircuit: true }
}
