/**
 * `axonjs/backends`: the backend classes as values, for code that builds a backend by hand
 * (`await WasmBackend.create({ threads: 2 })`, `new JsBackend()`) or checks `instanceof`.
 * `init()` and `createBackend()` import these same modules on demand, so a backend made either
 * way is an instance of these classes. Most programs need only `init()` from the core entry.
 */
export { JsBackend } from './js/index.js';
export { WasmBackend, WasmStorage, type WasmBackendInfo, type WasmBackendOptions } from './wasm/index.js';
