package dev.cairn.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.engine.EngineOptions;
import dev.cairn.engine.LocalEngine;
import dev.cairn.engine.ModelBundle;
import dev.cairn.engine.ModelBundles;
import dev.cairn.gguf.GgmlType;
import dev.cairn.gguf.SyntheticModel;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium against the real server and engine running a ~100M-parameter random-weight
 * model written at test time, with a small prefill chunk so a long prompt takes seconds to read: the bar must
 * appear, count up, vanish when text streams in, and Stop must end the request on the server.
 */
class DashboardBrowserTest {
    static final int PREFILL_CHUNK = 32;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static ModelBundle bundle;
    static LocalEngine engine;
    static CairnServer server;
    static ChromeDriver driver;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        Path model = SyntheticModel.write(tmp.resolve("random-100m-q8_0.gguf"),
                new SyntheticModel.Spec("llama", SyntheticModel.Shape.M100, GgmlType.Q8_0, 42));
        EngineOptions options = new EngineOptions(1, PREFILL_CHUNK, 2048, 0);
        bundle = ModelBundles.load(model, null, options);
        engine = new LocalEngine(bundle, options);
        server = new CairnServer(engine, ServerOptions.defaults().withApiKey(null).withPort(0)
                .withEngine(1, PREFILL_CHUNK, 2048, 0)).start();
        driver = Browser.start(tmp.resolve("chromium-profile"));
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (bundle != null) {
            bundle.close();
        }
    }

    static WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    static WebDriverWait waitUpTo(int seconds) {
        WebDriverWait w = new WebDriverWait(driver, Duration.ofSeconds(seconds));
        w.pollingEvery(Duration.ofMillis(20));
        return w;
    }

    /** Words that tokenize to roughly one token each; a different seed gives a prompt with no cached prefix. */
    static String longPrompt(long seed, int words) {
        String[] vocab = {"river", "stone", "mountain", "cloud", "quiet", "light", "path", "winter", "forest", "signal",
                "engine", "garden", "number", "paper", "window", "harbor", "silver", "market", "story", "bridge"};
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder("Summarise this: ");
        for (int i = 0; i < words; i++) {
            sb.append(vocab[r.nextInt(vocab.length)]).append(i % 12 == 11 ? ". " : " ");
        }
        return sb.toString();
    }

    static void openPage(int maxTokens) {
        driver.get(server.baseUrl() + "/");
        waitUpTo(10).until(d -> byId("model-name").getText().equals(server.modelId()));
        byId("settings-toggle").click();
        byId("temperature").clear();
        byId("temperature").sendKeys("0");
        byId("max-tokens").clear();
        byId("max-tokens").sendKeys(Integer.toString(maxTokens));
        byId("settings-toggle").click(); // closed again: the conversation and the bar get the room
        DashboardProbe.install(driver);
    }

    static void sendPrompt(String text) {
        // typing thousands of characters key by key is slow; the Enter key is real
        ((JavascriptExecutor) driver).executeScript("document.getElementById('input').value = arguments[0]", text);
        byId("input").sendKeys(Keys.END, Keys.ENTER);
    }

    static int processed() {
        String v = byId("progress").getDomAttribute("data-processed");
        return v == null ? -1 : Integer.parseInt(v);
    }

    static JsonNode inFlight() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/requests")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).path("data");
    }

    @Test
    void theBarCountsUpDuringPrefillAndVanishesWhenTheAnswerStreams() throws Exception {
        openPage(6);
        sendPrompt(longPrompt(1, 450));

        waitUpTo(60).until(d -> byId("progress").isDisplayed() && processed() > 0);
        int total = Integer.parseInt(byId("progress").getDomAttribute("data-total"));
        assertThat(total).as("prompt tokens").isGreaterThan(10 * PREFILL_CHUNK);
        waitUpTo(60).until(d -> processed() >= 3 * PREFILL_CHUNK);
        assertThat(processed()).isLessThan(total); // still mid-prefill
        Browser.screenshot(driver, Path.of("target/screenshots/dashboard-progress.png"));
        assertThat(byId("progress-text").getText()).matches(
                "Processing prompt: \\d+ / " + total + " tokens \\(\\d+%\\)( · \\d+ cached)? · \\d+ tok/s · ETA \\d+(s|m\\d\\ds)");

        waitUpTo(180).until(d -> !driver.findElements(By.cssSelector(".msg.assistant .stats")).isEmpty());
        DashboardProbe.Observed seen = DashboardProbe.read(driver);
        assertThat(seen.processed()).as("processed counts the page showed").hasSizeGreaterThanOrEqualTo(4).isSorted()
                .doesNotHaveDuplicates();
        assertThat(seen.processed().getLast()).isEqualTo(total);
        assertThat(seen.totals()).containsOnly(total);
        assertThat(seen.barVisibleWhenTextAppeared()).as("bar still visible when the first text arrived").isFalse();
        assertThat(byId("progress").isDisplayed()).isFalse();
        assertThat(driver.findElement(By.cssSelector(".msg.assistant .body")).getText()).isNotEmpty();
        String stats = driver.findElement(By.cssSelector(".msg.assistant .stats")).getText();
        assertThat(stats).containsPattern("TTFT \\d+\\.\\d\\ds").containsPattern("prefill \\d+ tok/s")
                .containsPattern("decode \\d+\\.\\d tok/s").contains("6 tokens").contains("prompt " + total);
    }

    @Test
    void stopDuringPrefillEndsTheRequestOnTheServerWithinAChunk() throws Exception {
        openPage(4);
        sendPrompt(longPrompt(2, 600));
        waitUpTo(60).until(d -> byId("progress").isDisplayed() && processed() >= 2 * PREFILL_CHUNK);
        JsonNode running = inFlight();
        assertThat(running).hasSize(1);
        assertThat(running.get(0).path("phase").asText()).isEqualTo("prefill");

        java.util.regex.Matcher rate = java.util.regex.Pattern.compile("(\\d+) tok/s").matcher(byId("progress-text").getText());
        assertThat(rate.find()).as("rate shown").isTrue();
        long chunkMs = PREFILL_CHUNK * 1000L / Math.max(1, Integer.parseInt(rate.group(1)));
        byId("stop").click();
        long clicked = System.nanoTime();
        JsonNode left = running;
        while (!left.isEmpty() && System.nanoTime() - clicked < 10_000_000_000L) {
            Thread.sleep(20);
            left = inFlight();
        }
        long goneMs = (System.nanoTime() - clicked) / 1_000_000;
        assertThat(left).as("in-flight requests after Stop").isEmpty();
        // one chunk to notice the cancel, plus slack for a busy machine and the HTTP round trips
        assertThat(goneMs).as("ms until the request was gone (a chunk takes ~" + chunkMs + " ms)")
                .isLessThanOrEqualTo(3 * chunkMs + 1500);
        // The answer never started and the page says so; the server never generated a token for it.
        waitUpTo(10).until(d -> !byId("progress").isDisplayed());
        assertThat(driver.findElement(By.cssSelector(".msg.note")).getText()).contains("Stopped before the answer started");
        assertThat(driver.findElements(By.cssSelector(".msg.assistant"))).isEmpty();
        assertThat(byId("send").isEnabled()).isTrue();
        System.out.println("request gone " + goneMs + " ms after Stop (prefill chunk " + PREFILL_CHUNK + " tokens)");
    }

    @Test
    void aPromptLongerThanTheContextIsRefusedWithAPlainMessage() throws Exception {
        openPage(4);
        sendPrompt(longPrompt(3, 2600)); // more tokens than the 2048-token context
        waitUpTo(30).until(d -> byId("notice").isDisplayed());
        assertThat(byId("notice-text").getText()).startsWith("This message is too long for the model's context (")
                .containsPattern("prompt has \\d+ tokens but the context size is 2048");
        assertThat(byId("notice-actions").findElements(By.tagName("button"))).extracting(WebElement::getText)
                .containsExactly("New chat");
        assertThat(byId("progress").isDisplayed()).isFalse();
        assertThat(byId("send").isEnabled()).isTrue();
        assertThat(inFlight()).isEmpty();
    }
}
