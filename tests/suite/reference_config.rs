//! Reference data, configuration and themes: embedded defaults, overrides and error messages.

use std::fs;
use std::path::{Path, PathBuf};

use keukentafel::config::{Config, ConfigErrorKind, Paths, load_reference_data};
use keukentafel::domain::reference::{
    FlagCatalogue, ReferenceData, ReferenceErrorKind, ZrmCatalogue,
};
use keukentafel::i18n::{Lang, Localize};
use keukentafel::theme::Theme;
use ratatui::style::Color;

const ZRM_KEYS: [&str; 13] = [
    "financien",
    "werk_opleiding",
    "tijdsbesteding",
    "huisvesting",
    "huiselijke_relaties",
    "geestelijke_gezondheid",
    "lichamelijke_gezondheid",
    "middelengebruik",
    "basale_adl",
    "instrumentele_adl",
    "sociaal_netwerk",
    "maatschappelijke_participatie",
    "justitie",
];

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("create dir");
    }
    fs::write(&path, text).expect("write file");
    path
}

fn embedded_zrm_text() -> String {
    fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/zrm.toml")).expect("zrm.toml")
}

// ---------------------------------------------------------------- reference data

#[test]
fn embedded_reference_data_is_valid() {
    let data = ReferenceData::try_embedded();
    assert!(
        data.is_ok(),
        "{}",
        data.err().map(|e| e.to_string()).unwrap_or_default()
    );
    assert_eq!(data.ok(), Some(ReferenceData::embedded()));
}

#[test]
fn embedded_zrm_has_13_domains_with_both_wordings_and_5_levels() {
    let zrm = ReferenceData::embedded().zrm;
    let keys: Vec<&str> = zrm.domains.iter().map(|d| d.key.as_str()).collect();
    assert_eq!(keys, ZRM_KEYS);
    for d in &zrm.domains {
        assert!(!d.name.is_empty() && !d.client_name.is_empty(), "{}", d.key);
    }
    assert_eq!(
        zrm.domain("financien").map(|d| d.name.as_str()),
        Some("Financiën")
    );
    assert_eq!(zrm.client_name("financien"), Some("Geldzaken"));
    assert_eq!(zrm.client_name("huisvesting"), Some("Woning"));
    assert_eq!(zrm.client_name("middelengebruik"), Some("Verslaving"));
    assert_eq!(
        zrm.client_name("maatschappelijke_participatie"),
        Some("Inzet voor de maatschappij")
    );
    assert_eq!(zrm.index_of("justitie"), Some(12));
    assert_eq!(zrm.index_of("ouderschap"), None);

    let scores: Vec<u8> = zrm.levels.iter().map(|l| l.score).collect();
    assert_eq!(scores, [1, 2, 3, 4, 5]);
    assert_eq!(zrm.level_label(1), Some("acute problematiek"));
    assert_eq!(zrm.level_label(3), Some("beperkt zelfredzaam"));
    assert_eq!(zrm.level_label(5), Some("volledig zelfredzaam"));
    assert_eq!(zrm.level_label(0), None);
    assert_eq!(zrm.level_label(6), None);
    assert!(zrm.levels.iter().all(|l| !l.client_label.is_empty()));
    assert_eq!(zrm.client_level_label(5), Some("het lukt helemaal zelf"));
    // Anchor texts are licensed and never shipped.
    assert_eq!(zrm.anchors, None);
    assert_eq!(zrm.anchor("financien", 1), None);
}

#[test]
fn every_flag_has_a_unique_lowercase_mnemonic() {
    let flags = ReferenceData::embedded().flags;
    let mut letters: Vec<char> = flags.flags().iter().map(|f| f.mnemonic).collect();
    assert!(letters.iter().all(char::is_ascii_lowercase));
    let count = letters.len();
    letters.sort_unstable();
    letters.dedup();
    assert_eq!(letters.len(), count, "duplicate mnemonic");
    for (letter, key) in [
        ('w', "ww_uitkering"),
        ('b', "bijstand"),
        ('s', "schuldhulp"),
        ('v', "veilig_thuis"),
        ('j', "jeugdhulp"),
        ('m', "wmo_voorziening"),
        ('l', "leerplicht"),
        ('h', "huurachterstand"),
    ] {
        assert_eq!(flags.by_mnemonic(letter).map(|f| f.key.as_str()), Some(key));
    }
    assert!(flags.by_key("beschermingsbewind").is_some());
    assert!(flags.by_mnemonic('W').is_none());
    assert!(flags.flags().iter().all(|f| !f.domain.is_empty()));
}

#[test]
fn contact_kinds_default_to_the_first() {
    let kinds = ReferenceData::embedded().contact_kinds;
    assert_eq!(kinds.default().key, "huisbezoek");
    assert_eq!(kinds.default().default_minutes, 60);
    assert_eq!(
        kinds.by_key("telefoon").map(|k| k.default_minutes),
        Some(10)
    );
    assert!(kinds.kinds().len() >= 8);
}

#[test]
fn load_without_overrides_equals_embedded() {
    let dir = temp_dir();
    assert_eq!(
        load_reference_data(Some(dir.path())),
        Ok(ReferenceData::embedded())
    );
}

#[test]
fn override_files_replace_the_embedded_ones() {
    let dir = temp_dir();
    let zrm = format!(
        "{}\n[[domains]]\nkey = \"ouderschap\"\nname = \"Ouderschap\"\nclient_name = \"Opvoeden\"\n",
        embedded_zrm_text()
    );
    write(dir.path(), "zrm.toml", &zrm);
    write(
        dir.path(),
        "flags.toml",
        "[[flags]]\nkey = \"voedselbank\"\nname = \"Voedselbank\"\nmnemonic = \"f\"\ndomain = \"Armoede\"\n",
    );
    let data = load_reference_data(Some(dir.path())).expect("overrides load");
    assert_eq!(data.zrm.domains.len(), 14);
    assert_eq!(data.zrm.index_of("ouderschap"), Some(13));
    assert_eq!(data.zrm.client_name("ouderschap"), Some("Opvoeden"));
    assert_eq!(data.flags.flags().len(), 1);
    assert_eq!(
        data.flags.by_mnemonic('f').map(|f| f.name.as_str()),
        Some("Voedselbank")
    );
    assert_eq!(data.flags.by_mnemonic('w'), None);
    // Not overridden: still embedded.
    assert_eq!(data.contact_kinds, ReferenceData::embedded().contact_kinds);
}

#[test]
fn duplicate_mnemonic_is_rejected_naming_the_file_and_line() {
    let dir = temp_dir();
    let path = write(
        dir.path(),
        "flags.toml",
        "[[flags]]\nkey = \"ww\"\nname = \"WW\"\nmnemonic = \"w\"\ndomain = \"Werk\"\n\n\
         [[flags]]\nkey = \"wajong\"\nname = \"Wajong\"\nmnemonic = \"w\"\ndomain = \"Werk\"\n",
    );
    let err = load_reference_data(Some(dir.path())).expect_err("duplicate mnemonic");
    assert_eq!(err.file, path.display().to_string());
    assert_eq!(err.line, Some(10));
    assert_eq!(
        err.to_string(),
        format!(
            "{}, regel 10: sneltoets 'w' van 'wajong' is al in gebruik door 'ww'.",
            path.display()
        )
    );
    assert!(
        err.localize(Lang::En)
            .contains("line 10: mnemonic 'w' of 'wajong'")
    );
}

#[test]
fn duplicate_key_and_bad_mnemonic_are_rejected() {
    let flag = |key: &str, m: &str| {
        format!("[[flags]]\nkey = \"{key}\"\nname = \"N\"\nmnemonic = \"{m}\"\ndomain = \"D\"\n")
    };
    let err = FlagCatalogue::parse(&(flag("a", "a") + &flag("a", "b")), "flags.toml")
        .expect_err("duplicate key");
    assert_eq!(err.kind, ReferenceErrorKind::DuplicateKey("a".into()));
    assert_eq!(err.line, Some(7));
    for bad in ["A", "ab", "", "1"] {
        let err = FlagCatalogue::parse(&flag("a", bad), "flags.toml").expect_err(bad);
        assert_eq!(err.kind, ReferenceErrorKind::InvalidMnemonic(bad.into()));
    }
}

#[test]
fn zrm_validation_rejects_bad_levels_keys_and_names() {
    let text = embedded_zrm_text();
    let cases = [
        (
            text.replace("score = 5", "score = 6"),
            ReferenceErrorKind::InvalidLevel("6".into()),
        ),
        (
            text.replace("score = 5", "score = 4"),
            ReferenceErrorKind::DuplicateLevel(4),
        ),
        (
            text.replace("key = \"justitie\"", "key = \"financien\""),
            ReferenceErrorKind::DuplicateKey("financien".into()),
        ),
        (
            text.replace("key = \"justitie\"", "key = \"Justitie\""),
            ReferenceErrorKind::InvalidKey("Justitie".into()),
        ),
        (
            text.replace("name = \"Justitie\"", "name = \" \""),
            ReferenceErrorKind::Empty("name"),
        ),
    ];
    for (bad, kind) in cases {
        let err = ZrmCatalogue::parse(&bad, "zrm.toml").expect_err("invalid zrm");
        assert_eq!(err.kind, kind);
        assert!(err.line.is_some(), "{err}");
    }
    let four_levels = text
        .split("[[levels]]")
        .take(5)
        .collect::<Vec<_>>()
        .join("[[levels]]");
    let err = ZrmCatalogue::parse(&four_levels, "zrm.toml").expect_err("missing level");
    assert_eq!(err.kind, ReferenceErrorKind::MissingLevel(5));
    assert!(
        err.to_string().starts_with("zrm.toml: niveau 5 ontbreekt"),
        "{err}"
    );
}

#[test]
fn parse_errors_in_override_files_name_file_and_line() {
    let dir = temp_dir();
    let path = write(
        dir.path(),
        "contact_kinds.toml",
        "[[kinds]]\nkey = \"huisbezoek\"\nname = \"Huisbezoek\"\ndefault_minutes = \"zestig\"\n",
    );
    let err = load_reference_data(Some(dir.path())).expect_err("bad minutes");
    assert_eq!(err.line, Some(4));
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("{}, regel 4: ", path.display())),
        "{text}"
    );
    assert!(text.contains("'default_minutes'"), "{text}");

    write(dir.path(), "contact_kinds.toml", "[[kinds]\nkey = \n");
    let err = load_reference_data(Some(dir.path())).expect_err("malformed");
    assert_eq!(err.line, Some(1));
    assert!(err.to_string().contains("geen geldige TOML"), "{err}");

    write(
        dir.path(),
        "contact_kinds.toml",
        "[[kinds]]\nkey = \"x\"\nname = \"X\"\nminuten = 5\n",
    );
    let err = load_reference_data(Some(dir.path())).expect_err("unknown key");
    assert!(
        err.to_string()
            .contains("regel 4: onbekende sleutel 'minuten'"),
        "{err}"
    );
}

#[test]
fn anchors_file_loads_when_present() {
    let dir = temp_dir();
    write(
        dir.path(),
        "zrm_anchors.toml",
        "[financien]\n1 = \"Groeiende complexe schulden.\"\n3 = \"Inkomen is toereikend.\"\n\n[justitie]\n5 = \"Geen justitiecontacten.\"\n",
    );
    let zrm = load_reference_data(Some(dir.path()))
        .expect("anchors load")
        .zrm;
    assert_eq!(
        zrm.anchor("financien", 1),
        Some("Groeiende complexe schulden.")
    );
    assert_eq!(zrm.anchor("financien", 3), Some("Inkomen is toereikend."));
    assert_eq!(zrm.anchor("financien", 2), None);
    assert_eq!(zrm.anchor("justitie", 5), Some("Geen justitiecontacten."));
    assert_eq!(zrm.anchor("huisvesting", 1), None);

    write(dir.path(), "zrm_anchors.toml", "[financien]\n7 = \"x\"\n");
    let err = load_reference_data(Some(dir.path())).expect_err("bad level");
    assert_eq!(err.kind, ReferenceErrorKind::InvalidLevel("7".into()));
    assert_eq!(err.line, Some(2));

    write(
        dir.path(),
        "zrm_anchors.toml",
        "[financien]\n1 = \"x\"\n\n[fietsen]\n2 = \"y\"\n",
    );
    let err = load_reference_data(Some(dir.path())).expect_err("unknown domain");
    assert!(
        err.to_string()
            .ends_with("zrm_anchors.toml, regel 4: onbekend ZRM-domein 'fietsen'.")
    );
}

// ---------------------------------------------------------------- configuration

#[test]
fn missing_config_file_gives_defaults() {
    let dir = temp_dir();
    let config = Config::load(&dir.path().join("config.toml")).expect("defaults");
    assert_eq!(config, Config::default());
    assert_eq!(config.language, Lang::Nl);
    assert_eq!(config.theme, "default");
    assert_eq!(config.idle_lock_minutes, 15);
    assert_eq!(config.database, None);
    assert_eq!(
        Config::from_str_named("", "config.toml"),
        Ok(Config::default())
    );
}

#[test]
fn every_config_key_is_parsed() {
    let dir = temp_dir();
    let path = write(
        dir.path(),
        "config.toml",
        "language = \"en\"\ntheme = \"high-contrast\"\nidle_lock_minutes = 5\ndatabase = \"/srv/kt/team.db\"\n",
    );
    let config = Config::load(&path).expect("valid config");
    assert_eq!(
        config,
        Config {
            language: Lang::En,
            theme: "high-contrast".into(),
            idle_lock_minutes: 5,
            database: Some(PathBuf::from("/srv/kt/team.db")),
            ..Config::default()
        }
    );
}

#[test]
fn unknown_config_key_names_line_and_key() {
    let text = "theme = \"light\"\n\ntaal = \"nl\"\n";
    let err = Config::from_str_named(text, "config.toml").expect_err("unknown key");
    assert_eq!(err.line, Some(3));
    assert_eq!(
        err.to_string(),
        "config.toml, regel 3: onbekende sleutel 'taal'. \
         Bekende sleutels: language, theme, idle_lock_minutes, database, output_dir, gemeentecode, istandaarden, zonder_startbericht_dagen, retention."
    );
    assert_eq!(
        err.localize(Lang::En),
        "config.toml, line 3: unknown key 'taal'. \
         Known keys: language, theme, idle_lock_minutes, database, output_dir, gemeentecode, istandaarden, zonder_startbericht_dagen, retention."
    );
}

#[test]
fn malformed_config_value_names_the_line() {
    let err = Config::from_str_named(
        "theme = \"light\"\nidle_lock_minutes = \"tien\"\n",
        "c.toml",
    )
    .expect_err("string for a number");
    assert_eq!(err.line, Some(2));
    assert!(
        err.to_string()
            .starts_with("c.toml, regel 2: ongeldige waarde voor 'idle_lock_minutes'"),
        "{err}"
    );
    let err = Config::from_str_named("\nlanguage = nl\n", "c.toml").expect_err("unquoted");
    assert_eq!(err.line, Some(2));
    let err = Config::from_str_named("theme = \"a\"\ntheme = \"b\"\n", "c.toml").expect_err("dup");
    assert_eq!(
        err.to_string(),
        "c.toml, regel 2: sleutel 'theme' staat er twee keer in."
    );
}

#[test]
fn idle_lock_minutes_must_be_1_to_30() {
    for bad in [31, 0, -5, 1000] {
        let text = format!("idle_lock_minutes = {bad}\n");
        let err = Config::from_str_named(&text, "config.toml").expect_err("out of range");
        assert_eq!(err.kind, ConfigErrorKind::IdleLockOutOfRange(bad));
        assert_eq!(err.line, Some(1));
        assert!(err.to_string().contains("tussen 1 en 30"), "{err}");
    }
    for good in [1, 30] {
        let text = format!("idle_lock_minutes = {good}\n");
        let config = Config::from_str_named(&text, "config.toml").expect("in range");
        assert_eq!(config.idle_lock_minutes, good);
    }
}

#[test]
fn invalid_theme_name_and_empty_database_are_rejected() {
    let err = Config::from_str_named("theme = \"../x\"\n", "c.toml").expect_err("path theme");
    assert_eq!(err.kind, ConfigErrorKind::InvalidThemeName("../x".into()));
    let err = Config::from_str_named("database = \"\"\n", "c.toml").expect_err("empty path");
    assert_eq!(err.kind, ConfigErrorKind::EmptyDatabasePath);
}

#[test]
fn output_dir_is_read_and_an_empty_one_is_named_on_its_line() {
    let config = Config::from_str_named("output_dir = \"/srv/keukentafel/uit\"\n", "c.toml")
        .expect("a folder");
    assert_eq!(
        config.output_dir.as_deref(),
        Some(std::path::Path::new("/srv/keukentafel/uit"))
    );
    let err = Config::from_str_named("language = \"nl\"\noutput_dir = \"\"\n", "c.toml")
        .expect_err("empty folder");
    assert_eq!(err.kind, ConfigErrorKind::EmptyOutputDir);
    assert_eq!(err.line, Some(2));
    assert!(
        err.localize(Lang::Nl).contains("output_dir is leeg"),
        "{}",
        err.localize(Lang::Nl)
    );
}

#[test]
fn sample_config_equals_the_defaults() {
    let text = include_str!("../../config.sample.toml");
    assert_eq!(
        Config::from_str_named(text, "config.sample.toml"),
        Ok(Config::default())
    );
    // Every key appears in the sample, commented out or not.
    for key in keukentafel::config::KNOWN_KEYS
        .iter()
        .chain(keukentafel::config::RETENTION_KEYS.iter())
    {
        assert!(
            text.contains(&format!("{key} = ")),
            "{key} missing from the sample"
        );
    }
}

/// Set by [`environment_overrides_the_directories`] for its child.
const ENV_PATHS_CHILD: &str = "KEUKENTAFEL_TEST_CHILD_PATHS";

#[test]
fn environment_overrides_the_directories() {
    // The variables are set for a child process (this binary again, running only
    // `paths_child`): setting them here would race every other test reading the environment.
    let dir = temp_dir();
    let config_dir = dir.path().join("cfg");
    let data_dir = dir.path().join("data");
    let out = crate::processes::child(
        "reference_config::paths_child",
        &[
            ("KEUKENTAFEL_CONFIG_DIR", config_dir.display().to_string()),
            ("KEUKENTAFEL_DATA_DIR", data_dir.display().to_string()),
            (ENV_PATHS_CHILD, "1".to_string()),
        ],
    )
    .output()
    .expect("the child runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!(
            "paths from the environment: {} {}",
            config_dir.display(),
            data_dir.display()
        )),
        "the child did not check the paths: {stdout}"
    );
}

#[test]
#[ignore = "the child process of environment_overrides_the_directories; started by it"]
fn paths_child() {
    if std::env::var_os(ENV_PATHS_CHILD).is_none() {
        return;
    }
    let config_dir = PathBuf::from(std::env::var_os("KEUKENTAFEL_CONFIG_DIR").unwrap());
    let data_dir = PathBuf::from(std::env::var_os("KEUKENTAFEL_DATA_DIR").unwrap());
    let paths = Paths::discover().expect("paths from the environment");
    assert_eq!(paths, Paths::new(config_dir.clone(), data_dir.clone()));
    assert_eq!(paths.config_file(), config_dir.join("config.toml"));
    assert_eq!(paths.default_database(), data_dir.join("keukentafel.db"));
    assert_eq!(paths.demo_database(), data_dir.join("keukentafel-demo.db"));
    println!(
        "paths from the environment: {} {}",
        config_dir.display(),
        data_dir.display()
    );
}

// ---------------------------------------------------------------- themes

#[test]
fn every_builtin_theme_loads_with_all_roles() {
    assert_eq!(
        Theme::names(),
        [
            "default",
            "light",
            "high-contrast",
            "colour-blind",
            "ansi16"
        ]
    );
    let default = Theme::default();
    for name in Theme::names() {
        let theme = Theme::builtin(name).unwrap_or_else(|| panic!("builtin {name}"));
        assert_eq!(Theme::load(name, None).as_ref(), Ok(&theme));
        assert_eq!(theme.name, name);
        let roles = [
            theme.text,
            theme.muted,
            theme.accent,
            theme.border,
            theme.selected_bg,
            theme.selected_fg,
            theme.error,
            theme.warning,
            theme.ok,
        ];
        if name == "ansi16" {
            // Follows the terminal's own palette: named colours only, never RGB.
            assert!(
                theme
                    .zrm
                    .iter()
                    .all(|c| !matches!(c, Color::Rgb(..) | Color::Reset)),
                "{name}"
            );
            continue;
        }
        assert!(roles.iter().all(|c| *c != Color::Reset), "{name}");
        assert!(
            theme.zrm.iter().all(|c| matches!(c, Color::Rgb(..))),
            "{name}"
        );
        if name != "default" {
            assert_ne!(theme.zrm, default.zrm, "{name} reads its own ZRM colours");
            assert_ne!(theme.text, Color::Reset);
        }
    }
    assert_eq!(Theme::builtin("sepia"), None);
}

#[test]
fn user_theme_overrides_and_falls_back_to_default_roles() {
    let dir = temp_dir();
    write(
        dir.path(),
        "themes/kantoor.toml",
        "accent = \"magenta\"\nzrm_1 = \"#ff0000\"\n",
    );
    let theme = Theme::load("kantoor", Some(dir.path())).expect("user theme");
    let default = Theme::default();
    assert_eq!(theme.accent, Color::Magenta);
    assert_eq!(theme.zrm_colour(1), Color::Rgb(255, 0, 0));
    assert_eq!(theme.zrm_colour(2), default.zrm[1]);
    assert_eq!(theme.zrm_colour(0), default.muted);
    assert_eq!(theme.text, default.text);

    // A file with a builtin's name replaces the builtin.
    write(dir.path(), "themes/light.toml", "text = \"black\"\n");
    let light = Theme::load("light", Some(dir.path())).expect("override");
    assert_eq!(light.text, Color::Black);
    assert_eq!(light.background, default.background);
}

#[test]
fn theme_errors_name_file_line_and_role() {
    let dir = temp_dir();
    let path = write(
        dir.path(),
        "themes/fout.toml",
        "text = \"white\"\nachtergrond = \"black\"\n",
    );
    let err = Theme::load("fout", Some(dir.path())).expect_err("unknown role");
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "{}, regel 2: onbekende rol 'achtergrond'. Bekende rollen: background",
            path.display()
        )),
        "{text}"
    );

    let err = Theme::load("bestaat-niet", Some(dir.path())).expect_err("unknown theme");
    assert!(
        err.to_string()
            .starts_with("thema 'bestaat-niet' bestaat niet. Beschikbaar: "),
        "{err}"
    );
    assert!(
        err.to_string().contains("fout"),
        "user themes are listed: {err}"
    );
    assert!(
        err.localize(Lang::En)
            .starts_with("theme 'bestaat-niet' does not exist")
    );
}

#[test]
fn a_gemeentecode_that_is_not_four_digits_is_refused_with_its_line() {
    let ok = Config::from_str_named("gemeentecode = \"0363\"\n", "config.toml").unwrap();
    assert_eq!(ok.gemeentecode, "0363");
    assert_eq!(Config::default().gemeentecode, "0344");
    let err = Config::from_str_named("theme = \"light\"\ngemeentecode = \"344\"\n", "config.toml")
        .expect_err("three digits");
    assert_eq!(
        err.to_string(),
        "config.toml, regel 2: gemeentecode moet de CBS-code van 4 cijfers zijn (Utrecht: \"0344\"), niet '344'."
    );
}
