package dev.cairn.model;

import dev.cairn.gguf.GgmlType;
import dev.cairn.gguf.SyntheticModel;
import dev.cairn.gguf.SyntheticModel.Shape;
import java.nio.file.Path;

/** Test helper: random-weight models written by {@link SyntheticModel}. */
final class SyntheticModels {
    /**
     * Like {@link Shape#TEST} but 256 wide, so K-quant matrices (256-element blocks) keep their type instead of falling
     * back; head dim 64.
     */
    static final Shape KQUANT = new Shape("test-k", 256, 2, 4, 2, 512, 256);

    private SyntheticModels() {
    }

    /** The small shape in which matrices of {@code type} really are {@code type}. */
    static Shape shapeFor(GgmlType type) {
        return type.blockSize == 256 ? KQUANT : Shape.TEST;
    }

    static Path write(Path dir, String arch, GgmlType type, long seed, boolean tied) {
        Path out = dir.resolve(arch + "-" + type + "-" + seed + (tied ? "-tied" : "") + ".gguf");
        return SyntheticModel.write(out, new SyntheticModel.Spec(arch, shapeFor(type), type, seed, tied));
    }
}
