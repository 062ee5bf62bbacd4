package dev.cairn.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line terminal progress bar redrawn in place on a stream (stderr), e.g.
 * {@code Prompt ▕█████     ▏ 1536/4096 tok  37%  812 tok/s  ETA 3s}. Used for prefill, downloads and model loading.
 * Rate and ETA come from the caller (the engine measures prefill) or are computed here from the start time.
 * Not thread-safe: one producer updates it. Off a terminal ({@link #forStderr}) nothing redraws: a pipe or log file
 * gets only the final state as one plain line, from {@link #finish}.
 */
public final class ProgressBar {
    /** What is counted: tokens print as counts, bytes in KB/MB/GB. */
    public enum Unit { TOKENS, BYTES }

    private static final String ERASE_LINE = "\r\u001b[K";
    private static final char[] EIGHTHS = {' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'};
    static final int DEFAULT_CELLS = 20;

    private final PrintStream out;
    private final String label;
    private final Unit unit;
    private final long startNanos = System.nanoTime();
    private long showAfterMs;
    private long minIntervalMs;
    private long lastDrawNanos = Long.MIN_VALUE;
    private boolean visible;
    private String lastLine = "";

    private final boolean ascii;
    private final boolean redraw;

    /** A bar that redraws in place on {@code out}. */
    public ProgressBar(PrintStream out, String label, Unit unit) {
        this(out, label, unit, true);
    }

    /** A bar on standard error ({@code err}): redrawn when that is a terminal, else only a final line. */
    public static ProgressBar forStderr(PrintStream err, String label, Unit unit) {
        return new ProgressBar(err, label, unit, Terminals.stderrIsTerminal());
    }

    ProgressBar(PrintStream out, String label, Unit unit, boolean redraw) {
        this.out = out;
        this.label = label;
        this.unit = unit;
        this.redraw = redraw;
        // a POSIX-locale terminal (LANG=C) cannot show block characters: Java would print '?' for each
        this.ascii = !out.charset().newEncoder().canEncode("▕█▏▌");
    }

    /** Draw nothing until this much time has passed since creation (model loading: only when it is slow). */
    public ProgressBar showAfterMs(long ms) {
        this.showAfterMs = ms;
        return this;
    }

    /** Redraw at most this often, except for the final state (downloads update every buffer). */
    public ProgressBar minIntervalMs(long ms) {
        this.minIntervalMs = ms;
        return this;
    }

    /** Updates with a rate and ETA computed from the average since this bar was created. */
    public void update(long done, long total) {
        double secs = (System.nanoTime() - startNanos) / 1e9;
        Double rate = secs > 0.2 && done > 0 ? done / secs : null;
        Long eta = rate != null && total > 0 ? (long) ((total - done) / rate * 1000) : null;
        update(done, total, rate, eta);
    }

    /** Updates with the caller's rate (units per second) and ETA (ms); either may be null when not yet known. */
    public void update(long done, long total, Double perSecond, Long etaMs) {
        long now = System.nanoTime();
        if ((now - startNanos) / 1_000_000 < showAfterMs) {
            return;
        }
        boolean last = total > 0 && done >= total;
        if (!last && lastDrawNanos != Long.MIN_VALUE && (now - lastDrawNanos) / 1_000_000 < minIntervalMs) {
            return;
        }
        lastDrawNanos = now;
        lastLine = render(label, done, total, perSecond, etaMs, unit, DEFAULT_CELLS, ascii || !redraw);
        if (redraw) {
            out.print("\r" + lastLine + "\u001b[K");
            out.flush();
            visible = true;
        }
    }

    /** Erases the bar (e.g. when the first token arrives) so the line is free for other output. */
    public void clear() {
        if (visible) {
            out.print(ERASE_LINE);
            out.flush();
            visible = false;
        }
    }

    /** Leaves the last drawn state on its own line (downloads: the final size and rate stay visible). */
    public void finish() {
        if (visible) {
            out.println();
            out.flush();
            visible = false;
        } else if (!redraw && !lastLine.isEmpty()) {
            out.println(lastLine);
            out.flush();
            lastLine = "";
        }
    }

    public boolean visible() {
        return visible;
    }

    String lastLine() {
        return lastLine;
    }

    /** The bar's text without control characters; {@code total <= 0} means unknown (no bar, no percentage). */
    public static String render(String label, long done, long total, Double perSecond, Long etaMs, Unit unit, int cells) {
        return render(label, done, total, perSecond, etaMs, unit, cells, false);
    }

    /** As above; {@code ascii} draws "|#####     |" for terminals that cannot show block characters. */
    public static String render(String label, long done, long total, Double perSecond, Long etaMs, Unit unit, int cells,
                                boolean ascii) {
        StringBuilder sb = new StringBuilder(label).append(' ');
        if (total > 0) {
            double frac = Math.min(1.0, Math.max(0.0, (double) done / total));
            if (ascii) {
                int full = (int) Math.round(frac * cells);
                sb.append('|').append("#".repeat(full)).append(" ".repeat(cells - full)).append("| ");
            } else {
                sb.append('▕').append(bar(frac, cells)).append("▏ ");
            }
            sb.append(amount(done, total, unit));
            sb.append("  ").append(String.format(Locale.ROOT, "%d%%", (int) Math.floor(frac * 100)));
        } else {
            sb.append(amount(done, 0, unit));
        }
        if (perSecond != null && perSecond > 0 && Double.isFinite(perSecond)) {
            sb.append("  ").append(rate(perSecond, unit));
        }
        if (etaMs != null && total > 0 && done < total) {
            sb.append("  ETA ").append(duration(etaMs));
        }
        return sb.toString();
    }

    static String bar(double frac, int cells) {
        int eighths = (int) Math.round(frac * cells * 8);
        StringBuilder sb = new StringBuilder(cells);
        for (int i = 0; i < cells; i++) {
            int inCell = Math.min(8, Math.max(0, eighths - i * 8));
            sb.append(inCell == 8 ? '█' : EIGHTHS[inCell]);
        }
        return sb.toString();
    }

    private static String amount(long done, long total, Unit unit) {
        if (unit == Unit.TOKENS) {
            return total > 0 ? done + "/" + total + " tok" : done + " tok";
        }
        return total > 0 ? bytes(done) + " / " + bytes(total) : bytes(done);
    }

    private static String rate(double perSecond, Unit unit) {
        return unit == Unit.TOKENS ? String.format(Locale.ROOT, "%.0f tok/s", perSecond) : bytes((long) perSecond) + "/s";
    }

    /** 1023 B, 12.3 KB, 456.7 MB, 4.07 GB (powers of 1024, as file managers show sizes). */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = n;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s", v, units[i]);
    }

    /** 3s, 1m05s, 2h03m. */
    public static String duration(long ms) {
        long s = Math.max(0, (ms + 999) / 1000);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
