package dev.cairn.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.gguf.GgmlType;
import dev.cairn.gguf.GgufFile;
import dev.cairn.gguf.SyntheticModel;
import dev.cairn.tensor.WorkerPool;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Greedy ids on F32 random-weight models (SyntheticModel, Shape.TEST) equal llama.cpp's. The expected ids were produced
 * once with {@code ../shared/ref/greedy FILE.gguf "The quiet machine dreamed of" 16} (llama.cpp, July 2025) on files
 * written from the same seeds; the test regenerates each file and compares, so it needs no llama.cpp.
 */
class LlamaCppAgreementTest {
    /** llama.cpp's tokenization of "The quiet machine dreamed of" with BOS, as greedy printed it. */
    static final int[] PROMPT = {1, 368, 430, 429, 472, 444, 432, 323, 276, 435, 307, 259, 430, 281, 269, 435, 447, 328, 275};

    static WorkerPool pool;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        pool = new WorkerPool(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource(delimiter = '|', textBlock = """
            llama | 1 | 367 472 40 428 202 275 367 472 40 428 202 275 367 472 40 428
            llama | 2 | 230 42 291 343 456 310 72 114 511 194 377 427 330 458 229 189
            llama | 3 | 121 324 253 69 144 183 75 80 399 72 389 216 197 87 193 62
            qwen2 | 1 | 194 344 275 432 225 199 507 500 441 447 104 216 144 237 433 312
            qwen2 | 2 | 261 446 237 291 343 191 293 311 177 35 207 219 333 331 119 447
            qwen2 | 3 | 121 324 253 216 263 274 424 451 162 424 451 162 424 451 162 424
            qwen3 | 1 | 477 239 92 408 109 268 9 136 155 262 168 334 203 263 242 388
            qwen3 | 2 | 230 42 291 343 456 393 200 197 261 446 422 197 230 471 238 465
            qwen3 | 3 | 121 324 253 69 169 263 309 169 263 309 263 309 178 470 341 125
            """)
    void greedyIdsEqualLlamaCpp(String arch, long seed, String expected) {
        int[] want = Arrays.stream(expected.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
        Path file = SyntheticModel.write(dir.resolve(arch + "-f32-s" + seed + ".gguf"),
                new SyntheticModel.Spec(arch, SyntheticModel.Shape.TEST, GgmlType.F32, seed));
        try (GgufFile f = GgufFile.open(file); TransformerModel m = ModelLoader.load(f, LoadOptions.defaults(), pool)) {
            assertThat(Greedy.generate(m, m.newCache(128), PROMPT, 512, want.length)).containsExactly(want);
            assertThat(Greedy.generate(m, m.newCache(128), PROMPT, 1, want.length)).containsExactly(want);
        }
    }

    /**
     * Hyper-parameters the synthetic writer does not vary, against llama.cpp: one KV head (MQA) with Llama 3 RoPE
     * frequency factors, linear RoPE scaling, YaRN (NeoX and normal order), a Qwen3 head dim of 32 with 4 heads on a
     * 64-wide model (Q is 128 wide), and Qwen2 with as many KV heads as heads. Expected ids from {@code ../shared/ref/greedy} as above.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            llama-mqa-freqs | 67 477 377 3 76 297 430 57 211 468 183 128 1 284 53 399
            llama-linear4   | 130 374 384 112 238 95 178 234 305 448 423 178 226 122 338 469
            qwen3-hd32      | 344 343 105 346 292 223 427 265 128 390 477 386 386 386 433 151
            qwen2-mha       | 476 433 485 55 382 12 307 125 60 31 492 206 486 25 470 120
            qwen2-yarn4     | 201 263 347 204 230 287 193 220 75 70 48 417 390 432 293 133
            llama-yarn8     | 206 320 140 208 202 497 180 248 279 361 477 435 393 364 91 355
            """)
    void customHyperParametersAgreeWithLlamaCpp(String name, String expected) {
        CustomModel spec = switch (name) {
            case "llama-mqa-freqs" -> new CustomModel("llama", 64, 4, 1, 16, 192, new float[]{1, 1, 2, 4, 8, 8, 16, 32}, null, 0, 21);
            case "llama-linear4" -> new CustomModel("llama", 64, 4, 2, 16, 192, null, "linear", 4f, 22);
            case "qwen3-hd32" -> new CustomModel("qwen3", 64, 4, 2, 32, 192, null, null, 0, 23);
            case "qwen2-mha" -> new CustomModel("qwen2", 64, 4, 4, 16, 192, null, null, 0, 24);
            case "qwen2-yarn4" -> new CustomModel("qwen2", 64, 4, 2, 16, 192, null, "yarn", 4f, 25);
            case "llama-yarn8" -> new CustomModel("llama", 64, 4, 2, 16, 192, null, "yarn", 8f, 26);
            default -> throw new IllegalArgumentException(name);
        };
        int[] want = Arrays.stream(expected.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
        try (GgufFile f = GgufFile.open(spec.write(dir, name));
             TransformerModel m = ModelLoader.load(f, LoadOptions.defaults(), pool)) {
            assertThat(m.config().headDim()).isEqualTo(spec.headDim());
            assertThat(Greedy.generate(m, m.newCache(128), PROMPT, 7, want.length)).containsExactly(want);
        }
    }
}
