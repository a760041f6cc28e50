import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { detectFeatures } from '../bindings/features.js';
import { instantiateWasm, loadWasm, WasmLoadError } from '../bindings/instantiate.js';
import { WasmBackend } from '../src/backends/wasm/index.js';
import { KernelError } from '../src/kernels/kernels.js';
import * as ax from '../src/index.js';

const wasmUrl = new URL('../build/axon-simd.wasm', import.meta.url);

describe('feature detection', () => {
  it('finds SIMD in Node 20+', () => {
    const f = detectFeatures();
    expect(f.wasm).toBe(true);
    expect(f.simd).toBe(true);
    expect(typeof f.relaxedSimd).toBe('boolean');
    expect(typeof f.threads).toBe('boolean');
  });
});

describe('instantiateWasm', () => {
  it('loads from bytes, from a compiled Module, from a URL and from the default location', async () => {
    const bytes = readFileSync(wasmUrl);
    const module = await WebAssembly.compile(bytes);
    for (const source of [bytes, new Uint8Array(bytes).buffer, module, wasmUrl, undefined]) {
      const ex = await instantiateWasm(source);
      expect(typeof ex.heapBase()).toBe('number');
      expect(ex.memory).toBeInstanceOf(WebAssembly.Memory);
    }
  });

  it('rejects garbage bytes with a clear error', async () => {
    await expect(instantiateWasm(new Uint8Array([1, 2, 3, 4]))).rejects.toThrow(WasmLoadError);
    await expect(instantiateWasm(new Uint8Array([1, 2, 3, 4]))).rejects.toThrow(/compiling the wasm kernels failed/);
  });

  it('rejects a source of the wrong type', async () => {
    await expect(instantiateWasm(42 as never)).rejects.toThrow(/expected a WebAssembly.Module, bytes/);
  });

  it('rejects a missing file with a hint', async () => {
    await expect(instantiateWasm(new URL('../build/nope.wasm', import.meta.url))).rejects.toThrow(/npm run build:wasm/);
  });

  it('rejects a module that does not export the ABI, naming what is missing', async () => {
    // A valid module exporting only a memory.
    const tiny = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 3, 1, 0, 1, 7, 10, 1, 6, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 2, 0]);
    await expect(instantiateWasm(tiny)).rejects.toThrow(/missing exports .*heapBase.*gemm_f32/);
  });
});

describe('loading over http(s) (browsers, Deno): fetch + compileStreaming', () => {
  const bytes = () => readFileSync(wasmUrl);
  /** Stubs fetch with one response per call; returns the URLs asked for. */
  const serve = (make: () => Response) => {
    const asked: string[] = [];
    vi.stubGlobal('fetch', async (u: URL | string) => (asked.push(String(u)), make()));
    return asked;
  };
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('compiles an application/wasm response while it downloads, with no note', async () => {
    const asked = serve(() => new Response(bytes(), { headers: { 'content-type': 'application/wasm' } }));
    const streaming = vi.spyOn(WebAssembly, 'compileStreaming');
    const loaded = await loadWasm('https://cdn.example/axon/axon-simd.wasm');
    expect(asked).toEqual(['https://cdn.example/axon/axon-simd.wasm']);
    expect(streaming).toHaveBeenCalledTimes(1); // (Node's compileStreaming may call WebAssembly.compile itself)
    expect(streaming.mock.calls[0]![0]).toBeInstanceOf(Response);
    expect(typeof loaded.exports.heapBase()).toBe('number');
    expect(loaded.notes).toEqual([]);
  });

  it('falls back to bytes + compile when the Content-Type is wrong, and says so once in info.notes', async () => {
    serve(() => new Response(bytes(), { headers: { 'content-type': 'application/octet-stream' } }));
    const streaming = vi.spyOn(WebAssembly, 'compileStreaming');
    const compile = vi.spyOn(WebAssembly, 'compile');
    const loaded = await loadWasm(new URL('https://cdn.example/axon-simd.wasm'));
    expect(streaming).not.toHaveBeenCalled();
    expect(compile).toHaveBeenCalledTimes(1);
    expect(loaded.notes).toEqual([expect.stringMatching(/axon-simd\.wasm was served as 'application\/octet-stream', not application\/wasm/)]);
    // a Content-Type with parameters is not application/wasm either (compileStreaming would reject it)
    serve(() => new Response(bytes(), { headers: { 'content-type': 'application/wasm; charset=binary' } }));
    expect((await loadWasm('https://cdn.example/a.wasm')).notes).toHaveLength(1);
    // the backend reports it in info.notes, once
    serve(() => new Response(bytes(), { headers: { 'content-type': 'text/plain' } }));
    const k = await WasmBackend.create({ wasm: 'https://cdn.example/axon-simd.wasm', threads: 1 });
    expect(k.info.notes.filter((n) => /served as 'text\/plain'/.test(n))).toHaveLength(1);
    k.dispose();
  });

  it('names the URL on HTTP errors, network failures and bytes that are not wasm', async () => {
    serve(() => new Response('not found', { status: 404 }));
    await expect(loadWasm('https://cdn.example/nope.wasm')).rejects.toThrow(/fetching the wasm kernels from https:\/\/cdn\.example\/nope\.wasm failed: HTTP 404/);
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('fetch failed');
    });
    await expect(loadWasm('https://cdn.example/axon.wasm')).rejects.toThrow(WasmLoadError);
    await expect(loadWasm('https://cdn.example/axon.wasm')).rejects.toThrow(/from https:\/\/cdn\.example\/axon\.wasm failed: fetch failed/);
    serve(() => new Response(new Uint8Array([1, 2, 3, 4]), { headers: { 'content-type': 'application/wasm' } }));
    await expect(loadWasm('https://cdn.example/axon.wasm')).rejects.toThrow(/compiling the wasm kernels failed/);
  });
});

describe('WasmBackend memory', () => {
  it('keeps data across memory growth and re-derives views', async () => {
    const k = await WasmBackend.create();
    const small = k.upload(Float32Array.from({ length: 100 }, (_, i) => i));
    const before = k.arena.capacity;
    const big = k.alloc(4_000_000); // 16 MB: forces memory.grow
    expect(k.arena.capacity).toBeGreaterThan(before);
    expect(Array.from(small.readSync())).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(big.readSync().every((v) => v === 0)).toBe(true);
    k.fill(big, 4_000_000, 2);
    expect((await big.read())[3_999_999]).toBe(2);
    small.dispose();
    big.dispose();
    k.dispose();
  });

  it('reports live bytes and frees on dispose (idempotent)', async () => {
    const k = await WasmBackend.create();
    expect(k.liveBytes()).toBe(0);
    const a = k.alloc(10);
    const b = k.upload(new Float32Array(7));
    expect(k.liveBytes()).toBe(68);
    a.dispose();
    a.dispose();
    expect(a.disposed).toBe(true);
    expect(k.liveBytes()).toBe(28);
    b.dispose();
    expect(k.liveBytes()).toBe(0);
    k.dispose();
  });

  it('rejects handles from another backend instance and disposed handles', async () => {
    const k1 = await WasmBackend.create();
    const k2 = await WasmBackend.create();
    const a = k1.alloc(4);
    expect(() => k2.fill(a, 4, 1)).toThrow(KernelError);
    expect(() => k2.fill(a, 4, 1)).toThrow(/fill: argument 'out' expected a storage handle of this 'wasm' backend instance, given one from another instance/);
    a.dispose();
    expect(() => k1.fill(a, 4, 1)).toThrow(/disposed/);
    expect(() => a.readSync()).toThrow(/disposed/);
    k1.dispose();
    k2.dispose();
  });

  it('write() bounds-checks before touching memory', async () => {
    const k = await WasmBackend.create();
    const a = k.upload(new Float32Array([1, 2, 3]));
    expect(() => k.write(a, new Float32Array([9, 9]), 2)).toThrow(/at least 4 elements/);
    expect(Array.from(a.readSync())).toEqual([1, 2, 3]);
    k.write(a, new Float32Array([9]), 2);
    expect(Array.from(a.readSync())).toEqual([1, 2, 9]);
    k.dispose();
  });
});

describe('init / getBackend', () => {
  it('defaults to wasm, and can pick js explicitly', async () => {
    const k = await ax.init();
    expect(k.name).toBe('wasm');
    expect(ax.getBackend()).toBe(k);
    const j = await ax.init({ backend: 'js' });
    expect(j.name).toBe('js');
    expect(ax.getBackend().name).toBe('js');
  });

  it('takes a compiled Module (the Cloudflare Workers pattern)', async () => {
    const module = await WebAssembly.compile(readFileSync(wasmUrl));
    const k = await ax.init({ backend: 'wasm', wasm: module });
    expect(k.name).toBe('wasm');
  });

  it('rejects unknown options and backends with the valid choices', async () => {
    await expect(ax.init({ backend: 'cuda' as never })).rejects.toThrow(/'js', 'wasm', 'webgpu'/);
    await expect(ax.init({ thread: 2 } as never)).rejects.toThrow(/unknown option 'thread' \(valid: backend, threads, wasm, gpu, maxBytes\)/);
    await expect(ax.init({ threads: 0 })).rejects.toThrow(/integer ≥ 1/);
    await expect(ax.init({ backend: 'webgpu' })).rejects.toThrow(/import 'axonjs\/webgpu'/);
  });
});
