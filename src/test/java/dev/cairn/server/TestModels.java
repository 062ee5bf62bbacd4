package dev.cairn.server;

import dev.cairn.engine.ModelBundle;

/** The models the server tests run on. */
final class TestModels {
    private TestModels() {
    }

    /** A small model for shape and error tests. */
    static ModelBundle small() {
        return DevBundle.create(0);
    }

    /** A model whose prefill takes long enough (per chunk) to disconnect, queue and cancel mid-way. */
    static ModelBundle slow() {
        return DevBundle.create(15);
    }
}
