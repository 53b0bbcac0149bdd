// One benchmark: a workload, its parameter values and a strategy, named as
// memstrat_bench names its own (binary_trees/java-g1/depth:16).
package memstrat.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import memstrat.work.Workload;
import memstrat.workloads.Registry;

public final class Bench {
  public final Workload workload;
  public final long[] params;
  public final String strategy;
  public final String name;

  public Bench(Workload workload, long[] params, String strategy) {
    this.workload = workload;
    this.params = params;
    this.strategy = strategy;
    StringBuilder b = new StringBuilder(workload.name() + "/" + strategy);
    String[] names = workload.paramNames();
    for (int i = 0; i < names.length; i++) {
      b.append('/').append(names[i]).append(':').append(params[i]);
    }
    name = b.toString();
  }

  /** The params as the protocol's object (keys sorted). */
  public Map<String, Object> paramsJson() {
    Map<String, Object> m = new TreeMap<>();
    String[] names = workload.paramNames();
    for (int i = 0; i < names.length; i++) {
      m.put(names[i], params[i]);
    }
    return m;
  }

  /** Every benchmark of `strategies` at size small, default or all. */
  public static List<Bench> all(String size, List<String> strategies) {
    List<Bench> out = new ArrayList<>();
    for (String s : strategies) {
      for (Workload w : Registry.WORKLOADS) {
        if (!size.equals("default")) {
          out.add(new Bench(w, w.small(), s));
        }
        if (!size.equals("small")) {
          out.add(new Bench(w, w.defaults(), s));
        }
      }
    }
    return out;
  }

  public static Bench find(String name, String size, List<String> strategies) {
    for (Bench b : all(size, strategies)) {
      if (b.name.equals(name)) {
        return b;
      }
    }
    return null;
  }

  /** Parameter values "16,3" back to an array. */
  public static long[] parseParams(String text) {
    if (text.isEmpty()) {
      return new long[0];
    }
    String[] f = text.split(",");
    long[] v = new long[f.length];
    for (int i = 0; i < f.length; i++) {
      v[i] = Long.parseLong(f[i]);
    }
    return v;
  }

  public static String formatParams(long[] v) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      b.append(i > 0 ? "," : "").append(v[i]);
    }
    return b.toString();
  }
}
