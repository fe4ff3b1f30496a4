//! The screens (contexts) keys apply in, and the actions keys can do, with their names in
//! `keymap.toml` and their labels in help, the status bar and the command palette.

use crate::i18n::Lang;

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// Everywhere once logged in (unless a screen binds the key itself).
    Global,
    /// The login and lock screen.
    Login,
    /// Home.
    Home,
    /// The finder.
    Finder,
    /// The household dashboard.
    Dashboard,
    /// The help overlay.
    Help,
    /// A form over the dashboard (contact, agreement, member, goal, …).
    Form,
    /// The ZRM scoring grid.
    ZrmGrid,
    /// The flag catalogue.
    Flags,
    /// The command palette.
    Palette,
    /// The samen-kijken view.
    Together,
    /// The steering figures.
    Reports,
    /// The backoffice worklists.
    Worklist,
    /// Providers and their contracts.
    Providers,
    /// The worklist "Verzoeken van aanbieders" (requests from providers' messages).
    Requests,
}

impl Context {
    /// Every context, in help order.
    pub const ALL: [Context; 15] = [
        Context::Global,
        Context::Login,
        Context::Home,
        Context::Finder,
        Context::Dashboard,
        Context::Form,
        Context::ZrmGrid,
        Context::Flags,
        Context::Together,
        Context::Palette,
        Context::Reports,
        Context::Worklist,
        Context::Providers,
        Context::Requests,
        Context::Help,
    ];

    /// The table name in `keymap.toml`.
    pub fn key(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Login => "login",
            Context::Home => "home",
            Context::Finder => "finder",
            Context::Dashboard => "dashboard",
            Context::Help => "help",
            Context::Form => "form",
            Context::ZrmGrid => "zrm",
            Context::Flags => "flags",
            Context::Palette => "palette",
            Context::Together => "samen_kijken",
            Context::Reports => "reports",
            Context::Worklist => "worklist",
            Context::Providers => "providers",
            Context::Requests => "requests",
        }
    }

    /// Whether keys this context does not bind fall back to the global bindings. Login, help
    /// and the overlays take only their own keys.
    pub fn falls_back(self) -> bool {
        matches!(
            self,
            Context::Global
                | Context::Home
                | Context::Finder
                | Context::Dashboard
                | Context::Reports
                | Context::Providers
                | Context::Requests
        )
    }

    /// The heading in the help screen.
    pub fn title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Context::Global, Lang::Nl) => "Overal",
            (Context::Global, Lang::En) => "Everywhere",
            (Context::Login, Lang::Nl) => "Inloggen",
            (Context::Login, Lang::En) => "Login",
            (Context::Home, _) => "Home",
            (Context::Finder, Lang::Nl) => "Zoeken",
            (Context::Finder, Lang::En) => "Finder",
            (Context::Dashboard, Lang::Nl) => "Huishouden",
            (Context::Dashboard, Lang::En) => "Household",
            (Context::Help, _) => "Help",
            (Context::Form, Lang::Nl) => "Formulier",
            (Context::Form, Lang::En) => "Form",
            (Context::ZrmGrid, Lang::Nl) => "ZRM scoren",
            (Context::ZrmGrid, Lang::En) => "ZRM scoring",
            (Context::Flags, Lang::Nl) => "Signalen",
            (Context::Flags, Lang::En) => "Flags",
            (Context::Palette, Lang::Nl) => "Opdrachten (:)",
            (Context::Palette, Lang::En) => "Command palette (:)",
            (Context::Together, Lang::Nl) => "Samen kijken",
            (Context::Together, Lang::En) => "Looking together",
            (Context::Reports, Lang::Nl) => "Stuurcijfers",
            (Context::Reports, Lang::En) => "Steering figures",
            (Context::Worklist, Lang::Nl) => "Werklijsten",
            (Context::Worklist, Lang::En) => "Worklists",
            (Context::Providers, Lang::Nl) => "Aanbieders",
            (Context::Providers, Lang::En) => "Providers",
            (Context::Requests, Lang::Nl) => "Verzoeken van aanbieders",
            (Context::Requests, Lang::En) => "Requests from providers",
        }
    }
}

/// Something a key can do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// Leave the app (from home).
    Quit,
    /// Open or close help.
    Help,
    /// Open the finder.
    Find,
    /// Go back or cancel.
    Back,
    /// Open the selected item / confirm.
    Open,
    /// Lock the screen now.
    Lock,
    /// Next panel or field.
    NextPanel,
    /// Previous panel or field.
    PrevPanel,
    /// Move the selection up.
    Up,
    /// Move the selection down.
    Down,
    /// A page up.
    PageUp,
    /// A page down.
    PageDown,
    /// To the first line (help).
    Top,
    /// To the last line (help).
    Bottom,
    /// Show the next household member's ZRM.
    NextMember,
    /// Show the previous household member's ZRM.
    PrevMember,
    /// Go to home.
    Home,
    /// Open the command palette.
    Palette,
    /// Register a new household.
    NewHousehold,
    /// Record a contact.
    Contact,
    /// Add an agreement.
    Agreement,
    /// Mark the selected agreement done.
    Done,
    /// Cancel the selected agreement (with a reason).
    CancelAgreement,
    /// Score the ZRM of the selected member.
    Zrm,
    /// Set or end a flag.
    Flag,
    /// Add a plan goal.
    Goal,
    /// Add a member.
    Member,
    /// Edit the selected item.
    Edit,
    /// Undo the last change of this session.
    Undo,
    /// Show the household its own view (samen kijken).
    Together,
    /// Make the fridge plan.
    Plan,
    /// Change the regisseur.
    Regisseur,
    /// Close or reopen the household.
    CloseHousehold,
    /// Save a form.
    Save,
    /// Request a provision (voorziening).
    Provision,
    /// Open the steering figures.
    Reports,
    /// The same period a year earlier.
    PrevPeriod,
    /// The same period a year later.
    NextPeriod,
    /// Export what is shown as CSV.
    ExportCsv,
    /// Export what is shown as JSON.
    ExportJson,
    /// Open the backoffice worklists.
    Worklists,
    /// Select or deselect the row.
    Select,
    /// Select every row shown (or none when all are).
    SelectAll,
    /// Sort on the next column.
    Sort,
    /// Reverse the order.
    Reverse,
    /// Open the providers and contracts.
    Providers,
    /// Register a provider.
    NewProvider,
    /// Add a contract to the selected provider.
    NewContract,
    /// The next field of a form.
    NextField,
    /// The previous field of a form.
    PrevField,
    /// Open the worklist "Verzoeken van aanbieders".
    Requests,
    /// Grant the selected request (sends a 301).
    GrantRequest,
    /// Refuse the selected request with a reason (sends a 319).
    RefuseRequest,
    /// Read providers' messages (305, 307, 315, 317) from files.
    ImportMessages,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 54] = [
        Action::Find,
        Action::Palette,
        Action::NewHousehold,
        Action::Contact,
        Action::Agreement,
        Action::Done,
        Action::CancelAgreement,
        Action::Zrm,
        Action::Flag,
        Action::Goal,
        Action::Provision,
        Action::Reports,
        Action::PrevPeriod,
        Action::NextPeriod,
        Action::ExportCsv,
        Action::ExportJson,
        Action::Worklists,
        Action::Select,
        Action::SelectAll,
        Action::Sort,
        Action::Reverse,
        Action::Providers,
        Action::NewProvider,
        Action::NewContract,
        Action::Requests,
        Action::GrantRequest,
        Action::RefuseRequest,
        Action::ImportMessages,
        Action::Member,
        Action::Edit,
        Action::Undo,
        Action::Together,
        Action::Plan,
        Action::Regisseur,
        Action::CloseHousehold,
        Action::Save,
        Action::NextField,
        Action::PrevField,
        Action::Open,
        Action::Back,
        Action::Up,
        Action::Down,
        Action::PageUp,
        Action::PageDown,
        Action::Top,
        Action::Bottom,
        Action::NextPanel,
        Action::PrevPanel,
        Action::NextMember,
        Action::PrevMember,
        Action::Home,
        Action::Help,
        Action::Lock,
        Action::Quit,
    ];

    /// The name in `keymap.toml`.
    pub fn key(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::Find => "find",
            Action::Back => "back",
            Action::Open => "open",
            Action::Lock => "lock",
            Action::NextPanel => "next_panel",
            Action::PrevPanel => "prev_panel",
            Action::Up => "up",
            Action::Down => "down",
            Action::PageUp => "page_up",
            Action::PageDown => "page_down",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::NextMember => "next_member",
            Action::PrevMember => "prev_member",
            Action::Home => "home",
            Action::Palette => "palette",
            Action::NewHousehold => "new_household",
            Action::Contact => "contact",
            Action::Agreement => "agreement",
            Action::Done => "done",
            Action::CancelAgreement => "cancel_agreement",
            Action::Zrm => "zrm",
            Action::Flag => "flag",
            Action::Goal => "goal",
            Action::Member => "member",
            Action::Edit => "edit",
            Action::Undo => "undo",
            Action::Together => "samen_kijken",
            Action::Plan => "plan",
            Action::Regisseur => "regisseur",
            Action::CloseHousehold => "close_household",
            Action::Save => "save",
            Action::Provision => "provision",
            Action::Reports => "reports",
            Action::PrevPeriod => "prev_period",
            Action::NextPeriod => "next_period",
            Action::ExportCsv => "export_csv",
            Action::ExportJson => "export_json",
            Action::Worklists => "worklists",
            Action::Select => "select",
            Action::SelectAll => "select_all",
            Action::Sort => "sort",
            Action::Reverse => "reverse",
            Action::Providers => "providers",
            Action::NewProvider => "new_provider",
            Action::NewContract => "new_contract",
            Action::NextField => "next_field",
            Action::PrevField => "prev_field",
            Action::Requests => "requests",
            Action::GrantRequest => "grant_request",
            Action::RefuseRequest => "refuse_request",
            Action::ImportMessages => "import_messages",
        }
    }

    /// The word the status bar shows: short, so the keys that matter fit at 80 columns.
    pub fn short_label(self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            Action::Contact => ("contact", "contact"),
            Action::Done => ("gedaan", "done"),
            Action::Zrm => ("ZRM", "ZRM"),
            Action::Undo => ("ongedaan", "undo"),
            Action::Together => ("samen", "together"),
            Action::Plan => ("plan", "plan"),
            Action::NewHousehold => ("nieuw", "new"),
            Action::Reports => ("cijfers", "figures"),
            Action::Palette => ("opdrachten", "commands"),
            Action::SelectAll => ("alles", "all"),
            Action::ExportCsv => ("CSV", "CSV"),
            Action::ExportJson => ("JSON", "JSON"),
            Action::NextPanel => ("paneel", "panel"),
            Action::NextMember => ("gezinslid", "member"),
            Action::Member => ("gezinslid", "member"),
            Action::Provision => ("voorziening", "provision"),
            other => return other.label(lang),
        };
        if lang == Lang::Nl { nl } else { en }
    }

    /// A short description for help and the status bar.
    pub fn label(self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            Action::Quit => ("afsluiten", "quit"),
            Action::Help => ("help", "help"),
            Action::Find => ("zoeken", "find"),
            Action::Back => ("terug", "back"),
            Action::Open => ("openen", "open"),
            Action::Lock => ("vergrendelen", "lock"),
            Action::NextPanel => ("volgend paneel", "next panel"),
            Action::PrevPanel => ("vorig paneel", "previous panel"),
            Action::Up => ("omhoog", "up"),
            Action::Down => ("omlaag", "down"),
            Action::PageUp => ("pagina omhoog", "page up"),
            Action::PageDown => ("pagina omlaag", "page down"),
            Action::Top => ("naar het begin", "to the top"),
            Action::Bottom => ("naar het einde", "to the end"),
            Action::NextMember => ("volgend gezinslid", "next member"),
            Action::PrevMember => ("vorig gezinslid", "previous member"),
            Action::Home => ("naar home", "go home"),
            Action::Palette => ("opdrachten", "commands"),
            Action::NewHousehold => ("nieuw huishouden", "new household"),
            Action::Contact => ("contactmoment", "contact"),
            Action::Agreement => ("afspraak", "agreement"),
            Action::Done => ("afspraak gedaan", "agreement done"),
            Action::CancelAgreement => ("afspraak annuleren", "cancel agreement"),
            Action::Zrm => ("ZRM scoren", "score ZRM"),
            Action::Flag => ("signaal", "flag"),
            Action::Goal => ("doel", "goal"),
            Action::Member => ("gezinslid toevoegen", "add member"),
            Action::Edit => ("wijzigen", "edit"),
            Action::Undo => ("ongedaan maken", "undo"),
            Action::Together => ("samen kijken", "look together"),
            Action::Plan => ("plan voor de koelkast", "fridge plan"),
            Action::Regisseur => ("regisseur wijzigen", "change regisseur"),
            Action::CloseHousehold => ("huishouden afsluiten/heropenen", "close/reopen household"),
            Action::Save => ("opslaan", "save"),
            Action::Provision => ("voorziening aanvragen", "request provision"),
            Action::Reports => ("stuurcijfers", "steering figures"),
            Action::PrevPeriod => ("jaar eerder", "a year earlier"),
            Action::NextPeriod => ("jaar later", "a year later"),
            Action::ExportCsv => ("exporteer CSV", "export CSV"),
            Action::ExportJson => ("exporteer JSON", "export JSON"),
            Action::Worklists => ("werklijsten", "worklists"),
            Action::Select => ("selecteren", "select"),
            Action::SelectAll => ("alles selecteren", "select all"),
            Action::Sort => ("sorteren", "sort"),
            Action::Reverse => ("omkeren", "reverse"),
            Action::Providers => ("aanbieders", "providers"),
            Action::NewProvider => ("nieuwe aanbieder", "new provider"),
            Action::NewContract => ("nieuw contract", "new contract"),
            Action::NextField => ("volgend veld", "next field"),
            Action::PrevField => ("vorig veld", "previous field"),
            Action::Requests => ("verzoeken", "requests"),
            Action::GrantRequest => ("toekennen (301)", "grant (301)"),
            Action::RefuseRequest => ("afwijzen (319)", "refuse (319)"),
            Action::ImportMessages => ("berichten inlezen", "read messages"),
        };
        if lang == Lang::Nl { nl } else { en }
    }
}
