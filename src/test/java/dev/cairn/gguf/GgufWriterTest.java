package dev.cairn.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufWriterTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsEveryMetadataValueTypeIncludingNestedArrays() {
        Path p = dir.resolve("meta.gguf");
        GgufArray inner1 = new GgufArray(GgufValueType.INT16, new int[] {-3, 4});
        GgufArray inner2 = new GgufArray(GgufValueType.INT16, new int[] {32767});
        GgufArray nestedStrings = new GgufArray(GgufValueType.ARRAY, new GgufArray[] {
                new GgufArray(GgufValueType.STRING, new String[] {"a", "ü€"}), new GgufArray(GgufValueType.STRING, new String[0])});
        try (GgufWriter w = GgufWriter.create(p)) {
            w.put("u8", GgufValueType.UINT8, 250)
                    .put("i8", GgufValueType.INT8, -100)
                    .put("u16", GgufValueType.UINT16, 65000)
                    .put("i16", GgufValueType.INT16, -30000)
                    .putUInt32("u32", 4_000_000_000L)
                    .putInt32("i32", -7)
                    .putFloat32("f32", 1.5f)
                    .putBool("bool", true)
                    .putString("str", "héllo\nworld")
                    .putUInt64("u64", Long.MAX_VALUE)
                    .put("i64", GgufValueType.INT64, -1L << 40)
                    .put("f64", GgufValueType.FLOAT64, Math.PI)
                    .putArray("arr.u8", new GgufArray(GgufValueType.UINT8, new int[] {0, 255}))
                    .putArray("arr.u32", new GgufArray(GgufValueType.UINT32, new int[] {1, 2, 3}))
                    .putArray("arr.i64", new GgufArray(GgufValueType.INT64, new long[] {-1, 1L << 50}))
                    .putArray("arr.f32", new GgufArray(GgufValueType.FLOAT32, new float[] {0.25f, -2f}))
                    .putArray("arr.f64", new GgufArray(GgufValueType.FLOAT64, new double[] {1e300}))
                    .putArray("arr.bool", new GgufArray(GgufValueType.BOOL, new boolean[] {true, false}))
                    .putArray("arr.str", new GgufArray(GgufValueType.STRING, new String[] {"x", ""}))
                    .putArray("arr.nested", new GgufArray(GgufValueType.ARRAY, new GgufArray[] {inner1, inner2}))
                    .putArray("arr.nested.str", nestedStrings);
        }
        try (GgufFile f = GgufFile.open(p)) {
            assertThat(f.version()).isEqualTo(3);
            assertThat(f.metadata()).hasSize(21);
            assertThat(f.getLong("u8", 0)).isEqualTo(250);
            assertThat(f.getLong("i8", 0)).isEqualTo(-100);
            assertThat(f.getLong("u16", 0)).isEqualTo(65000);
            assertThat(f.getLong("i16", 0)).isEqualTo(-30000);
            assertThat(f.getLong("u32", 0)).isEqualTo(4_000_000_000L);
            assertThat(f.getLong("i32", 0)).isEqualTo(-7);
            assertThat(f.getFloat("f32", 0)).isEqualTo(1.5f);
            assertThat(f.getBoolean("bool")).isTrue();
            assertThat(f.getString("str")).isEqualTo("héllo\nworld");
            assertThat(f.getLong("u64", 0)).isEqualTo(Long.MAX_VALUE);
            assertThat(f.getLong("i64", 0)).isEqualTo(-1L << 40);
            assertThat(f.metadata().get("f64")).isEqualTo(Math.PI);
            assertThat(f.getIntArray("arr.u8")).containsExactly(0, 255);
            assertThat(f.getIntArray("arr.u32")).containsExactly(1, 2, 3);
            assertThat((long[]) f.getArray("arr.i64").values()).containsExactly(-1, 1L << 50);
            assertThat(f.getFloatArray("arr.f32")).containsExactly(0.25f, -2f);
            assertThat((double[]) f.getArray("arr.f64").values()).containsExactly(1e300);
            assertThat((boolean[]) f.getArray("arr.bool").values()).containsExactly(true, false);
            assertThat(f.getStringArray("arr.str")).containsExactly("x", "");
            GgufArray[] nested = (GgufArray[]) f.getArray("arr.nested").values();
            assertThat(nested).hasSize(2);
            assertThat(nested[0].elementType()).isEqualTo(GgufValueType.INT16);
            assertThat((int[]) nested[0].values()).containsExactly(-3, 4);
            assertThat((int[]) nested[1].values()).containsExactly(32767);
            GgufArray[] ns = (GgufArray[]) f.getArray("arr.nested.str").values();
            assertThat((String[]) ns[0].values()).containsExactly("a", "ü€");
            assertThat(ns[1].length()).isZero();
            for (String k : f.metadata().keySet()) {
                assertThat(f.metadataType(k)).isNotNull();
            }
            assertThat(f.metadataType("u32")).isEqualTo(GgufValueType.UINT32);
            assertThat(f.metadataType("i16")).isEqualTo(GgufValueType.INT16);
        }
    }

    @Test
    void writesTensorsAlignedAndStreamedInPieces() throws Exception {
        Path p = dir.resolve("t.gguf");
        float[] a = new float[3 * 5];
        for (int i = 0; i < a.length; i++) {
            a[i] = i * 0.5f - 3;
        }
        float[] q = new float[64];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) Math.sin(i);
        }
        try (GgufWriter w = GgufWriter.create(p)) {
            w.putUInt32("general.alignment", 64);
            w.addTensor("a", GgmlType.F32, 5, 3);
            w.addTensor("odd", GgmlType.F16, 3);
            w.addTensor("q", GgmlType.Q8_0, 32, 2);
            w.writeFloats(a, 0, 5);          // tensor a in two pieces
            w.writeFloats(a, 5, 10);
            w.writeFloats(new float[] {1, 2, 3}, 0, 3);
            w.writeFloats(q, 0, 64);
        }
        try (GgufFile f = GgufFile.open(p)) {
            assertThat(f.alignment()).isEqualTo(64);
            assertThat(f.tensors().keySet()).containsExactly("a", "odd", "q");
            for (TensorInfo t : f.tensors().values()) {
                assertThat(t.offset() % 64).isZero();
            }
            assertThat(f.tensor("a").shape()).containsExactly(5, 3);
            assertThat(f.tensorData("a").toArray(ValueLayout.JAVA_FLOAT.withOrder(ByteOrder.LITTLE_ENDIAN))).containsExactly(a);
            assertThat(Dequantize.tensor(f, f.tensor("odd"))).containsExactly(1, 2, 3);
            assertThat(f.tensorData("q").toArray(ValueLayout.JAVA_BYTE)).containsExactly(Quantize.toBytes(GgmlType.Q8_0, q));
            assertThat(f.fileSize() % 64).isZero();
        }
        try (GgufFile f = GgufFile.open(p)) {
            assertThat(Files.size(p)).isEqualTo(f.fileSize());
        }
    }

    @Test
    void refusesIncompleteOrMisorderedUse() {
        Path p = dir.resolve("bad.gguf");
        GgufWriter w = GgufWriter.create(p);
        w.addTensor("x", GgmlType.F32, 4);
        w.writeFloats(new float[] {1, 2}, 0, 2);
        assertThatThrownBy(() -> w.putString("late", "no")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(w::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("x got 8 of its 16 bytes");

        GgufWriter w2 = GgufWriter.create(dir.resolve("bad2.gguf"));
        assertThatThrownBy(() -> w2.addTensor("q", GgmlType.Q8_0, 33)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w2.put("k", GgufValueType.UINT32, "text")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w2.putUInt32("general.alignment", 48)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> w2.putArray("a", new GgufArray(GgufValueType.INT32, new float[] {1}))).isInstanceOf(IllegalArgumentException.class);
        w2.addTensor("x", GgmlType.F32, 2);
        w2.addTensor("y", GgmlType.F16, 2);
        assertThatThrownBy(() -> w2.writeFloats(new float[] {1, 2, 3, 4}, 0, 4)).hasMessageContaining("overrun tensor x");
        w2.writeFloats(new float[] {1, 2}, 0, 2);
        w2.writeFloats(new float[] {1, 2}, 0, 2);
        assertThatThrownBy(() -> w2.writeFloats(new float[] {1, 2}, 0, 2)).isInstanceOf(IllegalStateException.class);
        w2.close();
    }

    @Test
    void copiesMetadataWithItsOriginalTypes() throws Exception {
        Path p = dir.resolve("copy.gguf");
        Path src = GgufFileTest.resource("aidreams260K-f32.gguf");
        try (GgufFile in = GgufFile.open(src); GgufWriter w = GgufWriter.create(p)) {
            w.copyMetadata(in, k -> k.startsWith("tokenizer."));
        }
        try (GgufFile in = GgufFile.open(src); GgufFile out = GgufFile.open(p)) {
            assertThat(out.metadata().keySet()).allMatch(k -> k.startsWith("tokenizer.")).isNotEmpty();
            for (String k : out.metadata().keySet()) {
                assertThat(out.metadataType(k)).as(k).isEqualTo(in.metadataType(k));
            }
            assertThat(out.getStringArray("tokenizer.ggml.tokens")).containsExactly(in.getStringArray("tokenizer.ggml.tokens"));
            assertThat(out.getFloatArray("tokenizer.ggml.scores")).containsExactly(in.getFloatArray("tokenizer.ggml.scores"));
        }
    }
}
