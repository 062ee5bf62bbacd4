package dev.cairn.chat;

import com.hubspot.jinjava.objects.date.StrftimeFormatter;
import java.time.ZonedDateTime;
import java.util.Locale;

/** The global functions Hugging Face adds to a chat template's environment. */
public final class TemplateFunctions {
    private TemplateFunctions() {
    }

    /** {@code raise_exception(msg)}: the template refuses the conversation; the message goes to the client. */
    public static Object raiseException(Object message) {
        throw new TemplateRaised(message == null ? "the chat template raised an error" : message.toString());
    }

    /** {@code strftime_now(fmt)}: the current local time in Python strftime format (e.g. "%d %b %Y"). */
    public static String strftimeNow(String format) {
        return StrftimeFormatter.format(ZonedDateTime.now(), format, Locale.ENGLISH);
    }

    /** Thrown by {@code raise_exception}; carried through Jinjava's error list and rethrown as TemplateException. */
    static final class TemplateRaised extends RuntimeException {
        TemplateRaised(String message) {
            super(message, null, false, false);
        }
    }
}
