//! The app's remembered settings in `config.toml` under the user's config dir.

use std::path::Path;

use super::strings::Lang;

/// The language saved by F2, if the file has one.
pub fn remembered_lang(path: &Path) -> Option<Lang> {
    let text = std::fs::read_to_string(path).ok()?;
    let table: toml::Table = text.parse().ok()?;
    table.get("lang")?.as_str().and_then(Lang::parse)
}

/// Sets `lang` in the file, keeping every other key it has.
pub fn remember_lang(path: &Path, lang: Lang) -> Result<(), String> {
    let mut table: toml::Table = match std::fs::read_to_string(path) {
        Ok(text) => text.parse().map_err(|e: toml::de::Error| format!("{}: {e}", path.display()))?,
        Err(_) => toml::Table::new(),
    };
    table.insert("lang".into(), toml::Value::String(lang.code().into()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    let text = toml::to_string(&table).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_is_remembered_and_other_keys_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rasid").join("config.toml");
        assert_eq!(remembered_lang(&path), None);
        remember_lang(&path, Lang::Ar).unwrap();
        assert_eq!(remembered_lang(&path), Some(Lang::Ar));
        std::fs::write(&path, "theme = \"light\"\nlang = \"ar\"\n").unwrap();
        remember_lang(&path, Lang::En).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("theme = \"light\""), "{text}");
        assert_eq!(remembered_lang(&path), Some(Lang::En));
    }
}
