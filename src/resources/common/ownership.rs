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

/// Appended to an import id (`<id>,owned`) to manage the imported object as
/// this configuration's own: after a lost state, or to take over a shared
/// object on purpose.
pub const OWNED_SUFFIX: &str = ",owned";

/// The ownership mark a resource writes on the IAM objects it creates, kept
/// in its private state so that a later apply (after an interrupted create)
/// recognises them. A resource without one (imported, or from an older
/// version) gets a new one, stored back into `private`.
pub fn ownership_mark(private: &mut Vec<u8>) -> String {
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Private {
        ownership_mark: String,
    }
    if let Ok(p) = serde_json::from_slice::<Private>(private) {
        return p.ownership_mark;
    }
    let mark = crate::aws::new_ownership_mark();
    *private = serde_json::to_vec(&Private {
        ownership_mark: mark.clone(),
    })
    .unwrap_or_default();
    mark
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
