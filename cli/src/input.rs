//! Reading the files the commands take: catalogs, tokens, entitlements. Every failure names the
//! file and says what is wrong with it.

use std::path::{Path, PathBuf};

use kisum_access::{BamToken, Catalog, CatalogError, Claims, Entitlements, Subject};

use crate::output::Failure;

/// Most token files `--tokens` reads from one directory.
pub const MAX_TOKEN_FILES: usize = 10_000;

/// A file's text.
pub fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure(format!("cannot read {}: {e}", path.display())))
}

/// Every problem of a catalog, one `file:line:col: message` line each.
pub fn problem_lines(path: &Path, error: &CatalogError) -> Vec<String> {
    error
        .problems()
        .iter()
        .map(|p| {
            let (line, col) = (p.line, p.column);
            format!("{}:{line}:{col}: {}", path.display(), p.kind)
        })
        .collect()
}

/// A catalog file, validated; an invalid one is a failure listing every problem.
pub fn catalog_file(path: &Path) -> Result<(Catalog, String), Failure> {
    let source = read(path)?;
    match Catalog::from_toml_str(&source) {
        Ok(catalog) => Ok((catalog, source)),
        Err(e) => Err(Failure(format!(
            "{} is not a valid catalog:\n{}",
            path.display(),
            problem_lines(path, &e).join("\n")
        ))),
    }
}

/// The catalog of `--catalog FILE`, or the Kisum catalog compiled into the tool.
pub fn catalog_or_embedded(path: Option<&Path>) -> Result<Catalog, Failure> {
    match path {
        Some(path) => Ok(catalog_file(path)?.0),
        None => Ok(Catalog::embedded().clone()),
    }
}

/// Company entitlements: a JSON array of `{"company", "modules"}` objects, or one object.
pub fn entitlements(path: &Path) -> Result<Vec<Entitlements>, Failure> {
    let text = read(path)?;
    let parsed = if text.trim_start().starts_with('[') {
        serde_json::from_str::<Vec<Entitlements>>(&text)
    } else {
        serde_json::from_str::<Entitlements>(&text).map(|e| vec![e])
    };
    parsed.map_err(|e| Failure(format!("{}: {e}", path.display())))
}

/// One token file of a `--tokens` directory.
pub enum Token {
    /// Kisum claims (`{"sub", "memberships": [...]}`).
    Kisum(Claims),
    /// A B.A.M Ticketing token (`{"sub", "permissions": {ORG: {...}}}`).
    Bam(BamToken),
}

impl Token {
    /// The subject this token describes, for `catalog`; Kisum tokens need the entitlements.
    pub fn subject(
        &self,
        catalog: &Catalog,
        entitlements: Option<&[Entitlements]>,
    ) -> Result<Subject, String> {
        match self {
            Token::Kisum(claims) => {
                let ents = entitlements.ok_or("a Kisum token needs --entitlements")?;
                Subject::from_claims(catalog, claims, ents).map_err(|e| e.to_string())
            }
            Token::Bam(token) => Subject::from_bam_token(catalog, token).map_err(|e| e.to_string()),
        }
    }
}

/// Every `*.json` file of `dir`, sorted by name, each read as a Kisum or a B.A.M token (told apart
/// by a top-level `memberships` field).
pub fn tokens(dir: &Path) -> Result<Vec<(PathBuf, Token)>, Failure> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Failure(format!("cannot read directory {}: {e}", dir.display())))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    if paths.len() > MAX_TOKEN_FILES {
        return Err(Failure(format!(
            "{} holds {} token files; at most {MAX_TOKEN_FILES} are read",
            dir.display(),
            paths.len()
        )));
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| token(&path).map(|t| (path, t)))
        .collect()
}

/// One token file: Kisum claims when it has a top-level `memberships` field, else a B.A.M token.
pub fn token(path: &Path) -> Result<Token, Failure> {
    let text = read(path)?;
    let bad = |e: serde_json::Error| Failure(format!("{}: {e}", path.display()));
    let value: serde_json::Value = serde_json::from_str(&text).map_err(bad)?;
    Ok(if value.get("memberships").is_some() {
        Token::Kisum(serde_json::from_value(value).map_err(bad)?)
    } else {
        Token::Bam(serde_json::from_value(value).map_err(bad)?)
    })
}
