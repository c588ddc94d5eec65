//! Computes the build's rules hash: FNV-1a over every source file that can
//! decide a result (everything under `src/` except the command line in
//! `src/cli/`) and `Cargo.lock` (the versions of `rand_chacha`, `libm` and
//! the rest decide numbers too). `cimsim::ENGINE_VERSION` is the package
//! version with this hash as build metadata, so recordings and compare parts
//! written by two builds that both call themselves `0.1.0` tell themselves
//! apart. Line endings are normalised, so a checkout with CRLF hashes alike.

use std::path::{Path, PathBuf};

#[path = "src/hash.rs"]
#[expect(dead_code, reason = "only fnv1a64 is needed here; the rest is the crate's")]
mod hash;

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    collect(&root.join("src"), &mut files);
    files.retain(|f| !f.starts_with(root.join("src").join("cli")));
    files.push(root.join("Cargo.lock"));
    files.sort();
    let mut all = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&root).expect("under the manifest dir");
        let name = rel.to_string_lossy().replace('\\', "/");
        all.extend_from_slice(name.as_bytes());
        all.push(0);
        let bytes = std::fs::read(f).unwrap_or_default();
        all.extend(bytes.into_iter().filter(|&b| b != b'\r'));
        all.push(0);
    }
    println!("cargo:rustc-env=CIMSIM_RULES_HASH={:016x}", hash::fnv1a64(&all));
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.lock");
}

/// Every `.rs` file under `dir`.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}
