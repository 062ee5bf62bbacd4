package dev.cairn.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * Records, inside the page, every state the progress bar shows and whether it was still visible when the answer's
 * first text appeared: polling from the test could miss short-lived states.
 */
final class DashboardProbe {
    record Observed(List<Integer> processed, List<Integer> totals, List<String> texts, Boolean barVisibleWhenTextAppeared) {
    }

    private DashboardProbe() {
    }

    static void install(WebDriver driver) {
        ((JavascriptExecutor) driver).executeScript("""
                window.__probe = {states: [], barVisibleWhenTextAppeared: null};
                const bar = document.getElementById('progress');
                const text = document.getElementById('progress-text');
                new MutationObserver(() => {
                  if (bar.hidden) return;
                  const last = window.__probe.states[window.__probe.states.length - 1];
                  const now = {processed: Number(bar.dataset.processed), total: Number(bar.dataset.total), text: text.textContent};
                  if (!last || last.text !== now.text) window.__probe.states.push(now);
                }).observe(bar, {attributes: true, subtree: true, childList: true, characterData: true});
                new MutationObserver(() => {
                  if (window.__probe.barVisibleWhenTextAppeared !== null) return;
                  const body = document.querySelector('.msg.assistant .body');
                  if (body && body.textContent.length > 0) window.__probe.barVisibleWhenTextAppeared = !bar.hidden;
                }).observe(document.getElementById('log'), {subtree: true, childList: true, characterData: true});
                """);
    }

    @SuppressWarnings("unchecked")
    static Observed read(WebDriver driver) {
        Map<String, Object> probe = (Map<String, Object>) ((JavascriptExecutor) driver).executeScript("return window.__probe");
        List<Integer> processed = new ArrayList<>();
        List<Integer> totals = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (Object o : (List<Object>) probe.get("states")) {
            Map<String, Object> s = (Map<String, Object>) o;
            int p = ((Number) s.get("processed")).intValue();
            if (processed.isEmpty() || processed.getLast() != p) {
                processed.add(p);
                totals.add(((Number) s.get("total")).intValue());
            }
            texts.add((String) s.get("text"));
        }
        return new Observed(processed, totals, texts, (Boolean) probe.get("barVisibleWhenTextAppeared"));
    }
}
