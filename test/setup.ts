/**
 * Runs before every test file: uninitialised allocations (`Kernels.allocUninitialized`, used for
 * op outputs their kernel overwrites) are NaN-filled, so an element a kernel leaves unwritten
 * turns into NaN and fails the test that reads it, instead of passing on stale memory.
 */
import { setUninitializedPoison } from '../src/kernels/poison.js';

setUninitializedPoison(true);
