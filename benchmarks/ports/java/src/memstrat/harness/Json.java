// A small JSON writer and reader (the standard library has neither): values
// are null, Boolean, Long, Double, String, List<Object> and Map<String,
// Object>. Written as nlohmann::json's dump(1) writes the C++ probe (one-space
// indent, keys sorted), so the documents of every language read alike; doubles keep a decimal point ("20000.0").
package memstrat.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

public final class Json {
  private Json() {}

  /** A sorted object built from alternating keys and values. */
  public static Map<String, Object> obj(Object... kv) {
    Map<String, Object> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  public static String dump(Object v) {
    StringBuilder out = new StringBuilder();
    write(v, 0, out);
    return out.toString();
  }

  /** One line, no indentation (for the child's raw results). */
  public static String compact(Object v) {
    StringBuilder out = new StringBuilder();
    write(v, -1, out);
    return out.toString();
  }

  private static void pad(int depth, StringBuilder out) {
    if (depth < 0) {
      return;
    }
    out.append('\n');
    for (int i = 0; i < depth; i++) {
      out.append(' ');
    }
  }

  private static void write(Object v, int depth, StringBuilder out) {
    int inner = depth < 0 ? -1 : depth + 1;
    if (v == null) {
      out.append("null");
    } else if (v instanceof Boolean || v instanceof Long || v instanceof Integer) {
      out.append(v);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      // JSON has no NaN or infinities.
      out.append(Double.isFinite(d) ? Double.toString(d).replace("E", "e") : "null");
    } else if (v instanceof String) {
      string((String) v, out);
    } else if (v instanceof List) {
      List<?> a = (List<?>) v;
      if (a.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append('[');
      for (int i = 0; i < a.size(); i++) {
        if (i > 0) {
          out.append(depth < 0 ? ", " : ",");
        }
        pad(inner, out);
        write(a.get(i), inner, out);
      }
      pad(depth, out);
      out.append(']');
    } else if (v instanceof Map) {
      // Keys sorted always, as nlohmann::json writes them.
      Map<String, ?> m = new TreeMap<>(map(v));
      if (m.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, ?> e : m.entrySet()) {
        if (!first) {
          out.append(depth < 0 ? ", " : ",");
        }
        first = false;
        pad(inner, out);
        string(e.getKey(), out);
        out.append(": ");
        write(e.getValue(), inner, out);
      }
      pad(depth, out);
      out.append('}');
    } else if (v instanceof long[]) {
      List<Object> a = new ArrayList<>();
      for (long x : (long[]) v) {
        a.add(x);
      }
      write(a, depth, out);
    } else {
      throw new IllegalArgumentException("Json: cannot write a " + v.getClass().getName());
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  /** Thrown for text that is not JSON: a one-line reason. */
  public static final class ParseError extends Exception {
    private static final long serialVersionUID = 1L;

    ParseError(String message) {
      super(message);
    }
  }

  /** Integers as Long, other numbers as Double, objects in file order. */
  public static Object parse(String text) throws ParseError {
    Reader r = new Reader(text);
    Object v = r.value();
    r.ws();
    if (r.i != text.length()) {
      throw new ParseError("trailing characters at offset " + r.i);
    }
    return v;
  }

  private static final class Reader {
    final String s;
    int i;

    Reader(String s) {
      this.s = s;
    }

    void ws() {
      while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
    }

    ParseError error(String what) {
      return new ParseError(what + " at offset " + i);
    }

    void expect(String word) throws ParseError {
      if (!s.startsWith(word, i)) {
        throw error("expected " + word);
      }
      i += word.length();
    }

    Object value() throws ParseError {
      ws();
      if (i >= s.length()) {
        throw error("unexpected end");
      }
      char c = s.charAt(i);
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          return string();
        case 't':
          expect("true");
          return Boolean.TRUE;
        case 'f':
          expect("false");
          return Boolean.FALSE;
        case 'n':
          expect("null");
          return null;
        default:
          return number();
      }
    }

    Map<String, Object> object() throws ParseError {
      Map<String, Object> m = new LinkedHashMap<>();
      i++;
      ws();
      if (i < s.length() && s.charAt(i) == '}') {
        i++;
        return m;
      }
      while (true) {
        ws();
        if (i >= s.length() || s.charAt(i) != '"') {
          throw error("expected a key");
        }
        String k = string();
        ws();
        expect(":");
        m.put(k, value());
        ws();
        if (i < s.length() && s.charAt(i) == ',') {
          i++;
        } else if (i < s.length() && s.charAt(i) == '}') {
          i++;
          return m;
        } else {
          throw error("expected , or }");
        }
      }
    }

    List<Object> array() throws ParseError {
      List<Object> a = new ArrayList<>();
      i++;
      ws();
      if (i < s.length() && s.charAt(i) == ']') {
        i++;
        return a;
      }
      while (true) {
        a.add(value());
        ws();
        if (i < s.length() && s.charAt(i) == ',') {
          i++;
        } else if (i < s.length() && s.charAt(i) == ']') {
          i++;
          return a;
        } else {
          throw error("expected , or ]");
        }
      }
    }

    String string() throws ParseError {
      StringBuilder b = new StringBuilder();
      i++;
      while (true) {
        if (i >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(i++);
        if (c == '"') {
          return b.toString();
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        if (i >= s.length()) {
          throw error("unterminated escape");
        }
        char e = s.charAt(i++);
        switch (e) {
          case '"':
          case '\\':
          case '/':
            b.append(e);
            break;
          case 'n':
            b.append('\n');
            break;
          case 't':
            b.append('\t');
            break;
          case 'r':
            b.append('\r');
            break;
          case 'b':
            b.append('\b');
            break;
          case 'f':
            b.append('\f');
            break;
          case 'u':
            if (i + 4 > s.length()) {
              throw error("short \\u escape");
            }
            try {
              b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            } catch (NumberFormatException x) {
              throw error("bad \\u escape");
            }
            i += 4;
            break;
          default:
            throw error("bad escape");
        }
      }
    }

    Object number() throws ParseError {
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
      String t = s.substring(start, i);
      if (t.isEmpty()) {
        throw error("unexpected character");
      }
      try {
        if (t.indexOf('.') < 0 && t.indexOf('e') < 0 && t.indexOf('E') < 0) {
          return Long.parseLong(t);
        }
        return Double.parseDouble(t);
      } catch (NumberFormatException x) {
        throw error("bad number " + t);
      }
    }
  }

  // Typed access for the harness's own documents (a wrong shape is a bug).
  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Object v) {
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  public static List<Object> list(Object v) {
    return (List<Object>) v;
  }

  public static long num(Object v) {
    return ((Number) v).longValue();
  }

  public static double dbl(Object v) {
    return ((Number) v).doubleValue();
  }
}
