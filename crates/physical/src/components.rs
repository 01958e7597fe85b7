//! Connected components (arcs taken as undirected), numbered by size: 0 is the largest.

/// Component counts reported at import.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ComponentStats {
    /// Number of components (an isolated node is one).
    pub count: u32,
    /// Nodes in the largest component.
    pub largest: u32,
    /// Share of all nodes in the largest component, 0–1.
    pub largest_share: f64,
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let p = parent[x as usize];
        parent[x as usize] = parent[p as usize];
        x = p;
    }
    x
}

/// Weakly connected components of a CSR graph: the component of every node (0 = largest,
/// ties broken by lowest node) and the counts.
pub fn weak(n: usize, first_out: &[u32], head: &[u32]) -> (Vec<u32>, ComponentStats) {
    let mut parent: Vec<u32> = (0..n as u32).collect();
    for u in 0..n {
        for &v in &head[first_out[u] as usize..first_out[u + 1] as usize] {
            let (a, b) = (find(&mut parent, u as u32), find(&mut parent, v));
            if a != b {
                let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                parent[hi as usize] = lo;
            }
        }
    }
    let mut size = vec![0u32; n];
    let mut root = vec![0u32; n];
    for (u, slot) in root.iter_mut().enumerate() {
        let r = find(&mut parent, u as u32);
        *slot = r;
        size[r as usize] += 1;
    }
    let mut roots: Vec<u32> = (0..n as u32).filter(|&r| root[r as usize] == r).collect();
    roots.sort_by(|&a, &b| size[b as usize].cmp(&size[a as usize]).then(a.cmp(&b)));
    let mut rank = vec![0u32; n];
    for (i, &r) in roots.iter().enumerate() {
        rank[r as usize] = i as u32;
    }
    let comp: Vec<u32> = root.iter().map(|&r| rank[r as usize]).collect();
    let largest = roots.first().map(|&r| size[r as usize]).unwrap_or(0);
    let stats = ComponentStats {
        count: roots.len() as u32,
        largest,
        largest_share: if n == 0 {
            0.0
        } else {
            largest as f64 / n as f64
        },
    };
    (comp, stats)
}

#[cfg(test)]
mod tests {
    #[test]
    fn two_components() {
        // 0→1, 2→1 (one component), 3↔4, 5 alone.
        let first_out = [0, 1, 1, 2, 3, 4, 4];
        let head = [1, 1, 4, 3];
        let (c, s) = super::weak(6, &first_out, &head);
        assert_eq!(c, vec![0, 0, 0, 1, 1, 2]);
        assert_eq!(s.count, 3);
        assert_eq!(s.largest, 3);
        assert!((s.largest_share - 0.5).abs() < 1e-12);
    }
}
