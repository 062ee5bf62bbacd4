package dev.cairn.gguf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Writes a GGUF v3 file as a stream: first declare metadata ({@link #put}) and every tensor ({@link #addTensor}),
 * then write each tensor's data in declaration order, in as many pieces as convenient ({@link #writeData},
 * {@link #writeFloats}). Only one buffer's worth of tensor data is ever held, so files of any size can be written.
 * Each tensor starts at a multiple of {@code general.alignment} (32 unless that key is put, as a UINT32).
 */
public final class GgufWriter implements AutoCloseable {
    private static final int MAGIC = 0x46554747;
    private static final int VERSION = 3;
    private static final int BUFFER_BYTES = 1 << 20;

    private record Entry(GgufValueType type, Object value) {}

    private record Pending(String name, GgmlType type, long[] shape, long offset, long bytes) {}

    private final Path path;
    private final FileChannel channel;
    private final Map<String, Entry> metadata = new LinkedHashMap<>();
    private final List<Pending> tensors = new ArrayList<>();
    private final Map<String, Pending> byName = new LinkedHashMap<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private byte[] quantScratch = new byte[0];
    private boolean headerWritten;
    private boolean closed;
    private long dataBytes;          // size of the declared data section so far
    private int current;             // index of the tensor whose data is being written
    private long writtenInCurrent;   // bytes of it written so far

    private GgufWriter(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Creates (or truncates) {@code out}. */
    public static GgufWriter create(Path out) {
        try {
            return new GgufWriter(out, FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + out + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    // ---- metadata ----

    /**
     * Puts one metadata value. Scalars are a {@link Number}, {@link Boolean} or {@link String} matching {@code type};
     * {@link GgufValueType#ARRAY} takes a {@link GgufArray} (arrays may nest). A key put twice keeps its first position.
     */
    public GgufWriter put(String key, GgufValueType type, Object value) {
        checkDeclaring();
        validate(key, type, value);
        if (key.equals("general.alignment")) {
            if (type != GgufValueType.UINT32 || Long.bitCount(((Number) value).longValue()) != 1 || ((Number) value).longValue() > (1 << 20)) {
                throw new IllegalArgumentException("general.alignment must be a UINT32 power of two, got " + type + " " + value);
            }
            if (!tensors.isEmpty()) {
                throw new IllegalStateException("general.alignment must be put before the first tensor is declared");
            }
        }
        metadata.put(key, new Entry(type, value));
        return this;
    }

    public GgufWriter putString(String key, String value) {
        return put(key, GgufValueType.STRING, value);
    }

    public GgufWriter putUInt32(String key, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(key + ": " + value + " does not fit in a UINT32");
        }
        return put(key, GgufValueType.UINT32, value);
    }

    public GgufWriter putInt32(String key, int value) {
        return put(key, GgufValueType.INT32, value);
    }

    public GgufWriter putUInt64(String key, long value) {
        return put(key, GgufValueType.UINT64, value);
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, GgufValueType.FLOAT32, value);
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValueType.BOOL, value);
    }

    public GgufWriter putArray(String key, GgufArray value) {
        return put(key, GgufValueType.ARRAY, value);
    }

    /** Copies the keys of {@code src} accepted by {@code keys}, with their original value types. */
    public GgufWriter copyMetadata(GgufFile src, Predicate<String> keys) {
        for (Map.Entry<String, Object> e : src.metadata().entrySet()) {
            if (keys.test(e.getKey())) {
                put(e.getKey(), src.metadataType(e.getKey()), e.getValue());
            }
        }
        return this;
    }

    private int alignment() {
        Entry e = metadata.get("general.alignment");
        return e == null ? 32 : ((Number) e.value()).intValue();
    }

    // ---- tensors ----

    /** Declares a tensor; {@code shape} is in ggml order (shape[0] = row length). Data follows after all declarations. */
    public GgufWriter addTensor(String name, GgmlType type, long... shape) {
        checkDeclaring();
        if (!type.supported()) {
            throw new IllegalArgumentException("cannot write tensors of type " + type);
        }
        if (shape.length < 1 || shape.length > 4) {
            throw new IllegalArgumentException(name + ": 1 to 4 dimensions, got " + shape.length);
        }
        if (shape[0] % type.blockSize != 0) {
            throw new IllegalArgumentException(name + ": row of " + shape[0] + " is not a multiple of " + type + "'s block " + type.blockSize);
        }
        if (byName.containsKey(name)) {
            throw new IllegalArgumentException("duplicate tensor " + name);
        }
        long elements = 1;
        for (long d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(name + ": dimension " + d);
            }
            elements = Math.multiplyExact(elements, d);
        }
        int align = alignment();
        long offset = (dataBytes + align - 1) / align * align;
        Pending p = new Pending(name, type, shape.clone(), offset, type.byteSize(elements));
        tensors.add(p);
        byName.put(name, p);
        dataBytes = offset + p.bytes();
        return this;
    }

    /** Appends raw bytes (already in the tensor's layout) to the tensor being written; moves on when it is complete. */
    public void writeData(ByteBuffer data) {
        ensureHeader();
        while (data.hasRemaining()) {
            Pending t = currentTensor();
            long left = t.bytes() - writtenInCurrent;
            int n = (int) Math.min(left, data.remaining());
            ByteBuffer part = data.slice(data.position(), n);
            data.position(data.position() + n);
            put(part);
            writtenInCurrent += n;
            if (writtenInCurrent == t.bytes()) {
                advance();
            }
        }
    }

    /**
     * Leaves the next {@code bytes} of the current tensor unwritten: the file gets a hole that reads as zeros and
     * takes no disk space (sparse files, e.g. to test tensors beyond 2 GiB without writing gigabytes).
     */
    public void skipData(long bytes) {
        ensureHeader();
        while (bytes > 0) {
            Pending t = currentTensor();
            long n = Math.min(bytes, t.bytes() - writtenInCurrent);
            flush();
            try {
                channel.position(channel.position() + n);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bytes -= n;
            writtenInCurrent += n;
            if (writtenInCurrent == t.bytes()) {
                advance();
            }
        }
    }

    public void writeData(byte[] data, int offset, int length) {
        writeData(ByteBuffer.wrap(data, offset, length));
    }

    /**
     * Converts {@code count} floats (a whole number of blocks of the current tensor's type) to that type with the
     * reference quantizer and appends them.
     */
    public void writeFloats(float[] src, int offset, int count) {
        ensureHeader();
        GgmlType type = currentTensor().type();
        if (count % type.blockSize != 0) {
            throw new IllegalArgumentException(count + " values are not whole blocks of " + type);
        }
        int bytes = Math.toIntExact(type.byteSize(count));
        Pending t = currentTensor();
        if (bytes > t.bytes() - writtenInCurrent) {
            throw new IllegalArgumentException(count + " values overrun tensor " + t.name() + " (next tensors may have other types)");
        }
        if (quantScratch.length < bytes) {
            quantScratch = new byte[bytes];
        }
        Quantize.row(type, src, offset, count, MemorySegment.ofArray(quantScratch), 0);
        writeData(quantScratch, 0, bytes);
    }

    /** The type of the tensor whose data comes next (for callers that produce data tensor by tensor). */
    public GgmlType currentType() {
        ensureHeader();
        return currentTensor().type();
    }

    private Pending currentTensor() {
        if (current >= tensors.size()) {
            throw new IllegalStateException("more tensor data than the declared tensors hold");
        }
        return tensors.get(current);
    }

    private void advance() {
        current++;
        writtenInCurrent = 0;
        long start = current < tensors.size() ? tensors.get(current).offset() : alignUp(dataBytes, alignment());
        Pending prev = tensors.get(current - 1);
        padZeros(start - (prev.offset() + prev.bytes()));
    }

    // ---- file layout ----

    private void ensureHeader() {
        if (closed) {
            throw new IllegalStateException("writer is closed");
        }
        if (headerWritten) {
            return;
        }
        headerWritten = true;
        HeaderBuffer h = new HeaderBuffer();
        h.i32(MAGIC);
        h.i32(VERSION);
        h.i64(tensors.size());
        h.i64(metadata.size());
        metadata.forEach((k, e) -> {
            h.string(k);
            h.i32(e.type().ordinal());
            h.value(e.type(), e.value());
        });
        for (Pending t : tensors) {
            h.string(t.name());
            h.i32(t.shape().length);
            for (long d : t.shape()) {
                h.i64(d);
            }
            h.i32(t.type().id);
            h.i64(t.offset());
        }
        long headerLen = h.length();
        h.zeros((int) (alignUp(headerLen, alignment()) - headerLen));
        put(ByteBuffer.wrap(h.bytes(), 0, h.length()));
    }

    private void checkDeclaring() {
        if (headerWritten || closed) {
            throw new IllegalStateException("metadata and tensors must be declared before any tensor data is written");
        }
    }

    private void padZeros(long n) {
        for (long i = 0; i < n; i++) {
            if (!buffer.hasRemaining()) {
                flush();
            }
            buffer.put((byte) 0);
        }
    }

    private void put(ByteBuffer src) {
        while (src.hasRemaining()) {
            if (!buffer.hasRemaining()) {
                flush();
            }
            int n = Math.min(buffer.remaining(), src.remaining());
            buffer.put(buffer.position(), src, src.position(), n);
            buffer.position(buffer.position() + n);
            src.position(src.position() + n);
        }
    }

    private void flush() {
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + path + ": " + e.getMessage(), e);
        }
        buffer.clear();
    }

    /** Finishes the file; fails if some declared tensor did not get all its data. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            ensureHeader();
            if (current < tensors.size()) {
                Pending t = tensors.get(current);
                throw new IllegalStateException("tensor " + t.name() + " got " + writtenInCurrent + " of its " + t.bytes()
                        + " bytes (and " + (tensors.size() - current - 1) + " tensors after it none)");
            }
            flush();
            if (channel.size() < channel.position()) {
                // the file ends in a skipped hole: extend it without writing the zeros
                try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(path.toFile(), "rw")) {
                    raf.setLength(channel.position());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + path + ": " + e.getMessage(), e);
        } finally {
            closed = true;
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static long alignUp(long x, long a) {
        return (x + a - 1) / a * a;
    }

    private static void validate(String key, GgufValueType type, Object value) {
        boolean ok = switch (type) {
            case STRING -> value instanceof String;
            case BOOL -> value instanceof Boolean;
            case ARRAY -> value instanceof GgufArray a && arrayMatches(a);
            case FLOAT32, FLOAT64 -> value instanceof Number;
            default -> value instanceof Number && !(value instanceof Float || value instanceof Double);
        };
        if (!ok) {
            throw new IllegalArgumentException("metadata '" + key + "': " + (value == null ? "null" : value.getClass().getSimpleName())
                    + " is not a " + type + " value");
        }
    }

    private static boolean arrayMatches(GgufArray a) {
        if (a.elementType() == null || a.values() == null) {
            return false;
        }
        return switch (a.elementType()) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32 -> a.values() instanceof int[];
            case UINT64, INT64 -> a.values() instanceof long[];
            case FLOAT32 -> a.values() instanceof float[];
            case FLOAT64 -> a.values() instanceof double[];
            case BOOL -> a.values() instanceof boolean[];
            case STRING -> a.values() instanceof String[] s && java.util.Arrays.stream(s).allMatch(java.util.Objects::nonNull);
            case ARRAY -> a.values() instanceof GgufArray[] n && java.util.Arrays.stream(n).allMatch(x -> x != null && arrayMatches(x));
        };
    }

    /** Little-endian growable buffer for the header (metadata and tensor infos). */
    private static final class HeaderBuffer {
        private byte[] buf = new byte[4096];
        private int len;

        private void ensure(int n) {
            if (len + n > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        int length() {
            return len;
        }

        byte[] bytes() {
            return buf;
        }

        void i8(int v) {
            ensure(1);
            buf[len++] = (byte) v;
        }

        void i16(int v) {
            i8(v);
            i8(v >> 8);
        }

        void i32(int v) {
            ensure(4);
            for (int i = 0; i < 4; i++) {
                buf[len++] = (byte) (v >> (8 * i));
            }
        }

        void i64(long v) {
            ensure(8);
            for (int i = 0; i < 8; i++) {
                buf[len++] = (byte) (v >> (8 * i));
            }
        }

        void zeros(int n) {
            ensure(n);
            len += n;
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i64(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        void value(GgufValueType type, Object v) {
            switch (type) {
                case UINT8, INT8 -> i8(((Number) v).intValue());
                case UINT16, INT16 -> i16(((Number) v).intValue());
                case UINT32, INT32 -> i32(((Number) v).intValue());
                case UINT64, INT64 -> i64(((Number) v).longValue());
                case FLOAT32 -> i32(Float.floatToRawIntBits(((Number) v).floatValue()));
                case FLOAT64 -> i64(Double.doubleToRawLongBits(((Number) v).doubleValue()));
                case BOOL -> i8((Boolean) v ? 1 : 0);
                case STRING -> string((String) v);
                case ARRAY -> array((GgufArray) v);
            }
        }

        void array(GgufArray a) {
            GgufValueType et = a.elementType();
            int n = a.length();
            i32(et.ordinal());
            i64(n);
            Object vals = a.values();
            for (int i = 0; i < n; i++) {
                switch (vals) {
                    case int[] x -> value(et, x[i]);
                    case long[] x -> value(et, x[i]);
                    case float[] x -> value(et, x[i]);
                    case double[] x -> value(et, x[i]);
                    case boolean[] x -> value(et, x[i]);
                    case Object[] x -> value(et, x[i]);
                    default -> throw new IllegalArgumentException("unsupported array values " + vals.getClass());
                }
            }
        }
    }
}
