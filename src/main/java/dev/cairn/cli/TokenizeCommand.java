package dev.cairn.cli;

import dev.cairn.gguf.GgufException;
import dev.cairn.gguf.GgufFile;
import dev.cairn.tokenizer.Tokenizer;
import dev.cairn.tokenizer.Tokenizers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints the token ids of a text, the way {@code llama-tokenize --ids} does, on one line. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Print the token ids of a text with a model's own tokenizer, space-separated on one line.")
public final class TokenizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE.gguf", description = "GGUF file whose vocabulary to use.")
    Path model;

    @Option(names = "--no-special", description = "Add no BOS/EOS (by default they are added as the model's metadata says).")
    boolean noSpecial;

    @Option(names = "--parse-special", description = "Match special-token text such as <|im_start|> in the input as single tokens.")
    boolean parseSpecial;

    @Option(names = "--file", paramLabel = "PATH", description = "Read the text from this file, byte for byte (nothing stripped).")
    Path file;

    @Parameters(arity = "0..1", paramLabel = "TEXT", description = "The text to tokenize (or use --file).")
    String text;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (model == null) {
                return fail(err, "--model FILE.gguf is required");
            }
            if ((text == null) == (file == null)) {
                return fail(err, text == null ? "give the text to tokenize, or --file PATH" : "give either TEXT or --file, not both");
            }
            String input = text != null ? text : readUtf8(file);
            Tokenizer tok;
            try (GgufFile gguf = GgufFile.open(model)) {
                tok = Tokenizers.fromGguf(gguf);
            }
            int[] ids = tok.encode(input, !noSpecial, parseSpecial);
            PrintWriter out = spec.commandLine().getOut();
            out.println(Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
            out.flush();
            return 0;
        } catch (GgufException | InputException e) {
            return fail(err, e.getMessage());
        }
    }

    private static int fail(PrintWriter err, String message) {
        err.println("cairn tokenize: " + message);
        err.flush();
        return 1;
    }

    /** A problem with the user's input file, reported as one line. */
    private static final class InputException extends RuntimeException {
        InputException(String message) {
            super(message);
        }
    }

    /** The file's bytes as UTF-8; invalid UTF-8 is an error rather than silently replaced. */
    static String readUtf8(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new InputException(path + ": no such file");
        } catch (IOException e) {
            throw new InputException(path + ": cannot read: " + e.getMessage());
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InputException(path + ": not valid UTF-8 text");
        }
    }
}
