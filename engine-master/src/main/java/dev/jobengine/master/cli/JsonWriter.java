package dev.jobengine.master.cli;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON from plain values: {@link Map} (string keys, in their iteration order) for objects,
 * {@link List} for arrays, {@link String}, {@link Long} and {@link Integer} (and other integral
 * numbers), {@link Double} (NaN and infinities as null), {@link Boolean}, and null. Indented by two
 * spaces, one member or element a line; empty objects and arrays as {@code {}} and {@code []}.
 * Strings are escaped so that the output is plain ASCII-safe JSON: quotes, backslashes, control
 * characters, U+2028/U+2029 and lone surrogates become escapes.
 */
final class JsonWriter {
  private final StringBuilder out = new StringBuilder();

  private JsonWriter() {}

  /** {@code value} as JSON text, without a trailing newline. */
  static String write(Object value) {
    JsonWriter w = new JsonWriter();
    w.value(value, 0);
    return w.out.toString();
  }

  private void value(Object value, int depth) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      string(s);
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      out.append(Double.isFinite(d) ? Double.toString(d) : "null");
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      out.append(((Number) value).longValue());
    } else if (value instanceof Map<?, ?> map) {
      object(map, depth);
    } else if (value instanceof List<?> list) {
      array(list, depth);
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
  }

  private void object(Map<?, ?> map, int depth) {
    if (map.isEmpty()) {
      out.append("{}");
      return;
    }
    out.append('{');
    for (Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<?, ?> e = it.next();
      if (!(e.getKey() instanceof String key)) {
        throw new IllegalArgumentException("a JSON object's keys are strings, not " + e.getKey());
      }
      newline(depth + 1);
      string(key);
      out.append(": ");
      value(e.getValue(), depth + 1);
      if (it.hasNext()) {
        out.append(',');
      }
    }
    newline(depth);
    out.append('}');
  }

  private void array(List<?> list, int depth) {
    if (list.isEmpty()) {
      out.append("[]");
      return;
    }
    out.append('[');
    for (int i = 0; i < list.size(); i++) {
      newline(depth + 1);
      value(list.get(i), depth + 1);
      if (i < list.size() - 1) {
        out.append(',');
      }
    }
    newline(depth);
    out.append(']');
  }

  private void newline(int depth) {
    out.append('\n');
    out.append("  ".repeat(depth));
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029' || c == 0x7f) {
            unicode(c);
          } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i)); // a pair: one character beyond the BMP
          } else if (Character.isSurrogate(c)) {
            unicode(c); // alone it is no character, and not valid UTF-8
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private void unicode(char c) {
    out.append(String.format("\\u%04x", (int) c));
  }
}
