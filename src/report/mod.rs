//! A run's output folder -> a static, self-contained site for workers and
//! reviewers: an index of companies (search, filters, sort by stars) and one
//! page per company with its stars, explained, and every indicator with its
//! value, agreement, date, clause and highlighted evidence, linked to the
//! source document at its page.
//!
//! No network and no external asset: CSS and a small script are inline, so
//! the site works from file:// and from any static host. Everything from
//! the data is HTML-escaped; file names of company pages are derived, not
//! taken, from the data. Output is deterministic.

use crate::spec::{self, Favourable};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Where the source documents are, for the links of the evidence.
pub enum DocsBase {
    /// Relative to the site folder, from where the run's paths resolve.
    Relative(PathBuf),
    /// A URL or path prefix given by the user.
    Prefix(String),
}

pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// A safe, unique file name for a company key: letters, digits and dashes,
/// plus a short hash of the key.
pub fn page_name(key: &str) -> String {
    let mut s: String = key.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    s.truncate(60);
    let h = crate::pipeline::sha256_hex(key.as_bytes());
    format!("{}-{}.html", s.trim_matches('-'), crate::text::slice::prefix(&h, 8))
}

fn stars_text(n: u64) -> String {
    let n = n.min(5) as usize;
    format!("{}{}", "★".repeat(n), "☆".repeat(5 - n))
}

fn read_jsonl(path: &Path, mut f: impl FnMut(Value)) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(&line).map_err(|e| format!("{}:{}: not JSON: {e}", path.display(), i + 1))?;
        f(v);
    }
    Ok(())
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Bool(true) => "oui".into(),
        Value::Bool(false) => "non".into(),
        Value::Number(n) => n.to_string().replace('.', ","),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn reference_text(f: Favourable) -> String {
    match f {
        Favourable::True => "oui".into(),
        Favourable::AtLeast(x) => format!("≥ {}", value_text(&serde_json::json!(x))),
        Favourable::AtMost(x) => format!("≤ {}", value_text(&serde_json::json!(x))),
        Favourable::PeriodHours(h) => format!("période ≥ {h} h"),
    }
}

/// French labels of the indicators.
fn label(id: &str) -> &'static str {
    match id {
        "telework_allowed" => "Télétravail ouvert",
        "telework_days_per_week" => "Jours de télétravail par semaine",
        "telework_days_per_month" => "Jours de télétravail par mois",
        "telework_allowance_eur_month" => "Allocation télétravail (€ par mois)",
        "telework_allowance_eur_day" => "Allocation télétravail (€ par jour)",
        "disconnect_right" => "Droit à la déconnexion",
        "disconnect_start" => "Début de la période de déconnexion",
        "disconnect_end" => "Fin de la période de déconnexion",
        "flexible_hours" => "Horaires variables",
        "weekly_hours" => "Durée hebdomadaire (heures)",
        "forfait_jours_days" => "Forfait jours (jours par an)",
        "rtt_days" => "Jours de RTT par an",
        "extra_leave_days" => "Jours de congés supplémentaires",
        "time_savings_account" => "Compte épargne-temps",
        "leave_donation" => "Don de jours de repos",
        "second_parent_leave_full_pay" => "Congé du second parent à salaire maintenu",
        "childcare_support" => "Aide à la garde d'enfants",
        "caregiver_support" => "Soutien aux salariés aidants",
        "gender_equality_plan" => "Mesures d'égalité professionnelle",
        "pay_gap_budget_pct" => "Budget de rattrapage salarial (% masse salariale)",
        "general_increase_pct" => "Augmentation générale (%)",
        "individual_increase_pct" => "Augmentations individuelles (%)",
        "profit_sharing" => "Intéressement ou participation",
        "psychosocial_risk_prevention" => "Prévention des risques psychosociaux",
        "disability_employment_target_pct" => "Objectif d'emploi de travailleurs handicapés (%)",
        "employee_expression" => "Expression des salariés",
        "health_insurance_employer_share_pct" => "Part employeur de la mutuelle (%)",
        _ => "",
    }
}

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1a1a1a;background:#fff;line-height:1.5}\
a{color:#0b4f9c}a:focus,button:focus,input:focus,select:focus{outline:3px solid #f0a000;outline-offset:2px}\
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px}\
header,main,footer{max-width:60rem;margin:0 auto;padding:0 1rem}header{padding-top:1rem}\
.filters{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}.filters label{display:flex;flex-direction:column;font-size:.9rem}\
input,select{font-size:1rem;padding:.3rem}ul.companies{list-style:none;padding:0}\
ul.companies li{border:1px solid #ccc;border-radius:6px;padding:.6rem;margin:.5rem 0}\
.stars{color:#8a5a00;letter-spacing:1px}.theme{display:inline-block;margin:.1rem .4rem .1rem 0;font-size:.9rem}\
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}\
mark{background:#ffe08a;color:#000}.reviewed{border-left:4px solid #1b7f3b;padding-left:.4rem}.auto{color:#555;font-size:.85rem}\
.badge{font-size:.8rem;padding:0 .3rem;border-radius:3px;background:#e8f1fb;color:#0b3d75}\
footer{margin-top:2rem;padding-bottom:2rem;font-size:.85rem;color:#444}@media(max-width:40rem){thead{display:none}td,th{display:block}}";

const JS: &str = "(function(){var q=document.getElementById('q'),t=document.getElementById('theme'),i=document.getElementById('ind'),s=document.getElementById('sort'),l=document.getElementById('list'),c=document.getElementById('count');\
function byId(sel,id){for(var k=0;k<sel.options.length;k++){if(sel.options[k].dataset.id===id)return sel.options[k].value;}return id;}\
var p=new URLSearchParams(location.search);if(p.get('q'))q.value=p.get('q');if(p.get('theme'))t.value=byId(t,p.get('theme'));if(p.get('indicator'))i.value=byId(i,p.get('indicator'));if(p.get('sort'))s.value=byId(s,p.get('sort'));\
function fold(x){return x.toLowerCase().normalize('NFD').replace(/[\\u0300-\\u036f]/g,'');}\
function f(){var n=0,k=fold(q.value),items=Array.prototype.slice.call(l.children);\
items.forEach(function(e){var ok=(!k||e.dataset.k.indexOf(k)>=0)&&(!t.value||e.dataset.t.split(' ').indexOf(t.value)>=0)&&(!i.value||e.dataset.i.split(' ').indexOf(i.value)>=0);e.hidden=!ok;if(ok)n++;});\
var key=s.value,v=function(e){return key==='n'?+e.dataset.n:+(e.dataset.s.split(' ')[+key]||0);};\
items.sort(function(a,b){return key==='name'?a.dataset.k.localeCompare(b.dataset.k):(v(b)-v(a))||a.dataset.k.localeCompare(b.dataset.k);});\
items.forEach(function(e){l.appendChild(e);});c.textContent=n+' entreprise(s)';}\
[q,t,i,s].forEach(function(e){e.addEventListener('input',f);e.addEventListener('change',f);});f();})();";

fn page(title: &str, body: &str, credit: &str, script: Option<&str>) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title><style>{CSS}</style></head><body><a class=\"skip\" href=\"#main\">Aller au contenu</a>{body}<footer><p>{credit}</p><p>Indicateurs extraits automatiquement par Star finder ; chaque valeur renvoie à la clause dont elle est tirée.</p></footer>",
        esc(title)
    );
    if let Some(js) = script {
        let _ = write!(h, "<script>{js}</script>");
    }
    h.push_str("</body></html>\n");
    h
}

/// What the site was built from.
pub struct Summary {
    pub companies: usize,
    pub pages: usize,
    pub largest_page: usize,
}

/// Builds the site for the run in `out_dir` into `site_dir`.
pub fn build(out_dir: &Path, site_dir: &Path, docs: &DocsBase) -> Result<Summary, String> {
    let companies_path = out_dir.join("companies.jsonl");
    let agreements_path = out_dir.join("agreements.jsonl");
    for p in [&companies_path, &agreements_path] {
        if !p.is_file() {
            return Err(format!("{} is missing: is {} the output folder of a run?", p.display(), out_dir.display()));
        }
    }
    let mut companies = Vec::new();
    read_jsonl(&companies_path, |v| companies.push(v))?;
    // The agreements that source an indicator, and which indicators.
    let mut wanted: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for c in &companies {
        if let Some(src) = c.get("sources").and_then(Value::as_object) {
            for (ind, p) in src {
                if let Some(p) = p.as_str() {
                    wanted.entry(p.to_string()).or_default().insert(ind.clone());
                }
            }
        }
    }
    let mut evidence: BTreeMap<(String, String), (Value, Option<String>, Option<Value>)> = BTreeMap::new();
    read_jsonl(&agreements_path, |r| {
        let Some(p) = r.get("path").and_then(Value::as_str) else { return };
        let Some(inds) = wanted.get(p) else { return };
        let date = r.pointer("/metadata/signature_date").and_then(Value::as_str).map(String::from);
        for ind in inds {
            let ev = r.pointer(&format!("/evidence/{ind}/0")).cloned().unwrap_or(Value::Null);
            let review = r.pointer(&format!("/review/{ind}")).cloned();
            evidence.insert((p.to_string(), ind.clone()), (ev, date.clone(), review));
        }
    })?;

    std::fs::create_dir_all(site_dir.join("entreprises")).map_err(|e| format!("cannot create {}: {e}", site_dir.display()))?;
    let credit = "Source des textes : DILA, base ACCO (Licence Ouverte 2.0).";
    let mut largest = 0usize;
    let mut written = 0usize;
    let mut items = String::new();
    companies.sort_by(|a, b| a["company_key"].as_str().cmp(&b["company_key"].as_str()));
    for c in &companies {
        let key = c["company_key"].as_str().unwrap_or("");
        let name = c["company_name"].as_str().filter(|n| !n.is_empty()).unwrap_or(key);
        let siren = c["siren"].as_str().unwrap_or("");
        let file = page_name(key);
        let stars = c.get("stars").and_then(Value::as_object).cloned().unwrap_or_default();
        let inds = c.get("indicators").and_then(Value::as_object).cloned().unwrap_or_default();
        let themes: Vec<&str> = spec::THEMES.iter().filter(|t| stars.get(t.id).and_then(Value::as_u64).unwrap_or(0) > 0).map(|t| t.id).collect();
        let total: u64 = stars.values().filter_map(Value::as_u64).sum();
        // The index must stay small with hundreds of companies: themes and
        // indicators are referred to by their rank in the contract.
        let theme_ranks: Vec<String> = themes.iter().map(|t| spec::theme_rank(t).to_string()).collect();
        let ind_ranks: Vec<String> = inds.keys().map(|k| spec::indicator_rank(k).to_string()).collect();
        let per_theme: Vec<String> = spec::THEMES.iter().map(|t| stars.get(t.id).and_then(Value::as_u64).unwrap_or(0).to_string()).collect();
        let best = spec::THEMES.iter().max_by_key(|t| (stars.get(t.id).and_then(Value::as_u64).unwrap_or(0), std::cmp::Reverse(spec::theme_rank(t.id))));
        let _ = write!(
            items,
            "<li data-k=\"{}\" data-t=\"{}\" data-i=\"{}\" data-s=\"{}\" data-n=\"{total}\"><a href=\"entreprises/{}\">{}</a> <small>{}{} accord(s) · {total} étoile(s)",
            esc(&crate::text::fold(&format!("{name} {siren}"))),
            theme_ranks.join(" "),
            ind_ranks.join(" "),
            per_theme.join(" "),
            esc(&file),
            esc(name),
            if siren.is_empty() { String::new() } else { format!("SIREN {} · ", esc(siren)) },
            c["agreements"].as_u64().unwrap_or(0)
        );
        if let Some(t) = best.filter(|t| stars.get(t.id).and_then(Value::as_u64).unwrap_or(0) > 0) {
            let n = stars.get(t.id).and_then(Value::as_u64).unwrap_or(0);
            let _ = write!(items, " · {} <span class=\"stars\" aria-label=\"{n} étoiles sur 5\">{}</span>", esc(t.label), stars_text(n));
        }
        items.push_str("</small></li>");

        let html = company_page(c, name, siren, &stars, &inds, &evidence, docs, credit);
        largest = largest.max(html.len());
        std::fs::write(site_dir.join("entreprises").join(&file), html).map_err(|e| format!("cannot write {file}: {e}"))?;
        written += 1;
    }
    let theme_opts: String = spec::THEMES.iter().enumerate().map(|(i, t)| format!("<option value=\"{i}\" data-id=\"{}\">{}</option>", t.id, esc(t.label))).collect();
    let ind_opts: String = spec::INDICATORS.iter().enumerate().map(|(n, i)| format!("<option value=\"{n}\" data-id=\"{}\">{}</option>", i.id, esc(label(i.id)))).collect();
    let sort_opts: String = std::iter::once("<option value=\"n\">Étoiles (toutes)</option><option value=\"name\">Nom</option>".to_string())
        .chain(spec::THEMES.iter().enumerate().map(|(i, t)| format!("<option value=\"{i}\">Étoiles : {}</option>", esc(t.label))))
        .collect();
    let body = format!(
        "<header><h1>Star finder — ce que les accords d'entreprise prévoient</h1><p>Télétravail, déconnexion, congés, égalité, rémunération… d'après les accords déposés par chaque entreprise, avec la clause qui le prouve. <a href=\"#echelle\">Comment lire les étoiles</a>.</p></header>\
<main id=\"main\"><form class=\"filters\" role=\"search\" onsubmit=\"return false\"><label for=\"q\">Nom ou SIREN<input id=\"q\" type=\"search\" autocomplete=\"off\"></label>\
<label for=\"theme\">Thème<select id=\"theme\"><option value=\"\">Tous</option>{theme_opts}</select></label>\
<label for=\"ind\">Indicateur<select id=\"ind\"><option value=\"\">Tous</option>{ind_opts}</select></label>\
<label for=\"sort\">Trier par<select id=\"sort\">{sort_opts}</select></label></form>\
<p id=\"count\" aria-live=\"polite\">{} entreprise(s)</p><ul class=\"companies\" id=\"list\">{items}</ul>{}</main>",
        companies.len(),
        scale_html()
    );
    let index = page("Star finder — entreprises", &body, credit, Some(JS));
    largest = largest.max(index.len());
    std::fs::write(site_dir.join("index.html"), index).map_err(|e| format!("cannot write index.html: {e}"))?;
    Ok(Summary { companies: companies.len(), pages: written + 1, largest_page: largest })
}

fn scale_html() -> String {
    let mut h = String::from("<section id=\"echelle\"><h2>Comment lire les étoiles</h2><p>Pour chaque thème : 0 étoile si aucun accord de l'entreprise n'en traite ; 1 étoile si un accord en traite ; jusqu'à 4 de plus, soit arrondi(4 × favorables / n), où n est le nombre d'indicateurs du thème et « favorables » ceux que les accords prévoient au niveau de référence ou mieux. Un indicateur absent signifie que les accords n'en disent rien.</p><table><thead><tr><th scope=\"col\">Indicateur</th><th scope=\"col\">Thème</th><th scope=\"col\">Favorable si</th></tr></thead><tbody>");
    for i in spec::INDICATORS {
        let theme = spec::theme(i.theme).map_or("", |t| t.label);
        let _ = write!(h, "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", esc(label(i.id)), esc(theme), esc(&reference_text(i.favourable)));
    }
    h.push_str("</tbody></table></section>");
    h
}

fn link(path: &str, page: Option<u64>, docs: &DocsBase) -> Option<String> {
    if path.contains("!/") {
        return None; // inside a delivery archive: no file to open
    }
    let base = match docs {
        DocsBase::Prefix(p) => format!("{}/{}", p.trim_end_matches('/'), path.trim_start_matches("./")),
        DocsBase::Relative(prefix) => prefix.join(path).to_string_lossy().replace('\\', "/"),
    };
    Some(match page {
        Some(n) => format!("{base}#page={n}"),
        None => base,
    })
}

fn highlight(excerpt: &str, text: &str) -> String {
    use crate::text::slice;
    match (!text.is_empty()).then(|| excerpt.find(text)).flatten() {
        Some(at) => format!("{}<mark>{}</mark>{}", esc(slice::prefix(excerpt, at)), esc(text), esc(slice::suffix(excerpt, at + text.len()))),
        None => esc(excerpt),
    }
}

#[allow(clippy::too_many_arguments)]
fn company_page(
    c: &Value,
    name: &str,
    siren: &str,
    stars: &Map<String, Value>,
    inds: &Map<String, Value>,
    evidence: &BTreeMap<(String, String), (Value, Option<String>, Option<Value>)>,
    docs: &DocsBase,
    credit: &str,
) -> String {
    let mut b = format!("<header><p><a href=\"../index.html\">← Toutes les entreprises</a></p><h1>{}</h1>", esc(name));
    if !siren.is_empty() {
        let _ = write!(b, "<p>SIREN {}</p>", esc(siren));
    }
    let _ = write!(b, "<p>{} accord(s) analysé(s).</p></header><main id=\"main\"><h2>Étoiles par thème</h2><table><thead><tr><th scope=\"col\">Thème</th><th scope=\"col\">Étoiles</th><th scope=\"col\">Pourquoi</th></tr></thead><tbody>", c["agreements"].as_u64().unwrap_or(0));
    for t in spec::THEMES {
        let n = stars.get(t.id).and_then(Value::as_u64).unwrap_or(0);
        let of: Vec<_> = spec::INDICATORS.iter().filter(|i| i.theme == t.id).collect();
        let why = if n == 0 {
            "Aucun accord ne traite de ce thème.".to_string()
        } else if of.is_empty() {
            "Un accord traite de ce thème (pas d'indicateur chiffré pour ce thème).".to_string()
        } else {
            let stated: Vec<String> = of.iter().filter(|i| inds.contains_key(i.id)).map(|i| format!("{} : {}", label(i.id), value_text(&inds[i.id]))).collect();
            format!("1 étoile : un accord traite du thème ; + arrondi(4 × favorables / {}) d'après : {}", of.len(), if stated.is_empty() { "aucun indicateur renseigné".into() } else { stated.join(" ; ") })
        };
        let _ = write!(b, "<tr><th scope=\"row\">{}</th><td><span class=\"stars\" aria-label=\"{n} étoiles sur 5\">{}</span></td><td>{}</td></tr>", esc(t.label), stars_text(n), esc(&why));
    }
    b.push_str("</tbody></table><h2>Indicateurs et preuves</h2>");
    if inds.is_empty() {
        b.push_str("<p>Aucun indicateur trouvé dans les accords.</p>");
    }
    let sources = c.get("sources").and_then(Value::as_object);
    for i in spec::INDICATORS {
        let Some(v) = inds.get(i.id) else { continue };
        let path = sources.and_then(|s| s.get(i.id)).and_then(Value::as_str).unwrap_or("");
        let (ev, date, review) = evidence.get(&(path.to_string(), i.id.to_string())).cloned().unwrap_or((Value::Null, None, None));
        let class = if review.is_some() { "reviewed" } else { "" };
        let _ = write!(b, "<section class=\"{class}\"><h3>{} : {}</h3>", esc(label(i.id)), esc(&value_text(v)));
        match &review {
            Some(r) => {
                let _ = write!(
                    b,
                    "<p><strong>Vérifié</strong> par {} le {} ({}){}</p>",
                    esc(r["reviewer"].as_str().unwrap_or("?")),
                    esc(r["date"].as_str().unwrap_or("?")),
                    esc(r["decision"].as_str().unwrap_or("")),
                    r.get("automatic_value").filter(|a| !a.is_null()).map(|a| format!(" — valeur automatique : {}", esc(&value_text(a)))).unwrap_or_default()
                );
            }
            None => b.push_str("<p class=\"auto\">Valeur automatique, non encore vérifiée.</p>"),
        }
        let file = path.rsplit(['/', '!']).next().unwrap_or(path);
        let page_n = ev.get("page").and_then(Value::as_u64);
        let clause = ev.get("clause").and_then(Value::as_str).unwrap_or("");
        let doc = match link(path, page_n, docs) {
            Some(href) => format!("<a href=\"{}\">{}</a>", esc(&href), esc(file)),
            None => esc(file),
        };
        let _ = write!(b, "<p>Accord : {doc}{} — {}{}</p>", date.map(|d| format!(" signé le {}", esc(&d))).unwrap_or_default(), esc(clause), page_n.map(|p| format!(", page {p}")).unwrap_or_default());
        let excerpt = ev.get("excerpt").and_then(Value::as_str).unwrap_or("");
        let excerpt: String = excerpt.chars().take(600).collect();
        if !excerpt.is_empty() {
            let _ = write!(b, "<blockquote>{}</blockquote>", highlight(&excerpt, ev.get("text").and_then(Value::as_str).unwrap_or("")));
        }
        b.push_str("</section>");
    }
    b.push_str(&scale_html());
    b.push_str("</main>");
    page(&format!("{name} — Star finder"), &b, credit, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_safe_names() {
        assert_eq!(esc("<script>\"&'"), "&lt;script&gt;&quot;&amp;&#39;");
        let n = page_name("../../etc/passwd");
        assert!(!n.contains('/') && !n.contains("..") && n.ends_with(".html"), "{n}");
        assert_ne!(page_name("a b"), page_name("a-b"));
        assert_eq!(highlight("deux <b> jours", "<b>"), "deux <mark>&lt;b&gt;</mark> jours");
    }
}
