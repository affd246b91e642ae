package io.logflow.model;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fast path of {@link EcsJson#read}: reads the documents {@link EcsJson#write} produces (no
 * whitespace, every value a string, only the ECS names) without a Jackson parser, with exactly the
 * result of the Jackson reader, including the exceptions it throws on a bad time or level. For
 * anything else (whitespace, another name, a value that is not a string, an escape it does not
 * decode, a byte sequence that is not plain UTF-8, content after the object) it returns null and
 * EcsJson reads the document with Jackson.
 */
final class EcsReader {
  private static final byte[][] NAMES = {
      ascii(EcsJson.TIMESTAMP), ascii(EcsJson.EVENT_ID), ascii(EcsJson.SERVICE), ascii(EcsJson.LEVEL), ascii(EcsJson.MESSAGE),
      ascii(EcsJson.TRACE_ID), ascii(EcsJson.SPAN_ID), ascii(EcsJson.REQUEST_ID), ascii(EcsJson.LABELS)};
  private static final int TIMESTAMP = 0, EVENT_ID = 1, SERVICE = 2, LEVEL = 3, MESSAGE = 4, TRACE_ID = 5, SPAN_ID = 6, REQUEST_ID = 7, LABELS = 8;

  /** Longer label names are left to Jackson, which enforces its own limit on name length. */
  private static final int MAX_FAST_NAME = 1000;

  private final byte[] b;
  private int pos;

  private EcsReader(byte[] b) {
    this.b = b;
  }

  /** The log, or null when the Jackson reader must read this document. */
  static LogRecord read(byte[] json) {
    return new EcsReader(json).document();
  }

  private LogRecord document() {
    String eventId = null, service = null, message = null, traceId = null, spanId = null, requestId = null, correlationId = null;
    Level level = Level.INFO;
    long timestamp = 0;
    Map<String, String> labels = Map.of();
    if (b.length < 2 || b[0] != '{') return null;
    pos = 1;
    if (b[pos] == '}') {
      pos++;
    } else {
      while (true) {
        int name = knownName();
        if (name < 0 || !expect(':')) return null;
        if (name == LABELS) {
          if (!expect('{')) return null;
          labels = new LinkedHashMap<>();
          if (pos < b.length && b[pos] == '}') {
            pos++;
          } else {
            while (true) {
              String k = string();
              if (k == null || k.length() > MAX_FAST_NAME || !expect(':')) return null; // Jackson limits name lengths
              String v = string();
              if (v == null) return null;
              if (EcsJson.CORRELATION_LABEL.equals(k)) correlationId = v; else labels.put(k, v);
              if (pos >= b.length) return null;
              byte c = b[pos++];
              if (c == '}') break;
              if (c != ',') return null;
            }
          }
        } else {
          String v = string();
          if (v == null) return null;
          switch (name) {
            case TIMESTAMP -> timestamp = EcsJson.parseInstant(v);
            case EVENT_ID -> eventId = v;
            case SERVICE -> service = v;
            case LEVEL -> level = Level.valueOf(v);
            case MESSAGE -> message = v;
            case TRACE_ID -> traceId = v;
            case SPAN_ID -> spanId = v;
            default -> requestId = v;
          }
        }
        if (pos >= b.length) return null;
        byte c = b[pos++];
        if (c == '}') break;
        if (c != ',') return null;
      }
    }
    if (pos != b.length) return null;
    return new LogRecord(eventId, timestamp, service, level, message, traceId, spanId, requestId, correlationId, labels);
  }

  private boolean expect(char c) {
    if (pos < b.length && b[pos] == c) {
      pos++;
      return true;
    }
    return false;
  }

  /** Which ECS name is next (as a quoted, unescaped string), or -1. */
  private int knownName() {
    if (pos >= b.length || b[pos] != '"') return -1;
    int start = pos + 1;
    int end = start;
    while (end < b.length && b[end] != '"') {
      if (b[end] == '\\') return -1;
      end++;
    }
    if (end >= b.length) return -1;
    int len = end - start;
    for (int i = 0; i < NAMES.length; i++) {
      byte[] n = NAMES[i];
      if (n.length == len && java.util.Arrays.equals(b, start, end, n, 0, len)) {
        pos = end + 1;
        return i;
      }
    }
    return -1;
  }

  /** A quoted string, or null for what this reader leaves to Jackson. */
  private String string() {
    if (pos >= b.length || b[pos] != '"') return null;
    int start = pos + 1;
    int i = start;
    boolean ascii = true;
    while (true) {
      if (i >= b.length) return null;
      int c = b[i];
      if (c == '"') break;
      if (c == '\\') return escaped(start, i);
      if (c < 0) ascii = false;
      else if (c < 0x20) return null; // Jackson refuses raw control characters
      i++;
    }
    pos = i + 1;
    if (ascii) return new String(b, start, i - start, StandardCharsets.ISO_8859_1);
    return utf8(start, i);
  }

  /** Non-ASCII text: decoded only when it is well-formed UTF-8 (a malformed sequence would decode to U+FFFD). */
  private static String utf8(byte[] b, int start, int end) {
    String s = new String(b, start, end - start, StandardCharsets.UTF_8);
    return s.indexOf('\uFFFD') >= 0 ? null : s;
  }

  private String utf8(int start, int end) {
    return utf8(b, start, end);
  }

  /** A string with escapes, from {@code start}; {@code i} is the first backslash. */
  private String escaped(int start, int i) {
    StringBuilder sb = new StringBuilder(i - start + 16);
    int runStart = start;
    while (true) {
      if (i >= b.length) return null;
      int c = b[i];
      if (c == '"') break;
      if (c >= 0 && c < 0x20) return null;
      if (c != '\\') {
        i++;
        continue;
      }
      if (i > runStart && !appendRun(sb, runStart, i)) return null;
      if (i + 1 >= b.length) return null;
      byte e = b[i + 1];
      switch (e) {
        case '"' -> sb.append('"');
        case '\\' -> sb.append('\\');
        case '/' -> sb.append('/');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (i + 6 > b.length) return null;
          int v = 0;
          for (int k = i + 2; k < i + 6; k++) {
            int d = Character.digit(b[k], 16);
            if (d < 0) return null;
            v = (v << 4) | d;
          }
          if (Character.isSurrogate((char) v)) return null; // Jackson's rules for those
          sb.append((char) v);
          i += 4;
        }
        default -> {
          return null;
        }
      }
      i += 2;
      runStart = i;
    }
    if (i > runStart && !appendRun(sb, runStart, i)) return null;
    pos = i + 1;
    return sb.toString();
  }

  private boolean appendRun(StringBuilder sb, int from, int to) {
    for (int k = from; k < to; k++) {
      if (b[k] < 0) {
        String s = utf8(b, from, to);
        if (s == null) return false;
        sb.append(s);
        return true;
      }
    }
    for (int k = from; k < to; k++) sb.append((char) b[k]);
    return true;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
