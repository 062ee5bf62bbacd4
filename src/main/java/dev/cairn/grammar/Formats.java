package dev.cairn.grammar;

import static dev.cairn.grammar.Grammar.anyOf;
import static dev.cairn.grammar.Grammar.byteRange;
import static dev.cairn.grammar.Grammar.choice;
import static dev.cairn.grammar.Grammar.literal;
import static dev.cairn.grammar.Grammar.optional;
import static dev.cairn.grammar.Grammar.repeat;
import static dev.cairn.grammar.Grammar.sequence;

/** The string formats JSON schemas name, as grammars of the text between the quotes (RFC 3339 and RFC 4122). */
final class Formats {
    private Formats() {
    }

    private static final Grammar D = JsonGrammars.DIGIT;
    private static final Grammar DAY_28 = choice(sequence(literal("0"), byteRange('1', '9')),
            sequence(literal("1"), D), sequence(literal("2"), byteRange('0', '8')));
    private static final Grammar DAY_30 = choice(DAY_28, literal("29"), literal("30"));
    private static final Grammar DAY_31 = choice(DAY_30, literal("31"));
    /** February stops at the 28th: the 29th is valid in leap years only, which a grammar cannot cheaply tell. */
    static final Grammar DATE = sequence(repeat(D, 4, 4), literal("-"), choice(
            sequence(choice(literal("01"), literal("03"), literal("05"), literal("07"), literal("08"), literal("10"),
                    literal("12")), literal("-"), DAY_31),
            sequence(choice(literal("04"), literal("06"), literal("09"), literal("11")), literal("-"), DAY_30),
            sequence(literal("02-"), DAY_28)));
    private static final Grammar HOUR = choice(sequence(anyOf("01"), D), sequence(literal("2"), byteRange('0', '3')));
    private static final Grammar MINUTE = sequence(byteRange('0', '5'), D);
    static final Grammar TIME = sequence(HOUR, literal(":"), MINUTE, literal(":"), MINUTE,
            optional(sequence(literal("."), repeat(D, 1, 9))),
            choice(literal("Z"), sequence(anyOf("+-"), HOUR, literal(":"), MINUTE)));
    static final Grammar DATE_TIME = sequence(DATE, literal("T"), TIME);
    private static final Grammar HEX = JsonGrammars.HEX;
    static final Grammar UUID = sequence(repeat(HEX, 8, 8), literal("-"), repeat(HEX, 4, 4), literal("-"),
            repeat(HEX, 4, 4), literal("-"), repeat(HEX, 4, 4), literal("-"), repeat(HEX, 12, 12));

    static Grammar of(String format) {
        return switch (format) {
            case "date" -> DATE;
            case "time" -> TIME;
            case "date-time" -> DATE_TIME;
            case "uuid" -> UUID;
            default -> throw new SchemaException("format", "the string format '" + format + "' is not supported");
        };
    }
}
