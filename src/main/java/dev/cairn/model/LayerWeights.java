package dev.cairn.model;

import dev.cairn.tensor.WeightMatrix;

/**
 * One transformer block's weights. Matrices stay memory-mapped in their file type; the small vectors (norms, biases)
 * are read into float arrays. Biases and Q/K norms are null where the architecture has none.
 */
record LayerWeights(float[] attnNorm, WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, WeightMatrix wo,
                    float[] bq, float[] bk, float[] bv, float[] qNorm, float[] kNorm,
                    float[] ffnNorm, WeightMatrix gate, WeightMatrix up, WeightMatrix down) {
}
