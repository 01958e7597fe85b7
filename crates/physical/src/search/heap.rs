//! A min-heap of (key, node) on top of `BinaryHeap`, with lazy deletion by the caller.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Min-heap of `(key, node)`.
#[derive(Debug, Clone, Default)]
pub(crate) struct MinHeap(BinaryHeap<Reverse<(u64, u32)>>);

impl MinHeap {
    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }
    pub(crate) fn push(&mut self, key: u64, node: u32) {
        self.0.push(Reverse((key, node)));
    }
    pub(crate) fn pop(&mut self) -> Option<(u64, u32)> {
        self.0.pop().map(|Reverse(x)| x)
    }
    pub(crate) fn peek_key(&self) -> Option<u64> {
        self.0.peek().map(|Reverse((k, _))| *k)
    }
}
