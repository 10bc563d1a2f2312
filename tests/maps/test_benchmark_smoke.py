"""benchmarks/maps.py still runs, and our page stays far smaller than folium's plain one."""

import importlib.util

from tests.conftest import REPO


def _bench():
    spec = importlib.util.spec_from_file_location("bench_maps", REPO / "benchmarks" / "maps.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_compact_page_is_much_smaller_than_marker_per_incident():
    bench = _bench()
    data, at = bench.synthetic(1000)
    assert len(data.points) == len(at) == 1000
    assert data == bench.synthetic(1000)[0]  # deterministic
    ours, plain = bench.ours(data), bench.folium_plain(data)
    assert len(plain) > 8 * len(ours)
    assert "#1000" in ours and "#1000" in plain
