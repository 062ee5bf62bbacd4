package dev.cairn.cli;

import picocli.CommandLine.Option;

/** Which running server a client command talks to. */
final class ServerConnection {
    static final String DEFAULT_URL = "http://127.0.0.1:8080";

    @Option(names = "--url", defaultValue = DEFAULT_URL, paramLabel = "URL",
            description = "The running server (default ${DEFAULT-VALUE}, where `cairn serve` listens by default).")
    String url;

    @Option(names = "--api-key", paramLabel = "KEY", description = "The server's API key; default $CAIRN_API_KEY.")
    String apiKey;

    String key() {
        return apiKey != null ? apiKey : System.getenv("CAIRN_API_KEY");
    }
}
