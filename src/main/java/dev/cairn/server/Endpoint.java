package dev.cairn.server;

/** The generation endpoints; each has its own id prefix and response shapes. */
enum Endpoint {
    CHAT("/v1/chat/completions", "chatcmpl-"),
    COMPLETION("/v1/completions", "cmpl-"),
    MESSAGES("/v1/messages", "msg_"),
    RESPONSES("/v1/responses", "resp_");

    final String path;
    final String idPrefix;

    Endpoint(String path, String idPrefix) {
        this.path = path;
        this.idPrefix = idPrefix;
    }

    Dialect dialect() {
        return this == MESSAGES ? Dialect.ANTHROPIC : Dialect.OPENAI;
    }

    String newId() {
        return idPrefix + Ids.random(24);
    }
}
