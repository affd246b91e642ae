package io.logflow.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whatever arrives, the normaliser answers Accepted or Rejected, and an accepted log survives both encodings. */
class NormalizerRobustnessTest {
  private static final List<String> FIELDS = List.of("@timestamp", "timestamp", "time", "service", "service_name", "level", "log.level",
      "severity", "severity_text", "severity_number", "message", "msg", "trace_id", "traceId", "span_id", "request_id", "correlation_id",
      "labels", "event.id", "x", "nested", "ünï", "");
  private final Random random = new Random(42);

  @Test
  void randomDocuments_neverThrow_andAcceptedLogsRoundTrip() {
    int accepted = 0;
    for (int i = 0; i < 20_000; i++) {
      String json = randomObject(0);
      LogNormalizer.Result r = LogNormalizer.normalize(json.getBytes(StandardCharsets.UTF_8), "e" + i, TestObjects.T0);
      if (r instanceof LogNormalizer.Accepted a) {
        accepted++;
        LogRecord log = a.log();
        assertThat(EcsJson.read(EcsJson.write(log))).as(json).isEqualTo(log);
        assertThat(LogFlowSerdes.logRecord().deserializer().deserialize("t", LogFlowSerdes.logRecord().serializer().serialize("t", log))).as(json).isEqualTo(log);
        assertThat(log.timestamp()).as(json).isNotNegative();
      } else {
        assertThat(((LogNormalizer.Rejected) r).reason()).isNotBlank();
      }
    }
    assertThat(accepted).isGreaterThan(1000); // the generator does produce valid logs too
  }

  @Test
  void randomBytes_andTruncatedJson_neverThrow() {
    for (int i = 0; i < 5_000; i++) {
      byte[] b = new byte[random.nextInt(64)];
      random.nextBytes(b);
      assertThat(LogNormalizer.normalize(b, "e", TestObjects.T0)).isNotNull();
      String json = randomObject(0);
      String cut = json.substring(0, random.nextInt(json.length() + 1));
      assertThat(LogNormalizer.normalize(cut.getBytes(StandardCharsets.UTF_8), "e", TestObjects.T0)).isNotNull();
    }
  }

  @Test
  void templatesOfRandomMessages_neverThrow_andStayShort() {
    String alphabet = "0123456789abcdefABCDEFxX-_. :/|zq\u00e9";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = random.nextInt(i % 100 == 0 ? 2000 : 80);
      for (int k = 0; k < n; k++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      String template = MessageTemplates.of(sb.toString());
      assertThat(template.length()).isLessThanOrEqualTo(MessageTemplates.MAX_TEMPLATE_LENGTH);
      assertThat(MessageTemplates.of(sb.toString())).isEqualTo(template);
    }
  }

  @Test
  void deeplyNestedDocument_isRejectedNotThrown() {
    String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
    assertThat(LogNormalizer.normalize(deep.getBytes(StandardCharsets.UTF_8), "e", TestObjects.T0)).isNotNull();
    String deepMessage = "{\"message\":\"m\"," + "\"a\":{".repeat(100) + "\"b\":1" + "}".repeat(100) + "}";
    LogNormalizer.Result r = LogNormalizer.normalize(deepMessage.getBytes(StandardCharsets.UTF_8), "e", TestObjects.T0);
    assertThat(r).isInstanceOf(LogNormalizer.Accepted.class);
  }

  private String randomObject(int depth) {
    StringBuilder sb = new StringBuilder("{");
    int n = random.nextInt(6) + (depth == 0 ? 1 : 0);
    boolean withMessage = depth == 0 && random.nextInt(4) != 0;
    if (withMessage) sb.append("\"message\":").append(randomValue(depth + 1, true)).append(n > 0 ? "," : "");
    for (int i = 0; i < n; i++) {
      if (i > 0) sb.append(',');
      sb.append('"').append(FIELDS.get(random.nextInt(FIELDS.size()))).append("\":").append(randomValue(depth + 1, false));
    }
    return sb.append('}').toString();
  }

  private String randomValue(int depth, boolean preferString) {
    int kind = preferString ? random.nextInt(3) : random.nextInt(10);
    return switch (kind) {
      case 0, 1 -> '"' + randomText() + '"';
      case 2 -> String.valueOf(random.nextInt(3) == 0 ? random.nextLong() : (long) (random.nextDouble() * 2e12));
      case 3 -> String.valueOf(random.nextDouble() * 1e10);
      case 4 -> "null";
      case 5 -> String.valueOf(random.nextBoolean());
      case 6 -> depth < 4 ? randomObject(depth) : "{}";
      case 7 -> "[" + (depth < 4 ? randomValue(depth + 1, false) : "1") + "]";
      case 8 -> "\"2026-01-01T00:00:0" + random.nextInt(10) + (random.nextBoolean() ? "Z" : "+01:00") + "\"";
      default -> "\"" + List.of("INFO", "warning", "Critical", "4bf92f3577b34da6a3ce929d0e0e4736", "550e8400-e29b-41d4-a716-446655440000", "", " ").get(random.nextInt(7)) + "\"";
    };
  }

  private String randomText() {
    String alphabet = "ab c1 9-_.:|/\\\\\\\"é✓\\u0000\\ud83d\\ude00\\n";
    StringBuilder sb = new StringBuilder();
    int n = random.nextInt(12);
    for (int i = 0; i < n; i++) {
      char c = alphabet.charAt(random.nextInt(alphabet.length()));
      if (c == '\\') sb.append("\\\\");
      else if (c == '"') sb.append("\\\"");
      else sb.append(c);
    }
    return sb.toString();
  }
}
