"""Pattern tables of rendered references: identifiers, notes, volumes, issues, pages."""

from __future__ import annotations

import re

# The dates after "Archived", "Retrieved", "نسخة محفوظة" … are at most 80 characters away (the
# corpus has 61 at most): unbounded, each of many such words scanned to the end of the line.
ARCHIVE = re.compile(
    # "Archived June 13, 2011, at the Wayback Machine" (the {{webarchive}} note after a link)
    r"[Aa]rchived\s+(?P<date4>[^.،]{0,30}?\d{4}(?:-\d\d-\d\d)?),?\s+at the Wayback Machine\.?"
    r"|(?:(?:[Aa]rchived|[Aa]rchive)\s+(?:\(\w+\)\s+)?(?:from the original\s+)?"
    r"(?:\(\w+\)\s+)?(?:on\s+)?"
    r"|مؤرشف من الأصل(?:\s*\([^()]{1,20}\))?\s*في\s*|مؤرشف من الأصل\s*|أرشيف في\s*)"
    r"(?P<date>[^.،]{0,80}?\d{4}(?:-\d\d-\d\d)?)[.،]?"
    r"|نسخة محفوظة\s+(?P<date2>.{0,80}?\d{4}(?:-\d\d-\d\d)?)\s+على موقع واي باك مشين\.?"
    r"|نسخة محفوظة\s+(?P<date3>.{0,80}?\d{4}(?:-\d\d-\d\d)?)\.?")
ACCESSED = re.compile(
    r"(?:Retrieved|Accessed|retrieved|accessed)(?:\s+on)?\s+(?P<date>[^.،]{0,80}?\d{4}"
    r"(?:-\d\d-\d\d)?)"
    r"[.،]?|(?:اطلع عليه بتاريخ|تاريخ الوصول|وصل لهذا المسار في|اطلع عليه في|تاريخ الولوج|"
    r"تاريخ الدخول|تاريخ الاطلاع|استرجع في|استرجع بتاريخ)\s*:?\s*"
    r"(?P<date2>[^.،]{0,80}?\d{4}(?:-\d\d-\d\d)?)[.،]?")
# "وصل لهذا المسار في 25 يونيو." / "Retrieved 25 June.": an access date without its year
ACCESSED_NO_YEAR = re.compile(
    r"(?:Retrieved|Accessed|اطلع عليه بتاريخ|وصل لهذا المسار في|تاريخ الولوج|تاريخ الوصول)\s*:?\s*"
    r"(?P<date>\d{1,2}\s+[^\W\d]+|[^\W\d]+\s+\d{1,2})\s*(?:[.،]|$)")
ISBN = re.compile(r"(?:ISBN|ردمك)(?:-1[03])?\s*:?\s*"
                  r"(?P<v>97[89][\d\- ]{10,16}[\dXx]|[\d\- ]{9,12}[\dXx])")
ISSN = re.compile(r"(?:ISSN|ردمد)\s*:?\s*(?P<v>\d{4}-?\d{3}[\dXx])")
DOI = re.compile(r"(?:doi|DOI|دوي)\s*:\s*(?P<v>10\.\d{4,9}/[^\s\u060c]+?)(?=[.,،]?(?:\s|$))")
# Identifiers CSL has no field for: PMID/PMCID are kept (real CSL variables), others as notes.
# Values may hold "&" (Bibcode 2004E&PSL…) and an arXiv class in brackets ("[ stat.ML]").
# The value is cut at its first digit (no digit before it) so that it has one parse.
OTHER_ID = re.compile(
    r"\b(?P<id>PMID|PMCID|PMC|OCLC|JSTOR|S2CID|Bibcode|arXiv|hdl|LCCN|OL|ERIC|SSRN|MR|Zbl|"
    r"(?i:CiteSeerX)|OSTI(?: ID)?|QID|WikiData|Wikidata)\s*:?\s*"
    r"(?P<v>(?:PMC)?(?:[^\W\d]|[./:&-])*\d[\w./:&-]*?)(?:\s*\[\s*[\w.-]+\s*\])?"
    r"(?=[.,;،]?(?:\s|$))\.?")
URL = re.compile(r"https?://[^\s<>\"]+")
# Languages as arwiki's CS1 names them after "بال" / "باللغة ال" (alif written with or without
# hamza: "الإنجليزية" / "الانجليزية").
ARABIC_LANGUAGES = {
    "انجليزية": "en", "انكليزية": "en", "عربية": "ar", "فرنسية": "fr", "المانية": "de",
    "اسبانية": "es", "ايطالية": "it", "برتغالية": "pt", "هولندية": "nl", "روسية": "ru",
    "تركية": "tr", "فارسية": "fa", "يابانية": "ja", "صينية": "zh", "لاتينية": "la",
    "يونانية": "el", "بولندية": "pl", "سويدية": "sv", "نرويجية": "no", "دنماركية": "da",
    "فنلندية": "fi", "تشيكية": "cs", "مجرية": "hu", "رومانية": "ro", "كورية": "ko",
    "عبرية": "he", "هندية": "hi", "اندونيسية": "id", "اوكرانية": "uk", "كتالونية": "ca",
    "فيتنامية": "vi", "اردية": "ur", "ملايوية": "ms", "صربية": "sr", "كرواتية": "hr",
    "بوسنية": "bs", "بلغارية": "bg", "سلوفاكية": "sk", "سلوفينية": "sl", "ليتوانية": "lt",
    "لاتفية": "lv", "استونية": "et", "ايسلندية": "is", "ايرلندية": "ga", "ويلزية": "cy",
    "باسكية": "eu", "جاليكية": "gl", "ارمنية": "hy", "جورجية": "ka", "اذربيجانية": "az",
    "كازاخية": "kk", "اوزبكية": "uz", "تايلاندية": "th", "بنغالية": "bn", "تاميلية": "ta",
    "سواحيلية": "sw", "افريكانية": "af", "كردية": "ku", "البانية": "sq", "مقدونية": "mk",
    "بيلاروسية": "be", "بشتوية": "ps", "سنسكريتية": "sa", "مالطية": "mt", "امازيغية": "ber",
}
# A variety after the language ("بالإنجليزية البريطانية"); only those CS1 gives a code are read.
ARABIC_VARIETIES = {"برازيلية": "brazilian", "اوروبية": "european", "مكسيكية": "mexican",
                    "كندية": "canadian", "سويسرية": "swiss", "نمساوية": "austrian",
                    "مبسطة": "simplified", "تقليدية": "traditional"}
_AR_NAME = "|".join(sorted((re.sub("ا", "[اأإآ]", k, count=1) if k[0] == "ا" else k
                            for k in ARABIC_LANGUAGES), key=len, reverse=True))
LANG = re.compile(r"\((?:in\s+)?(?:(?P<variety>Brazilian|European|Mexican|Canadian|Swiss|"
                  r"Austrian|Simplified|Traditional|British|American|Australian)\s+)?"
                  r"(?P<v>English|Arabic|French|German|Spanish|Italian|Portuguese|Dutch|Russian|"
                  r"Turkish|Persian|Japanese|Chinese|Latin|Greek|"
                  r"Polish|Swedish|Norwegian|Danish|Finnish|Czech|Hungarian|Romanian|Korean|"
                  r"Hebrew|Hindi|Indonesian|Ukrainian|Catalan|Vietnamese|Urdu|Malay|"
                  r"Serbian|Croatian|Bosnian|Bulgarian|Slovak|Slovene|Slovenian|Lithuanian|"
                  r"Latvian|Estonian|Icelandic|Irish|Welsh|Basque|Galician|Armenian|Georgian|"
                  r"Azerbaijani|Kazakh|Uzbek|Thai|Bengali|Tamil|Swahili|Afrikaans|Tagalog|"
                  rf"ب(?:اللغة\s?)?ال(?P<ar>{_AR_NAME})(?:\s(?P<arvariety>ال[\u0621-\u064a]{{3,12}}))?"
                  # "(بar-EG)": arwiki CS1 printing a language code it has no name for
                  r"|ب(?P<code>[a-z]{2,3}(?:-[A-Za-z]{2,4})?))"
                  # two languages or more ("(in English, French, and German)", "(بالعربية
                  # والإنجليزية)") give none; the note is still taken out
                  r"(?P<more>(?:,?\s+and\s+[A-Z]\w+|\s*,\s*[A-Z]\w+|\s+و[\u0600-\u06ff]+){0,6})\)",
                  re.I)
LANG_CODES = {"english": "en", "arabic": "ar", "french": "fr", "german": "de",
              "spanish": "es", "italian": "it", "portuguese": "pt", "dutch": "nl",
              "russian": "ru", "turkish": "tr", "persian": "fa", "japanese": "ja",
              "chinese": "zh", "latin": "la", "greek": "el", "polish": "pl", "swedish": "sv",
              "norwegian": "no", "danish": "da", "finnish": "fi", "czech": "cs",
              "hungarian": "hu", "romanian": "ro", "korean": "ko", "hebrew": "he",
              "hindi": "hi", "indonesian": "id", "ukrainian": "uk", "catalan": "ca",
              "vietnamese": "vi", "urdu": "ur", "malay": "ms",
              "serbian": "sr", "croatian": "hr", "bosnian": "bs", "bulgarian": "bg",
              "slovak": "sk", "slovene": "sl", "slovenian": "sl", "lithuanian": "lt",
              "latvian": "lv", "estonian": "et", "icelandic": "is", "irish": "ga",
              "welsh": "cy", "basque": "eu", "galician": "gl", "armenian": "hy",
              "georgian": "ka", "azerbaijani": "az", "kazakh": "kk", "uzbek": "uz", "thai": "th",
              "bengali": "bn", "tamil": "ta", "swahili": "sw", "afrikaans": "af",
              "tagalog": "tl"}
LANG_CODES_BY_CODE = {code: name for name, code in reversed(LANG_CODES.items())}
# CS1 names a regional variety for a language code with a region ("pt-br": Brazilian Portuguese).
LANG_VARIETIES = {"brazilian portuguese": "pt-BR", "european portuguese": "pt-PT",
                  "mexican spanish": "es-MX", "canadian french": "fr-CA", "swiss german": "de-CH",
                  "austrian german": "de-AT", "simplified chinese": "zh-Hans",
                  "traditional chinese": "zh-Hant"}
# "(بEnglish)": arwiki CS1 printing the English name of a language after its "ب"
LANG_LEAKED = re.compile(r"\(ب(?P<v>[A-Z][a-z]{3,15})\)")
# CS1's |type= / |medium= printed in parentheses after the title ("Title (liner notes).",
# "Title (PDF) (paper).", "Title (DVD).") and access notes: not part of the title.
MEDIUM = re.compile(r"\((?:liner notes|paper|DVD|CD|Blu-ray|VHS|podcast|motion picture|"
                    r"television production|documentary|lecture|speech|preprint|"
                    r"(?:paid )?(?:subscription|registration) (?:needed|required))\)", re.I)
GENRE = re.compile(
    r"\((?P<thesis>(?:Ph\.? ?D\.?|Doctoral|Master'?s|MSc|MA|BA|Bachelor'?s|Diploma|Habilitation)"
    r"\s+(?:thesis|dissertation)|Thesis|Dissertation|أطروحة[^()]{0,20}|رسالة (?:ماجستير|دكتوراه)"
    r"[^()]{0,20})\)|\((?P<report>Technical report|Report|Working paper|تقرير[^()]{0,20})\)",
    re.I)
EDITION = re.compile(r"\((?P<v>[^()]{1,30}?)\s+(?:ed\.|edition|طبعة)\)|\((?:الطبعة|ط\.)\s*"
                     r"(?P<v2>[^()]{1,20})\)", re.I)
# A page or range; front matter is numbered in lower-case roman numerals ("pp. vii, 273").
# A number is "letters, its first digit, the rest": ``\w*\d\w*`` would split a run of digits
# at any digit, and a failing match tries every split (quadratic on a long run).
RANGE = (r"(?:(?-i:[ivxlc]+)\b|[^\W\d]*\d\w*)(?:\s*[–—‒\-−]\s*(?:(?-i:[ivxlc]+)\b|[^\W\d]*\d\w*))?")
# Trailing locators typed after the template: "p. 64." "pp. 1–4." "Abstract." "ص. 12."
TRAILING_LOCATOR = re.compile(
    rf"(?<![\w.])(?P<label>pp?\.|ص\.|صص\.|page|pages|at|loc\.)\s*"
    rf"(?P<loc>{RANGE}(?:\s*,\s*{RANGE})*)"
    r"\s*\.?\s*$|(?P<word>Abstract|Summary|Introduction|Preface|ملخص|الملخص|مقدمة)\.?\s*$",
    re.I)
# A hand-typed book's place cited at the end of the line, after a comma: "Press, 1902, p. 19.",
# "القاهرة، 2014، ص 230", "Harvard University Press, Chapter 3." (or an Arabic page word after
# a blank: "… 2012 ص 207"). arwiki's CS1 "، ص. 12" is left to the element rules.
END_LOCATOR = re.compile(
    rf"(?:[,،]\s*|(?<=[^\s\-–—])\s+(?=ص|صفحة|الصفحة|صفحات|الصفحات))"
    rf"(?P<label>pp?\.|pages?|ص\s?ص\.?|صص\.?|ص(?![.\w])|صفحة|الصفحة|صفحات|الصفحات|"
    # CS1's "ص. 141، 202": pages listed with an Arabic comma, which also parts elements
    rf"ص\.(?=\s*\d+\s*،\s*\d)|[Cc]hapter|[Cc]hpt\.|[Cc]h\.)\s*:?\s*"
    rf"(?P<loc>{RANGE}(?:\s*[,،]\s*{RANGE})*)\s*\.?\s*$")
# "… تهران: انتشارات ما، 1376. 257.": a bare page typed after a hand-typed book's year
BARE_END_PAGE = re.compile(r"(?<=\D\d{4})\.\s+(?P<loc>\d{1,4}(?:\s*[–-]\s*\d{1,4})?)\.?\s*$")
AR_VOL = re.compile(
    rf"(?<!\S)(?:ج\.|المجلد|مج\.)\s*(?P<vol>[\w.\-–]+?)(?:\s+(?:ع\.|العدد)\s*(?P<iss>[\w\-–/]+?))?"
    rf"\s*(?::\s*(?P<pages>{RANGE}))?(?=[.،,]?(?:\s|$))")
AR_ISS = re.compile(rf"(?<!\S)(?:ع\.|العدد)\s*(?P<iss>[\w\-–/]+?)(?:\s*:\s*(?P<pages>{RANGE}))?"
                    r"(?=[.،,]?(?:\s|$))")
# "25 (4): 289–96 [292]": volume, issue, the article's pages and the page cited in brackets
EN_VOL = re.compile(rf"^(?P<label>Vol\.|vol\.|Volume)?\s*"
                    # "33, part 4 (113): 313–50": a volume printed with its part
                    rf"(?P<vol>\d+[A-Za-z]?(?:,\s(?:[Pp]art|[Pp]t\.)\s\d{{1,3}}(?=\s*[(:]))?"
                    rf"|[IVXLC]+|[ivxlc]+(?=\s*[(:]))"
                    rf"\s*(?:\((?P<iss>[^)]+)\))?(?:\s*:\s*(?P<pages>{RANGE}))?"
                    r"(?:\s*\[(?P<at>[^\]]{1,20})\])?$")
# "Lecture Notes in Computer Science. Vol. 1758." / "Student Texts, vol. 64": a series number
SERIES_VOL = re.compile(r"^(?:(?P<series>[^,]{3,}?),\s*)?(?:Vol\.|vol\.|Volume)\s*(?P<n>[\w.-]+)$")
EN_VOLNO = re.compile(rf"^(?:Vol\.|vol\.|Volume)\s*(?P<vol>\w+)(?:[,.]?\s*(?:no\.|No\.|Issue)\s*"
                      rf"(?P<iss>\w+))?(?:[,.]?\s*pp?\.\s*(?P<pages>{RANGE}))?$")
# "(?<!\s\s)": a lazy container name that ended inside a run of blanks would retry the run
# at each step (quadratic); the shortest name never ends in two blanks anyway.
CONTAINER_VOL = re.compile(rf"^(?P<c>\D.+?)(?<!\s\s)\s+(?P<vol>\d+|[ivxlc]+(?=\s*\())\s*"
                           rf"(?:\((?P<iss>[^)]+)\))?"
                           rf":\s*(?P<pages>{RANGE})$")
ABBREVIATED_JOURNAL = re.compile(
    r"(?<![^\s\x1f])(?!(?:Vol|No|pp?|Retrieved|Archived)\.)(?:[A-Z][A-Za-z]{0,7}\.\s+){1,8}"
    r"(?:[A-Z][A-Za-z]{0,7}\.|[A-Z][\w.&]*)(?=\s+(?:\d+[A-Za-z]?|[ivxlc]+|[IVXLC]+)\s*[(:])")
APA_CONTAINER = re.compile(rf"^(?P<c>\D[^,]+?),\s*(?P<vol>\d+)\s*(?:\((?P<iss>[^)]+)\))?,\s*"
                           rf"(?P<pages>{RANGE})$")
CHICAGO_CONTAINER = re.compile(
    rf"^(?P<c>\D.+?)(?<!\s\s)\s+(?P<vol>\d+[A-Za-z]?|[ivxlc]+|[IVXLC]+)"
    rf"(?:,\s*(?:no\.|No\.)\s*(?P<iss>[\w–/-]+))?"
    rf"\s*\((?P<date>[^()]{{0,30}}\d{{4}})\)(?:\s*:\s*(?P<pages>{RANGE}))?$")
NAME_PAGES = re.compile(r"^(?P<name>\D[^:]{1,200}?):\s*(?P<pages>\d+\s*[–—\-−]\s*\d+)$")
# "Paper 2020/556", "Report No. 12": a number within a series, not a publisher.
NUMBERED_PART = re.compile(r"^(?:Paper|Report|Working Paper|Technical Report|Memo|ورقة)\s+"
                           r"(?:No\.\s*)?(?:[^\W\d]|[/.-])*\d[\w/.-]*$", re.I)
PAGES = re.compile(rf"^(?P<label>pp?\.|ص\.|صص\.?|ص\s?ص\.?|الصفحات|صفحات|الصفحة|صفحة|ص|Pages?)"
                   rf"\s*:?\s*"
                   rf"(?P<pages>{RANGE}(?:\s*,\s*{RANGE})*)$", re.I)
# Editor lists are at most 300 characters: "في" and "In" are common words, and each of them
# would be scanned to the next parenthesis. "(?<!\s\s)" (as in the patterns above) keeps a
# lazy name from growing through a run of blanks, each step retrying the run (quadratic).
EDITORS_AR = re.compile(r"(?:^|\s)في\s+(?P<names>[^()]{1,300}?)(?<!\s\s)\s*"
                        r"\((?:المحررون|المحرر|محرر|محررون)\)")
EDITORS_EN = re.compile(r"(?:^|\s)In\s+(?P<names>[^()]{1,300}?)(?<!\s\s)\s*"
                        r"\((?:eds?\.|editors?)\)")
EDITORS_EN2 = re.compile(r"^(?P<names>[^()]+?)(?<!\s\s)\s*\((?:eds?\.|editors?)\)$")
# Editors written given name first with initials, then the role: "… World. D. E. Wilson and D. M.
# Reeder eds. Johns Hopkins …", "In: P. Hammerstein, Editor, Title, …" (hand-typed and
# author-year lines). Each name is bounded, so nothing is scanned twice.
_INITIALS_NAME = r"(?:[A-Z]\.\s?){1,3}[A-Z][\w'’-]{1,30}"
EDITORS_INITIALS = re.compile(
    rf"(?:^|(?<=[.,]\s)|(?<=\x1f))(?:In:?\s+)?(?P<names>{_INITIALS_NAME}"
    rf"(?:(?:,\s*|\s+(?:and|&)\s+){_INITIALS_NAME}){{0,5}})(?:,\s*|\s+)"
    r"(?:\(eds?\.\)|eds?\.|[Ee]ditors?\b)")
