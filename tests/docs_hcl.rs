//! Every HCL block in docs/ works as a reader would use it (the examples in
//! examples/ are checked on their own in tests/examples.rs):
//! - Terraform configuration passes `terraform validate` (a snippet without
//!   a `terraform` block gets the provider's source address, as on the registry);
//! - a test file (`run`, `mock_provider`) validates with the configuration
//!   block shown just before it on the same page;
//! - CLI configuration (`provider_installation`) loads without Terraform
//!   reporting problems with it.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Workspace, terraform_bin};

const SOURCE_ADDRESS: &str = "terraform {\n  required_providers {\n    clusteriam = { source = \"clusteriam/clusteriam\" }\n  }\n}\n";

#[derive(Debug, PartialEq)]
enum Kind {
    Configuration,
    TestFile,
    CliConfiguration,
}

fn kind(block: &str) -> Kind {
    let top_level = |word: &str| block.lines().any(|l| l.starts_with(word));
    if top_level("provider_installation") || top_level("plugin_cache_dir") {
        Kind::CliConfiguration
    } else if top_level("run \"") || top_level("mock_provider \"") {
        Kind::TestFile
    } else {
        Kind::Configuration
    }
}

/// The fenced blocks of `markdown` in HCL (`terraform`, `hcl`, `tf`).
fn hcl_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_start().strip_prefix("```")) {
            (None, Some(lang)) if ["terraform", "hcl", "tf"].contains(&lang.trim()) => {
                current = Some(String::new());
            }
            (None, Some(_)) => current = None,
            (Some(block), Some("")) => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let path = entry.path();
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// Why the block is not valid, if it is not.
fn problem(block: &str, configuration: Option<&str>) -> Option<String> {
    let ws = Workspace::new();
    match kind(block) {
        Kind::CliConfiguration => {
            let file = ws.path().join("docs.tfrc");
            std::fs::write(&file, block).unwrap();
            let out = Command::new(terraform_bin())
                .arg("version")
                .env("TF_CLI_CONFIG_FILE", &file)
                .env("CHECKPOINT_DISABLE", "1")
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            (!out.status.success() || stderr.contains("problems with the CLI configuration"))
                .then(|| stderr.into_owned())
        }
        kind => {
            let main = match kind {
                Kind::TestFile => {
                    let Some(configuration) = configuration else {
                        return Some(
                            "a test file needs the configuration it tests in a block before it"
                                .into(),
                        );
                    };
                    std::fs::write(ws.path().join("docs.tftest.hcl"), block).unwrap();
                    configuration
                }
                _ => block,
            };
            ws.write(main);
            if !main.contains("required_providers") {
                std::fs::write(ws.path().join("terraform.tf"), SOURCE_ADDRESS).unwrap();
            }
            let run = ws.validate();
            (run.code != 0).then(|| run.output())
        }
    }
}

#[test]
fn docs_hcl_blocks_are_valid() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    markdown_files(&root.join("docs"), &mut files);
    files.sort();
    let (mut checked, mut problems) = (0, Vec::new());
    for file in &files {
        let markdown = std::fs::read_to_string(file).unwrap();
        let mut configuration: Option<String> = None;
        for (i, block) in hcl_blocks(&markdown).into_iter().enumerate() {
            if let Some(why) = problem(&block, configuration.as_deref()) {
                problems.push(format!(
                    "{} (HCL block {}):\n{block}\n{why}",
                    file.strip_prefix(root).unwrap().display(),
                    i + 1
                ));
            }
            if kind(&block) == Kind::Configuration {
                configuration = Some(block);
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 20,
        "expected the HCL blocks of every page, found {checked}"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn docs_hcl_check_reports_what_is_wrong() {
    let snippet = "data \"clusteriam_eks_cluster_oidc\" \"cluster\" {\n  cluster_name = \"a\"\n}\n\
                   resource \"clusteriam_oidc_provider\" \"x\" {\n  url = data.clusteriam_eks_cluster_oidc.other.issuer_url\n}\n";
    assert!(problem(snippet, None).is_some_and(|p| p.contains("undeclared")));
    let cli = "provider_installation {\n  filesystem_mirror {\n    pth = \"/x\"\n  }\n}\n";
    assert_eq!(kind(cli), Kind::CliConfiguration);
    assert!(problem(cli, None).is_some_and(|p| p.contains("\"path\" argument is required")));
    let markdown = "a\n```terraform\nx = 1\n```\n```sh\nls\n```\n```hcl\ny = 2\n```\n";
    assert_eq!(hcl_blocks(markdown), ["x = 1\n", "y = 2\n"]);
}
