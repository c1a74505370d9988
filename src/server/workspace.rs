//! Which settings govern an open file: the closest `pyparallel.toml` / `pyproject.toml` above
//! it, exactly as `pyparallel check` resolves them ([`ConfigResolver`]), adjusted by what the
//! editor's settings say (`select`, `ignore`, `unsafeFixes`, `configuration`). One resolver
//! per workspace folder, so several projects open in one editor each keep their own settings.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::config::{ConfigArguments, ConfigResolver};
use crate::settings::{Overrides, Settings};

/// The editor's settings for pyparallel, from `initializationOptions` or
/// `workspace/configuration` (section `pyparallel`). Every key is optional: unset keys leave
/// the configuration file's value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ClientSettings {
    /// Rules to enable, replacing the configured set (as `--select`).
    pub select: Option<Vec<String>>,
    /// Rules to disable (as `--ignore`).
    pub ignore: Option<Vec<String>>,
    /// Offer unsafe fixes as quick fixes (as `--unsafe-fixes`).
    #[serde(alias = "unsafe-fixes")]
    pub unsafe_fixes: Option<bool>,
    /// A configuration file used for every file, instead of the closest one (as `--config`).
    pub configuration: Option<String>,
}

impl ClientSettings {
    /// Reads the settings from a JSON value the way editors send them: the settings object
    /// itself, or wrapped in `{"settings": ...}` (Ruff's shape) or `{"pyparallel": ...}`
    /// (a whole `settings` section). Unknown keys are ignored; a malformed value is `Err`.
    pub fn from_json(value: &serde_json::Value) -> Result<Self, String> {
        let mut value = value;
        for wrapper in ["settings", "pyparallel"] {
            if let Some(inner) = value.get(wrapper).filter(|inner| inner.is_object()) {
                value = inner;
            }
        }
        if value.is_null() {
            return Ok(Self::default());
        }
        Self::deserialize(value).map_err(|error| error.to_string())
    }

    /// `self` over `base`: a key set here wins.
    pub fn over(&self, base: &ClientSettings) -> ClientSettings {
        ClientSettings {
            select: self.select.clone().or_else(|| base.select.clone()),
            ignore: self.ignore.clone().or_else(|| base.ignore.clone()),
            unsafe_fixes: self.unsafe_fixes.or(base.unsafe_fixes),
            configuration: self
                .configuration
                .clone()
                .or_else(|| base.configuration.clone()),
        }
    }
}

/// One workspace folder: its root, the editor's settings for it, and the resolver built from
/// them (rebuilt when the settings or a configuration file change).
pub struct Folder {
    pub root: PathBuf,
    pub client: ClientSettings,
    resolver: Result<Arc<ConfigResolver>, String>,
}

impl Folder {
    pub fn new(root: PathBuf, client: ClientSettings) -> Self {
        let resolver = build_resolver(&root, &client);
        Self {
            root,
            client,
            resolver,
        }
    }

    /// Forgets every configuration file read so far (one changed on disk).
    pub fn reload(&mut self) {
        self.resolver = build_resolver(&self.root, &self.client);
    }

    /// Whether the settings changed.
    pub fn set_client(&mut self, client: ClientSettings) -> bool {
        if client == self.client {
            return false;
        }
        self.client = client;
        self.reload();
        true
    }

    /// The settings for `file`; `Err` says what is wrong with a configuration (the caller
    /// reports it and falls back to the built-in defaults).
    pub fn settings_for(&self, file: &Path) -> Result<Arc<Settings>, String> {
        let resolver = self.resolver.as_ref().map_err(Clone::clone)?;
        resolver
            .settings_for_file(file)
            .map_err(|error| error.to_string())
    }
}

impl Folder {
    /// Whether `file`, or a folder above it inside its project, is excluded by `exclude` /
    /// `extend-exclude`, as `--force-exclude` decides for a file named on the command line.
    pub fn is_excluded(&self, file: &Path, settings: &Settings) -> bool {
        match &self.resolver {
            Ok(resolver) => crate::discovery::excluded_with_ancestors(file, settings, resolver),
            Err(_) => settings.is_excluded(file),
        }
    }
}

fn build_resolver(root: &Path, client: &ClientSettings) -> Result<Arc<ConfigResolver>, String> {
    let config_values: Vec<String> = client.configuration.iter().cloned().collect();
    let config = ConfigArguments::parse(&config_values, root).map_err(|e| e.to_string())?;
    let overrides = Overrides {
        select: client.select.clone(),
        ignore: client.ignore.clone().unwrap_or_default(),
        unsafe_fixes: client.unsafe_fixes,
        ..Overrides::default()
    };
    ConfigResolver::new(&config, overrides, root, false)
        .map(Arc::new)
        .map_err(|error| error.to_string())
}

/// The workspace folders, and a fallback for files outside all of them (resolved from their
/// own folder upward, with the global client settings).
pub struct Workspace {
    pub global: ClientSettings,
    pub folders: Vec<Folder>,
    loose: Folder,
}

impl Workspace {
    pub fn new(roots: Vec<PathBuf>, global: ClientSettings) -> Self {
        let folders = roots
            .into_iter()
            .map(|root| Folder::new(root, global.clone()))
            .collect();
        Self {
            loose: Folder::new(PathBuf::from("/"), global.clone()),
            global,
            folders,
        }
    }

    /// The folder `file` belongs to: the deepest workspace folder holding it (nested folders
    /// are allowed), else the fallback.
    pub fn folder_for(&self, file: &Path) -> &Folder {
        self.folders
            .iter()
            .filter(|folder| file.starts_with(&folder.root))
            .max_by_key(|folder| folder.root.components().count())
            .unwrap_or(&self.loose)
    }

    pub fn add_folder(&mut self, root: PathBuf) {
        if !self.folders.iter().any(|folder| folder.root == root) {
            self.folders.push(Folder::new(root, self.global.clone()));
        }
    }

    pub fn remove_folder(&mut self, root: &Path) {
        self.folders.retain(|folder| folder.root != root);
    }

    /// New global settings: they apply to every folder that has no settings of its own (the
    /// caller then asks for per-folder settings again). Whether anything changed.
    pub fn set_global(&mut self, global: ClientSettings) -> bool {
        self.global = global.clone();
        let mut changed = false;
        for folder in &mut self.folders {
            changed |= folder.set_client(global.clone());
        }
        changed | self.loose.set_client(global)
    }

    pub fn folder_mut(&mut self, root: &Path) -> Option<&mut Folder> {
        self.folders.iter_mut().find(|folder| folder.root == root)
    }

    /// A configuration file changed: every resolver reads the files again.
    pub fn reload(&mut self) {
        for folder in &mut self.folders {
            folder.reload();
        }
        self.loose.reload();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_settings_accept_the_shapes_editors_send() {
        let flat = serde_json::json!({"select": ["PAR6"], "unsafeFixes": true});
        let wrapped = serde_json::json!({"settings": flat.clone()});
        let section = serde_json::json!({"pyparallel": flat.clone()});
        for value in [flat, wrapped, section] {
            let settings = ClientSettings::from_json(&value).unwrap();
            assert_eq!(settings.select, Some(vec!["PAR6".to_string()]));
            assert_eq!(settings.unsafe_fixes, Some(true));
        }
        assert_eq!(
            ClientSettings::from_json(&serde_json::Value::Null).unwrap(),
            ClientSettings::default()
        );
        assert!(ClientSettings::from_json(&serde_json::json!({"select": 3})).is_err());
    }
}
