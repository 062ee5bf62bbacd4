package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.engine.EngineOptions;
import org.junit.jupiter.api.Test;

/** serve's --n-predict: the limit of a request that sets none (Codex sends no max_output_tokens), and only of those. */
class NPredictTest {
    @Test
    void requestsWithoutALimitStopAtNPredictAndOthersKeepTheirOwn() {
        try (ServerFixture fx = new ServerFixture(TestModels::small, new EngineOptions(1, 64, 512, 1),
                ServerOptions.defaults().withApiKey(null).withNPredict(3))) {
            ServerFixture.Reply unlimited = fx.post("/v1/responses", "{\"input\":\"tell a story\",\"temperature\":0}");
            assertThat(unlimited.status()).as(unlimited.body()).isEqualTo(200);
            assertThat(unlimited.json().at("/usage/output_tokens").asInt()).isEqualTo(3);
            assertThat(unlimited.json().at("/incomplete_details/reason").asText()).isEqualTo("max_output_tokens");

            ServerFixture.Reply own = fx.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":"
                    + "\"tell a story\"}],\"temperature\":0,\"max_tokens\":5}");
            assertThat(own.json().at("/usage/completion_tokens").asInt()).isEqualTo(5);
        }
    }
}
