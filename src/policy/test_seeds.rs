//! Test helpers: the seed documents (`shared/seeds/`) and today's documents
//! (`shared/seeds/current/`), read from disk so that tests fail when a
//! preset drifts from what the platforms publish.

use std::path::PathBuf;

use crate::arn::OidcProviderArn;

pub const ACCOUNT: &str = "111122223333";
pub const REGION: &str = "us-east-1";
pub const OIDC_ID: &str = "EXAMPLED539D4633E53DE1B71EXAMPLE";

/// `CLUSTERIAM_SEEDS_DIR`, else `shared/seeds` beside the crate.
pub fn seeds_dir() -> PathBuf {
    std::env::var_os("CLUSTERIAM_SEEDS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds")))
}

pub fn seed_text(number: &str) -> String {
    let dir = seeds_dir();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the seeds directory is missing: looked for {} ({e}); set CLUSTERIAM_SEEDS_DIR",
            dir.display()
        )
    });
    let path = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with(&format!("{number}_")))
        })
        .unwrap_or_else(|| panic!("no seed {number}_*.txt in {}", dir.display()));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The text of every fenced code block, whatever its language tag or indent.
fn fenced_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            match current.take() {
                Some(block) => blocks.push(block),
                None => current = Some(String::new()),
            }
        } else if let Some(block) = current.as_mut() {
            block.push_str(line);
            block.push('\n');
        }
    }
    blocks
}

/// The policy documents a seed prints, placeholders filled in. Skips CLI
/// output (`{"Role": ...}`) and anything that is not a policy.
pub fn seed_policies(number: &str) -> Vec<String> {
    fenced_blocks(&seed_text(number))
        .into_iter()
        .filter(|block| {
            matches!(
                serde_json::from_str::<serde_json::Value>(block),
                Ok(serde_json::Value::Object(object))
                    if object.contains_key("Statement") && !object.contains_key("Role")
            )
        })
        .map(|block| {
            block
                .replace("${MY_AWS_ACC}", ACCOUNT)
                .replace("${MY_AWS_REGION}", REGION)
                .replace("${MY_OIDC_PROVIDER}", OIDC_ID)
                .replace("YOUR_ACCOUNT_ID", ACCOUNT)
        })
        .collect()
}

pub fn oidc(partition: &str) -> OidcProviderArn {
    format!(
        "arn:{partition}:iam::{ACCOUNT}:oidc-provider/oidc.eks.{REGION}.amazonaws.com/id/{OIDC_ID}"
    )
    .parse()
    .unwrap()
}

/// Every `*.json` file in `shared/seeds/current/`, by file name, with
/// `YOUR_ACCOUNT_ID` filled in.
pub fn current_documents() -> Vec<(String, String)> {
    let dir = seeds_dir().join("current");
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("today's documents are missing: {} ({e})", dir.display()));
    let mut documents: Vec<(String, String)> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, text.replace("YOUR_ACCOUNT_ID", ACCOUNT))
        })
        .collect();
    documents.sort();
    documents
}

/// A JSON file of `shared/seeds/beyond/`, as printed.
pub fn beyond_json(file: &str) -> serde_json::Value {
    let path = seeds_dir().join("beyond").join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `shared/seeds/beyond/README.md`: the facts and sources of those set-ups.
pub fn beyond_readme() -> String {
    let path = seeds_dir().join("beyond/README.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}
