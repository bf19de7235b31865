//! The resources of identity policies: what IAM refuses of them
//! (`MalformedPolicyDocument`, so grammar), and what it stores but never
//! matches (an ARN missing parts).

/// AWS's partitions, for resource ARNs.
const PARTITIONS: [&str; 8] = [
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

const FORM: &str = "`arn:<partition>:<service>:<region>:<account>:<resource>`";

/// The parts of an ARN, split at `:` outside policy variables (`${aws:username}`).
pub fn arn_parts(arn: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut depth) = (0, 0usize);
    let bytes = arn.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'{' if i > 0 && bytes[i - 1] == b'$' => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => {
                parts.push(&arn[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&arn[start..]);
    parts
}

/// A part a wildcard or a policy variable stands for.
fn flexible(part: &str) -> bool {
    part.contains(['*', '?']) || part.contains("${")
}

/// Why IAM refuses `resource` (`MalformedPolicyDocument`), if it does: no
/// ARN at all, a partition AWS does not have, no service, or a region in an
/// ARN of IAM or of an S3 bucket, which have none.
pub fn refused(resource: &str) -> Option<String> {
    if resource == "*" {
        return None;
    }
    if !resource.contains(':') {
        return Some(format!("`{resource}` in `Resource` must be an ARN or `*`"));
    }
    let parts = arn_parts(resource);
    if !PARTITIONS.contains(&parts[1]) && !flexible(parts[1]) {
        return Some(format!(
            "`{resource}` in `Resource` names the partition `{}`; AWS's are {} ({FORM})",
            parts[1],
            PARTITIONS.map(|p| format!("`{p}`")).join(", ")
        ));
    }
    if parts.len() < 3 || parts[2].is_empty() {
        return Some(format!(
            "`{resource}` in `Resource` names no service ({FORM})"
        ));
    }
    let region = parts.get(3).copied().unwrap_or_default();
    let example = match parts[2] {
        "iam" => "`arn:aws:iam::111122223333:role/name`",
        // Other S3 resources (jobs, access points) have a region and all six parts.
        "s3" if parts.len() < 6 => "`arn:aws:s3:::bucket/key`",
        _ => return None,
    };
    // `*` or a variable may stand for no region; anything else is one.
    let any = region == "*" || (region.starts_with("${") && region.ends_with('}'));
    (!region.is_empty() && !any).then(|| {
        format!(
            "`{resource}` in `Resource` has `{region}` where an ARN's region goes, and these ARNs have none: write it like {example}"
        )
    })
}

/// What is wrong with a resource IAM stores: it matches resources by ARN,
/// so a resource that is not a whole one matches nothing.
pub fn doubtful(resource: &str) -> Option<String> {
    if resource == "*" || refused(resource).is_some() {
        return None;
    }
    let parts = arn_parts(resource);
    if parts[0] != "arn" {
        return Some(format!(
            "`{resource}` in `Resource` is not an ARN ({FORM}) or `*`"
        ));
    }
    (parts.len() < 6).then(|| {
        format!(
            "`{resource}` in `Resource` has {} of the six parts of an ARN ({FORM})",
            parts.len()
        )
    })
}
