//! `tiaojie backup --out FILE` and `tiaojie restore FILE`.
//!
//! On SQLite the backup is a consistent copy taken while the server runs and writes
//! (`db::backup`); it is written under a temporary name, checked, synced and only then given
//! its name, so a file called FILE is always a whole backup. It never overwrites a file.
//! On PostgreSQL both commands print the `pg_dump` / `pg_restore` command to use instead and
//! exit with status 1, so that a nightly script notices that no backup was made by tiaojie.
//! Neither ever prints a password, nor anything from the cases themselves.

use crate::config::Settings;
use crate::db::{backup, DbUrl};
use std::path::{Path, PathBuf};

pub fn run_backup(settings: Settings, out: &Path) -> Result<(), String> {
    let url = DbUrl::parse(&settings.config.database_url).map_err(|e| e.to_string())?;
    if let DbUrl::Postgres(pg) = &url {
        return Err(format!(
            "use pg_dump: tiaojie backs up SQLite databases only; back this PostgreSQL database \
             up with\n  pg_dump --format=custom --file={} {}",
            shell_quote(&out.display().to_string()),
            shell_quote(&without_password(pg))
        ));
    }
    if out.exists() {
        return Err(format!(
            "{} already exists; a backup never overwrites a file: choose another name or remove it",
            out.display()
        ));
    }
    let partial = with_suffix(out, ".partial");
    // A partial file is ours, left by a backup that was killed; VACUUM INTO refuses to write
    // over it.
    let _ = std::fs::remove_file(&partial);
    let ctx = super::context(settings)?;
    let written = (|| {
        let mut conn = ctx.db.get().map_err(|e| e.to_string())?;
        backup::vacuum_into(&mut conn, &partial)
            .map_err(|e| format!("cannot write the backup to {}: {e}", partial.display()))?;
        drop(conn);
        // SQLite does not sync the copy it writes; a backup is worth having on the disk.
        std::fs::File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(|e| format!("cannot sync {}: {e}", partial.display()))?;
        let summary = backup::inspect(&partial).map_err(|e| e.to_string())?;
        if out.exists() {
            return Err(format!(
                "{} appeared while the backup was being written; it is left alone",
                out.display()
            ));
        }
        std::fs::rename(&partial, out)
            .map_err(|e| format!("cannot rename the backup to {}: {e}", out.display()))?;
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The rename reaches the disk with its folder; best effort (not every system can
            // open a folder).
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(summary)
    })();
    let summary = match written {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    println!(
        "backup written to {} ({size} bytes, {} cases); it passes SQLite's integrity check",
        out.display(),
        summary.cases
    );
    Ok(())
}

pub fn run_restore(settings: Settings, file: &Path) -> Result<(), String> {
    let url = DbUrl::parse(&settings.config.database_url).map_err(|e| e.to_string())?;
    if let DbUrl::Postgres(pg) = &url {
        return Err(format!(
            "use pg_restore: tiaojie restores SQLite backups only; restore a pg_dump file into an \
             empty PostgreSQL database with\n  pg_restore --exit-on-error --no-owner --dbname={} {}",
            shell_quote(&without_password(pg)),
            shell_quote(&file.display().to_string())
        ));
    }
    if !file.is_file() {
        return Err(format!("{}: no such backup file", file.display()));
    }
    // Checked before the target is opened, which would create and migrate it.
    let checked = backup::inspect(file).map_err(|e| e.to_string())?;
    let ctx = super::context(settings)?;
    let restored = backup::restore(&url, file, &checked).map_err(|e| e.to_string())?;
    drop(ctx);
    println!(
        "restored {} cases ({} rows in {} tables) from {}",
        restored.cases,
        restored.rows,
        restored.tables,
        file.display()
    );
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The database URL as it may be printed: without its password, in the user part or in a
/// `password=` parameter. An URL that does not parse is not printed at all.
fn without_password(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return "YOUR-DATABASE-URL".into();
    };
    let _ = parsed.set_password(None);
    let kept: Vec<(String, String)> = parsed
        .query_pairs()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("password"))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        parsed.set_query(None);
    } else {
        parsed.query_pairs_mut().clear().extend_pairs(kept);
    }
    parsed.to_string()
}

/// A word for a POSIX shell: in single quotes, each quote inside written `'\''`.
fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_url_has_no_password_anywhere() {
        assert_eq!(
            without_password(
                "postgres://tj:s3cret@db.local:5432/tiaojie?password=x&sslmode=require"
            ),
            "postgres://tj@db.local:5432/tiaojie?sslmode=require"
        );
        assert_eq!(
            without_password("postgres://db.local/tiaojie"),
            "postgres://db.local/tiaojie"
        );
    }

    #[test]
    fn a_quote_in_a_shell_word_cannot_end_it() {
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
    }
}
