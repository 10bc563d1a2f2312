"""Team colours shared by the PDF map and the web map, so a team has one colour everywhere.

Twenty well-separated colours; with more teams they repeat, and tables/tooltips carry the
team code, so colour is never the only way to tell teams apart.
"""

TEAM_COLOURS: tuple[str, ...] = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
    "#e6550d",
    "#31a354",
    "#756bb1",
    "#636363",
)


def team_colour_index(position: int) -> int:
    """Colour slot for the team at `position` in the document's team list."""
    return position % len(TEAM_COLOURS)


def team_colour(position: int) -> str:
    return TEAM_COLOURS[team_colour_index(position)]
