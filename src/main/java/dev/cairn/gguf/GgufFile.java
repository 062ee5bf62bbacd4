package dev.cairn.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GGUF file (v2 or v3) opened read-only: metadata and tensor infos parsed and validated up front, tensor data
 * memory-mapped and never copied. Every malformation is reported as a {@link GgufException} when the file is opened.
 */
public final class GgufFile implements AutoCloseable {
    private static final int MAGIC = 0x46554747; // "GGUF" little-endian
    private static final int DEFAULT_ALIGNMENT = 32;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final Arena arena;
    private final MemorySegment file;
    private final int version;
    private final Map<String, Object> metadata;
    private final Map<String, GgufValueType> metadataTypes;
    private final Map<String, TensorInfo> tensors;
    private final long dataStart;
    private final int alignment;
    private long pos;

    private GgufFile(Path path, Arena arena, MemorySegment file) {
        this.path = path;
        this.arena = arena;
        this.file = file;
        if (file.byteSize() < 4 || file.get(I32, 0) != MAGIC) {
            throw fail("not a GGUF file (the first four bytes are not \"GGUF\")");
        }
        pos = 4;
        version = readI32();
        if (Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3) {
            throw fail("big-endian GGUF (version " + Integer.reverseBytes(version) + "); cairn reads little-endian files only");
        }
        if (version != 2 && version != 3) {
            throw fail("unsupported GGUF version " + Integer.toUnsignedString(version) + " (cairn reads versions 2 and 3)");
        }
        long tensorCount = readI64();
        long kvCount = readI64();
        if (kvCount < 0 || kvCount > remaining() / 13) {
            throw fail("truncated or corrupt: the header declares " + Long.toUnsignedString(kvCount)
                    + " metadata entries, which cannot fit in a file of " + file.byteSize() + " bytes");
        }
        if (tensorCount < 0 || tensorCount > remaining() / 24) {
            throw fail("truncated or corrupt: the header declares " + Long.toUnsignedString(tensorCount)
                    + " tensors, which cannot fit in a file of " + file.byteSize() + " bytes");
        }
        Map<String, Object> md = new LinkedHashMap<>();
        Map<String, GgufValueType> mdTypes = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = readName("metadata key");
            int typeId = readI32();
            GgufValueType type = GgufValueType.byId(typeId);
            if (type == null) {
                throw fail("metadata key " + Printable.quote(key) + " has unknown value type " + typeId);
            }
            md.put(key, readValue(type, key, 0));
            mdTypes.put(key, type);
        }
        metadata = Collections.unmodifiableMap(md);
        metadataTypes = Collections.unmodifiableMap(mdTypes);
        Object align = md.get("general.alignment");
        alignment = align == null ? DEFAULT_ALIGNMENT : (int) asLong(align, "general.alignment");
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
            throw fail("general.alignment must be a power of two, got " + alignment);
        }
        Map<String, TensorInfo> ts = new LinkedHashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            TensorInfo t = readTensorInfo();
            if (ts.put(t.name(), t) != null) {
                throw fail("duplicate tensor name " + Printable.quote(t.name()));
            }
        }
        tensors = Collections.unmodifiableMap(ts);
        dataStart = alignUp(pos, alignment);
        long dataSize = file.byteSize() - dataStart;
        for (TensorInfo t : ts.values()) {
            if (t.offset() % alignment != 0) {
                throw fail("tensor " + Printable.quote(t.name()) + " data offset " + t.offset() + " is not aligned to " + alignment);
            }
            if (t.offset() < 0 || t.byteSize() < 0 || t.offset() > dataSize || t.byteSize() > dataSize - t.offset()) {
                throw fail("tensor data out of bounds: " + Printable.quote(t.name()) + " needs bytes " + t.offset() + ".." + (t.offset() + t.byteSize())
                        + " of the data section, which has " + Math.max(0, dataSize) + " bytes (file truncated?)");
            }
        }
    }

    /** Opens and validates {@code path}; the mapping lives until {@link #close()}. */
    public static GgufFile open(Path path) {
        if (java.nio.file.Files.isDirectory(path)) {
            throw new GgufException(path + ": is a directory, not a GGUF file");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return new GgufFile(path, arena, seg);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new GgufException(path + ": no such file");
        } catch (IOException e) {
            arena.close();
            throw new GgufException(path + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Parses a GGUF held in memory (e.g. a vocabulary bundled as a class-path resource); {@code name} is used in
     * error messages. Tensor data segments point into {@code bytes}.
     */
    public static GgufFile read(String name, byte[] bytes) {
        return new GgufFile(Path.of(name), Arena.ofShared(), MemorySegment.ofArray(bytes));
    }

    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    public int alignment() {
        return alignment;
    }

    /** Byte offset of the tensor data section (the end of the header, aligned); tensor offsets are relative to it. */
    public long dataOffset() {
        return dataStart;
    }

    public long fileSize() {
        return file.byteSize();
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    /** The on-disk value type of a metadata key (e.g. UINT32 vs INT32), or null if absent; needed to copy keys faithfully. */
    public GgufValueType metadataType(String key) {
        return metadataTypes.get(key);
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public TensorInfo tensor(String name) {
        return tensors.get(name);
    }

    /** The mapped bytes of one tensor. */
    public MemorySegment tensorData(TensorInfo t) {
        return file.asSlice(dataStart + t.offset(), t.byteSize());
    }

    public MemorySegment tensorData(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new GgufException(path.getFileName() + ": missing tensor '" + name + "'");
        }
        return tensorData(t);
    }

    // ---- typed metadata access ----

    public boolean has(String key) {
        return metadata.containsKey(key);
    }

    public String getString(String key) {
        Object v = metadata.get(key);
        return v instanceof String s ? s : null;
    }

    public String getString(String key, String def) {
        String s = getString(key);
        return s == null ? def : s;
    }

    public long getLong(String key, long def) {
        Object v = metadata.get(key);
        return v == null ? def : asLong(v, key);
    }

    public int getInt(String key, int def) {
        long v = getLong(key, def);
        if (v != (int) v) {
            throw new GgufException(path.getFileName() + ": metadata '" + key + "' = " + v + " is out of range");
        }
        return (int) v;
    }

    public float getFloat(String key, float def) {
        Object v = metadata.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Number n) {
            return n.floatValue();
        }
        throw new GgufException(path.getFileName() + ": metadata '" + key + "' is not a number");
    }

    public Boolean getBoolean(String key) {
        Object v = metadata.get(key);
        return v instanceof Boolean b ? b : null;
    }

    public GgufArray getArray(String key) {
        Object v = metadata.get(key);
        return v instanceof GgufArray a ? a : null;
    }

    public String[] getStringArray(String key) {
        GgufArray a = getArray(key);
        return a != null && a.values() instanceof String[] s ? s : null;
    }

    public float[] getFloatArray(String key) {
        GgufArray a = getArray(key);
        return a != null && a.values() instanceof float[] f ? f : null;
    }

    public int[] getIntArray(String key) {
        GgufArray a = getArray(key);
        return a != null && a.values() instanceof int[] f ? f : null;
    }

    /** {@code general.architecture}, e.g. "llama", "qwen2". */
    public String architecture() {
        return getString("general.architecture", "unknown");
    }

    private long asLong(Object v, String key) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        throw new GgufException(path.getFileName() + ": metadata '" + key + "' is not an integer");
    }

    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "GgufFile[" + path + ", v" + version + ", " + tensors.size() + " tensors]";
    }

    // ---- parsing ----

    private GgufException fail(String what) {
        return new GgufException(path.getFileName() + ": " + what);
    }

    private long remaining() {
        return file.byteSize() - pos;
    }

    private void need(long n) {
        if (n < 0 || n > remaining()) {
            throw fail("truncated at byte " + file.byteSize() + " (needed " + (n < 0 ? Long.toUnsignedString(n) : n)
                    + " more bytes at offset " + pos + ")");
        }
    }

    private int readI32() {
        need(4);
        int v = file.get(I32, pos);
        pos += 4;
        return v;
    }

    private long readI64() {
        need(8);
        long v = file.get(I64, pos);
        pos += 8;
        return v;
    }

    private String readString() {
        long len = readI64();
        need(len);
        if (len > Integer.MAX_VALUE - 8) {
            throw fail("string of " + len + " bytes at offset " + pos + " is too long");
        }
        byte[] b = file.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE);
        pos += len;
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * A key or tensor name: GGUF caps names at 65535 bytes, so a longer length is a corrupted field, reported with its
     * offset rather than read as a name (and printed) whole.
     */
    private String readName(String what) {
        long at = pos;
        long len = readI64();
        if (len < 0 || len > 65535) {
            throw fail(what + " at offset " + at + " claims " + Long.toUnsignedString(len)
                    + " bytes (names are at most 65535)");
        }
        pos = at;
        String name = readString();
        if (name.isEmpty() || name.codePoints().anyMatch(c -> c < 0x20 || c == 0x7f || c == 0xfffd)) {
            throw fail(what + " at offset " + at + " is not printable text: " + Printable.quote(name));
        }
        return name;
    }

    private Object readValue(GgufValueType type, String key, int depth) {
        switch (type) {
            case UINT8: need(1); return Byte.toUnsignedInt(file.get(ValueLayout.JAVA_BYTE, pos++));
            case INT8: need(1); return (int) file.get(ValueLayout.JAVA_BYTE, pos++);
            case UINT16: { need(2); int v = Short.toUnsignedInt(file.get(I16, pos)); pos += 2; return v; }
            case INT16: { need(2); int v = file.get(I16, pos); pos += 2; return v; }
            case UINT32: return Integer.toUnsignedLong(readI32());
            case INT32: return readI32();
            case FLOAT32: { need(4); float v = file.get(F32, pos); pos += 4; return v; }
            case BOOL: {
                need(1);
                byte b = file.get(ValueLayout.JAVA_BYTE, pos++);
                return b != 0;
            }
            case STRING: return readString();
            case UINT64, INT64: return readI64();
            case FLOAT64: { need(8); double v = file.get(F64, pos); pos += 8; return v; }
            case ARRAY: return readArray(key, depth);
            default: throw fail("metadata key " + Printable.quote(key) + " has unknown value type");
        }
    }

    private GgufArray readArray(String key, int depth) {
        if (depth > 8) {
            throw fail("metadata key " + Printable.quote(key) + " nests arrays too deeply");
        }
        int typeId = readI32();
        GgufValueType et = GgufValueType.byId(typeId);
        if (et == null) {
            throw fail("metadata array " + Printable.quote(key) + " has unknown element type " + typeId);
        }
        long count = readI64();
        if (count < 0 || count > remaining() / et.minBytes || count > Integer.MAX_VALUE - 8) {
            throw fail("truncated at byte " + file.byteSize() + ": metadata array " + Printable.quote(key) + " claims "
                    + Long.toUnsignedString(count) + " elements, more than the " + remaining() + " bytes left can hold");
        }
        int n = (int) count;
        switch (et) {
            case UINT8, INT8, UINT16, INT16, INT32, UINT32 -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (int) ((Number) readValue(et, key, depth)).longValue();
                }
                return new GgufArray(et, a);
            }
            case UINT64, INT64 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = readI64();
                }
                return new GgufArray(et, a);
            }
            case FLOAT32 -> {
                need(4L * n);
                float[] a = file.asSlice(pos, 4L * n).toArray(F32);
                pos += 4L * n;
                return new GgufArray(et, a);
            }
            case FLOAT64 -> {
                need(8L * n);
                double[] a = file.asSlice(pos, 8L * n).toArray(F64);
                pos += 8L * n;
                return new GgufArray(et, a);
            }
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (Boolean) readValue(et, key, depth);
                }
                return new GgufArray(et, a);
            }
            case STRING -> {
                String[] a = new String[n];
                for (int i = 0; i < n; i++) {
                    a[i] = readString();
                }
                return new GgufArray(et, a);
            }
            case ARRAY -> {
                GgufArray[] a = new GgufArray[n];
                for (int i = 0; i < n; i++) {
                    a[i] = readArray(key, depth + 1);
                }
                return new GgufArray(et, a);
            }
            default -> throw fail("metadata array " + Printable.quote(key) + " has unknown element type");
        }
    }

    private TensorInfo readTensorInfo() {
        String name = readName("tensor name");
        int nDims = readI32();
        if (nDims < 1 || nDims > 4) {
            throw fail("tensor " + Printable.quote(name) + " has " + Integer.toUnsignedString(nDims) + " dimensions (1 to 4 allowed)");
        }
        long[] shape = new long[nDims];
        long elements = 1;
        for (int d = 0; d < nDims; d++) {
            shape[d] = readI64();
            if (shape[d] <= 0 || shape[d] > (1L << 40)) {
                throw fail("tensor " + Printable.quote(name) + " has an invalid dimension " + Long.toUnsignedString(shape[d]));
            }
            elements = Math.multiplyHigh(elements, shape[d]) != 0 ? -1 : elements * shape[d];
            if (elements < 0 || elements > (1L << 50)) {
                throw fail("tensor " + Printable.quote(name) + " has too many elements");
            }
        }
        int typeId = readI32();
        GgmlType type = GgmlType.byId(typeId);
        if (type == null) {
            throw fail("tensor " + Printable.quote(name) + " has unknown type id " + typeId);
        }
        if (!type.supported()) {
            throw fail("tensor " + Printable.quote(name) + " has type " + type + ", which cairn does not support "
                    + "(supported: " + GgmlType.names(GgmlType.supportedTypes()) + ")");
        }
        if (shape[0] % type.blockSize != 0) {
            throw fail("tensor " + Printable.quote(name) + " of type " + type + " has a row of " + shape[0]
                    + " elements, not a multiple of the block size " + type.blockSize);
        }
        long offset = readI64();
        return new TensorInfo(name, shape, type, offset);
    }

    private static long alignUp(long x, long a) {
        return (x + a - 1) / a * a;
    }
}
