package dev.cairn.chat;

/** A chat template refused the conversation or failed; the message is fit for a client error. */
public class TemplateException extends RuntimeException {
    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
