//! Read-only views on catalog problems for tools (editors, CI annotations, `kisum-access check`).

use crate::catalog::spec::{Problem, ProblemKind};

impl Problem {
    /// The 1-based column, in characters, where the offending value starts on [`Problem::line`]
    /// of `source` (the text the problem was found in).
    ///
    /// The column is that of the value the problem names (a string value's opening quote, or the
    /// bare name of a misspelt field); 1 when the line does not spell it, or for problems about
    /// the whole file (too many entries). For a TOML syntax error it is where the parser stopped.
    ///
    /// # Example
    ///
    /// ```
    /// use kisum_access::Catalog;
    ///
    /// let src = "[catalog]\nname = \"Demo\"\ncommercial = false\ndelegation = \"policy\"\n\
    ///            actions = [\"view\"]\n";
    /// let err = Catalog::from_toml_str(src).unwrap_err();
    /// let problem = &err.problems()[0];
    /// assert_eq!((problem.line, problem.column(src)), (2, 8));
    /// ```
    pub fn column(&self, source: &str) -> usize {
        let Some(line) = source.split('\n').nth(self.line.saturating_sub(1)) else {
            return 1;
        };
        if let ProblemKind::Syntax(message) = &self.kind {
            if let Some(col) = syntax_column(source, self.line) {
                return col;
            }
            return backticked(message).map_or(1, |name| find(line, name));
        }
        offending(&self.kind).map_or(1, |name| find(line, name))
    }
}

/// Where the TOML parser stopped, when the text is not TOML at all (shape errors parse fine).
fn syntax_column(source: &str, line: usize) -> Option<usize> {
    let error = toml::from_str::<toml::Table>(source).err()?;
    let before = source.get(..error.span()?.start)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let error_line = before.matches('\n').count() + 1;
    (error_line == line).then(|| before[line_start..].chars().count() + 1)
}

/// The first name between backticks in a message (`unknown field `foo``).
fn backticked(message: &str) -> Option<&str> {
    let rest = &message[message.find('`')? + 1..];
    Some(&rest[..rest.find('`')?])
}

/// The column of `name` on `line`: quoted first (the span of a string value starts at its
/// quote), then bare; 1 when absent.
fn find(line: &str, name: &str) -> usize {
    let quoted = [format!("\"{name}\""), format!("'{name}'")];
    let at = quoted
        .iter()
        .find_map(|q| line.find(q.as_str()))
        .or_else(|| (!name.is_empty()).then(|| line.find(name)).flatten());
    at.map_or(1, |i| line[..i].chars().count() + 1)
}

/// The value a problem is about, as written in the file.
fn offending(kind: &ProblemKind) -> Option<&str> {
    use ProblemKind as P;
    let name = match kind {
        P::Syntax(_) | P::TooMany { .. } => return None,
        P::DuplicateModule(n)
        | P::DuplicateKey(n)
        | P::DuplicateRole(n)
        | P::DuplicateLegacy(n)
        | P::DuplicateAction(n)
        | P::LegacyTarget(n)
        | P::LegacyShadowsKey(n)
        | P::RoleCycle(n)
        | P::BadRoleName(n)
        | P::AddonWithoutBase(n)
        | P::AttachesOnNonAddon(n) => n,
        P::Malformed { name, .. } => name,
        P::UndeclaredModule { key, .. }
        | P::ReservedModule { key, .. }
        | P::UnknownAction { key, .. } => key,
        P::UnknownReplacement { target, .. } | P::AttachesToNonBase { target, .. } => target,
        P::PatternMatchesNothing { pattern, .. } => pattern,
        P::UnknownInclude { include, .. } => include,
        P::KindNotAllowed { module, .. } => module,
    };
    Some(name)
}
