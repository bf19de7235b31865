use super::*;

#[test]
fn the_catalogue_states_its_source_and_holds_every_service() {
    let catalogue = catalogue();
    // The header's counts are the file's own.
    let counts = TEXT
        .lines()
        .find_map(|l| l.strip_prefix("# counts: "))
        .expect("a counts line");
    let numbers: Vec<usize> = counts
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    assert_eq!(numbers[0], catalogue.services().len(), "{counts}");
    assert_eq!(numbers[1], catalogue.action_count(), "{counts}");
    let keys: usize = catalogue.services().iter().map(|s| s.keys().len()).sum();
    assert_eq!(numbers[2], keys, "{counts}");
    assert!(catalogue.services().len() > 400 && catalogue.action_count() > 20_000);
    assert!(
        catalogue
            .version
            .split('.')
            .all(|n| n.parse::<u32>().is_ok()),
        "{}",
        catalogue.version
    );
    let date = catalogue.date.as_bytes();
    assert!(
        date.len() == 10 && date[4] == b'-' && date[7] == b'-',
        "{}",
        catalogue.date
    );
}

#[test]
fn lookups_ignore_case_and_give_the_catalogues_spelling() {
    let catalogue = catalogue();
    assert_eq!(catalogue.action("s3:GetObject"), Some("GetObject"));
    assert_eq!(catalogue.action("S3:getobject"), Some("GetObject"));
    assert_eq!(catalogue.action("s3:GetObjet"), None);
    assert_eq!(catalogue.action("s4:GetObject"), None);
    assert_eq!(catalogue.action("s3GetObject"), None);
    let iam = catalogue.service("IAM").expect("iam");
    assert_eq!(iam.prefix, "iam");
    assert_eq!(iam.name, "AWS Identity and Access Management (IAM)");
    assert_eq!(iam.action("passrole"), Some("PassRole"));
    // Every action of every service is found by its own name.
    for service in catalogue.services() {
        for action in service.actions() {
            assert_eq!(
                service.action(action),
                Some(*action),
                "{}:{action}",
                service.prefix
            );
            assert_eq!(
                catalogue.action(&format!(
                    "{}:{}",
                    service.prefix.to_uppercase(),
                    action.to_lowercase()
                )),
                Some(*action)
            );
        }
    }
}

#[test]
fn wildcards_match_as_iam_matches() {
    assert!(wildcard_match("Get*", "GetObject"));
    assert!(wildcard_match("get*", "GetObject"));
    assert!(wildcard_match("*Object", "GetObject"));
    assert!(wildcard_match("G?tObj*t", "GetObject"));
    assert!(wildcard_match("*", ""));
    assert!(wildcard_match("a*b*c", "aXXbYYc"));
    assert!(!wildcard_match("a*b*c", "aXXbYY"));
    assert!(!wildcard_match("Get?", "Get"));
    assert!(!wildcard_match("GetObject", "GetObjectAcl"));
    let s3 = catalogue().service("s3").unwrap();
    assert!(s3.has_action_matching("Get*"));
    assert!(s3.has_action_matching("get*acl"));
    assert!(s3.has_action_matching("*Object"));
    assert!(s3.has_action_matching("PutObject?cl"));
    assert!(!s3.has_action_matching("GetObjekt*"));
    assert!(!s3.has_action_matching("Frobnicate*"));
    let s3_family = catalogue().services_matching("s3*").count();
    assert!(s3_family >= 3, "{s3_family} services match `s3*`");
    assert_eq!(catalogue().services_matching("no-such-*").count(), 0);
}

#[test]
fn keys_with_placeholders_stand_for_every_key_of_their_form() {
    assert!(key_matches(
        "aws:RequestTag/${TagKey}",
        "aws:RequestTag/team"
    ));
    assert!(key_matches(
        "aws:RequestTag/${TagKey}",
        "AWS:requesttag/Team"
    ));
    assert!(!key_matches("aws:RequestTag/${TagKey}", "aws:RequestTag/"));
    assert!(key_matches(
        "s3:ExistingObjectTag/<key>",
        "s3:ExistingObjectTag/x"
    ));
    assert!(key_matches(
        "codebuild:source.secondarySources/${sourceIdentifier}.location",
        "codebuild:source.secondarySources/src1.location"
    ));
    assert!(key_matches("s3:prefix", "S3:Prefix"));
    assert!(!key_matches("s3:prefix", "s3:prefixes"));
    let s3 = catalogue().service("s3").unwrap();
    assert!(s3.defines_key("s3:prefix"));
    assert!(s3.defines_key("s3:ExistingObjectTag/owner"));
    assert!(s3.defines_key("aws:ResourceTag/owner"));
    assert!(!s3.defines_key("s3:prefx"));
}

#[test]
fn identity_provider_keys_are_recognised_by_their_shape() {
    assert!(is_identity_provider_key(
        "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE:sub"
    ));
    assert!(is_identity_provider_key(
        "token.actions.githubusercontent.com:aud"
    ));
    assert!(!is_identity_provider_key("s3:prefix"));
    assert!(!is_identity_provider_key("oidc.example.com:color"));
    assert!(!is_identity_provider_key("sub"));
    // Global keys are written as AWS documents them.
    for key in GLOBAL_CONDITION_KEYS {
        assert!(
            key.split_once(':')
                .is_some_and(|(p, n)| !p.is_empty() && !n.is_empty()),
            "{key}"
        );
    }
}
