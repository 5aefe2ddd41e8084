//! Embeds rules/*.toml into the binary, so `starfinder run` works with no
//! rules folder beside it; `--rules DIR` replaces them at run time.
//!
//! Also derives a build id from the source tree, so that the incremental
//! cache never serves results computed by other code under the same
//! version number.
use std::{env, fs, path::Path, path::PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// FNV-1a, 64 bits: an identity for the build, not a security measure.
fn fnv(hash: &mut u64, bytes: &[u8]) {
    for b in bytes {
        *hash ^= u64::from(*b);
        *hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    println!("cargo:rerun-if-changed={}", root.join("src").display());
    let mut rules: Vec<_> = fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "toml")).collect())
        .unwrap_or_default();
    rules.sort();
    let mut out = String::from("&[\n");
    for f in &rules {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        out.push_str(&format!("    ({name:?}, include_str!({:?})),\n", f.display().to_string()));
    }
    out.push(']');
    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin_rules.rs");
    fs::write(dest, out).expect("write builtin_rules.rs");

    let mut all = Vec::new();
    files(&root.join("src"), &mut all);
    all.extend(rules);
    all.push(root.join("Cargo.toml"));
    all.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in &all {
        fnv(&mut h, f.strip_prefix(root).unwrap_or(f).to_string_lossy().as_bytes());
        fnv(&mut h, &fs::read(f).unwrap_or_default());
    }
    println!("cargo:rustc-env=STARFINDER_BUILD_ID={h:016x}");
}
