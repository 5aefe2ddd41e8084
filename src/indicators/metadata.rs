//! Agreement metadata from the text: scope, company name, SIREN and SIRET
//! (Luhn-checked), signature date, kind, unions, IDCC and duration.
//!
//! Metadata is read where French agreements put it: the title lines at the
//! top (kind and, in branch texts, the date: "Avenant n° 2 du 13 décembre
//! 2022 à l'accord du …"), the parties clause ("Entre : la société X, …
//! SIRET …, représentée par …, et les organisations syndicales …"), the
//! duration clause and the signature block ("Fait à Lyon, le 12 mars
//! 2024"). Patterns run on folded text and spans are mapped back to the
//! original, so evidence quotes the text exactly.
//!
//! A company name is published on public pages, so it is only taken where
//! the parties clause names an employer the way legal texts do (a legal
//! form, a capital, a register number, "la société …", "l'association …"),
//! written as a name (capitalised); where unsure, no name. Each field has
//! its own function; [`extract_metadata_folded`] only orders them.

use crate::values;
use crate::text::{slice, Folded};
use regex::Regex;
use serde_json::{json, Value};
use std::sync::LazyLock;

/// One metadata value and the byte span of the original text it rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct MetaHit {
    pub field: &'static str,
    pub value: Value,
    pub start: usize,
    pub end: usize,
}

fn re(p: &str) -> Regex {
    Regex::new(p).expect("static regex")
}

/// Day numbers in words ("douze", "vingt et un", "premier").
const DAY_WORDS: &str = r"(?:vingt|trente)(?:[ -]et[ -]un|[ -](?:deux|trois|quatre|cinq|six|sept|huit|neuf))?|dix[ -](?:sept|huit|neuf)|premier|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize";
const MONTH_WORDS: &str = "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre";
/// Years in words: "deux mille vingt-quatre", "mil neuf cent quatre-vingt-dix-neuf".
const YEAR_WORDS: &str = r"(?:deux[ -]mille|mille?[ -]neuf[ -]cents?)(?:[ -](?:et|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante)(?-u:\b)){0,5}";

/// A date in digits or in words, as [`parse_any_date`] reads it.
static DATE_ANY: LazyLock<String> =
    LazyLock::new(|| format!(r"(?:{}|(?:{DAY_WORDS}|1er|[0-9]{{1,2}}) (?:{MONTH_WORDS}) (?:{YEAR_WORDS}))", values::DATE));

/// "YYYY-MM-DD" from a date in digits ("12 mars 2024", "12/03/2024") or in
/// words ("douze mars deux mille vingt-quatre").
pub fn parse_any_date(s: &str) -> Option<String> {
    if let Some(d) = values::parse_date(s) {
        return Some(d);
    }
    let s = s.trim();
    let month_at = MONTH_WORDS.split('|').filter_map(|m| s.find(&format!(" {m} ")).map(|p| (p, m))).min()?;
    let (p, month) = month_at;
    let day = slice::prefix(s, p);
    let year = slice::suffix(s, p + month.len() + 2).replace('-', " ");
    let day: u32 = match day {
        "1er" | "premier" => 1,
        d => d.parse().ok().or_else(|| values::word_number(d).map(|n| n as u32))?,
    };
    let year = year.trim();
    let (base, rest) = if let Some(r) = year.strip_prefix("deux mille") {
        (2000, r)
    } else if let Some(r) = ["mille neuf cents", "mille neuf cent", "mil neuf cents", "mil neuf cent"].iter().find_map(|k| year.strip_prefix(k)) {
        (1900, r)
    } else {
        return None;
    };
    let rest = rest.trim().trim_end_matches(" et").trim();
    let y = base + if rest.is_empty() { 0 } else { values::word_number(rest)? as u32 };
    values::parse_date(&format!("{day} {month} {y}"))
}

static COMPANY: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?:^|[ :\n])(?P<prefix>la societe denommee|la societe|l'entreprise|la sas|la sasu|la sarl|la sa|la scop|la sca|la selarl|l'association|le groupe|l'etablissement|la caisse|la mutuelle|la fondation|l'unite economique et sociale|l'ues|la clinique|le cabinet|la regie|l'office|raison sociale ?:|denomination sociale ?:)(?: anonyme| par actions simplifiee(?: unipersonnelle)?| a responsabilite limitee| cooperative)? (?P<name>[^,;()\n]{2,120}?) ?(?:,|\(| sas au capital| sa au capital| sarl au capital| au capital| dont le siege| immatricul| representee| inscrite| sise| situee)")
});
static ENTRE: LazyLock<Regex> =
    LazyLock::new(|| re(r"entre (?:les soussignes|les soussignees|les parties soussignees|d'une part)? ?:? (?P<name>[^,;()]{2,120}?) ?(?:,|\()"));
/// What shows that a named party is a legal entity, close after its name.
static LEGAL_ENTITY: LazyLock<Regex> = LazyLock::new(|| {
    re(r"au capital|(?-u:\b)(?:sas|sasu|sarl|sa|scop|eurl|snc|sca|selarl|gie)(?-u:\b)|societe (?:anonyme|par actions|a responsabilite|en nom|civile|cooperative|d'economie)|immatricul|registre du commerce|(?-u:\b)r\.?c\.?s(?-u:\b)|siren|siret|dont le siege|siege social|association (?:regie|declaree)|loi (?:du )?1er juillet 1901|etablissement public|mutuelle soumise|code de la mutualite|representee? par|unite economique et sociale")
});
static IDENT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?P<num>(?-u:\b)[0-9]{3} ?[.]? ?[0-9]{3} ?[.]? ?[0-9]{3}(?: ?[.]? ?[0-9]{5})?(?-u:\b))")
});
static SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    let d = &*DATE_ANY;
    re(&format!(r"(?:fait|signe|etabli) (?:a|en) [^.;]{{1,80}}? le (?P<d>{d})|(?:fait|signe|conclu) le (?P<d2>{d})"))
});
static LATE_DATE: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"(?-u:\b)(?:le|en date du) (?P<d>{})", &*DATE_ANY)));
/// A kind of text named in a title, what precedes it (an article makes it a
/// reference to another text: "à l'accord du …") and, when it has one,
/// its own date.
static TITLE_KIND: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r#"(?P<pre>(?:^|[ (,:.-])(?:(?:de |a |par |sur |dans )?(?:l'|la |le |du |au |aux |des |les |son |cet |ce |cette ))?)(?P<kind>avenant|protocole d'accord|accord|protocole|proces-verbal de desaccord|proces verbal de desaccord|pv de desaccord|plan d'action|decision unilaterale|convention collective|convention|annexe|deliberation|recommandation|rectificatif|charte|adhesion)(?-u:\b)(?P<mid>(?:[ -](?:n|no|numero)[^a-z0-9 ]{{0,2}} ?[0-9]+(?:[/.-][0-9]+)*(?: bis| ter)?|[ -](?:par lettre|par courrier|cadre|de branche|nationale?|paritaire|collectif|collective|interprofessionnel(?:le)?|professionnel(?:le)?|d'entreprise|de groupe|d'etablissement|d'ues|de methode|de substitution|de revision|salariale?|regionale?|departementale?|territoriale?|interpretatif|patronale|[«"][^»"]{{1,40}}[»"]|\([^)]{{1,40}}\))){{0,4}})(?: (?:du|en date du|signee? le|conclue? le) (?P<d>{}))?"#,
        &*DATE_ANY
    ))
});
static IDCC: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?-u:\b)idcc(?: ?:| no| n o| n°| numero)? ?:? ?(?P<n>[0-9]{1,4})(?-u:\b)"));
static DURATION: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(r"(?:pour|sur) une (?:periode|duree) (?:determinee )?(?:de |d')(?P<d>{})", values::DURATION))
});
static REFERENDUM: LazyLock<Regex> =
    LazyLock::new(|| re(r"referendum|ratifie a la majorite des deux tiers|approuve par les salaries a la majorite"));
/// A branch text says so in its title.
static BRANCH_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?:[a-z' -]{0,40} )?convention collective|accord (?:de branche|professionnel|interprofessionnel|national|paritaire national|cadre national)|avenant (?:de branche|a la convention collective)|^idcc ?:|(?-u:\b)branche professionnelle|accord-cadre national")
});
/// A company text says so in its title.
static COMPANY_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"accord (?:d'entreprise|de groupe|d'etablissement|d'ues)|(?-u:\b)unite economique et sociale(?-u:\b)|(?-u:\b)ues(?-u:\b)|^groupe |etablissement de |au sein de la societe|decision unilaterale")
});
/// A branch text speaks of the branch and its companies.
static BRANCH_BODY: LazyLock<Regex> = LazyLock::new(|| {
    re(r"entreprises de la branche|entreprises relevant (?:du champ|de la (?:presente )?convention)|(?:presente|la) convention collective nationale|organisations professionnelles d'employeurs|organisations d'employeurs|partenaires sociaux de la branche|salaries de la branche|champ d'application de la convention")
});
static UNION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(CFDT|CGT[- ]FO|CGT|FO|CFE[- ]CGC|CGC|CFTC|UNSA|SUD|Solidaires|SOLIDAIRES|Force [Oo]uvri[èe]re|FORCE OUVRI[ÈE]RE|C\.F\.D\.T\.?|C\.G\.T\.?(?:[- ]F\.O\.?)?|F\.O\.?|C\.F\.E\.?[- ]C\.G\.C\.?|C\.F\.T\.C\.?|U\.N\.S\.A\.?)(?:(?-u:\b)|$|[^\w])").expect("static regex")
});
/// Luhn check over a string of digits.
pub fn luhn_ok(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

fn valid_siret(s: &str) -> bool {
    s.len() == 14 && (luhn_ok(s) || s.starts_with("356000000"))
}

/// Captures of `re` in `hay`, found with the fast search and resolved on
/// each match alone: capture groups over a whole document would run the
/// slow engines over all of it.
fn captures_in<'h>(re: &'h Regex, hay: &'h str) -> impl Iterator<Item = (usize, regex::Captures<'h>)> + 'h {
    re.find_iter(hay).filter_map(move |m| re.captures(slice::range(hay, m.start(), m.end())).map(|c| (m.start(), c)))
}

static PARTIES_END: LazyLock<Regex> = LazyLock::new(|| re(r"il a ete convenu|il est convenu|article 1|article premier|titre i |chapitre 1|chapitre i "));

/// The document as the field readers see it: the original text, its
/// folded form, and the title lines found once.
struct Doc<'a> {
    text: &'a str,
    folded: &'a Folded,
    f: &'a str,
    /// Folded byte ranges of the title lines.
    title: Vec<(usize, usize)>,
    /// The folded range of the title proper: after the "IDCC : 176" line
    /// that ends the name of the convention a branch text is attached to
    /// ("Convention collective nationale … IDCC : 176 Accord du …"), else
    /// all the title lines. Lines wrapped by the layout join there.
    own: (usize, usize),
    /// Whether an IDCC line set the convention's name apart.
    separated: bool,
}

impl Doc<'_> {
    fn span(&self, s: usize, e: usize) -> (usize, usize) {
        self.folded.orig_range(self.text, s, e)
    }

    fn hit(&self, field: &'static str, value: Value, s: usize, e: usize) -> MetaHit {
        let (start, end) = self.span(s, e);
        MetaHit { field, value, start, end }
    }

}

/// Where the body of a text begins: the title lines stop there.
const BODY_STARTS: &[&str] = &[
    "preambule", "article", "entre", "sommaire", "il a ete convenu", "il est convenu", "titre ", "chapitre", "champ d'application",
    "objet", "vu ", "identification", "les parties", "expose", "table des matieres", "les soussigne", "considerant", "beneficiaires",
];

/// Whether folded `line` begins with `word` as a whole word ("entre", not
/// "entreprises").
fn starts_with_word(line: &str, word: &str) -> bool {
    line.strip_prefix(word).is_some_and(|rest| word.contains([' ', '\'']) || !rest.starts_with(|c: char| c.is_ascii_alphanumeric()))
}

/// The folded ranges of the non-blank lines of the text that start before
/// byte `limit`, markdown marks and bullets aside.
fn folded_lines<'f>(text: &str, folded: &'f Folded, limit: usize) -> impl Iterator<Item = (usize, usize, &'f str)> + 'f {
    let mut at = 0;
    let mut lines = Vec::new();
    for line in text.split_inclusive(['\n', '\u{c}']) {
        let (ls, le) = (at, at + line.trim_end().len());
        at += line.len();
        if ls > limit {
            break;
        }
        if !line.trim().is_empty() {
            lines.push((ls, le));
        }
    }
    lines.into_iter().map(move |(ls, le)| {
        let (fs, fe) = (folded.folded_pos(ls), folded.folded_pos(le));
        (fs, fe, folded.text.get(fs..fe).unwrap_or("").trim_start_matches(['#', ' ', '-']))
    })
}

/// The first lines of the text, up to where its body begins.
fn title_lines(text: &str, folded: &Folded) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (fs, fe, fl) in folded_lines(text, folded, 3000) {
        if out.len() >= 14 || fe - fs > 1000 || BODY_STARTS.iter().any(|b| starts_with_word(fl, b)) {
            break;
        }
        out.push((fs, fe));
    }
    out
}

/// The folded range of the parties clause: from the "Entre" line, else
/// from the top, to where the agreement proper begins.
fn parties_zone(d: &Doc) -> (usize, usize) {
    let f = d.f;
    let marker = folded_lines(d.text, d.folded, 10_000)
        .find(|(_, _, l)| ["entre", "les soussigne", "identification de l'employeur", "designation des parties"].iter().any(|m| starts_with_word(l, m)))
        .map(|(s, _, _)| s);
    if let Some(s) = marker {
        return (s, slice::floor(f, s + 3500));
    }
    let limit = slice::floor(f, 6000);
    let end = PARTIES_END.find(slice::prefix(f, limit)).map_or(limit, |m| m.start());
    // Some texts open on a préambule that names the parties; others put
    // the parties first and the préambule after them.
    let end = match slice::prefix(f, end).find("preambule") {
        Some(p) if COMPANY.is_match(slice::prefix(f, p)) || ENTRE.is_match(slice::prefix(f, p)) => p,
        _ => end,
    };
    (0, end.min(slice::floor(f, 3500)))
}

/// Words that may stand in lower case inside a company's name.
const NAME_LINKS: &[&str] = &["de", "du", "des", "d", "et", "la", "le", "les", "l", "en", "sur", "aux", "au", "à", "&", "-", "–"];

/// A party's name as a name is written: capitalised, short, no sentence.
fn looks_like_a_name(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    let starts_upper = name.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let content_upper = words.iter().all(|w| {
        let w = w.trim_start_matches(['(', '«', '"', '\'']);
        let first = w.split(['\'', '’']).next_back().unwrap_or(w);
        NAME_LINKS.contains(&w.to_lowercase().as_str())
            || NAME_LINKS.iter().any(|l| w.to_lowercase().starts_with(&format!("{l}'")) || w.to_lowercase().starts_with(&format!("{l}’")))
            || first.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || !c.is_alphanumeric())
    });
    starts_upper && content_upper && (1..=12).contains(&words.len()) && !name.contains(". ") && name.chars().any(char::is_alphabetic)
}

/// The employer named in the parties clause, as written up to its first
/// comma; `None` where the clause names no legal entity as a name.
fn company_name(d: &Doc, (zs, ze): (usize, usize)) -> Option<MetaHit> {
    let zone = slice::range(d.f, zs, ze);
    let from_company = COMPANY.captures_iter(zone).filter_map(|c| Some((c.name("prefix")?, c.name("name")?)));
    let from_entre = ENTRE.captures_iter(zone).filter_map(|c| c.name("name").map(|n| (n, n)));
    for (prefix, m) in from_company.chain(from_entre) {
        let (s, e) = d.span(zs + m.start(), zs + m.end());
        // A noun of the prefix written in capitals belongs to the name
        // ("La MUTUELLE ENTRAIDE …", "La RÉGIE DES EAUX …"); a legal form
        // or "société" does not ("La SARL X" is X).
        let (ps, _) = d.span(zs + prefix.start(), zs + prefix.end());
        let head = slice::range(d.text, ps, s).trim_end();
        let noun = head.rsplit([' ', '\'', '’']).next().unwrap_or("");
        let part_of_name = ["mutuelle", "regie", "caisse", "clinique", "fondation", "office", "cabinet", "groupe", "association", "etablissement"]
            .iter()
            .any(|n| prefix.as_str().ends_with(n));
        let capitals = part_of_name && noun.chars().all(|c| !c.is_alphabetic() || c.is_uppercase());
        let s = if prefix != m && capitals { ps + head.len() - noun.len() } else { s };
        let name = slice::range(d.text, s, e).split_whitespace().collect::<Vec<_>>().join(" ").replace('\u{2019}', "'");
        let name = name.trim_matches(|c: char| c == ':' || c == '-' || c.is_whitespace()).to_string();
        if !looks_like_a_name(&name) {
            continue;
        }
        // The clause must show a legal entity around the name.
        let after = slice::range(d.f, zs + m.end(), zs + m.end() + 250);
        let before = slice::range(d.f, (zs + prefix.start()).saturating_sub(40), zs + prefix.start());
        let entity = LEGAL_ENTITY.is_match(after) || LEGAL_ENTITY.is_match(slice::range(d.f, zs + prefix.start(), zs + m.end())) || before.ends_with("entre ");
        let named_form = ["la societe", "l'association", "l'unite economique et sociale", "l'ues", "la sas", "la sarl", "la sa", "la mutuelle", "la regie"]
            .iter()
            .any(|p| prefix.as_str().starts_with(p));
        if entity || (named_form && LEGAL_ENTITY.is_match(slice::range(d.f, zs, ze))) {
            let (fs, fe) = (d.folded.folded_pos(s), zs + m.end());
            return Some(d.hit("company_name", json!(name), fs, fe));
        }
    }
    None
}

/// SIREN and SIRET: Luhn-valid numbers after an identification cue, in
/// the parties clause or just after it.
fn identifiers(d: &Doc, (zs, ze): (usize, usize)) -> (Option<MetaHit>, Option<MetaHit>) {
    let f = d.f;
    let end = slice::floor(f, ze + 1000);
    let mut siren: Option<MetaHit> = None;
    let mut siret: Option<MetaHit> = None;
    for m in IDENT.find_iter(slice::range(f, zs, end)) {
        let (ms, me) = (zs + m.start(), zs + m.end());
        let digits: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
        let before = slice::range(f, ms.saturating_sub(90), ms);
        let cue = ["siren", "siret", "rcs", "r.c.s", "registre", "immatricul", "sous le n", "numero"].iter().any(|k| before.contains(k));
        if !cue {
            continue;
        }
        if digits.len() == 14 && valid_siret(&digits) && siret.is_none() {
            if siren.is_none() {
                siren = Some(d.hit("siren", json!(slice::prefix(&digits, 9)), ms, me));
            }
            siret = Some(d.hit("siret", json!(digits), ms, me));
        } else if digits.len() == 9 && luhn_ok(&digits) && siren.is_none() {
            siren = Some(d.hit("siren", json!(digits), ms, me));
        }
        if siren.is_some() && siret.is_some() {
            break;
        }
    }
    (siren, siret)
}

/// `company` where the text names an employer or calls itself a company
/// text; `branch` where its title or body is a branch's; else `company`,
/// the kind of text the tool is for. The evidence is the line that
/// decided.
fn scope(d: &Doc, employer: Option<&MetaHit>) -> MetaHit {
    let title = |re: &Regex| d.title.iter().find_map(|&(s, e)| re.find(slice::range(d.f, s, e)).map(|m| (s + m.start(), s + m.end())));
    if let Some((s, e)) = title(&COMPANY_TITLE) {
        return d.hit("scope", json!("company"), s, e);
    }
    if let Some(h) = employer {
        return MetaHit { field: "scope", value: json!("company"), start: h.start, end: h.end };
    }
    if let Some((s, e)) = title(&BRANCH_TITLE) {
        return d.hit("scope", json!("branch"), s, e);
    }
    let mut body = BRANCH_BODY.find_iter(d.f);
    if let (Some(first), Some(_)) = (body.next(), body.next()) {
        return d.hit("scope", json!("branch"), first.start(), first.end());
    }
    let (s, e) = d.title.first().copied().unwrap_or((0, 0));
    d.hit("scope", json!("company"), s, e)
}

/// The kind of a text as its title names it.
fn kind_of(word: &str) -> &'static str {
    match word {
        "avenant" => "avenant",
        "accord" | "protocole d'accord" => "accord",
        "proces-verbal de desaccord" | "proces verbal de desaccord" | "pv de desaccord" => "pv_desaccord",
        "plan d'action" => "plan_action",
        "decision unilaterale" => "decision_unilaterale",
        _ => "other",
    }
}

/// A text named in a title: its kind, its folded span and its own date.
struct Named {
    kind: &'static str,
    start: usize,
    end: usize,
    date: Option<(usize, usize)>,
}

/// The texts the title names as themselves (not the texts they amend or
/// refer to: "à l'accord du …", "modifiée par l'accord du …").
fn named_texts(d: &Doc) -> Vec<Named> {
    let mut out = Vec::new();
    let (ls, le) = d.own;
    {
        for (at, c) in captures_in(&TITLE_KIND, slice::range(d.f, ls, le)) {
            let pre = c.name("pre").map_or("", |m| m.as_str()).trim_start_matches([' ', '(', ',', ':', '.', '-']);
            let (Some(k), at) = (c.name("kind"), ls + at) else { continue };
            // "Annexe IX : … (Avenant n° 71 du …)": a bracket opens a name.
            if !pre.is_empty() && !pre.starts_with("par ") {
                continue;
            }
            let date = c.name("d").map(|m| (at + m.start(), at + m.end()));
            out.push(Named { kind: kind_of(k.as_str()), start: at + k.start(), end: at + k.end(), date });
        }
    }
    out
}

static TITLE_DATE: LazyLock<Regex> = LazyLock::new(|| re(&format!(r" du (?P<d>{})", &*DATE_ANY)));
/// Words that name another text: a date after them is that text's.
static OTHER_TEXT: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?-u:\b)(?:accord|avenant|convention|annexe|protocole|loi|decret|arrete|ordonnance|circulaire)(?-u:\b)"));

/// A date further in the title that still belongs to the text named up to
/// `from` ("Avenant n° 28 relatif à … du 14 juin 2000", "Convention
/// collective nationale du bricolage (…) du 30 septembre 1991"): the first
/// one, unless another text is named before it.
fn later_date(d: &Doc, from: usize) -> Option<(usize, usize)> {
    let rest = slice::range(d.f, from, d.own.1.max(from));
    let c = TITLE_DATE.captures(rest)?;
    let m = c.name("d")?;
    let between = slice::prefix(rest, m.start());
    (!OTHER_TEXT.is_match(between)).then_some((from + m.start(), from + m.end()))
}

/// The kind from the title, and the date the title gives this text.
fn title_kind_and_date(d: &Doc) -> (Option<MetaHit>, Option<MetaHit>) {
    let named = named_texts(d);
    let main = |n: &&Named| n.kind != "other";
    // A dated accord or avenant is the text itself (the last one where the
    // convention's name could not be set apart: that name comes first and
    // may cite the accord that updated it); else the first text the title
    // names; else the text is of no kind the spec names.
    let mut dated = named.iter().filter(|n| n.date.is_some()).filter(main);
    let dated = if d.separated { dated.next() } else { dated.next_back() };
    let chosen = dated.or_else(|| named.iter().find(main)).or_else(|| named.first());
    let kind = chosen.map(|n| d.hit("kind", json!(n.kind), n.start, n.end));
    let date = chosen
        .and_then(|n| n.date.or_else(|| later_date(d, n.end)))
        .or_else(|| named.iter().find_map(|n| n.date))
        .and_then(|(s, e)| parse_any_date(slice::range(d.f, s, e)).map(|v| d.hit("signature_date", json!(v), s, e)));
    (kind, date)
}

/// The kind where no title line names it: the first kind word at the top.
fn kind_from_top(d: &Doc) -> Option<MetaHit> {
    let f = d.f;
    let title = slice::prefix(f, 500);
    // Longer words first: at one position, the first in this order wins.
    let words = [
        "protocole d'accord",
        "proces-verbal de desaccord",
        "proces verbal de desaccord",
        "pv de desaccord",
        "decision unilaterale",
        "plan d'action",
        "avenant",
        "accord",
        "protocole",
        "charte",
    ];
    words
        .iter()
        .filter_map(|k| title.find(k).map(|p| (p, k)))
        .min_by_key(|(p, _)| *p)
        .map(|(p, k)| d.hit("kind", json!(kind_of(k)), p, p + k.len()))
}

/// Words before a date that make it a date of effect, not of signature.
const NOT_SIGNED: &[&str] = &["vigueur", "compter", "effet", "applicable", "partir", "jusqu'au", "expire", "echeance", "prendra fin", "au plus tard"];

/// The signature date: for a branch text its title's, else the last
/// "Fait à …, le …"; for a company text the signature line's, else the
/// title's, else the last date introduced by "le" in the closing lines
/// that is not a date of effect.
fn signature_date<'a>(d: &Doc<'a>, branch: bool, title_date: Option<MetaHit>) -> (Option<MetaHit>, Option<regex::Match<'a>>) {
    let f = d.f;
    let last_signature = SIGNATURE.find_iter(f).last();
    let signed = last_signature.and_then(|m| {
        let c = SIGNATURE.captures(slice::range(f, m.start(), m.end()))?;
        let g = c.name("d").or_else(|| c.name("d2"))?;
        let (s, e) = (m.start() + g.start(), m.start() + g.end());
        parse_any_date(slice::range(f, s, e)).map(|v| d.hit("signature_date", json!(v), s, e))
    });
    let date = if branch { title_date.or(signed) } else { signed.or(title_date) };
    let date = date.or_else(|| {
        if branch {
            return None;
        }
        let from = slice::floor(f, f.len().saturating_sub(1500));
        captures_in(&LATE_DATE, slice::suffix(f, from))
            .filter_map(|(at, c)| c.name("d").map(|m| (from + at + m.start(), from + at + m.end())))
            .filter(|&(s, _)| {
                let before = slice::range(f, s.saturating_sub(60), s);
                !NOT_SIGNED.iter().any(|w| before.contains(w))
            })
            .last()
            .and_then(|(s, e)| parse_any_date(slice::range(f, s, e)).map(|v| d.hit("signature_date", json!(v), s, e)))
    });
    (date, last_signature)
}

/// Unions named in the parties clause or the signature block; none for a
/// unilateral decision or an agreement approved by referendum.
fn unions(d: &Doc, kind: &str, parties: (usize, usize), last_signature: Option<regex::Match<'_>>) -> Option<MetaHit> {
    if kind == "decision_unilaterale" || REFERENDUM.is_match(d.f) {
        return None;
    }
    let text = d.text;
    let (ps, _) = d.span(0, parties.1);
    let (pe, _) = d.span(parties.1.min(d.f.len().saturating_sub(1)), parties.1.min(d.f.len()));
    let mut zones = vec![(ps, pe.max(ps))];
    if let Some(last) = last_signature {
        let (s, _) = d.span(last.start(), last.end());
        zones.push((s, text.len()));
    }
    let mut found: Vec<(&'static str, usize, usize)> = Vec::new();
    for (zs, ze) in zones {
        let zone = slice::range(text, zs, ze);
        for m in UNION.find_iter(zone) {
            let u = m.as_str().trim_end_matches(|c: char| !c.is_alphanumeric()).to_uppercase().replace('.', "").replace(' ', "-");
            let id = match u.as_str() {
                "CFDT" => "CFDT",
                "CGT-FO" | "FO" | "FORCE-OUVRIÈRE" | "FORCE-OUVRIERE" => "FO",
                "CGT" => "CGT",
                "CFE-CGC" | "CGC" => "CFE-CGC",
                "CFTC" => "CFTC",
                "UNSA" => "UNSA",
                "SUD" | "SOLIDAIRES" => "SOLIDAIRES",
                _ => continue,
            };
            if !found.iter().any(|(x, _, _)| *x == id) {
                found.push((id, zs + m.start(), zs + m.end()));
            }
        }
    }
    if let Some((s, e)) = other_union(d, parties) {
        found.push(("OTHER", s, e));
    }
    // The evidence is the first union named, not the whole block.
    let first = found.iter().min_by_key(|x| x.1).map(|x| (x.1, x.2))?;
    let mut ids: Vec<&str> = found.iter().map(|x| x.0).collect();
    ids.sort_unstable();
    Some(MetaHit { field: "unions", value: json!(ids), start: first.0, end: first.1 })
}

/// Acronyms of a parties clause that name no union.
const NOT_UNIONS: &[&str] = &["CSE", "CE", "DUP", "CHSCT", "UES", "SAS", "SASU", "SARL", "SA", "RCS", "SIRET", "SIREN", "APE", "TVA", "DRH", "RH", "CEO"];

/// The first union of the parties clause that is none of the spec's named
/// ones ("le Syndicat autonome des conducteurs (SACHD), représenté par …"):
/// an item of the unions' side that names a syndicat, a fédération or an
/// acronym with its representative, and no known union. Its original span.
fn other_union(d: &Doc, (zs, ze): (usize, usize)) -> Option<(usize, usize)> {
    let zone = slice::range(d.f, zs, ze);
    let from = zs + zone.find("d'une part")?;
    let to = slice::range(d.f, from, ze).find("d'autre part").map_or(ze, |p| from + p);
    let (os, oe) = d.span(from, to);
    let mut at = os;
    for item in slice::range(d.text, os, oe).split_inclusive(['\n', ';']) {
        let (is, ie) = (at, at + item.len());
        at = ie;
        if UNION.is_match(item) {
            continue;
        }
        let f = crate::text::fold(item);
        let f = f.trim_start_matches(['-', ' ', '*', ',']).trim_start_matches("et ");
        let f = ["la ", "le ", "l'", "les "].iter().find_map(|a| f.strip_prefix(a)).unwrap_or(f);
        let named = ["syndicat", "federation", "union "].iter().any(|w| f.starts_with(w));
        let acronym = item.split(|c: char| !c.is_alphanumeric()).any(|w| w.len() >= 3 && w.chars().all(|c| c.is_ascii_uppercase()) && !NOT_UNIONS.contains(&w));
        if (named || acronym) && f.contains("represent") && !f.contains("organisations syndicales") {
            return Some((is, ie));
        }
    }
    None
}

fn idcc(d: &Doc) -> Option<MetaHit> {
    let (at, c) = captures_in(&IDCC, d.f).next()?;
    let m = c.name("n")?;
    let n = m.as_str().parse::<u32>().ok()?;
    Some(d.hit("idcc", json!(format!("{n:04}")), at + m.start(), at + m.end()))
}

/// Duration: a fixed-term clause about the agreement itself.
fn duration(d: &Doc) -> Option<MetaHit> {
    let f = d.f;
    for (at, c) in captures_in(&DURATION, f) {
        let Some(m0) = c.get(0) else { continue };
        let (m_start, m_end) = (at + m0.start(), at + m0.end());
        let sent_start = slice::prefix(f, m_start).rfind(['.', ';']).map_or(0, |p| p + 1);
        let sent_end = slice::suffix(f, m_end).find(['.', ';']).map_or(f.len(), |p| m_end + p);
        let sentence = slice::range(f, sent_start, sent_end);
        let about_agreement = ["present accord", "present avenant", "present plan", "present protocole", "est conclu", "est etabli", "est applicable", "present texte"]
            .iter()
            .any(|k| sentence.contains(k));
        if !about_agreement || sentence.contains("indeterminee") {
            continue;
        }
        if let Some(months) = c.name("d").and_then(|d| values::parse_duration_months(d.as_str())) {
            return Some(d.hit("duration_months", crate::rules::engine::normalise_number(json!(months)), m_start, m_end));
        }
    }
    None
}

pub fn extract_metadata(text: &str) -> Vec<MetaHit> {
    extract_metadata_folded(text, &Folded::new(text))
}

/// [`extract_metadata`] on text the caller has already folded.
pub fn extract_metadata_folded(text: &str, folded: &Folded) -> Vec<MetaHit> {
    let f = folded.text.as_str();
    let title = title_lines(text, folded);
    let sep = title.iter().position(|&(s, e)| slice::range(f, s, e).trim_start_matches(['(', ' ']).starts_with("idcc"));
    let own_lines = match sep {
        Some(i) if i + 1 < title.len() => &title[i + 1..],
        _ => &title[..],
    };
    let own = match (own_lines.first(), own_lines.last()) {
        (Some(a), Some(b)) => (a.0, b.1),
        _ => (0, 0),
    };
    let separated = sep.is_some_and(|i| i + 1 < title.len());
    let d = Doc { text, folded, f, title, own, separated };
    let mut out = Vec::new();

    let parties = parties_zone(&d);
    let name = company_name(&d, parties);
    let (siren, siret) = identifiers(&d, parties);
    let scope = scope(&d, name.as_ref().or(siren.as_ref()));
    let branch = scope.value == json!("branch");
    if !branch {
        out.extend([name, siren, siret].into_iter().flatten());
    }
    out.push(scope);

    let (kind, title_date) = title_kind_and_date(&d);
    let kind = kind.or_else(|| kind_from_top(&d));
    let kind_id = kind.as_ref().and_then(|k| k.value.as_str().map(String::from)).unwrap_or_default();
    let (date, last_signature) = signature_date(&d, branch, title_date);
    out.extend([kind, date].into_iter().flatten());
    out.extend(unions(&d, &kind_id, parties, last_signature));
    out.extend(idcc(&d));
    out.extend(duration(&d));
    out.sort_by_key(|m| m.field);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(text: &str, field: &str) -> Option<Value> {
        extract_metadata(text).into_iter().find(|m| m.field == field).map(|m| m.value)
    }

    const PARTIES: &str = "ACCORD RELATIF AU TÉLÉTRAVAIL\nEntre les soussignés :\nLa société NOVALYS CONSEIL SAS, société par actions simplifiée au capital de 480 000 euros, immatriculée au RCS de Lyon sous le numéro SIRET 424 220 267 06818, représentée par Madame Claire Vasseur,\nd'une part,\net les organisations syndicales : la CFDT, représentée par M. X ; la CFE-CGC,\nd'autre part.\nPréambule\nLa convention collective (IDCC 1486) s'applique.\nArticle 10 – Durée\nLe présent accord est conclu pour une durée déterminée de trois ans. Il entre en vigueur le 1er avril 2024.\nFait à Lyon, le 12 mars 2024, en 4 exemplaires.\n";

    #[test]
    fn reads_the_parties_clause() {
        assert_eq!(get(PARTIES, "company_name"), Some(json!("NOVALYS CONSEIL SAS")));
        assert_eq!(get(PARTIES, "siret"), Some(json!("42422026706818")));
        assert_eq!(get(PARTIES, "siren"), Some(json!("424220267")));
        assert_eq!(get(PARTIES, "unions"), Some(json!(["CFDT", "CFE-CGC"])));
        assert_eq!(get(PARTIES, "idcc"), Some(json!("1486")));
        assert_eq!(get(PARTIES, "kind"), Some(json!("accord")));
        assert_eq!(get(PARTIES, "signature_date"), Some(json!("2024-03-12")));
        assert_eq!(get(PARTIES, "duration_months"), Some(json!(36)));
    }

    #[test]
    fn spans_quote_the_original() {
        for m in extract_metadata(PARTIES) {
            assert!(PARTIES.is_char_boundary(m.start) && PARTIES.is_char_boundary(m.end) && m.start <= m.end, "{m:?}");
        }
    }

    #[test]
    fn dotted_unions_protocols_and_late_dates() {
        let t = "PROTOCOLE D'ACCORD RELATIF AUX SALAIRES\nEntre la société GAMMA SARL, d'une part, et la C.F.D.T. et F.O., d'autre part.\nArticle 1\nTexte.\nLyon, le 3 juin 2024\nPour la C.F.D.T.";
        assert_eq!(get(t, "kind"), Some(json!("accord")));
        assert_eq!(get(t, "unions"), Some(json!(["CFDT", "FO"])));
        assert_eq!(get(t, "signature_date"), Some(json!("2024-06-03")));
        assert_eq!(get(t, "company_name"), Some(json!("GAMMA SARL")));
    }

    #[test]
    fn guards() {
        assert!(luhn_ok("424220267") && !luhn_ok("424220268") && !luhn_ok(""));
        let t = "AVENANT N° 2 À L'ACCORD DU 14 MARS 2018\nEntre : la société X SAS, RCS 424 220 268, représentée\nLe présent avenant est conclu pour une durée indéterminée.\nFait à Nantes le 4 octobre 2023";
        assert_eq!(get(t, "kind"), Some(json!("avenant")));
        assert_eq!(get(t, "siren"), None);
        assert_eq!(get(t, "duration_months"), None);
        assert_eq!(get(t, "signature_date"), Some(json!("2023-10-04")));
        let d = "DÉCISION UNILATÉRALE DE L'EMPLOYEUR\nLa société Y SAS, après consultation de la CGT, décide.";
        assert_eq!(get(d, "kind"), Some(json!("decision_unilaterale")));
        assert_eq!(get(d, "unions"), None);
        assert_eq!(get("", "scope"), Some(json!("company")));
        assert_eq!(extract_metadata("").len(), 1);
    }

    const BRANCH: &str = "Convention collective nationale de l'industrie pharmaceutique du 6 avril 1956 mise à jour par\naccord du 11 avril 2019 - Etendue par arrêté du 2 avril 2021\nIDCC : 176\nAvenant n° 2 du 13 décembre 2022 à l'accord du 22 juin 1999 relatif au\ntravail de nuit\nPréambule\nLes entreprises de la branche s'engagent à prendre conscience de l'impact, paritaire, de leurs activités.\nL'entreprise à prendre conscience de l'impact éventuel de leurs activités, d'autre part.\n";

    #[test]
    fn branch_texts_date_and_kind_from_their_title_and_name_no_employer() {
        assert_eq!(get(BRANCH, "scope"), Some(json!("branch")));
        assert_eq!(get(BRANCH, "kind"), Some(json!("avenant")));
        assert_eq!(get(BRANCH, "signature_date"), Some(json!("2022-12-13")));
        assert_eq!(get(BRANCH, "idcc"), Some(json!("0176")));
        assert_eq!(get(BRANCH, "company_name"), None);
        // Without the IDCC line, the last dated text of the title is the text.
        let t = "Convention collective nationale du commerce du 1er juillet 1960 révisée par avenant du 17 juin 2004\nAccord du 4 mai 1999 relatif à la réduction du temps de travail\nArticle 1er\nTexte.";
        assert_eq!(get(t, "kind"), Some(json!("accord")));
        assert_eq!(get(t, "signature_date"), Some(json!("1999-05-04")));
        assert_eq!(get(t, "scope"), Some(json!("branch")));
        // An annex names the avenant that made it; an annex alone is other.
        let a = "Convention collective X\nIDCC : 2216\nAnnexe IX : Compte épargne-temps (Avenant n° 71 du 15 janvier 2019)\nArticle 1";
        assert_eq!(get(a, "kind"), Some(json!("avenant")));
        assert_eq!(get(a, "signature_date"), Some(json!("2019-01-15")));
        let b = "Convention collective X\nIDCC : 2216\nProtocole interprétatif du 28 juin 1977 relatif aux conditions de travail\nPréambule";
        assert_eq!(get(b, "kind"), Some(json!("other")));
        assert_eq!(get(b, "signature_date"), Some(json!("1977-06-28")));
        let c = "Convention collective X\nIDCC : 413\nAvenant n° 28 relatif à l'évolution du personnel de niveau I du 14 juin 2000\nArticle 1";
        assert_eq!(get(c, "signature_date"), Some(json!("2000-06-14")));
    }

    #[test]
    fn company_names_are_names_of_legal_entities() {
        // Fragments of sentences are never names.
        for t in [
            "Accord relatif à l'environnement\nPréambule\nLes partenaires invitent l'entreprise à prendre conscience de l'impact éventuel, et à agir.",
            "Accord\nEntre les parties : la commission paritaire, dont les membres se réunissent.",
            "Accord\nPréambule\nLa société a connu, depuis 2019, une croissance.",
        ] {
            assert_eq!(get(t, "company_name"), None, "{t}");
        }
        // A capitalised noun of the prefix belongs to the name.
        let m = "Accord d'entreprise\nEntre\nLa MUTUELLE ENTRAIDE DES RIVES, mutuelle soumise aux dispositions du livre II du code de la mutualité, inscrite au répertoire SIRENE sous le numéro 775 318 629, représentée par sa directrice,\nd'une part,\net la CFDT\nd'autre part.";
        assert_eq!(get(m, "company_name"), Some(json!("MUTUELLE ENTRAIDE DES RIVES")));
        assert_eq!(get(m, "siren"), Some(json!("775318629")));
        assert_eq!(get(m, "scope"), Some(json!("company")));
        // A table of contents before the parties does not hide them.
        let s = "ACCORD D'ENTREPRISE\nSommaire\nTitre I – Définitions 2\nEntre :\nLa société par actions simplifiée VESTRALIA FRANCE, au capital de 1 500 000 euros, immatriculée au RCS de Paris (SIRET 887 958 650 00020),\nd'une part,";
        assert_eq!(get(s, "company_name"), Some(json!("VESTRALIA FRANCE")));
        assert_eq!(get(s, "siret"), Some(json!("88795865000020")));
        // A legal form before the name is not part of it.
        let f = "Avenant n° 1 du 3 avril 2024 à l'accord d'entreprise sur le temps de travail\nEntre :\nLa SARL Boulangerie Martin, au capital de 8 000 euros, dont le siège est à Tours,\nEt les salariés, consultés par référendum.";
        assert_eq!(get(f, "company_name"), Some(json!("Boulangerie Martin")));
        assert_eq!(get(f, "signature_date"), Some(json!("2024-04-03")));
        assert_eq!(get(f, "unions"), None);
    }

    #[test]
    fn unions_of_no_named_confederation_are_other() {
        let t = "Accord\nEntre :\nLa société X SAS, au capital de 1 000 euros,\nd'une part,\nEt :\nLes organisations syndicales représentatives dans l'entreprise :\n- la CGT, représentée par M. A ;\n- le Syndicat autonome des conducteurs (SACHD), représenté par M. B,\nd'autre part.";
        assert_eq!(get(t, "unions"), Some(json!(["CGT", "OTHER"])));
        let plain = "Accord\nEntre :\nLa société X SAS, au capital de 1 000 euros,\nd'une part,\nEt les organisations syndicales représentatives :\n- la CFDT, représentée par M. A,\nd'autre part.";
        assert_eq!(get(plain, "unions"), Some(json!(["CFDT"])));
    }

    #[test]
    fn dates_in_words_and_dates_of_effect() {
        assert_eq!(parse_any_date("douze mars deux mille vingt-quatre"), Some("2024-03-12".into()));
        assert_eq!(parse_any_date("premier avril deux mille"), Some("2000-04-01".into()));
        assert_eq!(parse_any_date("vingt et un juin deux mille dix-neuf"), Some("2019-06-21".into()));
        assert_eq!(parse_any_date("trente fevrier deux mille vingt"), None);
        let t = "ACCORD RELATIF AU TÉLÉTRAVAIL\nEntre la société X SAS, au capital de 1 000 euros,\nArticle 1\nTexte.\nFait à Lyon, le douze mars deux mille vingt-quatre.";
        assert_eq!(get(t, "signature_date"), Some(json!("2024-03-12")));
        let e = "ACCORD\nArticle 1\nLe présent accord entre en vigueur le 1er avril 2024.\nSigné le 3 mars 2024";
        assert_eq!(get(e, "signature_date"), Some(json!("2024-03-03")));
        let w = "PROTOCOLE D'ACCORD\nArticle 1\nUne prime est versée.\nEn date du 14 février 2023, à Annecy.";
        assert_eq!(get(w, "signature_date"), Some(json!("2023-02-14")));
        let v = "ACCORD\nArticle 1\nLe présent accord entre en vigueur le 1er avril 2024.";
        assert_eq!(get(v, "signature_date"), None);
        // An avenant's title dates the agreement it amends, not itself.
        let a = "AVENANT N° 2 À L'ACCORD D'ENTREPRISE DU 18 MAI 2021 RELATIF AU TÉLÉTRAVAIL\nEntre :\nLa société Y SAS, au capital de 10 euros,\nFait à Lille, le 10 décembre 2024";
        assert_eq!(get(a, "kind"), Some(json!("avenant")));
        assert_eq!(get(a, "signature_date"), Some(json!("2024-12-10")));
    }

    #[test]
    fn a_multibyte_character_near_an_identifier_is_no_panic() {
        let t = format!("Accord\nEntre :\nLa société Z SAS, au capital de 1 700 000 €{}, RCS 424 220 267, représentée,\n", "€".repeat(40));
        assert_eq!(get(&t, "siren"), Some(json!("424220267")));
    }
}
