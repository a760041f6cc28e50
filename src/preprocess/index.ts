/** Preprocessing: scalers, PCA (and whitening), and the symmetric eigensolver behind PCA. */
export { Preprocessor, type FitInput } from './preprocessor.js';
export { MeanCenter, StandardScaler, MinMaxScaler, type StandardScalerOptions, type MinMaxScalerOptions } from './scalers.js';
export { PCA, type PCAOptions } from './pca.js';
export { symmetricEigen, type EigenResult, type EigenOptions } from './eigh.js';
