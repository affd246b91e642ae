package io.logflow.model;

import java.util.Arrays;
import java.util.Map;

/**
 * The fast path of {@link EcsJson#write}: writes the ECS document straight into a reused byte
 * buffer, byte for byte what Jackson's generator writes (same escaping: {@code \"}, {@code \\},
 * {@code \b \t \n \f \r}, other control characters as {@code \}{@code u00XX}, everything else as UTF-8).
 * Returns null for what it does not write itself (a lone surrogate, a null label, a time outside
 * years 1970-9999), and EcsJson lets Jackson write it.
 */
final class EcsWriter {
  private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int KEEP_BUFFER_BYTES = 64 * 1024;
  /** 9999-12-31T23:59:59.999Z */
  private static final long MAX_FAST_MILLIS = 253402300799999L;
  private static final ThreadLocal<EcsWriter> WRITERS = ThreadLocal.withInitial(EcsWriter::new);

  private byte[] buf = new byte[1024];
  private int pos;

  private EcsWriter() {}

  static byte[] write(LogRecord r) {
    EcsWriter w = WRITERS.get();
    try {
      return w.doWrite(r) ? Arrays.copyOf(w.buf, w.pos) : null;
    } finally {
      if (w.buf.length > KEEP_BUFFER_BYTES) w.buf = new byte[1024];
    }
  }

  private boolean doWrite(LogRecord r) {
    pos = 0;
    if (r.timestamp() < 0 || r.timestamp() > MAX_FAST_MILLIS) return false;
    raw("{\"@timestamp\":\"");
    timestamp(r.timestamp());
    raw("\",\"event.id\":");
    if (!string(r.eventId())) return false;
    raw(",\"service.name\":");
    if (!string(r.service())) return false;
    raw(",\"log.level\":\"");
    raw(r.level().name());
    raw("\",\"message\":");
    if (!string(r.message())) return false;
    if (r.traceId() != null) {
      raw(",\"trace.id\":");
      if (!string(r.traceId())) return false;
    }
    if (r.spanId() != null) {
      raw(",\"span.id\":");
      if (!string(r.spanId())) return false;
    }
    if (r.requestId() != null) {
      raw(",\"http.request.id\":");
      if (!string(r.requestId())) return false;
    }
    if (r.correlationId() != null || !r.labels().isEmpty()) {
      raw(",\"labels\":{");
      boolean first = true;
      if (r.correlationId() != null) {
        raw("\"correlation_id\":");
        if (!string(r.correlationId())) return false;
        first = false;
      }
      for (Map.Entry<String, String> e : r.labels().entrySet()) {
        if (e.getKey() == null || e.getValue() == null) return false;
        if (!first) byte1(',');
        first = false;
        if (!string(e.getKey())) return false;
        byte1(':');
        if (!string(e.getValue())) return false;
      }
      byte1('}');
    }
    byte1('}');
    return true;
  }

  /** As Instant.toString for millisecond times in years 1970-9999: yyyy-MM-ddTHH:mm:ss[.SSS]Z. */
  private void timestamp(long millis) {
    long secs = Math.floorDiv(millis, 1000L);
    int ms = (int) Math.floorMod(millis, 1000L);
    long days = Math.floorDiv(secs, 86_400L);
    int secOfDay = (int) Math.floorMod(secs, 86_400L);
    // civil-from-days (H. Hinnant), days since 1970-01-01
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int d = (int) (doy - (153 * mp + 2) / 5 + 1);
    int m = (int) (mp < 10 ? mp + 3 : mp - 9);
    if (m <= 2) y++;
    ensure(32);
    digits((int) y, 4);
    buf[pos++] = '-';
    digits(m, 2);
    buf[pos++] = '-';
    digits(d, 2);
    buf[pos++] = 'T';
    digits(secOfDay / 3600, 2);
    buf[pos++] = ':';
    digits(secOfDay / 60 % 60, 2);
    buf[pos++] = ':';
    digits(secOfDay % 60, 2);
    if (ms != 0) {
      buf[pos++] = '.';
      digits(ms, 3);
    }
    buf[pos++] = 'Z';
  }

  private void digits(int v, int width) {
    for (int i = width - 1; i >= 0; i--) {
      buf[pos + i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    pos += width;
  }

  /** ASCII text that needs no escaping. */
  private void raw(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) buf[pos++] = (byte) s.charAt(i);
  }

  private void byte1(char c) {
    ensure(1);
    buf[pos++] = (byte) c;
  }

  /** A quoted JSON string; false for a lone surrogate (Jackson decides how to write it). */
  private boolean string(String s) {
    int n = s.length();
    ensure(n * 3 + 2); // worst case per char: 3 bytes of UTF-8; escapes and pairs are handled below
    byte[] b = buf;
    int p = pos;
    b[p++] = '"';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          b[p++] = (byte) c;
          continue;
        }
        pos = p;
        ensure(6 + (n - i) * 3 + 1);
        b = buf;
        p = pos;
        b[p++] = '\\';
        switch (c) {
          case '"' -> b[p++] = '"';
          case '\\' -> b[p++] = '\\';
          case '\b' -> b[p++] = 'b';
          case '\t' -> b[p++] = 't';
          case '\n' -> b[p++] = 'n';
          case '\f' -> b[p++] = 'f';
          case '\r' -> b[p++] = 'r';
          default -> {
            b[p++] = 'u';
            b[p++] = '0';
            b[p++] = '0';
            b[p++] = HEX_UPPER[c >> 4];
            b[p++] = HEX_UPPER[c & 0xF];
          }
        }
      } else if (c < 0x800) {
        b[p++] = (byte) (0xC0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      } else if (!Character.isSurrogate(c)) {
        b[p++] = (byte) (0xE0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      } else {
        if (!Character.isHighSurrogate(c) || i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) return false;
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[p++] = (byte) (0xF0 | (cp >> 18));
        b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (cp & 0x3F));
      }
    }
    b[p++] = '"';
    pos = p;
    return true;
  }

  private void ensure(int extra) {
    if (pos + extra > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
  }
}
