package dev.cairn.chat;

import java.security.SecureRandom;

/** Fresh ids for calls whose model gives none. */
final class CallIds {
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private CallIds() {
    }

    /** "call_" and 24 random letters and digits, as OpenAI-style clients expect. */
    static String openAi() {
        return "call_" + alphanumeric(24);
    }

    /** Nine random letters and digits: Mistral's templates refuse any other id in the history. */
    static String mistral() {
        return alphanumeric(9);
    }

    static String alphanumeric(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return sb.toString();
    }

    static String alphabet() {
        return ALPHANUMERIC;
    }
}
