//! Every example command in the README and docs/ runs as written (issue 20): the `corridor …`
//! lines of their shell blocks are run in order, in a scratch folder, and must exit 0. An
//! example that cannot run here (it needs a downloaded network, a server, a file the reader
//! brings, or a placeholder the reader fills in) is skipped by a named rule, and the test checks
//! that most examples did run, so it cannot pass by skipping everything.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Why an example is not run here, or None to run it.
fn skip_reason(line: &str) -> Option<&'static str> {
    const RULES: [(&str, &str); 13] = [
        (" DIR", "placeholder DIR: the reader's own folder"),
        ("NETS", "placeholder NETS: a folder of imported networks"),
        ("PORT", "placeholder PORT"),
        ("path/to/", "placeholder path"),
        ("legs.csv", "a legs file the reader brings"),
        ("legs.json", "a legs file the reader brings"),
        ("import ", "downloads and imports a physical network"),
        ("--network ", "needs an imported physical network"),
        ("derive-geometry", "needs imported physical networks"),
        (" serve", "starts a server (tests/serve*.rs run it)"),
        ("prepare ", "needs an imported physical network"),
        ("--python", "needs the reader's Python environment"),
        (
            "postgres://",
            "needs a PostgreSQL server (.ci/postgres.sh runs the store on one)",
        ),
    ];
    RULES
        .iter()
        .find(|(pat, _)| line.contains(pat))
        .map(|(_, why)| *why)
}

/// The `corridor …` lines of the shell blocks of one Markdown file, comments cut.
fn examples(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_block = false;
    for line in md.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            in_block = !in_block && matches!(t, "```sh" | "```bash" | "```console");
            continue;
        }
        if !in_block {
            continue;
        }
        let t = t.strip_prefix("$ ").unwrap_or(t);
        if !t.starts_with("corridor ") {
            continue;
        }
        // A comment starts at " #" outside quotes; examples keep it simple.
        let cmd = match t.find("  #").or_else(|| t.find(" # ")) {
            Some(i) => &t[..i],
            None => t,
        };
        out.push(cmd.trim().trim_end_matches('&').trim().to_string());
    }
    out
}

#[test]
fn documented_examples_run_as_written() {
    let bin = assert_cmd::cargo::cargo_bin("corridor");
    let scratch = tempfile::tempdir().expect("scratch dir");
    // The lanes file the docs' table and compare examples read (docs/scenarios.md).
    std::fs::write(
        scratch.path().join("lanes.csv"),
        "from,to\nXi'an,Duisburg\nUrumqi,Baku\n",
    )
    .expect("write lanes.csv");
    // The demand file of docs/flows.md's examples.
    std::fs::write(
        scratch.path().join("my-od.csv"),
        "from,to,teu_per_year\nXi'an,Duisburg,50000\nUrumqi,Baku,10000\n",
    )
    .expect("write my-od.csv");
    // The job of docs/batch.md's examples, small (two lanes, one scenario).
    std::fs::write(
        scratch.path().join("job.toml"),
        "name = \"doc-example\"\nlanes = [[\"Urumqi\", \"Baku\"]]\nlanes_file = \"lanes.csv\"\n",
    )
    .expect("write job.toml");
    // The sweep of docs/benchmarks.md, as written there.
    std::fs::write(
        scratch.path().join("sweep.toml"),
        "name = \"sweep\"\nscenarios = [\"baseline\", \"caspian-backlog\", \"cku-railway-open\", \"high-passes-winter\", \"khorgos-green-channel\", \"kuryk-aktau-expansion\", \"no-russia-belarus\", \"red-sea-closed\"]\n[flows]\ndemand_factors = [1, 1.5, 2]\n",
    )
    .expect("write sweep.toml");
    let mut files: Vec<PathBuf> = vec![repo().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(repo().join("docs"))
        .expect("docs/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    let (mut ran, mut skipped, mut failed) = (0, Vec::new(), Vec::new());
    for f in &files {
        let md = std::fs::read_to_string(f).expect("read markdown");
        for ex in examples(&md) {
            if let Some(why) = skip_reason(&ex) {
                skipped.push(format!("{}: {ex} ({why})", f.display()));
                continue;
            }
            let Some(words) = shlex::split(&ex) else {
                failed.push(format!("{}: {ex}: not a shell command line", f.display()));
                continue;
            };
            // Paths in examples are relative to the repository (data/default) or scratch
            // outputs (-o route.geojson): run in the scratch folder with data/ linked.
            let words: Vec<String> = words
                .into_iter()
                .skip(1)
                .map(|w| match w.strip_prefix("data/") {
                    Some(rest) => repo().join("data").join(rest).display().to_string(),
                    None => w.replace("/tmp/", &format!("{}/", scratch.path().display())),
                })
                .collect();
            let out = Command::new(&bin)
                .args(&words)
                .current_dir(scratch.path())
                .output()
                .expect("run corridor");
            ran += 1;
            if !out.status.success() {
                failed.push(format!(
                    "{}: `{ex}` exited {:?}: {}",
                    f.display(),
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr)
                        .lines()
                        .next()
                        .unwrap_or("")
                ));
            }
        }
    }
    assert!(
        failed.is_empty(),
        "examples that fail:\n{}",
        failed.join("\n")
    );
    assert!(
        ran >= 15,
        "only {ran} examples ran; skipped:\n{}",
        skipped.join("\n")
    );
}
