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

    /** The first request the Activity list shows, read in one go (rows are redrawn on every change). */
    record ActivityRow(String phase, int processed, int total, String title, String text) {
    }

    static ActivityRow activityRow() {
        @SuppressWarnings("unchecked")
        java.util.List<Object> r = (java.util.List<Object>) ((JavascriptExecutor) driver).executeScript("""
                const li = document.querySelector('#activity-list li.req');
                return li ? [li.dataset.phase, li.dataset.processed, li.dataset.total,
                  li.querySelector('.req-title').textContent, li.querySelector('.req-text').textContent] : null;""");
        return r == null ? null : new ActivityRow((String) r.get(0), Integer.parseInt((String) r.get(1)),
                Integer.parseInt((String) r.get(2)), (String) r.get(3), (String) r.get(4));
    }

    static boolean activityShows(java.util.function.Predicate<ActivityRow> p) {
        ActivityRow r = activityRow();
        return r != null && p.test(r);
    }

    @Test
    void theActivityViewShowsAnotherClientsRequestRisingThenDecodingThenFinished() throws Exception {
        driver.get(server.baseUrl() + "/");
        waitUpTo(10).until(d -> byId("model-name").getText().equals(server.modelId()));
        byId("activity-toggle").click();
        waitUpTo(10).until(d -> "true".equals(byId("activity-list").getDomAttribute("data-connected")));
        // every state the list shows, as the page drew it
        ((JavascriptExecutor) driver).executeScript("""
                window.__activity = [];
                new MutationObserver(() => document.querySelectorAll('#activity-list li.req').forEach((li) =>
                    window.__activity.push(li.dataset.phase + ':' + li.dataset.processed)))
                  .observe(document.getElementById('activity-list'), {childList: true, subtree: true});""");
        // another client streams a long prompt
        String body = JSON.writeValueAsString(JSON.createObjectNode().put("max_tokens", 12).put("temperature", 0)
                .put("stream", true).set("messages", JSON.createArrayNode().add(JSON.createObjectNode()
                        .put("role", "user").put("content", longPrompt(7, 450)))));
        var other = http.sendAsync(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/chat/completions"))
                .header("User-Agent", "curl/8.5.0").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        waitUpTo(60).until(d -> activityShows(r -> r.phase().equals("prefill") && r.processed() >= 3 * PREFILL_CHUNK));
        ActivityRow row = activityRow();
        int total = row.total();
        assertThat(row.title()).contains("/v1/chat/completions").contains("127.0.0.1").contains("curl/8.5.0");
        assertThat(row.text()).matches("Processing prompt: \\d+ / " + total
                + " tokens \\(\\d+%\\)( · \\d+ cached)? · \\d+ tok/s · ETA \\d+(s|m\\d\\ds)");
        assertThat(byId("composer").isDisplayed()).as("the chat stays usable beside it").isTrue();
        Browser.screenshot(driver, Path.of("target/screenshots/dashboard-activity.png"));

        waitUpTo(120).until(d -> activityShows(r -> r.phase().equals("decode")));
        assertThat(activityRow().text()).matches("Decoding: \\d+ tokens( · [\\d.]+ tok/s)? · prompt " + total + ".*");
        waitUpTo(120).until(d -> activityShows(r -> r.phase().equals("done")));
        assertThat(activityRow().text()).startsWith("Done: " + total + " prompt + 12 generated tokens");
        assertThat(other.get().statusCode()).isEqualTo(200);

        @SuppressWarnings("unchecked")
        java.util.List<String> seen = (java.util.List<String>) ((JavascriptExecutor) driver)
                .executeScript("return window.__activity");
        java.util.List<Integer> prefill = seen.stream().filter(x -> x.startsWith("prefill:"))
                .map(x -> Integer.parseInt(x.substring(8))).distinct().toList();
        assertThat(prefill).as("the bar rose step by step").hasSizeGreaterThanOrEqualTo(4).isSorted();
        assertThat(seen.indexOf("done:" + total)).isGreaterThan(seen.lastIndexOf("prefill:" + prefill.getLast()));
        assertThat(seen.stream().filter(x -> x.startsWith("decode:")).findFirst()).isPresent();

        // a narrow screen: the list and the chat are both there
        var size = driver.manage().window().getSize();
        try {
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(400, 800));
            assertThat(byId("activity").isDisplayed()).isTrue();
            assertThat(byId("input").isDisplayed()).isTrue();
            assertThat(byId("activity-list").getRect().getWidth()).isLessThanOrEqualTo(400);
        } finally {
            driver.manage().window().setSize(size);
        }
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
