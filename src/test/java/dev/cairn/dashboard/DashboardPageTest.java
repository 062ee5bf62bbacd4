package dev.cairn.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's behaviour in real Chromium against a scripted API (exact progress values, queue positions, errors,
 * hostile model output); {@link DashboardBrowserTest} runs it against the real server and model.
 */
class DashboardPageTest {
    @TempDir
    static Path profile;

    static ChromeDriver driver;
    static FakeApi api;

    @BeforeAll
    static void start() throws Exception {
        api = new FakeApi();
        driver = Browser.start(profile);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (api != null) {
            api.close();
        }
    }

    @BeforeEach
    void reset() {
        api.apiKey = null;
        api.contextError = null;
        api.contextLimitMessages = Integer.MAX_VALUE;
        api.chatBodies.clear();
        api.cancels.clear();
        api.authorizations.clear();
        driver.manage().window().setSize(new Dimension(1100, 800));
        driver.get(api.url());
        js("localStorage.clear()");
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    WebDriverWait waitUpTo(int seconds) {
        WebDriverWait w = new WebDriverWait(driver, Duration.ofSeconds(seconds));
        w.pollingEvery(Duration.ofMillis(20));
        return w;
    }

    WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    void openPage() {
        driver.get(api.url());
        waitUpTo(10).until(d -> byId("model-name").getText().equals("fake-model"));
        DashboardProbe.install(driver);
    }

    @Test
    void showsQueueThenALiveProgressBarThenStreamsSafeMarkdownAndStats() throws Exception {
        api.script = (s, body) -> {
            s.queued(2);
            Thread.sleep(400);
            s.queued(1);
            Thread.sleep(400);
            s.comment("keepalive");
            s.progress(200, 1200, 200, null, null);
            int[] steps = {456, 712, 968, 1200};
            for (int p : steps) {
                Thread.sleep(250);
                s.progress(p, 1200, 200, 800.0, (long) ((1200 - p) / 0.8));
            }
            Thread.sleep(250);
            for (String t : List.of("Hello ", "**world** ", "<img src=x onerror=\"window.__xss=1\">", "\n\n```\n<b>code</b>\n```")) {
                s.token(t);
                Thread.sleep(120);
            }
            s.finish(1200, 200, 7);
        };
        openPage();
        byId("settings-toggle").click();
        byId("system-prompt").sendKeys("Be brief.");
        byId("temperature").clear();
        byId("temperature").sendKeys("0.3");
        byId("max-tokens").clear();
        byId("max-tokens").sendKeys("64");
        WebElement input = byId("input");
        input.sendKeys("first line");
        input.sendKeys(Keys.chord(Keys.SHIFT, Keys.ENTER));
        input.sendKeys("second line");
        input.sendKeys(Keys.ENTER);

        waitUpTo(10).until(d -> byId("queue").isDisplayed() && byId("queue").getText().equals("Waiting: 2 requests ahead"));
        waitUpTo(10).until(d -> byId("queue").getText().equals("Waiting: 1 request ahead"));
        waitUpTo(10).until(d -> byId("progress").isDisplayed());
        assertThat(byId("queue").isDisplayed()).isFalse();
        waitUpTo(10).until(d -> "712".equals(byId("progress").getDomAttribute("data-processed")));
        Browser.screenshot(driver, Path.of("target/screenshots/dashboard-scripted-progress.png"));
        assertThat(byId("stop").isEnabled()).isTrue();
        assertThat(byId("send").isEnabled()).isFalse();
        waitUpTo(15).until(d -> !driver.findElements(By.cssSelector(".msg.assistant .stats")).isEmpty());

        // what the page sent
        JsonNode body = api.chatBodies.getFirst();
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("prefill_progress").asText()).isEqualTo("events");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(body.path("messages").toString()).isEqualTo(
                "[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"first line\\nsecond line\"}]");

        // the bar: every event shown, counts increasing, cached tokens and rate and ETA in the text, gone at the first token
        DashboardProbe.Observed seen = DashboardProbe.read(driver);
        assertThat(seen.processed()).containsExactly(200, 456, 712, 968, 1200);
        assertThat(seen.texts()).contains("Processing prompt: 200 / 1200 tokens (16%) · 200 cached",
                "Processing prompt: 456 / 1200 tokens (38%) · 200 cached · 800 tok/s · ETA 1s",
                "Processing prompt: 1200 / 1200 tokens (100%) · 200 cached · 800 tok/s");
        assertThat(seen.barVisibleWhenTextAppeared()).isFalse();
        assertThat(byId("progress").isDisplayed()).isFalse();

        // markdown rendered, model-written HTML shown as text, never run
        WebElement answer = driver.findElement(By.cssSelector(".msg.assistant .body"));
        assertThat(answer.findElement(By.tagName("strong")).getText()).isEqualTo("world");
        assertThat(answer.findElements(By.tagName("img"))).isEmpty();
        assertThat(answer.getText()).contains("<img src=x onerror=\"window.__xss=1\">");
        assertThat(answer.findElement(By.cssSelector("pre code")).getText()).isEqualTo("<b>code</b>");
        assertThat(js("return window.__xss === undefined")).isEqualTo(true);

        String stats = driver.findElement(By.cssSelector(".msg.assistant .stats")).getText();
        assertThat(stats).containsPattern("TTFT \\d+\\.\\d\\ds").contains("prefill 800 tok/s")
                .containsPattern("decode \\d+\\.\\d tok/s").contains("7 tokens").contains("prompt 1200 (200 cached)");
        assertThat(byId("send").isEnabled()).isTrue();
        assertThat(byId("stop").isEnabled()).isFalse();
    }

    @Test
    void stopDuringPrefillAbortsTheStreamAndCancelsTheRequestOnTheServer() {
        java.util.concurrent.atomic.AtomicReference<String> streamed = new java.util.concurrent.atomic.AtomicReference<>();
        api.script = (s, body) -> {
            streamed.set(s.id);
            for (int p = 0; p <= 5000 && !s.cancelled(); p += 100) {
                s.progress(p, 5000, 0, p == 0 ? null : 500.0, p == 0 ? null : (5000L - p) * 2);
                Thread.sleep(150);
            }
        };
        openPage();
        byId("input").sendKeys("a long document", Keys.ENTER);
        waitUpTo(10).until(d -> byId("progress").isDisplayed() && !"0".equals(byId("progress").getDomAttribute("data-processed")));
        byId("stop").click();

        waitUpTo(5).until(d -> !api.cancels.isEmpty());
        assertThat(api.cancels).containsExactly(streamed.get());
        waitUpTo(5).until(d -> !byId("progress").isDisplayed());
        assertThat(byId("send").isEnabled()).isTrue();
        assertThat(driver.findElement(By.cssSelector(".msg.note")).getText()).contains("Stopped before the answer started");
        assertThat(byId("input").getDomProperty("value")).isEqualTo("a long document"); // back for editing
        assertThat(driver.findElements(By.cssSelector(".msg.assistant"))).isEmpty();

        // the next question goes out without the unanswered one
        api.script = (s, body) -> {
            s.progress(0, 10, 0, null, null);
            s.token("ok");
            s.finish(10, 0, 1);
        };
        byId("input").clear();
        byId("input").sendKeys("short", Keys.ENTER);
        waitUpTo(10).until(d -> !driver.findElements(By.cssSelector(".msg.assistant .stats")).isEmpty());
        assertThat(api.chatBodies.getLast().path("messages").toString())
                .isEqualTo("[{\"role\":\"user\",\"content\":\"short\"}]");
    }

    @Test
    void asksForTheApiKeyOn401AndSendsItAsBearer() {
        api.apiKey = "sekrit";
        api.script = (s, body) -> {
            s.progress(0, 5, 0, null, null);
            s.token("hi there");
            s.finish(5, 0, 2);
        };
        driver.get(api.url());
        waitUpTo(10).until(d -> byId("key-panel").isDisplayed());
        byId("api-key").sendKeys("sekrit", Keys.ENTER);
        waitUpTo(10).until(d -> byId("model-name").getText().equals("fake-model"));
        assertThat(js("return localStorage.getItem('cairn.apiKey')")).isEqualTo("sekrit");
        byId("input").sendKeys("hello", Keys.ENTER);
        waitUpTo(10).until(d -> driver.findElement(By.cssSelector(".msg.assistant .body")).getText().equals("hi there"));
        assertThat(api.authorizations).contains("/v1/models null", "/v1/models Bearer sekrit",
                "/v1/chat/completions Bearer sekrit");
    }

    @Test
    void contextOverflowSaysSoAndCanDropTheOldestTurnsKeepingTheSystemPrompt() {
        api.script = (s, body) -> {
            s.progress(0, 5, 0, null, null);
            s.token("answer " + body.path("messages").size());
            s.finish(5, 0, 2);
        };
        openPage();
        byId("settings-toggle").click();
        byId("system-prompt").sendKeys("SYS");
        byId("input").sendKeys("one", Keys.ENTER);
        waitUpTo(10).until(d -> driver.findElements(By.cssSelector(".msg.assistant .stats")).size() == 1);

        api.contextError = "prompt has 300 tokens but the context is 128 tokens";
        api.contextLimitMessages = 3;
        byId("input").sendKeys("two", Keys.ENTER);
        waitUpTo(10).until(d -> byId("notice").isDisplayed());
        assertThat(byId("notice-text").getText()).contains("no longer fits in the model's context")
                .contains("prompt has 300 tokens but the context is 128 tokens");
        List<String> buttons = byId("notice-actions").findElements(By.tagName("button")).stream().map(WebElement::getText).toList();
        assertThat(buttons).containsExactly("New chat", "Drop oldest turns and retry");

        byId("notice-actions").findElements(By.tagName("button")).get(1).click();
        waitUpTo(10).until(d -> driver.findElements(By.cssSelector(".msg.assistant .stats")).size() == 2);
        assertThat(api.chatBodies.getLast().path("messages").toString())
                .isEqualTo("[{\"role\":\"system\",\"content\":\"SYS\"},{\"role\":\"user\",\"content\":\"two\"}]");
        assertThat(driver.findElement(By.cssSelector(".msg.note")).getText())
                .isEqualTo("Dropped the 2 oldest messages to fit the context (the system prompt is kept).");
        assertThat(byId("notice").isDisplayed()).isFalse();

        byId("new-chat").click();
        assertThat(driver.findElements(By.cssSelector("article.msg"))).isEmpty();
        assertThat(byId("empty-hint").isDisplayed()).isTrue();
    }

    @Test
    void worksInANarrowWindow() throws Exception {
        driver.manage().window().setSize(new Dimension(380, 700));
        api.script = (s, body) -> {
            s.progress(0, 5, 0, null, null);
            s.token("x".repeat(400));
            s.finish(5, 0, 1);
        };
        openPage();
        byId("input").sendKeys("y".repeat(300), Keys.ENTER);
        waitUpTo(10).until(d -> !driver.findElements(By.cssSelector(".msg.assistant .stats")).isEmpty());
        for (String id : List.of("send", "stop", "new-chat", "input")) {
            WebElement e = byId(id);
            assertThat(e.isDisplayed()).as(id).isTrue();
            assertThat(e.getRect().getX() + e.getRect().getWidth()).as(id + " right edge").isLessThanOrEqualTo(380);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> sizes = (Map<String, Object>) js(
                "return {scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth}");
        assertThat(((Number) sizes.get("scroll")).intValue()).isLessThanOrEqualTo(((Number) sizes.get("client")).intValue());
        // the newest message stays in view: the log is scrolled to its end, where the answer's figures are
        assertThat(js("const l = document.getElementById('log'); return l.scrollHeight - l.scrollTop - l.clientHeight"))
                .satisfies(gap -> assertThat(((Number) gap).intValue()).isLessThanOrEqualTo(2));
        assertThat(driver.findElement(By.cssSelector(".msg.assistant .stats")).getRect().getY()
                + driver.findElement(By.cssSelector(".msg.assistant .stats")).getRect().getHeight())
                .isLessThanOrEqualTo(byId("log").getRect().getY() + byId("log").getRect().getHeight());
        Browser.screenshot(driver, Path.of("target/screenshots/dashboard-narrow.png"));
    }
}
