"""Builders for the review tests: a small bid scenario and a review of it, written to a folder."""

from __future__ import annotations

import copy

import yaml

from modeller.review.load import review_from_data
from tests.helpers import BASE

BID = {**copy.deepcopy(BASE), "start": "2027-04", "months": 24,
       "contracts": [{"id": "service", "name": "Service", "commissioner": "ICB", "mechanism": "block",
                      "annual_value": 1_200_000, "start": "2027-04"}]}
REVIEW = {"service": "Test service", "commissioner": "ICB", "term": {"start": "2027-04", "months": 24},
          "budget": {"2027/28": 1_150_000, "2028/29": 1_160_000}, "draws": 50,
          "bids": [{"id": "bid_a", "name": "Bid A", "file": "a.yaml"}]}


def bid(**parts) -> dict:
    data = copy.deepcopy(BID)
    data.update(parts)
    return data


def review(**parts):
    data = copy.deepcopy(REVIEW)
    data.update(parts)
    return review_from_data(data, "test review")


def write(folder, name: str, data: dict) -> str:
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return str(path)
