//! What Cargo.toml promises about the toolchain holds for every locked dependency.

use std::path::PathBuf;

/// "1.94" and "1.94.0" are the same version.
fn version(text: &str) -> [u32; 3] {
    let mut parts = text.split('.').map(|part| part.parse().unwrap_or(0));
    [0; 3].map(|_| parts.next().unwrap_or(0))
}

/// Each locked crates.io package's own `rust-version`, read from the sources cargo
/// unpacked to build this test.
#[test]
fn rust_version_is_at_least_every_dependencys() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let ours = manifest.lines().find_map(|l| l.strip_prefix("rust-version = ")).expect("rust-version set");
    let ours = version(ours.trim_matches('"'));
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo"));
    let registries: Vec<PathBuf> =
        std::fs::read_dir(home.join("registry/src")).unwrap().map(|e| e.unwrap().path()).collect();
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
    let mut checked = 0;
    let mut name = "";
    for line in lock.lines() {
        if let Some(n) = line.strip_prefix("name = ") {
            name = n.trim_matches('"');
        } else if let Some(v) = line.strip_prefix("version = ") {
            let dir = format!("{name}-{}", v.trim_matches('"'));
            let Some(theirs) =
                registries.iter().find_map(|r| std::fs::read_to_string(r.join(&dir).join("Cargo.toml")).ok())
            else {
                continue;
            };
            checked += 1;
            if let Some(needed) = theirs.lines().find_map(|l| l.strip_prefix("rust-version = ")) {
                let needed = needed.trim_matches('"');
                assert!(version(needed) <= ours, "{dir} needs Rust {needed}; Cargo.toml says {ours:?}");
            }
        }
    }
    assert!(checked > 100, "only {checked} dependency manifests found");
}
