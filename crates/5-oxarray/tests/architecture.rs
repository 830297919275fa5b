//! The dependency rule of `ARCHITECTURE.md`, checked: crate folders are
//! numbered by their stage in the data flow (`crates/0-kernels`,
//! `crates/1-core`, …), and a crate may depend only on crates in
//! lower-numbered folders. Every `[*dependencies]` table counts, dev and
//! build dependencies included.

#![allow(missing_docs)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// A workspace crate: its folder's stage number and its manifest.
struct Crate {
    folder: String,
    stage: u32,
    manifest: String,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

fn crates() -> BTreeMap<String, Crate> {
    let mut out = BTreeMap::new();
    for entry in fs::read_dir(workspace_root().join("crates")).unwrap() {
        let path = entry.unwrap().path();
        let Ok(manifest) = fs::read_to_string(path.join("Cargo.toml")) else { continue };
        let folder = path.file_name().unwrap().to_string_lossy().into_owned();
        let stage = folder
            .split_once('-')
            .and_then(|(n, _)| n.parse().ok())
            .unwrap_or_else(|| panic!("crate folder {folder:?} must be named <stage>-<name>, like 1-core"));
        let name = package_name(&manifest).unwrap_or_else(|| panic!("{folder}/Cargo.toml has no package name"));
        out.insert(name, Crate { folder, stage, manifest });
    }
    out
}

fn string_value(line: &str) -> Option<String> {
    let (_, v) = line.split_once('=')?;
    Some(v.trim().trim_matches('"').to_string())
}

fn package_name(manifest: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package && line.split('=').next()?.trim() == "name" {
            return string_value(line);
        }
    }
    None
}

/// The package names a manifest depends on, in every dependency table and
/// every way of writing one: `a = "1"`, `a.workspace = true`,
/// `a = { package = "b", … }` (a rename: `b` counts) and `[dependencies.a]`.
fn dependencies(manifest: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut table_dep: Option<usize> = None; // index in `out` of a `[dependencies.a]` table
    let mut in_deps = false;
    for line in manifest.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            let header = header.trim_end_matches(']');
            table_dep = None;
            in_deps = false;
            if header.ends_with("dependencies") {
                in_deps = true;
            } else if let Some((_, dep)) = header.rsplit_once("dependencies.") {
                out.push(dep.trim_matches('"').to_string());
                table_dep = Some(out.len() - 1);
            }
            continue;
        }
        if let Some(i) = table_dep {
            if line.split('=').next().unwrap().trim() == "package" {
                out[i] = string_value(line).unwrap();
            }
        } else if in_deps {
            let key = line.split(['=', '.']).next().unwrap().trim().trim_matches('"');
            out.push(renamed_package(line).unwrap_or(key).to_string());
        }
    }
    out
}

/// `b` in an inline table `a = { package = "b", … }`.
fn renamed_package(line: &str) -> Option<&str> {
    let (_, table) = line.split_once('{')?;
    table.split(',').find_map(|field| {
        let (k, v) = field.split_once('=')?;
        (k.trim() == "package").then(|| v.trim().trim_matches(|c| c == '"' || c == '}' || c == ' '))
    })
}

#[test]
fn the_parser_reads_every_way_of_writing_a_dependency() {
    let manifest = r#"
[package]
name = "x"
[dependencies]
a = "1"
b.workspace = true
c = { version = "1", optional = true }
alias = { package = "d", version = "0.16" }
mypackage = "2"
[dev-dependencies]
e = { path = "../e" }
[target.'cfg(unix)'.dependencies]
f = "1"
[dependencies.g]
version = "1"
[build-dependencies.h2]
package = "h"
[features]
i = ["dep:c"]
"#;
    assert_eq!(package_name(manifest).as_deref(), Some("x"));
    assert_eq!(dependencies(manifest), ["a", "b", "c", "d", "mypackage", "e", "f", "g", "h"]);
}

#[test]
fn dependencies_point_only_to_lower_numbered_crates() {
    let crates = crates();
    assert!(crates.contains_key("oxarray-core") && crates.contains_key("oxarray"), "crates not found");
    let mut edges = 0;
    for (name, krate) in &crates {
        for dep in dependencies(&krate.manifest) {
            let Some(target) = crates.get(&dep) else { continue };
            edges += 1;
            assert!(
                target.stage < krate.stage,
                "{name} (crates/{}) depends on {dep} (crates/{}): dependencies must point to lower-numbered folders",
                krate.folder,
                target.folder
            );
        }
    }
    assert!(edges >= 3, "expected core→kernels, interop→core, oxarray→core at least; found {edges} edges");
}

#[test]
fn every_crate_folder_is_a_workspace_member() {
    let root = fs::read_to_string(workspace_root().join("Cargo.toml")).unwrap();
    for krate in crates().values() {
        let member = format!("\"crates/{}\"", krate.folder);
        assert!(root.contains(&member), "crates/{} is not listed in the workspace members", krate.folder);
    }
}
