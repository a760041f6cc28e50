/** Scoring a trained classifier on a labelled split: loss, accuracy and the confusion matrix. */
import { tidy } from '../engine.js';
import { crossEntropy } from '../losses/crossEntropy.js';
import { tensor } from '../ops/create.js';
import type { Sequential } from '../nn/sequential.js';
import type { CliSplit } from './data.js';
import { argmaxRows, confusionMatrix } from './format.js';

/** Result of {@link scoreSplit}. */
export interface Score {
  /** Mean cross-entropy. */
  loss: number;
  /** Fraction correct, 0–1. */
  accuracy: number;
  /** Predicted class per sample. */
  predicted: Uint8Array;
  /** `[classes][classes]`, rows = true class. */
  confusion: number[][];
}

/** Runs the model on `split` (evaluation mode, batches of `batchSize`) and scores it. */
export async function scoreSplit(model: Sequential, split: CliSplit, sampleShape: readonly number[], classes: number, batchSize = 1000): Promise<Score> {
  const { logits, loss } = await tidy(async () => {
    const x = tensor(split.x, [split.count, ...sampleShape]);
    const out = model.predict(x, { batchSize });
    const l = crossEntropy(out, tensor(Float32Array.from(split.labels), [split.count]));
    return { logits: await out.data(), loss: (await l.data())[0]! };
  });
  const predicted = argmaxRows(logits, split.count);
  let hits = 0;
  for (let i = 0; i < split.count; i++) if (predicted[i] === split.labels[i]) hits++;
  return { loss, accuracy: split.count ? hits / split.count : NaN, predicted, confusion: confusionMatrix(split.labels, predicted, classes) };
}
