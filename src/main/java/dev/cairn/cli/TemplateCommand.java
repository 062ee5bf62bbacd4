package dev.cairn.cli;

import dev.cairn.chat.ChatMessage;
import dev.cairn.chat.ChatMessagesJson;
import dev.cairn.chat.ChatTemplate;
import dev.cairn.chat.ChatTemplates;
import dev.cairn.chat.TemplateException;
import dev.cairn.chat.ToolSpec;
import dev.cairn.gguf.GgufException;
import dev.cairn.gguf.GgufFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the exact prompt a chat template renders for a messages file (nothing added, not even a newline). */
@Command(name = "template", mixinStandardHelpOptions = true,
        description = {"Render a chat template for an OpenAI-style messages file and print the exact prompt.",
                "Example: cairn template --model qwen3.gguf --messages chat.json --kwargs '{\"enable_thinking\": false}'"})
public final class TemplateCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "FILE.gguf", description = "Use this model's own chat template (or cairn's fallback).")
    Path model;

    @Option(names = "--template", paramLabel = "FILE.jinja", description = "Use this Jinja chat template file.")
    Path template;

    @Option(names = "--bos-token", paramLabel = "T", description = "bos_token for --template (default: empty).")
    String bosToken = "";

    @Option(names = "--eos-token", paramLabel = "T", description = "eos_token for --template (default: empty).")
    String eosToken = "";

    @Option(names = "--messages", paramLabel = "FILE.json", description = "OpenAI-style messages array.")
    Path messages;

    @Option(names = "--tools", paramLabel = "FILE.json",
            description = "OpenAI-style tools array given to the template (described in the system prompt when the template knows no tools).")
    Path tools;

    @Option(names = "--no-generation-prompt", description = "Do not end with the assistant's turn header.")
    boolean noGenerationPrompt;

    @Option(names = "--kwargs", paramLabel = "JSON", description = "Extra template arguments as a JSON object.")
    String kwargs;

    @Override
    public Integer call() {
        try {
            String prompt = render();
            // Raw UTF-8 bytes: the console charset may be ASCII and the prompt must come out byte for byte.
            byte[] bytes = prompt.getBytes(StandardCharsets.UTF_8);
            PrintStream out = System.out;
            out.write(bytes, 0, bytes.length);
            out.flush();
            return 0;
        } catch (UsageError | IllegalArgumentException | TemplateException | GgufException e) {
            System.err.println("cairn template: " + e.getMessage());
            return 1;
        }
    }

    private String render() {
        if ((model == null) == (template == null)) {
            throw new UsageError("give exactly one of --model FILE.gguf or --template FILE.jinja");
        }
        if (messages == null) {
            throw new UsageError("--messages FILE.json is required");
        }
        if (model != null && (!bosToken.isEmpty() || !eosToken.isEmpty())) {
            throw new UsageError("--bos-token/--eos-token go with --template; a model's tokens come from its vocabulary");
        }
        List<ChatMessage> msgs = ChatMessagesJson.parse(read(messages, "messages file"));
        Map<String, Object> extra = kwargs == null ? Map.of() : ChatMessagesJson.parseKwargs(kwargs);
        ChatTemplate chat;
        if (model != null) {
            try (GgufFile gguf = GgufFile.open(model)) {
                chat = ChatTemplates.forGguf(gguf);
            }
        } else {
            chat = ChatTemplates.fromString(read(template, "template file"), bosToken, eosToken);
        }
        List<ToolSpec> toolSpecs = tools == null ? List.of() : ChatMessagesJson.parseTools(read(tools, "tools file"));
        return chat.render(msgs, toolSpecs, !noGenerationPrompt, extra);
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageError(what + " " + file + " does not exist");
        } catch (IOException e) {
            throw new UsageError("cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }

    private static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }
}
