// The objects a workload makes, one per C++ make<T> call, and the container
// buffers it allocates itself (arrays it creates with new). A thread the
// workload starts counts into its own Counts, added in when it is joined:
// plain fields, so counting costs the timed path one increment.
package memstrat.work;

public final class Counts {
  public long objects;
  public long buffers;

  public void add(Counts other) {
    objects += other.objects;
    buffers += other.buffers;
  }
}
