//! Builds a synthetic corpus for the report bench from the shape of the
//! samples: `make_corpus DIR AGREEMENTS COMPANIES` writes AGREEMENTS small
//! agreement PDFs spread over COMPANIES companies (each a Luhn-valid SIREN).
//!
//!     cargo run --release --example make_corpus -- target/corpus 2000 500

#[path = "../tests/common/mod.rs"]
mod common;

fn luhn_siren(n: usize) -> String {
    let base = format!("{:08}", 10_000_000 + n);
    for d in 0..10 {
        let s = format!("{base}{d}");
        let sum: u32 = s.bytes().rev().enumerate().map(|(i, b)| {
            let x = u32::from(b - b'0');
            if i % 2 == 1 { if x * 2 > 9 { x * 2 - 9 } else { x * 2 } } else { x }
        }).sum();
        if sum % 10 == 0 {
            return s;
        }
    }
    base + "0"
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, n, companies] = args.as_slice() else {
        eprintln!("usage: make_corpus DIR AGREEMENTS COMPANIES");
        std::process::exit(2);
    };
    let n: usize = n.parse().map_err(std::io::Error::other)?;
    let companies: usize = companies.parse().map_err(std::io::Error::other)?;
    std::fs::create_dir_all(dir)?;
    let subjects = ["télétravail", "droit à la déconnexion", "temps de travail", "égalité professionnelle"];
    for i in 0..n {
        let c = i % companies.max(1);
        let days = 1 + i % 3;
        let year = 2020 + i / companies.max(1);
        let pages = vec![vec![
            format!("ACCORD D'ENTREPRISE RELATIF AU {}", subjects[i % subjects.len()].to_uppercase()),
            "Entre les soussignés :".to_string(),
            format!("La société ENTREPRISE {c} SAS, immatriculée au RCS sous le numéro {},", luhn_siren(c)),
            "représentée par sa direction, et la CFDT, d'autre part.".to_string(),
            "Article 1 – Télétravail".to_string(),
            format!("Les salariés peuvent télétravailler dans la limite de {days} jours par semaine."),
            "Article 2 – Droit à la déconnexion".to_string(),
            "Chaque salarié bénéficie d'un droit à la déconnexion : aucun courriel n'est adressé entre 20 h et 7 h.".to_string(),
            format!("Fait à Lyon, le 1{} mars {year}", i % 9),
        ]];
        std::fs::write(format!("{dir}/a{i:05}.pdf"), common::pdf(&pages))?;
    }
    Ok(())
}
