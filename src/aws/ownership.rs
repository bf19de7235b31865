//! The ownership mark: the tag (or, where there are no tags, the text)
//! that says a clusteriam create made an object.

use std::collections::BTreeMap;

/// The tag that marks an IAM object as made by this provider, written in the
/// create call itself. Its value is unique to that create, so a retried
/// create can tell the object its own lost attempt made from one someone
/// else made meanwhile, and an import can tell an object a clusteriam
/// configuration created (owned) from one it found (adopted). It is never
/// shown in `tags` or `tags_all` and never removed.
pub const OWNERSHIP_TAG: &str = "clusteriam:created-by";

/// A new ownership mark, unique to one create (the tag's value).
pub fn new_ownership_mark() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // RandomState is seeded from the OS's random source: two of them give
    // 128 unpredictable bits without another crate.
    let half = |salt: u64| {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(salt);
        h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos(),
        );
        h.finish()
    };
    format!(
        "terraform-provider-clusteriam/{:016x}{:016x}",
        half(1),
        half(2)
    )
}

/// Splits the ownership mark out of an object's tags.
pub(super) fn split_ownership_mark(
    mut tags: BTreeMap<String, String>,
) -> (BTreeMap<String, String>, Option<String>) {
    let mark = tags.remove(OWNERSHIP_TAG);
    (tags, mark)
}

/// `tags` with the ownership mark added, for a create call.
pub(super) fn with_ownership_mark(
    tags: &BTreeMap<String, String>,
    mark: &str,
) -> BTreeMap<String, String> {
    let mut all = tags.clone();
    all.insert(OWNERSHIP_TAG.to_string(), mark.to_string());
    all
}
