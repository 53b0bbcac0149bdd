// FNV-1a 32-bit (docs/workloads.md, "The hash"): the string hash and the
// per-object word digest every port computes alike. Java's own String and
// Long hashCode never decide anything a checksum sees.
package memstrat.work;

public final class Fnv {
  public static final int OFFSET_BASIS = 0x811c9dc5;
  public static final int PRIME = 16777619;

  private Fnv() {}

  /** Over the bytes of `text` as UTF-8 (the workloads' text is ASCII). */
  public static int hash(CharSequence text) {
    int h = OFFSET_BASIS;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        throw new IllegalArgumentException("Fnv.hash: non-ASCII text");
      }
      h = (h ^ c) * PRIME;
    }
    return h;
  }

  public static int hash(byte[] bytes) {
    int h = OFFSET_BASIS;
    for (byte c : bytes) {
      h = (h ^ (c & 0xff)) * PRIME;
    }
    return h;
  }

  /** One FNV step over a whole word: the workloads' cheap per-object digest. */
  public static int word(int h, int w) {
    return (h ^ w) * PRIME;
  }
}
