package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.engine.EngineOptions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API key, Host header (DNS rebinding) and CORS checks. */
class SecurityTest {
    static final String KEY = "s3cret-key";
    static final String ORIGIN = "http://localhost:5173";
    static ServerFixture fx;

    @BeforeAll
    static void start() {
        fx = new ServerFixture(TestModels::small, new EngineOptions(1, 16, 256, 1),
                ServerOptions.defaults().withApiKey(KEY).withCorsOrigin(ORIGIN));
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    static final String CHAT_BODY = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2}";
    static final String MSG_BODY = "{\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void defaultsBindLoopbackOnly() {
        assertThat(ServerOptions.defaults().host()).isEqualTo("127.0.0.1");
        assertThat(ServerOptions.defaults().port()).isEqualTo(8080);
        assertThat(ServerOptions.defaults().corsOrigin()).isNull();
        assertThat(ServerOptions.defaults().maxBodyBytes()).isEqualTo(10L * 1024 * 1024);
    }

    @Test
    void apiKeyIsRequiredOnV1RoutesInEachEndpointsShape() {
        String msg = BadInputTest.openAiError(fx.post("/v1/chat/completions", CHAT_BODY), 401, "authentication_error");
        assertThat(msg).contains("missing API key");
        assertThat(BadInputTest.openAiError(fx.post("/v1/chat/completions", CHAT_BODY, "Authorization", "Bearer wrong"),
                401, "authentication_error")).contains("invalid API key");
        assertThat(BadInputTest.anthropicError(fx.post("/v1/messages", MSG_BODY), 401, "authentication_error"))
                .contains("missing API key");
        assertThat(BadInputTest.anthropicError(fx.post("/v1/messages", MSG_BODY, "x-api-key", "wrong"), 401,
                "authentication_error")).contains("invalid API key");
        for (String path : List.of("/v1/models", "/v1/requests")) {
            assertThat(fx.get(path).status()).isEqualTo(401);
            assertThat(fx.get(path, "Authorization", "Bearer " + KEY).status()).isEqualTo(200);
        }
        assertThat(fx.post("/v1/requests/x/cancel", "").status()).isEqualTo(401);
        assertThat(fx.post("/v1/chat/completions", CHAT_BODY, "Authorization", "Bearer " + KEY).status()).isEqualTo(200);
        assertThat(fx.post("/v1/messages", MSG_BODY, "x-api-key", KEY).status()).isEqualTo(200);
        // /health and the dashboard's static files stay open
        ServerFixture.Reply page = fx.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("content-type")).startsWith("text/html");
        assertThat(page.body()).containsIgnoringCase("<html");
        ServerFixture.Reply h = fx.get("/health");
        assertThat(h.status()).isEqualTo(200);
        assertThat(h.json().get("status").asText()).isEqualTo("ok");
        assertThat(h.json().get("model").asText()).isEqualTo(fx.server.modelId());
    }

    @Test
    void hostHeaderMustNameTheServer() throws Exception {
        int port = fx.server.port();
        // Loopback names on any port: an ssh or Docker port forward (ssh -L 9000:localhost:8080) arrives as localhost:9000.
        for (String good : List.of("localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "localhost",
                "LOCALHOST:" + port, "localhost:" + (port + 1), "localhost:9000", "127.0.0.1:9000", "[::1]:9000")) {
            try (ServerFixture.RawStream s = fx.raw("GET", "/health", good, null)) {
                assertThat(s.status).as(good).isEqualTo(200);
            }
        }
        for (String bad : List.of("evil.example:" + port, "attacker.com", "127.0.0.1.nip.io:" + port, "localhost.evil.example")) {
            try (ServerFixture.RawStream s = fx.raw("GET", "/v1/models", bad, null, "Authorization", "Bearer " + KEY)) {
                assertThat(s.status).as(bad).isEqualTo(403);
                String body = String.join("\n", s.readAll());
                assertThat(body).contains("permission_error").contains("does not name this server")
                        .contains("--allowed-host " + bad.replaceAll(":\\d+$", ""));
            }
        }
        try (ServerFixture.RawStream s = fx.raw("POST", "/v1/messages", "rebind.example", MSG_BODY, "x-api-key", KEY)) {
            assertThat(s.status).isEqualTo(403);
            assertThat(String.join("\n", s.readAll())).contains("\"type\":\"error\"").contains("permission_error");
        }
    }

    @Test
    void allowedHostNamesAndTheMachinesOwnNamesWhenBoundBeyondLoopback() throws Exception {
        String hostname = java.net.InetAddress.getLocalHost().getHostName();
        try (ServerFixture open = new ServerFixture(TestModels::small, new EngineOptions(1, 16, 256, 1),
                ServerOptions.defaults().withHost("0.0.0.0").withAllowedHosts(List.of("my-box.lan", "Proxy.Example:8443")))) {
            for (String good : List.of("my-box.lan", "my-box.lan:9000", "proxy.example", hostname + ":" + open.server.port(),
                    "localhost:1234", "192.0.2.7:8080")) {
                try (ServerFixture.RawStream s = open.raw("GET", "/health", good, null)) {
                    assertThat(s.status).as(good).isEqualTo(200);
                }
            }
            try (ServerFixture.RawStream s = open.raw("GET", "/health", "other-box.lan", null)) {
                assertThat(s.status).isEqualTo(403);
            }
        }
        // Bound to loopback only, the machine's own name is not one of the server's (it cannot be reached by it).
        if (!hostname.equalsIgnoreCase("localhost")) {
            try (ServerFixture.RawStream s = fx.raw("GET", "/health", hostname, null)) {
                assertThat(s.status).isEqualTo(403);
            }
        }
    }

    @Test
    void corsAllowsOnlyTheConfiguredOrigin() {
        ServerFixture.Reply pre = fx.send("OPTIONS", "/v1/chat/completions", "Origin", ORIGIN,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type");
        assertThat(pre.status()).isEqualTo(204);
        assertThat(pre.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        assertThat(pre.header("Access-Control-Allow-Headers")).contains("authorization");
        ServerFixture.Reply other = fx.send("OPTIONS", "/v1/chat/completions", "Origin", "http://evil.example",
                "Access-Control-Request-Method", "POST");
        assertThat(other.header("Access-Control-Allow-Origin")).isNull();
        ServerFixture.Reply get = fx.get("/health", "Origin", ORIGIN);
        assertThat(get.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        assertThat(fx.get("/health", "Origin", "http://evil.example").header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void aPageOnAnotherSiteCannotStartOrCancelRequests() {
        // a cross-site form POST carries the key only if the page knows it; without --api-key nothing else stops it
        try (ServerFixture open = new ServerFixture(TestModels::small, new EngineOptions(1, 16, 256, 1),
                ServerOptions.defaults().withApiKey(null))) {
            int before = open.recorder.events.size();
            String evil = "http://evil.example";
            String msg = BadInputTest.openAiError(open.post("/v1/chat/completions", CHAT_BODY, "Origin", evil,
                    "Content-Type", "text/plain"), 403, "permission_error");
            assertThat(msg).contains("http://evil.example").contains("--cors-origin");
            assertThat(BadInputTest.openAiError(open.post("/v1/completions", "{\"prompt\":\"hi\",\"max_tokens\":2}",
                    "Origin", "null"), 403, "permission_error")).contains("'null'");
            assertThat(BadInputTest.anthropicError(open.post("/v1/messages", MSG_BODY, "Origin", evil), 403,
                    "permission_error")).contains("--cors-origin");
            assertThat(open.post("/v1/requests/x/cancel", "", "Origin", evil).status()).isEqualTo(403);
            assertThat(open.recorder.events).hasSize(before);
            // the dashboard (same origin) and clients that send no Origin still work; reading stays open
            String self = "http://127.0.0.1:" + open.server.port();
            assertThat(open.post("/v1/chat/completions", CHAT_BODY, "Origin", self).status()).isEqualTo(200);
            assertThat(open.post("/v1/chat/completions", CHAT_BODY).status()).isEqualTo(200);
            assertThat(open.get("/v1/models", "Origin", evil).status()).isEqualTo(200);
        }
        // the --cors-origin site may call the API
        assertThat(fx.post("/v1/chat/completions", CHAT_BODY, "Origin", ORIGIN, "Authorization", "Bearer " + KEY)
                .status()).isEqualTo(200);
        assertThat(fx.post("/v1/chat/completions", CHAT_BODY, "Origin", "http://localhost:5174",
                "Authorization", "Bearer " + KEY).status()).isEqualTo(403);
    }

    @Test
    void corsIsOffByDefault() {
        try (ServerFixture plain = new ServerFixture(TestModels::small, new EngineOptions(1, 16, 256, 1),
                ServerOptions.defaults().withApiKey(null))) {
            ServerFixture.Reply r = plain.get("/health", "Origin", "http://localhost:3000");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Access-Control-Allow-Origin")).isNull();
            ServerFixture.Reply pre = plain.send("OPTIONS", "/v1/chat/completions", "Origin", "http://localhost:3000",
                    "Access-Control-Request-Method", "POST");
            assertThat(pre.header("Access-Control-Allow-Origin")).isNull();
        }
    }
}
