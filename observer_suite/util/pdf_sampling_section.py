"""The sampling record of a random-sample plan or report, as it should be printed.

Sample-mode numbers are only meaningful with their design (frame, n, confidence, margin,
seed, strata), so every report that uses a sample prints the same record the same way. The
record is a free-form dict stored with the plan; known keys get labels, others show as-is.
"""

from reportlab.platypus import Paragraph

from observer_suite.util.formatting import esc, fmt_int, para
from observer_suite.util.pdf_styles import ReportStyles, data_table

SAMPLING_LABELS = {
    "n": "Sample size (n)",
    "sample_size": "Sample size (n)",
    "frame_size": "Sampling frame (stations)",
    "confidence": "Confidence level",
    "margin_of_error": "Margin of error",
    "expected_proportion": "Expected proportion",
    "nonresponse": "Allowance for non-response",
    "seed": "Random seed",
    "stratify_by": "Stratified by",
}
_PERCENT_KEYS = {"confidence", "margin_of_error", "expected_proportion", "nonresponse"}


def sampling_value(key: str, value) -> str:
    """One value as printed: proportions as percentages, the seed exactly as stored."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key in _PERCENT_KEYS and isinstance(value, int | float) and 0 <= value <= 1:
        return f"{100 * value:g}%"
    if isinstance(value, int):
        return str(value) if key == "seed" else fmt_int(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= 300 else text[:300] + "\u2026"


def strata_table(strata, st: ReportStyles, width: float):
    """Strata as a table, whether given as {name: n}, {name: {...}} or [{...}, ...]."""
    if isinstance(strata, dict):
        strata = [
            {"stratum": name, **(v if isinstance(v, dict) else {"n": v})}
            for name, v in strata.items()
        ]
    if not isinstance(strata, list) or not all(isinstance(s, dict) for s in strata):
        return Paragraph(esc(sampling_value("strata", strata)), st.body)
    keys: list[str] = []
    for stratum in strata:
        keys += [k for k in stratum if k not in keys]
    keys = keys[:7]
    if not keys:
        return Paragraph("No strata.", st.body)
    rows = [[para(str(k).replace("_", " ").capitalize(), st.head) for k in keys]]
    rows += [[para(sampling_value(k, s.get(k, "")), st.cell) for k in keys] for s in strata]
    return data_table(rows, [width / len(keys)] * len(keys), st.fonts)


SAMPLING_WORDS = {
    "title": "Sampling record",
    "none": "No sampling record is stored.",
    "item": "Item",
    "value": "Value",
    "strata": "Strata",
    "labels": SAMPLING_LABELS,
}


def sampling_section(
    sampling: dict, st: ReportStyles, width: float, words: dict | None = None
) -> list:
    """Heading, a label/value table of the design, and the strata table; `words` gives the
    fixed texts in the report's language (keys of SAMPLING_WORDS), English by default."""
    w = {**SAMPLING_WORDS, **(words or {})}
    labels = {**SAMPLING_LABELS, **(w.get("labels") or {})}
    story: list = [Paragraph(esc(w["title"]), st.h2)]
    if not sampling:
        return [*story, Paragraph(esc(w["none"]), st.body)]
    ordered = [k for k in SAMPLING_LABELS if k in sampling]
    ordered += sorted((k for k in sampling if k not in SAMPLING_LABELS and k != "strata"), key=str)
    rows = [
        [para(labels.get(k, k), st.cell), para(sampling_value(k, sampling[k]), st.cell)]
        for k in ordered
    ]
    if rows:
        head = [w["item"], w["value"]]
        story.append(data_table([head, *rows], [0.35 * width, 0.65 * width], st.fonts))
    if "strata" in sampling:
        story += [Paragraph(esc(w["strata"]), st.h2), strata_table(sampling["strata"], st, width)]
    return story
