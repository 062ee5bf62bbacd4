/**
 * CPU kernels: weight matrices in their GGUF encodings, the prefill GEMM, the decode matrix-vector products, and the
 * worker pool they run on.
 *
 * <ul>
 *   <li>{@link dev.cairn.tensor.WeightMatrices#of} wraps memory-mapped tensor data without copying it. Each ggml type
 *       is one small class ({@code Q8_0Format}, {@code Q4_KFormat}, ...) contributing only a dequantizer for a run of
 *       blocks and a fused dequantize-and-dot for decode; field names follow ggml's block layouts (d, dmin, m, qs, qh,
 *       scales).</li>
 *   <li>Prefill: one GEMM for every type ({@code PanelGemm}). A panel of 2 vectors' worth of weight rows x 256
 *       columns is dequantized once into a float tile interleaved along the output dimension, then a register-tiled
 *       micro-kernel ({@code Kernel2x6}: 2 vectors of rows x 6 tokens, activations broadcast, no horizontal sums)
 *       runs it against every token of the chunk. Rows are split across the pool by panel.</li>
 *   <li>Decode: the fused dots widen L quantized bytes into one float vector (L = the preferred float lane count,
 *       chosen at run time: 16 with AVX-512, 8 with AVX2) and apply block scales once per block. Matrix-vector products
 *       that share an input run as one {@link dev.cairn.tensor.MatvecGroup} (one fork/join for Q/K/V, one for
 *       gate/up); each thread streams one contiguous run of the rows, then helps with the others' in small chunks
 *       (16-row tasks handed out alternately ran decode at ~0.7x the speed).</li>
 *   <li>{@link dev.cairn.tensor.WorkerPool}: persistent workers that spin briefly between jobs, so a fork/join costs
 *       well under a microsecond when the cores are free.</li>
 * </ul>
 *
 * <p>Correctness: every type is tested against a transliteration of ggml's scalar dequantizers (and the gguf
 * package's codecs) with double-precision dots, at the machine's width and, in a child JVM, at 256 bits. Speed:
 * the benchmarks under {@code src/bench/java} (KernelBench: GEMM GFLOP/s and matvec GB/s per type; DecodeProfile: a
 * model's decode step by matrix), run as docs/performance.md says.
 */
package dev.cairn.tensor;
