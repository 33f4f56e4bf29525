//! `policydiff receipts`: proof of notification from send journals.

use super::{Context, write_stdout};
use crate::cli::{ReceiptFormat, ReceiptsArgs};
use crate::deliver::journal;
use crate::deliver::receipts::Journals;
use crate::error::{Error, Result};

pub(super) fn run(ctx: &Context, args: ReceiptsArgs) -> Result<()> {
    let usage = |e: &dyn std::fmt::Display| Error::Usage(e.to_string());
    let rows = match &args.recipients {
        Some(list) => {
            // The key is needed only to join addresses back in.
            let dir = ctx.config().ok().flatten().map(|c| c.dir.clone());
            let master = journal::load_key(dir.as_deref(), false)
                .map_err(|e| usage(&e))?
                .map(|(m, _)| m);
            Journals::read(&args.journal, Some(master.as_ref()))
                .and_then(|j| j.for_list(list))
                .map_err(|e| usage(&e))?
        }
        None => Journals::read(&args.journal, None)
            .map_err(|e| usage(&e))?
            .by_hash(),
    };
    let out = match args.format {
        ReceiptFormat::Json => crate::render::json(&rows),
        ReceiptFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            for r in &rows {
                w.serialize(r)
                    .map_err(|e| Error::Usage(format!("writing CSV: {e}")))?;
            }
            String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
        }
    };
    write_stdout(out.as_bytes())
}
