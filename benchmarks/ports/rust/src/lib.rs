//! memstrat's ten workloads ported to Rust (issue 13), from the portable
//! specification in docs/workloads.md; test_vectors.json holds them to the
//! C++'s checksums and unit counts. One strategy so far: `rust-box`, where
//! every object has one owner (Box, Vec, String) and is dropped when that
//! owner goes out of scope or is taken apart.

pub mod checksum;
pub mod hash;
pub mod json;
pub mod random;
pub mod registry;
pub mod timing;
pub mod workloads;

use std::cell::Cell;

/// What a workload reports while it runs, as the C++ WorkObserver.
pub trait Observer {
    fn request_begin(&mut self) {}
    fn request_end(&mut self) {}
    fn unit_done(&mut self);
}

/// Counts units of work, as test_vectors.json does.
#[derive(Default, Debug)]
pub struct UnitCounter {
    pub units: u64,
}

impl Observer for UnitCounter {
    fn unit_done(&mut self) {
        self.units += 1;
    }
}

thread_local! {
    static OBJECTS_MADE: Cell<u64> = Cell::new(0);
}

/// One object made, the port's counterpart of the C++ `s.make<T>()`: the
/// spec fixes how many objects each workload makes, so the port counts
/// them. Per thread, so concurrent tests do not mix their counts; every
/// workload makes its objects on the thread that called run().
pub fn make<T>(value: T) -> Box<T> {
    count_object();
    Box::new(value)
}

/// One object made that a container owns in place (a map's entry), where
/// the C++ makes a node.
pub fn count_object() {
    OBJECTS_MADE.with(|c| c.set(c.get() + 1));
}

/// Objects made on this thread so far.
pub fn objects_made() -> u64 {
    OBJECTS_MADE.with(|c| c.get())
}
