//! What [`Reader::list_in`](super::Reader::list_in) reads a list into: a `Vec`, or a `SmallVec`
//! that holds the first few items inline.

/// Where [`Reader::list_in`] puts a list's items.
pub(crate) trait Items<T> {
    /// How many it holds.
    fn count(&self) -> usize;
    /// Appends one.
    fn add(&mut self, item: T);
}

impl<T> Items<T> for Vec<T> {
    fn count(&self) -> usize {
        self.len()
    }
    fn add(&mut self, item: T) {
        self.push(item);
    }
}

impl<A: smallvec::Array> Items<A::Item> for smallvec::SmallVec<A> {
    fn count(&self) -> usize {
        self.len()
    }
    fn add(&mut self, item: A::Item) {
        self.push(item);
    }
}
