"""The commissioner's review of competing bids: cost to the commissioner, risk allocation, stress tests."""

from modeller.review.load import ReviewError, load_review
from modeller.review.run import review_bids, review_file

__all__ = ["ReviewError", "load_review", "review_bids", "review_file"]
