package dev.cairn.server;

import dev.cairn.chat.ChatMessage;
import dev.cairn.chat.ChatTemplate;
import dev.cairn.engine.ModelBundle;
import dev.cairn.model.KvCache;
import dev.cairn.model.Model;
import dev.cairn.model.ModelConfig;
import dev.cairn.tokenizer.TokenDecoder;
import dev.cairn.tokenizer.Tokenizer;
import java.util.List;
import java.util.Map;

/** Temporary development stand-in (characters as tokens, a deterministic "model") until real models land. */
final class DevBundle {
    static final String ALPHABET = "..abcdefghijklmnopqrstuvwxyz0123456789 !<>:\n";
    static final int VOCAB = ALPHABET.length();

    static ModelBundle create(int delayMs) {
        return new ModelBundle("dev-model", null, new DevModel(delayMs), new DevTokenizer(), new DevTemplate());
    }

    static final class DevTemplate implements ChatTemplate {
        @Override
        public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> extraArgs) {
            StringBuilder sb = new StringBuilder();
            for (ChatMessage m : messages) {
                sb.append('<').append(m.role().charAt(0)).append('>').append(m.content().toLowerCase()).append('\n');
            }
            if (addGenerationPrompt) {
                sb.append("<a>");
            }
            return sb.toString();
        }
    }

    static final class DevModel implements Model {
        final int delayMs;
        final ModelConfig config = new ModelConfig("dev", VOCAB, 8, 1, 1, 1, 8, 8, 4096, 1e-5f, 1e4f, false, true);

        DevModel(int delayMs) {
            this.delayMs = delayMs;
        }

        static final class Cache implements KvCache {
            final int[] tokens;
            int length;

            Cache(int n) {
                tokens = new int[n];
            }

            public int length() {
                return length;
            }

            public int capacity() {
                return tokens.length;
            }

            public void truncate(int n) {
                length = Math.min(length, n);
            }

            public long bytes() {
                return 0;
            }
        }

        public ModelConfig config() {
            return config;
        }

        public KvCache newCache(int ctxSize) {
            return new Cache(ctxSize);
        }

        public float[] forward(KvCache kv, int[] tokens, int from, int count, boolean wantLogits) {
            Cache c = (Cache) kv;
            if (delayMs > 0) {
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            System.arraycopy(tokens, from, c.tokens, c.length, count);
            c.length += count;
            if (!wantLogits) {
                return null;
            }
            float[] logits = new float[VOCAB];
            int pos = c.length - 1;
            logits[2 + Math.floorMod(c.tokens[pos] * 7 + pos * 3, 26)] = 10f;
            return logits;
        }

        public void close() {
        }
    }

    static final class DevTokenizer implements Tokenizer {
        public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
            int[] ids = new int[text.length() + (addSpecial ? 1 : 0)];
            int k = 0;
            if (addSpecial) {
                ids[k++] = 1;
            }
            for (char ch : text.toCharArray()) {
                int i = ALPHABET.indexOf(ch, 2);
                ids[k++] = i < 0 ? 2 : i;
            }
            return ids;
        }

        public String decode(int[] ids) {
            StringBuilder b = new StringBuilder();
            for (int id : ids) {
                b.append(tokenText(id));
            }
            return b.toString();
        }

        public TokenDecoder newDecoder() {
            return new TokenDecoder() {
                public String push(int id) {
                    return tokenText(id);
                }

                public String flush() {
                    return "";
                }
            };
        }

        public int vocabSize() {
            return VOCAB;
        }

        public int bosId() {
            return 1;
        }

        public int eosId() {
            return 0;
        }

        public boolean isEndOfGeneration(int id) {
            return id == 0;
        }

        public String tokenText(int id) {
            return id < 2 ? "" : String.valueOf(ALPHABET.charAt(id));
        }
    }
}
