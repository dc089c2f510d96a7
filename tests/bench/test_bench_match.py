"""`flask bench match`: the matching benchmark runs and reports every figure."""

from talentmatch.bench.match import run_match_bench


def test_benchmark_runs_on_a_small_population():
    result = run_match_bench(profiles=1_500, queries=5, postings=300)
    assert result["profiles"] == 1_500
    for key in (
        "median_ms",
        "p95_ms",
        "build_s",
        "memory_mb",
        "naive_rapidfuzz_ms",
        "difflib_ms",
        "speedup_vs_rapidfuzz",
        "speedup_vs_difflib",
        "recommend_median_ms",
    ):
        assert result[key] > 0, key
    assert result["p95_ms"] >= result["median_ms"]
