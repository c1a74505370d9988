//! Mutation fuzzing of the checker and fixer, with a bounded budget so it runs in CI.
//!
//! Seeds are the rule fixtures, the execution-equivalence programs and the examples. Each
//! iteration mutates one seed (line splices from other seeds, swapped names, duplicated,
//! deleted or re-indented lines, stray tokens, arbitrary bytes) and requires that:
//! - checking never panics;
//! - when the mutant parses, `--fix --unsafe-fixes` never produces a fix the engine has to
//!   reject for breaking the syntax, and the fixed source parses.
//!
//! `PYPARALLEL_FUZZ_ITERATIONS` raises the budget (default 10,000) and `PYPARALLEL_FUZZ_SEED`
//! picks another random stream; a failure prints the seed, the iteration and the mutant.

use std::path::{Path, PathBuf};

use pyparallel::diagnostic::Applicability;
use pyparallel::fix::fix_text;
use pyparallel::linter::lint_source;
use pyparallel::settings::{Options, Overrides, Settings};

/// xorshift64*: small, deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Names the rules care about, swapped for one another.
const NAMES: &[&str] = &[
    "ProcessPoolExecutor",
    "ThreadPoolExecutor",
    "map",
    "submit",
    "apply_async",
    "starmap",
    "append",
    "extend",
    "lambda",
    "async",
    "await",
    "asyncio",
    "requests",
    "time.sleep",
    "global",
    "nonlocal",
    "with",
    "for",
    "if",
    "yield",
    "return",
    "np",
    "pd",
    "self",
    "__main__",
];

/// Stray text that often keeps the file parseable or breaks it in interesting ways.
const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    ":",
    ",",
    "\n",
    "    ",
    "\t",
    "\\\n",
    "'",
    "\"\"\"",
    "#",
    "\0",
    "é",
    "\r",
    "\r\n",
    "*",
    "**",
    "=",
    "+=",
    " if x else y",
    " for x in y",
    "lambda: 0",
    "await ",
    "yield ",
    "\u{feff}",
    "𝔘",
    "\u{2028}",
];

fn seeds() -> Vec<(PathBuf, String)> {
    let mut seeds = Vec::new();
    for folder in ["tests/fixtures", "tests/equivalence", "examples"] {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|ext| ext == "py") {
                let text = std::fs::read_to_string(&path).unwrap();
                seeds.push((path, text));
            }
        }
    }
    seeds.sort();
    seeds
}

fn splitmix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn indentation(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}

fn mutate(rng: &mut Rng, text: &str, seeds: &[(PathBuf, String)]) -> String {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    for _ in 0..=rng.below(3) {
        let at = rng.below(lines.len());
        match rng.below(9) {
            // A line from another seed, at this line's indentation.
            0 | 1 => {
                let donor = &rng.pick(seeds).1;
                let donor_lines: Vec<&str> = donor.lines().collect();
                if donor_lines.is_empty() {
                    continue;
                }
                let line = donor_lines[rng.below(donor_lines.len())].trim_start();
                let indent = indentation(&lines[at]).to_string();
                lines.insert(at, format!("{indent}{line}\n"));
            }
            2 => {
                let line = lines[at].clone();
                lines.insert(at, line);
            }
            3 => {
                lines.remove(at);
                if lines.is_empty() {
                    lines.push(String::new());
                }
            }
            4 => {
                let other = rng.below(lines.len());
                lines.swap(at, other);
            }
            5 => {
                let from = *rng.pick(NAMES);
                let to = *rng.pick(NAMES);
                lines[at] = lines[at].replacen(from, to, 1);
            }
            6 => {
                let line = &lines[at];
                let cut = rng.below(line.len() + 1);
                if line.is_char_boundary(cut) {
                    let mut changed = line.clone();
                    let token = *rng.pick::<&str>(TOKENS);
                    changed.insert_str(cut, token);
                    lines[at] = changed;
                }
            }
            7 => {
                let line = lines[at].clone();
                lines[at] = if rng.below(2) == 0 {
                    format!("    {line}")
                } else {
                    line.strip_prefix("    ").unwrap_or(&line).to_string()
                };
            }
            _ => {
                let bytes: Vec<u8> = (0..rng.below(16)).map(|_| rng.next() as u8).collect();
                lines.insert(at, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    lines.concat()
}

fn settings() -> Settings {
    let options = Options {
        select: Some(vec!["ALL".to_string()]),
        ..Options::default()
    };
    Settings::resolve(&options, &Overrides::default(), Path::new("/"), None).unwrap()
}

#[test]
fn mutated_sources_never_crash_and_fixes_keep_them_parsing() {
    let iterations: usize = std::env::var("PYPARALLEL_FUZZ_ITERATIONS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(10_000);
    let seed: u64 = std::env::var("PYPARALLEL_FUZZ_SEED")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(0x5EED_CAFE);
    let seeds = seeds();
    assert!(seeds.len() > 20, "fuzz seeds are missing");
    let settings = settings();
    // splitmix64 of the seed: nearby seeds give unrelated streams (never zero).
    let mut rng = Rng(splitmix(seed) | 1);
    let (mut parsed, mut fixed_files) = (0usize, 0usize);
    for iteration in 0..iterations {
        let (path, text) = rng.pick(&seeds);
        let mutant = mutate(&mut rng, text, &seeds);
        let context = || {
            format!(
                "seed {seed}, iteration {iteration}, from {}:\n{mutant}",
                path.display()
            )
        };
        let outcome = std::panic::catch_unwind(|| {
            let output = lint_source(mutant.clone(), path, &settings);
            let parses = output.syntax_errors.is_empty();
            let fixed = fix_text(mutant.clone(), path, &settings, Applicability::Unsafe);
            (parses, fixed)
        });
        let Ok((parses, fixed)) = outcome else {
            panic!("checking or fixing panicked; {}", context());
        };
        if !parses {
            continue;
        }
        parsed += 1;
        assert!(
            fixed.rejected.is_empty(),
            "a fix broke the syntax: {:?}; {}",
            fixed
                .rejected
                .iter()
                .map(|r| (r.rule.code, r.message.as_str()))
                .collect::<Vec<_>>(),
            context()
        );
        let result = fixed.output.source.text().to_string();
        if result != mutant {
            fixed_files += 1;
            let reparsed = lint_source(result.clone(), path, &settings);
            assert!(
                reparsed.syntax_errors.is_empty(),
                "the fixed source does not parse: {:?}\n--- fixed:\n{result}\n--- {}",
                reparsed.syntax_errors,
                context()
            );
        }
    }
    eprintln!(
        "fuzz: {iterations} mutants, {parsed} parsed, {fixed_files} changed by fixes (seed {seed})"
    );
    // The budget must exercise the fixer, or the test proves little.
    assert!(
        parsed * 5 >= iterations,
        "only {parsed} of {iterations} mutants parsed"
    );
    assert!(fixed_files > 0, "no mutant was fixed");
}
