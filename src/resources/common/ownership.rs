//! Who owns a shared object (an OIDC provider, a service-linked role): the
//! ownership mark in a resource's private state (see
//! [`crate::aws::OWNERSHIP_TAG`]), and what an import id says.
//!
//! The rule: a resource owns (`adopted = false`: managed exactly, deleted on
//! destroy) only what its own create made, proven by a successful create
//! answer or, after a lost answer, by the mark of that very create (kept in
//! private state) on the object. Anything found is adopted. An import is
//! adopted whatever the object's tags say, since anyone allowed to tag it
//! can write any mark, unless the import id asks for ownership explicitly
//! with [`OWNED_SUFFIX`].
//!
//! The private state is a JSON object; each helper keeps the others' keys
//! (the mark, and whether the plan replaces the resource).

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

/// Appended to an import id (`<id>,owned`) to manage the imported object as
/// this configuration's own: after a lost state, or to take over a shared
/// object on purpose.
pub const OWNED_SUFFIX: &str = ",owned";

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

/// An import id without its [`OWNED_SUFFIX`], and whether the object is
/// then adopted: always, unless the suffix asks for ownership.
pub fn import_ownership(id: &str) -> (&str, bool) {
    match id.strip_suffix(OWNED_SUFFIX) {
        Some(object) => (object, false),
        None => (id, true),
    }
}

/// The sentence the schemas of shared objects end `adopted` with.
pub const IMPORT_OWNERSHIP: &str = "An import is adopted, whatever tags the object carries (anyone \
     allowed to tag it could have written them); to manage an imported object exactly and delete it \
     on destroy, for example after the state was lost, import it as `<id>,owned`.";

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

    #[test]
    fn an_import_is_adopted_unless_the_id_asks_for_ownership() {
        let arn = "arn:aws:iam::111122223333:oidc-provider/oidc.example.com/id/X";
        assert_eq!(import_ownership(arn), (arn, true));
        assert_eq!(import_ownership(&format!("{arn},owned")), (arn, false));
        assert_eq!(import_ownership("Role,owned"), ("Role", false));
        // Only the exact suffix counts.
        assert_eq!(import_ownership("Role,Owned"), ("Role,Owned", true));
        assert_eq!(import_ownership("Role owned"), ("Role owned", true));
    }
}
