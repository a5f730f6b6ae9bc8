//! Writes the closed vocabularies of `fixtures/vocabularies/words.csv` as `vocabulary!` enums
//! (`$OUT_DIR/vocabularies.rs`, included by `src/vocabulary.rs`): one word a row, each enum's
//! own description on its row with no word, the variant named by its word in CamelCase.

use std::fmt::Write as _;
use std::path::Path;

const WORDS: &str = "../fixtures/vocabularies/words.csv";

/// `surface_water` → `SurfaceWater`.
fn variant_name(word: &str) -> String {
    word.split('_')
        .map(|part| {
            let mut letters = part.chars();
            letters.next().map(|first| first.to_ascii_uppercase().to_string() + letters.as_str()).unwrap_or_default()
        })
        .collect()
}

/// One vocabulary: its description and its words with their meanings, the default marked.
struct Vocabulary {
    name: String,
    description: String,
    words: Vec<(String, String, bool)>,
}

impl Vocabulary {
    fn rust(&self) -> String {
        let mut out = String::from("vocabulary! {\n");
        let _ = writeln!(out, "    #[doc = {:?}]\n    #[doc = \"\"]", self.description);
        for (word, meaning, _) in &self.words {
            let _ = writeln!(out, "    #[doc = {:?}]", format!("- `{word}`: {meaning}"));
        }
        if self.words.iter().any(|(_, _, default)| *default) {
            out.push_str("    #[derive(Default)]\n");
        }
        let _ = writeln!(out, "    pub enum {} {{", self.name);
        for (word, meaning, default) in &self.words {
            let _ = writeln!(out, "        #[doc = {meaning:?}]");
            if *default {
                out.push_str("        #[default]\n");
            }
            let _ = writeln!(out, "        {} = {word:?},", variant_name(word));
        }
        out.push_str("    }\n}\n\n");
        out
    }
}

fn main() {
    println!("cargo::rerun-if-changed={WORDS}");
    let mut reader = csv::Reader::from_path(WORDS).expect("fixtures/vocabularies/words.csv is readable CSV");
    let mut vocabularies: Vec<Vocabulary> = Vec::new();
    for row in reader.records() {
        let row = row.expect("each row of words.csv is vocabulary,word,meaning,default");
        let (name, word, meaning, default) = (&row[0], &row[1], &row[2], &row[3] == "yes");
        match vocabularies.last_mut() {
            Some(current) if current.name == name => {
                current.words.push((word.to_string(), meaning.to_string(), default))
            }
            _ if word.is_empty() => vocabularies.push(Vocabulary {
                name: name.to_string(),
                description: meaning.to_string(),
                words: Vec::new(),
            }),
            _ => panic!("words.csv: vocabulary {name} starts with a word, not its description"),
        }
    }
    let rust: String = vocabularies.iter().map(Vocabulary::rust).collect();
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("vocabularies.rs");
    std::fs::write(out, rust).expect("OUT_DIR is writable");
}
