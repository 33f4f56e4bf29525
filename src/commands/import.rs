//! `policydiff import FILE.{html,htm,docx}`: a web page or a Word document
//! as the project's Markdown, to commit as a policy version.

use super::{Context, emit};
use crate::archive::{self, ReadOptions};
use crate::cli::ImportArgs;
use crate::convert::html::Selection;
use crate::error::{Error, Result};

pub(super) fn run(ctx: &Context, args: ImportArgs) -> Result<()> {
    let options = ReadOptions {
        html: Selection::new(args.select.as_deref(), &args.remove)
            .map_err(|e| Error::Usage(format!("--{e}")))?,
    };
    let text = convert_file(ctx, &args.file, &options)?;
    if let Some(out) = &args.output {
        let out = ctx.cwd.join(out);
        refuse_overwrite(&out, args.force)?;
        emit(text.as_bytes(), Some(&out))
    } else {
        emit(text.as_bytes(), None)
    }
}

/// A file converted into Markdown by its extension; a file that is no
/// convertible document is refused (it needs no import).
pub(super) fn convert_file(
    ctx: &Context,
    file: &std::path::Path,
    options: &ReadOptions,
) -> Result<String> {
    let shown = file.display().to_string();
    if crate::convert::Source::of_path(&shown).is_none() {
        return Err(Error::Usage(format!(
            "{shown}: import reads .html, .htm or .docx files; a Markdown or text policy needs no conversion"
        )));
    }
    let decoded = archive::read_file_with(&ctx.cwd.join(file), options)?;
    // A Word document's comments are not policy text: say what they were,
    // so nothing the drafter wrote is dropped unseen.
    for note in &decoded.notes {
        eprintln!("policydiff: note: {shown}: {note}");
    }
    Ok(decoded.text)
}

/// An existing file is replaced only with --force.
pub(super) fn refuse_overwrite(path: &std::path::Path, force: bool) -> Result<()> {
    if path.exists() && !force {
        return Err(Error::Usage(format!(
            "{} already exists (use --force to overwrite)",
            path.display()
        )));
    }
    Ok(())
}
