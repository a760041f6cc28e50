/**
 * Storage handle of the JS reference backend: a plain `Float32Array` on the JS heap.
 */
import { KernelError, type Storage } from '../../kernels/kernels.js';

const EMPTY = new Float32Array(0);

/** A `js` backend buffer of `size` float32 elements. */
export class JsStorage implements Storage {
  readonly backend = 'js';
  readonly size: number;
  private buf: Float32Array;
  private dead = false;
  private readonly onDispose: ((s: JsStorage) => void) | undefined;

  /** Wraps `data` (taken over, not copied); `onDispose` runs once when the handle is freed. */
  constructor(data: Float32Array, onDispose?: (s: JsStorage) => void) {
    this.buf = data;
    this.size = data.length;
    this.onDispose = onDispose;
  }

  get disposed(): boolean {
    return this.dead;
  }

  /** The live backing array (kernels write into it). Throws once disposed. */
  get data(): Float32Array {
    if (this.dead) throw new KernelError('storage', 'data', 'a live storage handle', 'a disposed one', 'DISPOSED');
    return this.buf;
  }

  read(): Promise<Float32Array> {
    try {
      return Promise.resolve(this.readSync());
    } catch (e) {
      return Promise.reject(e);
    }
  }

  readSync(): Float32Array {
    if (this.dead) throw new KernelError('read', 'storage', 'a live storage handle', 'a disposed one', 'DISPOSED');
    return this.buf.slice();
  }

  dispose(): void {
    if (this.dead) return;
    this.dead = true;
    this.buf = EMPTY; // let the memory go even if someone keeps the handle
    this.onDispose?.(this);
  }
}
