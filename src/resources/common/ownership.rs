//! The ownership mark in a resource's private state (see
//! [`crate::aws::OWNERSHIP_TAG`]).

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
