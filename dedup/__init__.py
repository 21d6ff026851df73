"""dedup: near-duplicate and syndication detection for news."""
