/** Node-only dataset loaders (re-exported by the `axonjs/node` entry). */
export { loadMnist, loadFashionMnist, MNIST_MIRRORS, FASHION_MNIST_MIRRORS, type MnistOptions, type MnistData } from './mnist.js';
export { loadDigits, loadIris, IRIS_FEATURES, type DigitsOptions, type IrisOptions } from './sklearn.js';
export { loadCsv, type LoadCsvOptions } from './csv.js';
export { ClassificationSet, CsvData } from './sets.js';
export { DatasetUnavailableError } from './unavailable.js';
export { defaultCacheDir, DEFAULT_MAX_BYTES } from './files.js';
export type { DownloadProgress } from './download.js';
