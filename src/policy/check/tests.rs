use super::*;

/// Each problem of an inline policy as `<rule>: <text>`.
fn problems(json: &str, kind: Kind) -> Vec<String> {
    check(json, kind)
        .iter()
        .map(|p| format!("{:?}: {p}", p.rule))
        .collect()
}

fn inline(statements: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

/// An inline policy that allows `s3:GetObject` on `resource`.
fn get_object_on(resource: &str) -> String {
    inline(&format!(
        r#"{{"Effect":"Allow","Action":"s3:GetObject","Resource":"{resource}"}}"#
    ))
}

/// `found` is one problem, of `rule`, whose message says `expected`.
#[track_caller]
fn assert_single(found: &[Problem], rule: Rule, expected: &str, what: &str) {
    assert_eq!(found.len(), 1, "{what}: {found:#?}");
    assert_eq!(found[0].rule, rule);
    assert!(found[0].message.contains(expected), "{}", found[0]);
}

#[track_caller]
fn assert_one(json: &str, kind: Kind, expected: &str) {
    let found = problems(json, kind);
    assert_eq!(found.len(), 1, "{json}: {found:#?}");
    assert!(
        found[0].contains(expected),
        "{json}:\n{}\nlacks: {expected}",
        found[0]
    );
}

const GOOD: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:List*", "S3:getobjectacl"],
     "Resource": ["arn:aws:s3:::bucket/${aws:username}/*", "arn:aws:s3:::bucket"],
     "Condition": {"StringLike": {"s3:prefix": ["home/"]}, "Bool": {"aws:SecureTransport": true},
                   "ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]},
                   "StringEqualsIfExists": {"aws:ResourceTag/team": "x"},
                   "NumericLessThan": {"aws:MultiFactorAuthAge": 3600}}},
    {"Effect": "Deny", "NotAction": "iam:*", "NotResource": "*"},
    {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"ec2:Region": "eu-west-1"}}}
  ]
}"#;

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
  "Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"},
  "Action":"sts:AssumeRoleWithWebIdentity",
  "Condition":{"StringEquals":{"oidc.eks.us-east-1.amazonaws.com/id/ABC:sub":"system:serviceaccount:ns:sa",
                               "oidc.eks.us-east-1.amazonaws.com/id/ABC:aud":"sts.amazonaws.com"}}},
  {"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"],"AWS":["111122223333","arn:aws:iam::111122223333:role/x"]},
   "Action":["sts:AssumeRole","sts:TagSession"]},
  {"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}"#;

#[test]
fn good_documents_have_no_problems() {
    assert_eq!(problems(GOOD, Kind::Inline), Vec::<String>::new());
    assert_eq!(problems(GOOD, Kind::Managed), Vec::<String>::new());
    assert_eq!(problems(TRUST, Kind::Trust), Vec::<String>::new());
    // One statement as an object; no Version and no policy variables.
    let single =
        r#"{"Statement":{"Effect":"Allow","Action":"sts:GetCallerIdentity","Resource":"*"}}"#;
    assert_eq!(problems(single, Kind::Inline), Vec::<String>::new());
}

#[test]
fn what_iam_refuses_is_malformed() {
    let s = |body: &str| inline(body);
    #[rustfmt::skip]
    let cases: Vec<(String, &str)> = vec![
        ("{".into(), "the policy is not valid JSON"),
        ("[]".into(), "must be a JSON object with `Version` and `Statement`"),
        (r#"{"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#.into(),
            "`Version` must be `2012-10-17` (or the older `2008-10-17`); got `2012-10-18`"),
        (r#"{"Version":"2012-10-17"}"#.into(), "the policy has no `Statement`"),
        (r#"{"Version":"2012-10-17","Statement":[]}"#.into(), "`Statement` is an empty list"),
        (r#"{"Version":"2012-10-17","Statement":"x"}"#.into(), "`Statement` must be an object or a list of objects"),
        (r#"{"Version":"2012-10-17","Statements":[],"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#.into(),
            "`Statements` is not an element of a policy"),
        (s(r#""x""#), "`Statement[0]`: a statement must be a JSON object"),
        (s(r#"{"Effect":"Permit","Action":"s3:GetObject","Resource":"*"}"#), "`Statement[0]`: `Effect` must be `Allow` or `Deny`; got `Permit`"),
        (s(r#"{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}"#), "got `allow`"),
        (s(r#"{"Action":"s3:GetObject","Resource":"*"}"#), "has no `Effect`"),
        (s(r#"{"Effect":"Allow","Resource":"*"}"#), "has no `Action` (or `NotAction`)"),
        (s(r#"{"Effect":"Allow","Action":"s3:GetObject","NotAction":"s3:PutObject","Resource":"*"}"#), "has both `Action` and `NotAction`"),
        (s(r#"{"Effect":"Allow","Action":[],"Resource":"*"}"#), "`Action` is an empty list"),
        (s(r#"{"Effect":"Allow","Action":[1],"Resource":"*"}"#), "`Action` must be a string or a list of strings; got `[1]`"),
        (s(r#"{"Effect":"Allow","Action":"s3 GetObject","Resource":"*"}"#), "`s3 GetObject` must be `<service>:<action>`, such as `s3:GetObject`, or `*`"),
        (s(r#"{"Effect":"Allow","Action":"s3:Get:Object","Resource":"*"}"#), "has more than one `:`"),
        (s(r#"{"Effect":"Allow","Action":"s3*:GetObject","Resource":"*"}"#), "the service prefix `s3*` of `s3*:GetObject`"),
        (s(r#"{"Effect":"Allow","Action":"s3:GetObject"}"#), "has no `Resource` (or `NotResource`)"),
        (s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"bucket"}"#), "`bucket` in `Resource` must be an ARN or `*`"),
        (s(r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}"#), "an identity policy takes no `Principal`"),
        (s(r#"{"Sid":"read-bucket","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#), "(Sid `read-bucket`): `Sid` `read-bucket` may hold only letters and digits"),
        (s(r#"{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"A","Effect":"Allow","Action":"s3:PutObject","Resource":"*"}"#),
            "`Statement[1]` (Sid `A`): the Sid `A` is also the Sid of `Statement[0]`: each must be unique"),
        (s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEqual":{"s3:prefix":"a"}}}"#),
            "`StringEqual` is not a condition operator (did you mean `StringEquals`"),
        (s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"prefix":"a"}}}"#),
            "the condition key `prefix` must be `<service>:<name>`"),
        (s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":"a"}}"#),
            "`StringEquals` must be an object of condition keys"),
        (s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"s3:prefix":{"a":1}}}}"#),
            "the value of `s3:prefix` under `StringEquals` must be a string, number, boolean or a list of them"),
        (s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condtion":{}}"#), "`Condtion` is not an element of a statement (did you mean `Condition`?)"),
    ];
    for (json, expected) in cases {
        let found = check(&json, Kind::Inline);
        assert!(
            found
                .iter()
                .any(|p| p.rule == Rule::Grammar && p.to_string().contains(expected)),
            "{json}\nexpected: {expected}\nfound: {found:#?}"
        );
        // What IAM refuses is found without the catalogue, too.
        assert!(
            check_grammar(&json, Kind::Inline)
                .iter()
                .any(|p| p.to_string().contains(expected))
        );
    }
}

#[test]
fn the_grammar_knows_trust_from_identity_and_managed_policies() {
    let trust =
        |statement: &str| format!(r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#);
    assert_one(
        &trust(r#"{"Effect":"Allow","Action":"sts:AssumeRole"}"#),
        Kind::Trust,
        "has no `Principal`: a trust policy names who may assume the role",
    );
    assert_one(
        &trust(
            r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}"#,
        ),
        Kind::Trust,
        "a trust policy takes no `Resource`",
    );
    assert_one(
        &trust(r#"{"Effect":"Allow","Principal":{"Role":"x"},"Action":"sts:AssumeRole"}"#),
        Kind::Trust,
        "`Principal` must be `\"*\"` or an object whose keys are `AWS`, `Service`, `Federated` and `CanonicalUser`",
    );
    assert_one(
        &trust(r#"{"Effect":"Allow","Principal":{"AWS":[]},"Action":"sts:AssumeRole"}"#),
        Kind::Trust,
        "`Principal` must be",
    );
    let unversioned =
        r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    assert_eq!(problems(unversioned, Kind::Inline), Vec::<String>::new());
    assert_one(
        unversioned,
        Kind::Managed,
        "a managed policy's `Version` must be `2012-10-17`",
    );
}

#[test]
fn names_the_catalogue_does_not_know_are_unknown_with_the_closest_known() {
    let s = |action: &str| {
        inline(&format!(
            r#"{{"Effect":"Allow","Action":"{action}","Resource":"*"}}"#
        ))
    };
    let cases = [
        (
            "s3:GetObjet",
            Rule::Action,
            "`Statement[0]`: `s3:GetObjet` is not an action of Amazon S3 (`s3`); did you mean `s3:GetObject`",
        ),
        (
            "s4:GetObject",
            Rule::Service,
            "`s4:GetObject`: no AWS service has the action prefix `s4`; did you mean `s3:GetObject`",
        ),
        (
            "ec2:CreateRole",
            Rule::Action,
            "`ec2:CreateRole` is not an action of Amazon EC2 (`ec2`)",
        ),
        (
            "iamm:CreateRole",
            Rule::Service,
            "did you mean `iam:CreateRole`",
        ),
        (
            "s3:GetObjekt*",
            Rule::Pattern,
            "`s3:GetObjekt*` matches no action of Amazon S3 (`s3`); did you mean `s3:GetObject*`",
        ),
        (
            "s3:*Frobnicate",
            Rule::Pattern,
            "`s3:*Frobnicate` matches no action of Amazon S3 (`s3`)",
        ),
        (
            "*:Frobnicate*",
            Rule::Pattern,
            "`*:Frobnicate*` matches no action of any service",
        ),
    ];
    for (action, rule, expected) in cases {
        let found = check(&s(action), Kind::Inline);
        assert_eq!(found.len(), 1, "{action}: {found:#?}");
        assert_eq!(found[0].rule, rule, "{action}");
        assert_eq!(found[0].finding(), Finding::Unknown);
        assert!(
            found[0].to_string().contains(expected),
            "{action}: {}",
            found[0]
        );
    }
    // The statement is named by its Sid when it has one.
    let with_sid =
        inline(r#"{"Sid":"Logs","Effect":"Allow","Action":"logs:PutLogEvent","Resource":"*"}"#);
    assert_one(
        &with_sid,
        Kind::Inline,
        "`Statement[0]` (Sid `Logs`): `logs:PutLogEvent` is not an action of Amazon CloudWatch Logs (`logs`); did you mean `logs:PutLogEvents`?",
    );
}

#[test]
fn condition_keys_no_service_of_the_statement_defines_are_doubtful() {
    let s = |action: &str, key: &str| {
        inline(&format!(
            r#"{{"Effect":"Allow","Action":"{action}","Resource":"*","Condition":{{"StringLike":{{"{key}":"x"}}}}}}"#
        ))
    };
    let found = check(&s("s3:ListBucket", "s3:prefx"), Kind::Inline);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].rule, Rule::ConditionKey);
    assert_eq!(found[0].finding(), Finding::Doubtful);
    let text = found[0].to_string();
    assert!(text.contains("the condition key `s3:prefx` (under `StringLike`) is not a global condition key, nor one that Amazon S3 (`s3`) defines. "), "{text}");
    assert!(text.ends_with("; did you mean `s3:prefix`?"), "{text}");
    // A key of a service the statement does not name.
    let text = check(&s("ec2:DescribeInstances", "s3:prefix"), Kind::Inline)[0].to_string();
    assert!(
        text.contains("It is a key of `s3`, whose actions the statement does not name."),
        "{text}"
    );
    // Global keys, templated keys, keys of the service, any key with NotAction.
    for (action, key) in [
        ("s3:ListBucket", "aws:SourceIp"),
        ("s3:ListBucket", "AWS:sourceip"),
        ("s3:ListBucket", "aws:PrincipalTag/team"),
        ("s3:GetObject", "s3:ExistingObjectTag/team"),
        ("ec2:RunInstances", "ec2:ResourceTag/team"),
        ("*", "s3:prefix"),
        ("s3:*", "s3:prefix"),
    ] {
        assert_eq!(
            problems(&s(action, key), Kind::Inline),
            Vec::<String>::new(),
            "{action} {key}"
        );
    }
    let not_action = inline(
        r#"{"Effect":"Deny","NotAction":"s3:GetObject","Resource":"*","Condition":{"Bool":{"ec2:IsLaunchTemplateResource":"true"}}}"#,
    );
    assert_eq!(problems(&not_action, Kind::Inline), Vec::<String>::new());
    // An identity provider's keys belong in a trust policy.
    let oidc_key = "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub";
    assert_eq!(
        check(&s("s3:GetObject", oidc_key), Kind::Inline)[0].rule,
        Rule::ConditionKey
    );
}

#[test]
fn doubtful_and_unknown_shapes() {
    // Operators spelt in another case: IAM may take them; the checks say how they are spelt.
    let operator = inline(
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"forallvalues:stringequalsifexists":{"aws:TagKeys":"a"}}}"#,
    );
    assert_one(
        &operator,
        Kind::Inline,
        "is spelt `ForAllValues:StringEqualsIfExists`",
    );
    let null = inline(
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NullIfExists":{"aws:TagKeys":"true"}}}"#,
    );
    assert_one(&null, Kind::Inline, "`Null` takes no `IfExists`");
    // Resources IAM refuses (MalformedPolicyDocument): errors at validate,
    // whatever `policy_checks` says.
    for (resource, expected) in [
        ("bucket", "must be an ARN or `*`"),
        ("s3:::bucket", "names the partition ``"),
        ("arn:amazon:s3:::bucket", "names the partition `amazon`"),
        ("arn:aws", "names no service"),
        ("arn:aws::::x", "names no service"),
        (
            "arn:aws:s3:my-bucket/*",
            "has `my-bucket/*` where an ARN's region goes, and these ARNs have none: write it like `arn:aws:s3:::bucket/key`",
        ),
        (
            "arn:aws:iam:us-east-1:111122223333:role/x",
            "has `us-east-1` where an ARN's region goes",
        ),
    ] {
        let json = get_object_on(resource);
        let found = check_grammar(&json, Kind::Inline);
        assert_single(&found, Rule::Grammar, expected, resource);
        assert_eq!(
            check(&json, Kind::Inline),
            found,
            "{resource}: reported once"
        );
    }
    // S3 resources that have a region (Batch Operations jobs, access points)
    // and wildcards or variables where the region goes are not refused.
    for resource in [
        "arn:aws:s3:us-east-1:111122223333:job/*",
        "arn:aws:s3:eu-west-1:111122223333:accesspoint/ap",
        "arn:aws:iam:*:111122223333:role/x",
    ] {
        assert_eq!(
            check(&get_object_on(resource), Kind::Inline),
            vec![],
            "{resource}"
        );
    }
    // Resources IAM stores but that match nothing.
    for (resource, expected) in [
        ("bucket:aws:s3:::x", "is not an ARN"),
        (
            "arn:aws:dynamodb:eu-central-1:table/orders",
            "has 5 of the six parts of an ARN",
        ),
        ("arn:aws:s3", "has 3 of the six parts of an ARN"),
    ] {
        let found = check(&get_object_on(resource), Kind::Inline);
        assert_single(&found, Rule::ResourceArn, expected, resource);
    }
    // Policy variables hold colons and wildcards may stand for the partition.
    let variables = inline(
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:${aws:partition}:s3:::b/${aws:username}","arn:*:s3:::b"]}"#,
    );
    assert_eq!(problems(&variables, Kind::Inline), Vec::<String>::new());
    // Principals of forms IAM does not resolve.
    let principal = |kind: &str, value: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"{kind}":"{value}"}},"Action":"sts:AssumeRole"}}]}}"#
        )
    };
    for (kind, value) in [
        ("AWS", "1234"),
        ("Service", "ec2"),
        ("Federated", "oidc.example.com"),
        ("CanonicalUser", "abc"),
    ] {
        let found = check(&principal(kind, value), Kind::Trust);
        assert_eq!(found.len(), 1, "{kind} {value}: {found:#?}");
        assert_eq!(found[0].rule, Rule::Principal);
    }
    // Variables in a document whose version does not replace them.
    let old = r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}"}]}"#;
    let found = check(old, Kind::Inline);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].rule, Rule::Version);
    assert!(
        found[0]
            .message
            .starts_with("`Version` is missing, so IAM reads the policy as `2008-10-17`")
    );
}

#[test]
fn every_problem_is_found_in_one_pass() {
    let json = inline(
        r#"{"Sid":"A","Effect":"Permit","Action":["s3:GetObjet","s3 GetObject"],"Resource":"*"},
           {"Sid":"A","Effect":"Allow","Action":"ec2:DescribeInstance","Resource":"*"}"#,
    );
    let found = problems(&json, Kind::Inline);
    assert_eq!(found.len(), 5, "{found:#?}");
    // What IAM refuses comes first within a statement.
    let first = [
        "Grammar: `Statement[0]` (Sid `A`): `Effect`",
        "Grammar: `Statement[0]` (Sid `A`): `s3 GetObject`",
    ];
    for (problem, start) in found.iter().zip(first) {
        assert!(problem.starts_with(start), "{found:#?}");
    }
    for start in [
        "Action: `Statement[0]` (Sid `A`): `s3:GetObjet`",
        "Grammar: `Statement[1]` (Sid `A`): the Sid `A`",
        "Action: `Statement[1]` (Sid `A`): `ec2:DescribeInstance`",
    ] {
        assert!(found.iter().any(|p| p.starts_with(start)), "{start}");
    }
}

#[test]
fn the_setting_decides_what_findings_become() {
    use Finding::*;
    use PolicyChecks::*;
    use Severity::*;
    assert_eq!(PolicyChecks::default(), Strict);
    let table = [
        (Strict, [Some(Error), Some(Error), Some(Warning)]),
        (Warn, [Some(Error), Some(Warning), Some(Warning)]),
        (Off, [Some(Error), None, None]),
    ];
    for (setting, expected) in table {
        assert_eq!(
            [Malformed, Unknown, Doubtful].map(|f| setting.severity(f)),
            expected,
            "{setting:?}"
        );
        assert_eq!(PolicyChecks::parse(setting.name()), Some(setting));
    }
    assert_eq!(PolicyChecks::parse("Strict"), None);
}
