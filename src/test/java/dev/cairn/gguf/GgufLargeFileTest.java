package dev.cairn.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tensors past 2 GiB: a sparse file (holes read as zeros, no disk used), mapped and read like any other. */
class GgufLargeFileTest {
    @TempDir
    Path dir;

    @Test
    void tensorsBeyondTwoGibMapAndReadCorrectly() throws Exception {
        Path p = dir.resolve("big.gguf");
        long fillerFloats = (1L << 31) / 4 + 1000;   // pushes what follows past 2 GiB
        float[] head = new float[64];
        float[] tail = new float[32 * 4];
        for (int i = 0; i < head.length; i++) {
            head[i] = i - 20.5f;
        }
        for (int i = 0; i < tail.length; i++) {
            tail[i] = (float) Math.sin(i * 0.37) * 3;
        }
        try (GgufWriter w = GgufWriter.create(p)) {
            w.putString("general.architecture", "llama");
            w.addTensor("head", GgmlType.F32, 64);
            w.addTensor("filler", GgmlType.F32, fillerFloats);
            w.addTensor("tail", GgmlType.Q8_0, 32, 4);
            w.addTensor("last", GgmlType.F16, 1L << 20);   // entirely a hole at the end of the file
            w.writeFloats(head, 0, head.length);
            w.skipData(fillerFloats * 4);
            w.writeFloats(tail, 0, tail.length);
            w.skipData(2L << 20);
        }
        assertThat(Files.size(p)).isGreaterThan((1L << 31) + (2 << 20));
        try (GgufFile f = GgufFile.open(p)) {
            TensorInfo t = f.tensor("tail");
            long absolute = f.dataOffset() + t.offset();
            assertThat(absolute).isGreaterThan(1L << 31);
            float[] back = new float[tail.length];
            MemorySegment data = f.tensorData(t);
            Dequantize.row(GgmlType.Q8_0, data, 0, back, 0, back.length);
            float[] expected = new float[tail.length];
            Dequantize.row(GgmlType.Q8_0, MemorySegment.ofArray(Quantize.toBytes(GgmlType.Q8_0, tail)), 0, expected, 0, expected.length);
            assertThat(back).containsExactly(expected);
            for (int i = 0; i < tail.length; i++) {
                assertThat(back[i]).isCloseTo(tail[i], org.assertj.core.data.Offset.offset(0.02f));
            }
            assertThat(f.tensorData("head").toArray(ValueLayout.JAVA_FLOAT.withOrder(ByteOrder.LITTLE_ENDIAN))).containsExactly(head);
            MemorySegment filler = f.tensorData("filler");
            assertThat(filler.byteSize()).isEqualTo(fillerFloats * 4);
            assertThat(filler.get(ValueLayout.JAVA_FLOAT_UNALIGNED, filler.byteSize() - 4)).isZero();
            MemorySegment last = f.tensorData("last");
            assertThat(f.dataOffset() + f.tensor("last").offset() + last.byteSize()).isLessThanOrEqualTo(f.fileSize());
            assertThat(last.get(ValueLayout.JAVA_SHORT_UNALIGNED, last.byteSize() - 2)).isZero();
        }
    }
}
