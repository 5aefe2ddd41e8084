//! Glyph names to Unicode, for simple fonts whose `/Differences` (or built-in
//! encoding) name glyphs instead of giving a ToUnicode map.
//!
//! A compact subset of the Adobe Glyph List: ASCII, Latin-1, Latin
//! Extended-A, the punctuation and symbols that French documents use, and a
//! few Greek and maths names. The table is one string so that it costs no
//! code size per entry; it is parsed and sorted once on first use. Names not
//! in it are resolved by the AGL rules that matter in practice: `uniXXXX`
//! (one or more code points), `uXXXX[XX]`, a `.suffix` variant (`a.sc`),
//! `_`-joined ligatures (`f_f_i`), and a few producer conventions (`gXX`
//! or `cidNN` are glyph ids and stay unknown).

use std::sync::OnceLock;

const TABLE: &str = concat!(
    "A:41 AE:c6 Aacute:c1 Abreve:102 Acircumflex:c2 Adieresis:c4 Agrave:c0 Alpha:391 Amacron:100 ",
    "Aogonek:104 Aring:c5 Atilde:c3 B:42 Beta:392 C:43 Cacute:106 Ccaron:10c Ccedilla:c7 ",
    "Ccircumflex:108 Cdotaccent:10a D:44 Dcaron:10e Dcroat:110 Delta:394 Dslash:110 E:45 Eacute:c9 ",
    "Ebreve:114 Ecaron:11a Ecircumflex:ca Edieresis:cb Edotaccent:116 Egrave:c8 Emacron:112 Eng:14a ",
    "Eogonek:118 Eth:d0 Euro:20ac F:46 G:47 Gamma:393 Gbreve:11e Gcedilla:122 Gcircumflex:11c ",
    "Gcommaaccent:122 Gdotaccent:120 H:48 H18533:25cf H18543:25aa H18551:25ab H22073:25a1 Hbar:126 ",
    "Hcircumflex:124 Hslash:126 I:49 IJ:132 Iacute:cd Ibreve:12c Icircumflex:ce Idieresis:cf ",
    "Idotaccent:130 Igrave:cc Imacron:12a Iogonek:12e Itilde:128 J:4a Jcircumflex:134 K:4b ",
    "Kcedilla:136 Kcommaaccent:136 L:4c Lacute:139 Lambda:39b Lcaron:13d Lcedilla:13b ",
    "Lcommaaccent:13b Ldot:13f Lslash:141 M:4d N:4e Nacute:143 Ncaron:147 Ncedilla:145 ",
    "Ncommaaccent:145 Ntilde:d1 O:4f OE:152 Oacute:d3 Obreve:14e Ocircumflex:d4 Odieresis:d6 ",
    "Ograve:d2 Ohungarumlaut:150 Omacron:14c Omega:3a9 Oslash:d8 Otilde:d5 P:50 Phi:3a6 Pi:3a0 ",
    "Psi:3a8 Q:51 R:52 Racute:154 Rcaron:158 Rcedilla:156 Rcommaaccent:156 S:53 Sacute:15a ",
    "Scaron:160 Scedilla:15e Scircumflex:15c Scommaaccent:218 Sigma:3a3 T:54 Tcaron:164 Tcedilla:162 ",
    "Tcommaaccent:21a Theta:398 Thorn:de Tslash:166 U:55 Uacute:da Ubreve:16c Ucircumflex:db ",
    "Udieresis:dc Ugrave:d9 Uhungarumlaut:170 Umacron:16a Uogonek:172 Upsilon:3a5 Uring:16e ",
    "Utilde:168 V:56 W:57 Wcircumflex:174 X:58 Xi:39e Y:59 Yacute:dd Ycircumflex:176 Ydieresis:178 ",
    "Z:5a Zacute:179 Zcaron:17d Zdotaccent:17b a:61 aacute:e1 abreve:103 acircumflex:e2 acute:b4 ",
    "adieresis:e4 ae:e6 afii00208:2015 afii10017:410 afii57929:2bc afii61352:2116 afii64937:2bd ",
    "agrave:e0 alpha:3b1 amacron:101 ampersand:26 angleleft:2329 angleright:232a aogonek:105 ",
    "apple:f8ff approxequal:2248 aring:e5 arrowboth:2194 arrowdown:2193 arrowleft:2190 ",
    "arrowright:2192 arrowup:2191 asciicircum:5e asciitilde:7e asterisk:2a asteriskmath:2217 at:40 ",
    "atilde:e3 b:62 backslash:5c bar:7c beta:3b2 braceleft:7b braceright:7d bracketleft:5b ",
    "bracketright:5d breve:2d8 brokenbar:a6 bullet:2022 bulletoperator:2219 c:63 cacute:107 ",
    "caron:2c7 ccaron:10d ccedilla:e7 ccircumflex:109 cdotaccent:10b cedilla:b8 cent:a2 ",
    "checkmark:2713 circle:25cb circumflex:2c6 club:2663 colon:3a comma:2c commaaccent:f6c3 ",
    "commasuperior:f6e2 congruent:2245 copyright:a9 currency:a4 d:64 dagger:2020 daggerdbl:2021 ",
    "dcaron:10f dcroat:111 degree:b0 delta:3b4 diamond:2666 dieresis:a8 divide:f7 dollar:24 ",
    "dong:20ab dotaccent:2d9 dotlessi:131 dotlessj:237 dotmath:22c5 dslash:111 e:65 eacute:e9 ",
    "ebreve:115 ecaron:11b ecircumflex:ea edieresis:eb edotaccent:117 egrave:e8 eight:38 ",
    "element:2208 ellipsis:2026 emacron:113 emdash:2014 endash:2013 eng:14b eogonek:119 epsilon:3b5 ",
    "equal:3d equivalence:2261 estimated:212e eth:f0 euro:20ac exclam:21 exclamdown:a1 ",
    "existential:2203 f:66 ff:fb00 ffi:fb03 ffl:fb04 fi:fb01 figuredash:2012 filledbox:25a0 five:35 ",
    "fiveeighths:215d fl:fb02 florin:192 four:34 foursuperior:2074 fraction:2044 franc:20a3 g:67 ",
    "gamma:3b3 gbreve:11f gcedilla:123 gcircumflex:11d gcommaaccent:123 gdotaccent:121 germandbls:df ",
    "grave:60 greater:3e greaterequal:2265 guillemetleft:ab guillemetright:bb guillemotleft:ab ",
    "guillemotright:bb guilsinglleft:2039 guilsinglright:203a h:68 hbar:127 hcircumflex:125 ",
    "heart:2665 hslash:127 hungarumlaut:2dd hyphen:2d i:69 iacute:ed ibreve:12d icircumflex:ee ",
    "idieresis:ef igrave:ec ij:133 imacron:12b infinity:221e integral:222b iogonek:12f itilde:129 ",
    "j:6a jcircumflex:135 k:6b kcedilla:137 kcommaaccent:137 kgreenlandic:138 l:6c lacute:13a ",
    "lambda:3bb lcaron:13e lcedilla:13c lcommaaccent:13c ldot:140 less:3c lessequal:2264 lira:20a4 ",
    "logicalnot:ac longs:17f lozenge:25ca lslash:142 m:6d macron:af middot:b7 minus:2212 minute:2032 ",
    "mu:b5 mu1:b5 multiply:d7 n:6e nacute:144 napostrophe:149 nbspace:a0 ncaron:148 ncedilla:146 ",
    "ncommaaccent:146 nine:39 nonbreakingspace:a0 notequal:2260 ntilde:f1 numbersign:23 numero:2116 ",
    "o:6f oacute:f3 obreve:14f ocircumflex:f4 odieresis:f6 oe:153 ogonek:2db ograve:f2 ",
    "ohungarumlaut:151 omacron:14d omega:3c9 one:31 onedotenleader:2024 oneeighth:215b onehalf:bd ",
    "onequarter:bc onesuperior:b9 onethird:2153 openbullet:25e6 ordfeminine:aa ordmasculine:ba ",
    "oslash:f8 otilde:f5 p:70 paragraph:b6 parenleft:28 parenright:29 partialdiff:2202 percent:25 ",
    "period:2e periodcentered:b7 periodsuperior:f6e8 perpendicular:22a5 perthousand:2030 peseta:20a7 ",
    "phi:3c6 pi:3c0 plus:2b plusminus:b1 product:220f proportional:221d q:71 question:3f ",
    "questiondown:bf quotedbl:22 quotedblbase:201e quotedblleft:201c quotedblright:201d ",
    "quoteleft:2018 quotereversed:201b quoteright:2019 quotesinglbase:201a quotesingle:27 r:72 ",
    "racute:155 radical:221a rcaron:159 rcedilla:157 rcommaaccent:157 registered:ae ring:2da ",
    "rupiah:f6dd s:73 sacute:15b scaron:161 scedilla:15f scircumflex:15d scommaaccent:219 ",
    "second:2033 section:a7 semicolon:3b seven:37 seveneighths:215e sfthyphen:ad sigma:3c3 ",
    "similar:223c six:36 slash:2f softhyphen:ad space:20 spade:2660 sterling:a3 suchthat:220b ",
    "summation:2211 t:74 tau:3c4 tcaron:165 tcedilla:163 tcommaaccent:21b therefore:2234 theta:3b8 ",
    "thorn:fe three:33 threeeighths:215c threequarters:be threesuperior:b3 tilde:2dc trademark:2122 ",
    "triagrt:25ba tslash:167 two:32 twodotenleader:2025 twosuperior:b2 twothirds:2154 u:75 uacute:fa ",
    "ubreve:16d ucircumflex:fb udieresis:fc ugrave:f9 uhungarumlaut:171 umacron:16b underscore:5f ",
    "uni00AD:ad uni2023:2023 universal:2200 uogonek:173 uring:16f utilde:169 v:76 w:77 ",
    "wcircumflex:175 x:78 y:79 yacute:fd ycircumflex:177 ydieresis:ff yen:a5 z:7a zacute:17a ",
    "zcaron:17e zdotaccent:17c zero:30 zerosuperior:2070 ",
);

fn table() -> &'static [(&'static str, char)] {
    static T: OnceLock<Vec<(&'static str, char)>> = OnceLock::new();
    T.get_or_init(|| {
        let mut v: Vec<(&'static str, char)> = TABLE
            .split_ascii_whitespace()
            .filter_map(|e| {
                let (n, h) = e.split_once(':')?;
                let c = char::from_u32(u32::from_str_radix(h, 16).ok()?)?;
                Some((n, c))
            })
            .collect();
        v.sort_by(|a, b| a.0.cmp(b.0));
        v
    })
}

/// Ligature characters expanded to their letters: the rest of the pipeline
/// matches words, and `ﬁ` inside `proﬁl` would hide the word.
pub fn expand_ligature(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{FB00}' => "ff",
        '\u{FB01}' => "fi",
        '\u{FB02}' => "fl",
        '\u{FB03}' => "ffi",
        '\u{FB04}' => "ffl",
        '\u{FB05}' | '\u{FB06}' => "st",
        _ => return None,
    })
}

fn push_expanded(out: &mut String, c: char) {
    match expand_ligature(c) {
        Some(s) => out.push_str(s),
        None => out.push(c),
    }
}

fn hex_chars(h: &str, group: usize, out: &mut String) -> bool {
    if h.is_empty() || !h.len().is_multiple_of(group) || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return false;
    }
    let start = out.len();
    for i in (0..h.len()).step_by(group) {
        let Some(part) = h.get(i..i + group) else {
            return false;
        };
        match u32::from_str_radix(part, 16).ok().and_then(char::from_u32) {
            // Surrogates and controls from a malformed name are not text.
            Some(c) if !c.is_control() => push_expanded(out, c),
            _ => {
                out.truncate(start);
                return false;
            }
        }
    }
    true
}

/// Appends the text of glyph `name` to `out`; returns false if unknown.
pub fn glyph_to_text(name: &str, out: &mut String) -> bool {
    glyph_to_text_depth(name, out, 0)
}

fn glyph_to_text_depth(name: &str, out: &mut String, depth: u8) -> bool {
    if name.is_empty() || depth > 2 {
        return false;
    }
    let t = table();
    if let Ok(i) = t.binary_search_by(|e| e.0.cmp(name)) {
        push_expanded(out, t[i].1);
        return true;
    }
    if let Some(h) = name.strip_prefix("uni") {
        if hex_chars(h, 4, out) {
            return true;
        }
    }
    if let Some(h) = name.strip_prefix('u') {
        if (4..=6).contains(&h.len()) && hex_chars(h, h.len(), out) {
            return true;
        }
    }
    if let Some((base, _)) = name.split_once('.') {
        return glyph_to_text_depth(base, out, depth + 1);
    }
    if name.contains('_') {
        let start = out.len();
        for part in name.split('_') {
            if !glyph_to_text_depth(part, out, depth + 1) {
                out.truncate(start);
                return false;
            }
        }
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(n: &str) -> String {
        let mut s = String::new();
        glyph_to_text(n, &mut s);
        s
    }

    #[test]
    fn names() {
        assert_eq!(g("eacute"), "é");
        assert_eq!(g("Ccedilla"), "Ç");
        assert_eq!(g("fi"), "fi");
        assert_eq!(g("f_f_i"), "ffi");
        assert_eq!(g("uni00E9"), "é");
        assert_eq!(g("uni00660066"), "ff");
        assert_eq!(g("u1F600"), "\u{1F600}");
        assert_eq!(g("a.sc"), "a");
        assert_eq!(g("quoteright"), "\u{2019}");
        assert_eq!(g("g123"), "");
        assert_eq!(g("oe"), "œ");
    }
}
