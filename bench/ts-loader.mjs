// Lets plain `node` run bench/edit.ts (and the src/*.ts it imports) from a clean checkout:
//   node --import ./bench/ts-loader.mjs bench/edit.ts
// Node's own type stripping is not enough: src uses NodeNext `.js` specifiers for `.ts` files
// and parameter properties (not erasable syntax). The hooks in ts-hooks.mjs map the
// specifiers and transpile with the project's own `typescript` (no type check).
import { register } from 'node:module'

register('./ts-hooks.mjs', import.meta.url)
