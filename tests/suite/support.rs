//! The key-script harness shared by the app tests: `update` and the real executor on a
//! 150-household demo database (`common::demo_on`) with the suite's fixed clock (Monday
//! 23-11-2026), no terminal; on SQLite (`harness`) or on every backend (`each_harness`).

#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use keukentafel::app::keymap::KeyMap;
use keukentafel::app::state::Screen;
use keukentafel::app::{App, Effect, Msg, update};
use keukentafel::domain::reference::ReferenceData;
use keukentafel::i18n::Lang;
use keukentafel::theme::Theme;
use keukentafel::tui::executor::Executor;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use crate::common::{Db, databases, demo_on, sqlite, today};

/// The screen as text: per row the cell symbols, trailing spaces trimmed.
pub fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    (0..area.height)
        .map(|y| {
            let row: String = (0..area.width)
                .map(|x| buffer.cell((x, y)).map_or(" ", |c| c.symbol()))
                .collect();
            row.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Draws `app` on a test terminal of `width`×`height`.
pub fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|f| keukentafel::ui::view(app, f))
        .expect("draw");
    terminal
}

/// What `app` shows on a `width`×`height` terminal, as text.
pub fn render(app: &App, width: u16, height: u16) -> String {
    text(draw(app, width, height).backend().buffer())
}

pub struct Harness {
    /// The demo database (its temporary directory holds the exports, `uitvoer/`).
    pub db: Db,
    pub app: App,
    pub exec: Executor,
    pub quit: bool,
}

/// The harness on a SQLite demo database.
pub fn harness() -> Harness {
    harness_on(sqlite())
}

/// Runs `story` on the harness on every backend, each on a fresh demo database.
pub fn each_harness(story: impl Fn(Harness)) {
    for db in databases() {
        eprintln!("-- on {}", db.backend);
        story(harness_on(db));
    }
}

/// The harness on a demo database of 150 households in `db`.
pub fn harness_on(db: Db) -> Harness {
    let store = demo_on(&db, 150);
    let app = App::new(
        Lang::Nl,
        KeyMap::default(),
        Arc::new(ReferenceData::embedded()),
        Theme::default(),
        true,
        today(),
    );
    // Exports and plans go where the `output_dir` setting says, not next to the database.
    let output = db.dir.path().join("uitvoer");
    Harness {
        app,
        exec: Executor::new(store, "test".into(), Lang::Nl, output),
        quit: false,
        db,
    }
}

impl Harness {
    pub fn send(&mut self, msg: Msg) {
        let mut queue: VecDeque<Effect> = update(&mut self.app, msg).into();
        while let Some(effect) = queue.pop_front() {
            if effect == Effect::Quit {
                self.quit = true;
            }
            if let Some(answer) = self.exec.run(effect) {
                queue.extend(update(&mut self.app, answer));
            }
        }
    }

    /// Types a script: plain characters, and `<Enter>`, `<Esc>`, `<Tab>`, `<BS>`, `<Right>`,
    /// `<Left>`, `<Down>`, `<Up>`, `<C-l>` for special keys.
    pub fn keys(&mut self, script: &str) -> usize {
        let mut count = 0;
        let mut rest = script;
        while let Some(c) = rest.chars().next() {
            let (key, len) = if c == '<' {
                let end = rest.find('>').expect("closing >");
                let key = match &rest[1..end] {
                    "Enter" => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
                    "Esc" => KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
                    "Tab" => KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE),
                    "BS" => KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE),
                    "Right" => KeyEvent::new(KeyCode::Right, KeyModifiers::NONE),
                    "Left" => KeyEvent::new(KeyCode::Left, KeyModifiers::NONE),
                    "Down" => KeyEvent::new(KeyCode::Down, KeyModifiers::NONE),
                    "Up" => KeyEvent::new(KeyCode::Up, KeyModifiers::NONE),
                    "C-l" => KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL),
                    "C-k" => KeyEvent::new(KeyCode::Char('k'), KeyModifiers::CONTROL),
                    "C-u" => KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
                    "A-n" => KeyEvent::new(KeyCode::Char('n'), KeyModifiers::ALT),
                    "S-Tab" => KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
                    "C-s" => KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
                    "C-r" => KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL),
                    "C-e" => KeyEvent::new(KeyCode::Char('e'), KeyModifiers::CONTROL),
                    "C-v" => KeyEvent::new(KeyCode::Char('v'), KeyModifiers::CONTROL),
                    "C-f" => KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL),
                    "Space" => KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE),
                    "C-Space" => KeyEvent::new(KeyCode::Char(' '), KeyModifiers::CONTROL),
                    "C-z" => KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL),
                    "C-w" => KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL),
                    "C-a" => KeyEvent::new(KeyCode::Char('a'), KeyModifiers::CONTROL),
                    "C-c" => KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
                    "PgDn" => KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE),
                    "PgUp" => KeyEvent::new(KeyCode::PageUp, KeyModifiers::NONE),
                    "Home" => KeyEvent::new(KeyCode::Home, KeyModifiers::NONE),
                    "End" => KeyEvent::new(KeyCode::End, KeyModifiers::NONE),
                    "F1" => KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE),
                    other => panic!("unknown key <{other}>"),
                };
                (key, end + 1)
            } else {
                (
                    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
                    c.len_utf8(),
                )
            };
            self.send(Msg::Key(key));
            count += 1;
            rest = &rest[len..];
        }
        count
    }

    /// The temporary directory of the database and the exports.
    pub fn dir(&self) -> &std::path::Path {
        self.db.dir.path()
    }

    /// The path of the database file (SQLite only).
    pub fn db_path(&self) -> std::path::PathBuf {
        self.db.file().to_path_buf()
    }

    /// A second connection to the database file, as a colleague at another workstation
    /// (SQLite only).
    pub fn raw(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db.file()).unwrap()
    }

    /// Runs `statements` on the database behind the app's back, on either backend (a
    /// colleague's change, or a setup no key script makes).
    pub fn sql(&self, statements: &str) {
        crate::common::execute_sql(&self.db, statements);
    }

    /// The one text a query of one text gives, on either backend.
    pub fn text(&self, query: &str) -> String {
        let row = crate::common::query_row(&self.db, query);
        row[0].clone().unwrap_or_else(|| panic!("{query}: NULL"))
    }

    /// The first row a query gives, each column as text (NULL as `None`; the query casts what
    /// is not text), on either backend.
    pub fn row(&self, query: &str) -> Vec<Option<String>> {
        crate::common::query_row(&self.db, query)
    }

    /// The number a query of one number gives, on either backend.
    pub fn count(&self, sql: &str) -> i64 {
        let row = crate::common::query_row(&self.db, &format!("SELECT CAST(({sql}) AS TEXT)"));
        row[0]
            .as_deref()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{sql}: {row:?}"))
    }

    pub fn screen_name(&self) -> &'static str {
        match &self.app.screen {
            Screen::Login(_) => "login",
            Screen::Home(_) => "home",
            Screen::Finder(_) => "finder",
            Screen::Dashboard(_) => "dashboard",
            Screen::Reports { .. } => "reports",
            Screen::Worklist { .. } => "worklist",
            Screen::Providers { .. } => "providers",
            Screen::Requests { .. } => "requests",
        }
    }
}
