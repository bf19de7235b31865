//! The ownership mark in a resource's private state (see
//! [`crate::aws::OWNERSHIP_TAG`]), and what a plan tells its apply there.
//! The private state is a JSON object; each helper keeps the others' keys.

use serde_json::{Map, Value};

const MARK: &str = "ownership_mark";
/// Set by a plan that replaces the resource (see [`set_replacing`]).
const REPLACING: &str = "replacing";

fn object(private: &[u8]) -> Map<String, Value> {
    match serde_json::from_slice(private) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

fn store(private: &mut Vec<u8>, map: Map<String, Value>) {
    *private = if map.is_empty() {
        Vec::new()
    } else {
        serde_json::to_vec(&Value::Object(map)).unwrap_or_default()
    };
}

/// The ownership mark a resource writes on the IAM objects it creates, kept
/// in its private state so that a later apply (after an interrupted create)
/// recognises them. A resource without one (imported, or from an older
/// version) gets a new one, stored back into `private`.
pub fn ownership_mark(private: &mut Vec<u8>) -> String {
    if let Some(mark) = stored_mark(private) {
        return mark;
    }
    let mark = crate::aws::new_ownership_mark();
    let mut map = object(private);
    map.insert(MARK.into(), Value::String(mark.clone()));
    store(private, map);
    mark
}

/// The ownership mark stored in `private`, if any (none after an import).
pub fn stored_mark(private: &[u8]) -> Option<String> {
    match object(private).remove(MARK) {
        Some(Value::String(mark)) if !mark.is_empty() => Some(mark),
        _ => None,
    }
}

/// Records in the planned private state whether the plan replaces the
/// resource, so that the destroy half of the replacement knows it is one.
pub fn set_replacing(private: &mut Vec<u8>, replacing: bool) {
    let mut map = object(private);
    if replacing {
        map.insert(REPLACING.into(), Value::Bool(true));
    } else {
        map.remove(REPLACING);
    }
    store(private, map);
}

/// Whether the plan that led here replaces the resource.
pub fn is_replacing(private: &[u8]) -> bool {
    object(private).get(REPLACING) == Some(&Value::Bool(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mark_and_the_replacing_flag_keep_each_other() {
        let mut private = Vec::new();
        assert_eq!(stored_mark(&private), None);
        set_replacing(&mut private, true);
        assert!(is_replacing(&private));
        let mark = ownership_mark(&mut private);
        assert_eq!(stored_mark(&private), Some(mark.clone()));
        assert!(is_replacing(&private), "a new mark keeps the flag");
        set_replacing(&mut private, false);
        assert!(!is_replacing(&private));
        assert_eq!(ownership_mark(&mut private), mark, "the mark stays");
        // The format of earlier versions reads the same.
        let earlier = br#"{"ownership_mark":"terraform-provider-clusteriam/1"}"#.to_vec();
        assert_eq!(
            stored_mark(&earlier).as_deref(),
            Some("terraform-provider-clusteriam/1")
        );
        set_replacing(&mut private, false);
        let mut empty = Vec::new();
        set_replacing(&mut empty, false);
        assert!(empty.is_empty());
    }
}
