//! "Did you mean": the names closest to a misspelt one.

/// Up to `limit` of `candidates` closest to `target` by edit distance
/// (insertions, deletions, substitutions; letters without regard to case),
/// nearest first, and only those near enough to be a likely misspelling: a
/// quarter of the target's length, at least 1 and at most 3 edits.
pub fn closest<'a>(
    target: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> Vec<&'a str> {
    let threshold = (target.len() / 4).clamp(1, 3);
    let mut near: Vec<(usize, &'a str)> = candidates
        .into_iter()
        .filter(|c| c.len().abs_diff(target.len()) <= threshold)
        .filter_map(|c| {
            let d = distance(target.as_bytes(), c.as_bytes(), threshold);
            (d <= threshold).then_some((d, c))
        })
        .collect();
    near.sort();
    near.dedup_by(|a, b| a.1.eq_ignore_ascii_case(b.1));
    near.into_iter().take(limit).map(|(_, c)| c).collect()
}

/// Levenshtein distance between two byte strings, ASCII case ignored; any
/// distance over `limit` is given as `limit + 1` (a row whose every entry is
/// over it cannot lead below it, so the work stops there).
fn distance(a: &[u8], b: &[u8], limit: usize) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, x) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(!x.eq_ignore_ascii_case(y));
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        if current.iter().all(|&d| d > limit) {
            return limit + 1;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()].min(limit + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance(b"GetObjet", b"GetObject", 9), 1);
        assert_eq!(distance(b"getobject", b"GetObject", 9), 0);
        assert_eq!(distance(b"", b"abc", 9), 3);
        assert_eq!(distance(b"kitten", b"sitting", 9), 3);
        assert_eq!(distance(b"kitten", b"sitting", 1), 2);
        assert_eq!(distance(b"DescribeInstances", b"ListBuckets", 3), 4);
    }

    #[test]
    fn closest_keeps_likely_misspellings_only() {
        let names = ["GetObject", "GetObjectAcl", "PutObject", "ListBucket"];
        assert_eq!(closest("GetObjet", names, 3), ["GetObject"]);
        assert_eq!(
            closest("GetObjectAc", names, 3),
            ["GetObjectAcl", "GetObject"]
        );
        assert_eq!(closest("DeleteEverything", names, 3), Vec::<&str>::new());
        assert_eq!(closest("s4", ["s3", "sns", "ec2"], 3), ["s3"]);
    }
}
