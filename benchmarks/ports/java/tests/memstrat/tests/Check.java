// The tests' tiny assert helper: a failed check prints one line naming the
// test and what differs, and exits 1 (ctest reads the exit code).
package memstrat.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

final class Check {
  private Check() {}

  static int passed;

  static void fail(String what) {
    System.err.println("FAIL: " + what);
    System.exit(1);
  }

  static void isTrue(boolean ok, String what) {
    if (!ok) {
      fail(what);
    }
    passed++;
  }

  static void eq(Object want, Object got, String what) {
    if (!Objects.equals(want, got)) {
      fail(what + ": want " + want + ", got " + got);
    }
    passed++;
  }

  static void done(String test) {
    System.out.println(test + ": " + passed + " checks passed");
    System.exit(0);
  }

  static String launcher() {
    return System.getProperty("memstrat.launcher");
  }

  static String fixtures() {
    return System.getProperty("memstrat.fixtures");
  }

  /** A finished program: exit code, stdout, stderr. */
  static final class Result {
    int code;
    String out;
    String err;

    List<String> errLines() {
      List<String> l = new ArrayList<>();
      for (String s : err.split("\n")) {
        if (!s.isEmpty()) {
          l.add(s);
        }
      }
      return l;
    }
  }

  static Result run(List<String> cmd) {
    try {
      Path out = Files.createTempFile("memstrat_test", ".out");
      Path err = Files.createTempFile("memstrat_test", ".err");
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.redirectOutput(out.toFile());
      pb.redirectError(err.toFile());
      Result r = new Result();
      r.code = pb.start().waitFor();
      r.out = new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
      r.err = new String(Files.readAllBytes(err), StandardCharsets.UTF_8);
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException | InterruptedException e) {
      fail("cannot run " + cmd + ": " + e);
      return null;
    }
  }

  /** The launcher with `args`. */
  static Result launch(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(launcher());
    cmd.addAll(List.of(args));
    return run(cmd);
  }
}
