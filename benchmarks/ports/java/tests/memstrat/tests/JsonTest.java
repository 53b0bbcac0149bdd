// The harness's JSON writer and reader: what is written reads back the same,
// keys come out sorted, and text that is not JSON is a one-line error.
package memstrat.tests;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import memstrat.harness.Json;

public final class JsonTest {
  private JsonTest() {}

  public static void main(String[] args) throws Exception {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("z", -5L);
    inner.put("a", 0.25);
    List<Object> list = new ArrayList<>(Arrays.asList(1L, 20000.0, null, true, "x\"y\\\n\u0001"));
    Map<String, Object> doc = Json.obj("b", list, "a", inner, "c", new ArrayList<>(),
        "d", Json.obj(), "e", Double.NaN, "big", Long.MAX_VALUE);
    String text = Json.dump(doc);
    Check.isTrue(text.startsWith("{\n \"a\": {\n  \"a\": 0.25,\n  \"z\": -5\n },"),
        "keys sorted, one-space indent: " + text.substring(0, 40));
    Check.isTrue(text.contains("20000.0"), "a whole double keeps its point");
    Map<String, Object> back = Json.map(Json.parse(text));
    Check.eq(Json.parse(Json.dump(back)), back, "a second round trip is the same");
    Check.eq(-5L, Json.map(back.get("a")).get("z"), "integers read as Long");
    Check.eq(0.25, Json.map(back.get("a")).get("a"), "fractions read as Double");
    Check.eq("x\"y\\\n\u0001", Json.list(back.get("b")).get(4), "escapes round trip");
    Check.eq(null, back.get("e"), "NaN is written as null");
    Check.eq(Long.MAX_VALUE, back.get("big"), "64-bit integers are exact");
    Check.eq(new ArrayList<>(), back.get("c"), "empty array");
    Check.eq(Json.parse(Json.compact(doc)), back, "the compact form reads the same");
    for (String bad : new String[] {"{", "[1,]", "{\"a\" 1}", "tru", "\"abc", "1 2", ""}) {
      try {
        Json.parse(bad);
        Check.fail("parsed " + bad);
      } catch (Json.ParseError e) {
        Check.isTrue(!e.getMessage().contains("\n"), "one-line error for " + bad);
      }
    }
    Check.eq(1e-7, Json.parse("1e-7"), "exponents");
    Check.done("JsonTest");
  }
}
