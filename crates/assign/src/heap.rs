//! An indexed 4-ary min-heap of nodes keyed by distance, with decrease-key: each node is in the
//! heap at most once, so Dijkstra pops every node once and never meets stale entries. Four
//! children per node make the heap half as deep as a binary one, and the children sit side by
//! side in memory, so a sift-down reads one or two cache lines per level.

/// Position of a node that is not in the heap.
const ABSENT: u32 = u32::MAX;

/// Min-heap of `(key, node)` with the position of every node.
#[derive(Debug, Clone)]
pub(crate) struct Heap {
    items: Vec<(f64, u32)>,
    pos: Vec<u32>,
}

impl Heap {
    /// An empty heap for nodes `0..n`.
    pub(crate) fn new(n: usize) -> Heap {
        Heap {
            items: Vec::with_capacity(n.min(1 << 16)),
            pos: vec![ABSENT; n],
        }
    }

    /// Empties the heap (cost: the entries left, not the node count).
    pub(crate) fn clear(&mut self) {
        for &(_, v) in &self.items {
            self.pos[v as usize] = ABSENT;
        }
        self.items.clear();
    }

    /// Inserts `node` with `key`, or lowers its key if it is in the heap already (the key must
    /// then be no larger than its current one).
    #[inline]
    pub(crate) fn push_or_decrease(&mut self, node: u32, key: f64) {
        let at = self.pos[node as usize];
        let i = if at == ABSENT {
            self.items.push((key, node));
            self.items.len() - 1
        } else {
            at as usize
        };
        self.sift_up(i, key, node);
    }

    /// Removes and returns the entry with the least key.
    #[inline]
    pub(crate) fn pop(&mut self) -> Option<(f64, u32)> {
        let top = *self.items.first()?;
        self.pos[top.1 as usize] = ABSENT;
        if let Some(last) = self.items.pop() {
            if !self.items.is_empty() {
                self.sift_down(last);
            }
        }
        Some(top)
    }

    #[inline]
    fn sift_up(&mut self, mut i: usize, key: f64, node: u32) {
        while i > 0 {
            let parent = (i - 1) / 4;
            let (pk, pv) = self.items[parent];
            if pk <= key {
                break;
            }
            self.items[i] = (pk, pv);
            self.pos[pv as usize] = i as u32;
            i = parent;
        }
        self.items[i] = (key, node);
        self.pos[node as usize] = i as u32;
    }

    /// Places `(key, node)` from the root down (the root slot is free).
    #[inline]
    fn sift_down(&mut self, (key, node): (f64, u32)) {
        let n = self.items.len();
        let mut i = 0;
        loop {
            let first = 4 * i + 1;
            if first >= n {
                break;
            }
            let end = (first + 4).min(n);
            let mut best = first;
            let mut best_key = self.items[first].0;
            for c in first + 1..end {
                let k = self.items[c].0;
                if k < best_key {
                    best = c;
                    best_key = k;
                }
            }
            if best_key >= key {
                break;
            }
            let moved = self.items[best];
            self.items[i] = moved;
            self.pos[moved.1 as usize] = i as u32;
            i = best;
        }
        self.items[i] = (key, node);
        self.pos[node as usize] = i as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::Heap;

    /// Pops come out sorted, with decrease-key, against sorting (the oracle).
    #[test]
    fn pops_in_key_order_with_decreases() {
        let n = 500;
        let mut state = 12345u64;
        let mut rnd = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut heap = Heap::new(n);
        let mut key = vec![f64::INFINITY; n];
        for _ in 0..3 * n {
            let v = (rnd() * n as f64) as usize;
            let k = rnd() * 100.0;
            if k < key[v] {
                key[v] = k;
                heap.push_or_decrease(v as u32, k);
            }
        }
        let mut expected: Vec<(f64, u32)> = key
            .iter()
            .enumerate()
            .filter(|(_, k)| k.is_finite())
            .map(|(v, &k)| (k, v as u32))
            .collect();
        expected.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut got = Vec::new();
        while let Some(e) = heap.pop() {
            got.push(e);
        }
        assert_eq!(got.len(), expected.len());
        for (g, e) in got.iter().zip(&expected) {
            assert_eq!(g.0, e.0);
        }
        heap.clear();
        assert!(heap.pop().is_none());
    }
}
