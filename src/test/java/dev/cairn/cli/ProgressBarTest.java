package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void rendersThePrefillLineLikeTheSpec() {
        String line = ProgressBar.render("Prompt", 1536, 4096, 812.4, 3000L, ProgressBar.Unit.TOKENS, 8);
        assertThat(line).isEqualTo("Prompt ▕███     ▏ 1536/4096 tok  37%  812 tok/s  ETA 3s");
    }

    @Test
    void fallsBackToAsciiWhereTheTerminalCannotShowBlocks() {
        assertThat(ProgressBar.render("Prompt", 1536, 4096, 812.4, 3000L, ProgressBar.Unit.TOKENS, 8, true))
                .isEqualTo("Prompt |###     | 1536/4096 tok  37%  812 tok/s  ETA 3s");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(buf, true, StandardCharsets.US_ASCII), "P", ProgressBar.Unit.TOKENS);
        bar.update(10, 20, null, null);
        assertThat(buf.toString(StandardCharsets.US_ASCII)).isEqualTo("\rP |##########          | 10/20 tok  50%\u001b[K");
    }

    @Test
    void offATerminalNothingRedrawsAndFinishLeavesOnePlainLine() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8), "Download",
                ProgressBar.Unit.BYTES, false);
        bar.update(1024, 4096, null, null);
        bar.update(2048, 4096, null, null);
        bar.clear();
        assertThat(buf.size()).isZero();
        bar.update(4096, 4096, null, null);
        bar.finish();
        bar.finish();
        assertThat(buf.toString(StandardCharsets.UTF_8))
                .isEqualTo("Download |####################| 4.00 KB / 4.00 KB  100%" + System.lineSeparator());
    }

    @Test
    void barFillsInEighthsAndClampsAtBothEnds() {
        assertThat(ProgressBar.bar(0, 4)).isEqualTo("    ");
        assertThat(ProgressBar.bar(1.0 / 32, 4)).isEqualTo("▏   ");
        assertThat(ProgressBar.bar(0.5, 4)).isEqualTo("██  ");
        assertThat(ProgressBar.bar(0.55, 4)).isEqualTo("██▎ ");
        assertThat(ProgressBar.bar(1, 4)).isEqualTo("████");
        assertThat(ProgressBar.render("P", 5, 4, null, null, ProgressBar.Unit.TOKENS, 4)).isEqualTo("P ▕████▏ 5/4 tok  100%");
    }

    @Test
    void unknownRateTotalAndEtaAreLeftOut() {
        assertThat(ProgressBar.render("Prompt", 0, 4096, null, null, ProgressBar.Unit.TOKENS, 4))
                .isEqualTo("Prompt ▕    ▏ 0/4096 tok  0%");
        assertThat(ProgressBar.render("Download", 5 * 1024 * 1024, -1, 2.5 * 1024 * 1024, 1000L, ProgressBar.Unit.BYTES, 4))
                .isEqualTo("Download 5.00 MB  2.50 MB/s");
        assertThat(ProgressBar.render("Download", 1L << 30, 4L << 30, 45.0 * (1 << 20), 65_000L, ProgressBar.Unit.BYTES, 4))
                .isEqualTo("Download ▕█   ▏ 1.00 GB / 4.00 GB  25%  45.0 MB/s  ETA 1m05s");
    }

    @Test
    void formatsSizesAndDurations() {
        assertThat(ProgressBar.bytes(1023)).isEqualTo("1023 B");
        assertThat(ProgressBar.bytes(1536)).isEqualTo("1.50 KB");
        assertThat(ProgressBar.bytes(500L << 20)).isEqualTo("500 MB");
        assertThat(ProgressBar.duration(0)).isEqualTo("0s");
        assertThat(ProgressBar.duration(2001)).isEqualTo("3s");
        assertThat(ProgressBar.duration(3_600_000L * 2 + 180_000)).isEqualTo("2h03m");
    }

    @Test
    void redrawsInPlaceAndErasesItself() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8), "Prompt", ProgressBar.Unit.TOKENS);
        bar.update(0, 100, null, null);
        bar.update(50, 100, 10.0, 5000L);
        assertThat(bar.visible()).isTrue();
        bar.clear();
        assertThat(bar.visible()).isFalse();
        bar.clear(); // nothing more to erase
        String s = buf.toString(StandardCharsets.UTF_8);
        assertThat(s).isEqualTo("\rPrompt ▕                    ▏ 0/100 tok  0%\u001b[K"
                + "\rPrompt ▕██████████          ▏ 50/100 tok  50%  10 tok/s  ETA 5s\u001b[K"
                + "\r\u001b[K");
        assertThat(s).doesNotContain("\n");
    }

    @Test
    void aDelayedBarStaysHiddenWhenTheWorkIsQuick() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8), "Loading", ProgressBar.Unit.BYTES)
                .showAfterMs(60_000);
        bar.update(10, 100);
        bar.update(100, 100);
        bar.finish();
        assertThat(buf.size()).isZero();
    }

    @Test
    void throttlesIntermediateUpdatesButAlwaysDrawsTheLast() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8), "D", ProgressBar.Unit.BYTES)
                .minIntervalMs(60_000);
        for (int i = 1; i <= 100; i++) {
            bar.update(i, 100, null, null);
        }
        String s = buf.toString(StandardCharsets.UTF_8);
        assertThat(s.split("\r", -1)).hasSize(3); // the first and the final draw
        assertThat(bar.lastLine()).contains("100 B / 100 B  100%");
    }
}
