"""The commissioner's review of competing bids: cost to the commissioner, risk allocation, stress tests."""
