// The workloads' result digest (docs/workloads.md, "The checksum"): two
// MurmurHash3_x86_32 lanes, the second fed the first's new value, and a
// count, finalised with fmix32. Order-sensitive, so a port that does the
// work in another order disagrees.
package memstrat.work;

public final class Checksum {
  private int a;
  private int b;
  private int n;

  public Checksum() {
    reset();
  }

  /** Starts over as a new Checksum: for a per-item digest (a stack value in C++). */
  public void reset() {
    a = 0x6d656d73;
    b = 0x74726174;
    n = 0;
  }

  private static int block(int h, int k) {
    k *= 0xcc9e2d51;
    k = Integer.rotateLeft(k, 15);
    k *= 0x1b873593;
    h ^= k;
    h = Integer.rotateLeft(h, 13);
    return h * 5 + 0xe6546b64;
  }

  public void add32(int k) {
    a = block(a, k);
    b = block(b, k ^ a);
    n++;
  }

  public void add(long v) {
    add32((int) v);
    add32((int) (v >>> 32));
  }

  public long value() {
    return ((Rng.fmix32(b ^ n) & 0xffffffffL) << 32) | (Rng.fmix32(a ^ n) & 0xffffffffL);
  }
}
