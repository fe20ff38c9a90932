"""Benchmark import-claimreview on a DataFeed of N ClaimReviews (default 5,000), in a temporary project.

    python bench/import_bench.py [--records 5000]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import REPO, write_registries  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=5000)
    n = parser.parse_args().records
    with tempfile.TemporaryDirectory(prefix="claimpress-import-bench-") as tmp:
        root = Path(tmp)
        write_registries(root / "claims")
        feed = {"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": [
            {"@type": "DataFeedItem", "item": [{
                "@type": "ClaimReview", "url": f"https://example.org/review/{i}",
                "claimReviewed": f"Claim number {i}: forces shelled the market of town {i} with banned weapons",
                "datePublished": "2024-01-02T10:00:00Z",
                "author": {"@type": "Organization", "name": f"Checker {i % 7}"},
                "reviewRating": {"@type": "Rating", "ratingValue": str(1 + i % 5), "bestRating": "5",
                                 "worstRating": "1", "alternateName": "Mostly false"},
                "itemReviewed": {"@type": "Claim", "datePublished": "2024-01-01",
                                 "author": {"@type": "Person", "name": f"Person {i % 300}"}}}]}
            for i in range(n)]}
        (root / "feed.json").write_text(json.dumps(feed))
        start = time.perf_counter()
        subprocess.run([sys.executable, str(REPO / "build_claims.py"), "--root", str(root), "import-claimreview",
                        str(root / "feed.json")], check=True, capture_output=True)
        seconds = time.perf_counter() - start
        print(f"| records | import time | per record |\n|---:|---:|---:|\n| {n:,} | {seconds:.1f} s | "
              f"{1000 * seconds / n:.2f} ms |")


if __name__ == "__main__":
    main()
